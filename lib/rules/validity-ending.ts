import { EXPIRY_WARNING_DAYS } from "../facts";
import type { OwnerSubject, PartnerSubject, Rule } from "./rule";

const DAY_MS = 24 * 60 * 60 * 1000;

const common = {
  id: "VALIDITY-ENDING",
  severity: "warning",
  title: `validUntil is in the future, more than ${EXPIRY_WARNING_DAYS} days away`,
  rationale:
    "An ended delegation still leaves a role in the owner account; one about to end should be renewed or revoked on purpose, not discovered by a failing publisher.",
} as const;

function ending(validUntil: string | undefined, now: Date, ended: string): string[] {
  if (validUntil === undefined) return [];
  const left = Date.parse(validUntil) - now.getTime();
  if (left <= 0) return [`[ValidUntil::${validUntil}] the delegation ended at ${validUntil}; ${ended}`];
  if (left <= EXPIRY_WARNING_DAYS * DAY_MS)
    return [`[ValidUntil::${validUntil}] the delegation ends in ${Math.ceil(left / DAY_MS)} days (${validUntil})`];
  return [];
}

/** VALIDITY-ENDING: the delegation has ended or ends soon. */
export const validityEnding: Rule<OwnerSubject> = {
  ...common,
  check: ({ partner, now }) => ending(partner.validUntil, now, "set revoked: true to remove the role"),
};

/**
 * VALIDITY-ENDING for a partner stack built from a handoff file (in the single-file form the
 * owner side already says it).
 */
export const validityEndingHandoff: Rule<PartnerSubject> = {
  ...common,
  check: ({ side, now }) =>
    side.handoffFile === undefined || side.handoff.revoked
      ? []
      : ending(side.handoff.validUntil, now, "its users can no longer use the role; ask the owner for a renewed handoff"),
};
