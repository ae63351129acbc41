import { POLICY_DOCUMENT_MAX_CHARS } from "../facts";
import type { OwnerSubject, PartnerSubject, Rule } from "./rule";

function tooLong(what: string, text: string | undefined, partner: string): string[] {
  if (text === undefined || text.length <= POLICY_DOCUMENT_MAX_CHARS) return [];
  return [
    `[Document::${what}] the ${what} policy of partner ${partner} is ${text.length} characters; RAM accepts at most ${POLICY_DOCUMENT_MAX_CHARS} (fewer grants, buses or rules per partner)`,
  ];
}

const common = {
  id: "POLICY-SIZE",
  severity: "error" as const,
  title: `Custom policy documents fit RAM's ${POLICY_DOCUMENT_MAX_CHARS}-character limit`,
  rationale: "RAM rejects a longer document at deploy time, after part of the change may already be applied.",
};

/** POLICY-SIZE on the owner's permission policy. */
export const permissionPolicySize: Rule<OwnerSubject> = {
  ...common,
  check: ({ partner, permissionText }) => tooLong("permission", permissionText, partner.name),
};

/** POLICY-SIZE on the partner's assume policy. */
export const assumePolicySize: Rule<PartnerSubject> = {
  ...common,
  check: ({ partner, assumeText }) => tooLong("assume", assumeText, partner.name),
};
