import { POLICY_DOCUMENT_MAX_CHARS } from "../facts";
import type { OwnerSubject, PartnerSubject, Rule } from "./rule";

function tooLong(name: string, text: string | undefined): string[] {
  if (text === undefined || text.length <= POLICY_DOCUMENT_MAX_CHARS) return [];
  return [
    `[Policy::${name}] policy ${name} is ${text.length} characters; RAM accepts at most ${POLICY_DOCUMENT_MAX_CHARS} (a single resource ARN that long cannot be split)`,
  ];
}

const common = {
  id: "POLICY-SIZE",
  severity: "error" as const,
  title: `Custom policy documents fit RAM's ${POLICY_DOCUMENT_MAX_CHARS}-character limit`,
  rationale: "RAM rejects a longer document at deploy time, after part of the change may already be applied.",
};

/** POLICY-SIZE on the owner's permission policies. */
export const permissionPolicySize: Rule<OwnerSubject> = {
  ...common,
  check: ({ permissions }) => permissions.flatMap((p) => tooLong(p.name, p.text)),
};

/** POLICY-SIZE on the partner's assume policy. */
export const assumePolicySize: Rule<PartnerSubject> = {
  ...common,
  check: ({ partner, assumeText }) => tooLong(partner.partnerSide.assumePolicyName, assumeText),
};
