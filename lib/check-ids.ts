/**
 * Every synth check's id and severity, as plain data, so that the config can validate
 * acknowledgements without depending on the rules. A test keeps it equal to the rules.
 */
export const RULE_SEVERITIES = {
  "TRUST-ACCOUNT": "error",
  "POLICY-WILDCARD": "error",
  "POLICY-SIZE": "error",
  "ROLE-ATTACHMENT-LIMIT": "error",
  "ACCOUNT-POLICY-LIMIT": "error",
  "ASSUME-ARN-MATCH": "error",
  "TRUST-ROOT-UNCONDITIONED": "warning",
  "TRUST-PRINCIPAL-ORDER": "warning",
  "MFA-BLOCKS-API": "warning",
  "VALIDITY-ENDING": "warning",
  "REGION-WILDCARD": "warning",
  "ASSUME-SYSTEM-POLICY": "warning",
  "TRUST-PRINCIPAL-UNKNOWN": "warning",
  "HANDOFF-REVOKED": "warning",
  "ACK-UNUSED": "warning",
} as const;

export type RuleId = keyof typeof RULE_SEVERITIES;

/** Reported when an acknowledgement matches no finding: it would silently hide a future one. */
export const ACK_UNUSED = {
  id: "ACK-UNUSED",
  severity: "warning",
  title: "Every acknowledgement matches a finding",
  rationale: "An acknowledgement that no longer matches anything would silently hide the next finding of that rule; remove it.",
} as const;
