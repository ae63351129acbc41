import { POLICY_DOCUMENT_MAX_CHARS, TRUST_POLICY_MAX_CHARS } from "../facts";
import type { OwnerSubject, PartnerSubject, Rule } from "./rule";

function tooLong(name: string, text: string | undefined): string[] {
  if (text === undefined || text.length <= POLICY_DOCUMENT_MAX_CHARS) return [];
  return [
    `[Policy::${name}] policy ${name} is ${text.length} characters; RAM accepts at most ${POLICY_DOCUMENT_MAX_CHARS} (a single resource ARN that long cannot be split)`,
  ];
}

function trustTooLong(role: string, text: string | undefined): string[] {
  if (text === undefined || text.length <= TRUST_POLICY_MAX_CHARS) return [];
  return [
    `[Role::${role}] the trust policy of ${role} is ${text.length} characters; at most ${TRUST_POLICY_MAX_CHARS} are accepted (list fewer principals or source IPs)`,
  ];
}

const common = {
  id: "POLICY-SIZE",
  severity: "error" as const,
  title: `Custom policy and trust documents fit RAM's ${POLICY_DOCUMENT_MAX_CHARS}-character limit`,
  rationale: "RAM rejects a longer document at deploy time, after part of the change may already be applied.",
};

/** POLICY-SIZE on the owner's permission policies. */
export const permissionPolicySize: Rule<OwnerSubject> = {
  ...common,
  check: ({ partner, permissions, trustText }) => [
    ...trustTooLong(partner.role.name, trustText),
    ...permissions.flatMap((p) => tooLong(p.name, p.text)),
  ],
};

/** POLICY-SIZE on the partner's assume policy. */
export const assumePolicySize: Rule<PartnerSubject> = {
  ...common,
  check: ({ side, assumeText }) => tooLong(side.assumePolicyName, assumeText),
};
