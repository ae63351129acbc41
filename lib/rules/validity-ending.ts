import { EXPIRY_WARNING_DAYS } from "../facts";
import type { OwnerSubject, Rule } from "./rule";

const DAY_MS = 24 * 60 * 60 * 1000;

/** VALIDITY-ENDING: the delegation has ended or ends soon. */
export const validityEnding: Rule<OwnerSubject> = {
  id: "VALIDITY-ENDING",
  severity: "warning",
  title: `validUntil is in the future, more than ${EXPIRY_WARNING_DAYS} days away`,
  rationale:
    "An ended delegation still leaves a role in the owner account; one about to end should be renewed or revoked on purpose, not discovered by a failing publisher.",
  check({ partner, now }) {
    if (partner.validUntil === undefined) return [];
    const left = Date.parse(partner.validUntil) - now.getTime();
    if (left <= 0) {
      return [
        `[ValidUntil::${partner.validUntil}] the delegation ended at ${partner.validUntil}; set revoked: true to remove the role`,
      ];
    }
    if (left <= EXPIRY_WARNING_DAYS * DAY_MS) {
      return [
        `[ValidUntil::${partner.validUntil}] the delegation ends in ${Math.ceil(left / DAY_MS)} days (${partner.validUntil})`,
      ];
    }
    return [];
  },
};
