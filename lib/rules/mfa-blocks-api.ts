import { CONDITION_KEYS } from "../facts";
import type { OwnerSubject, Rule } from "./rule";

/** MFA-BLOCKS-API: requireMfa shuts out the partner's API users and roles. */
export const mfaBlocksApi: Rule<OwnerSubject> = {
  id: "MFA-BLOCKS-API",
  severity: "warning",
  title: "requireMfa leaves a way in for every partner identity that needs one",
  rationale:
    "acs:MFAPresent is true only for console sign-ins with MFA: AccessKey callers and roles can never assume a role that requires it.",
  check({ partner, trust }) {
    const mfa = (trust ?? []).some((s) => (s.conditions.Bool?.[CONDITION_KEYS.mfaPresent] ?? []).includes("true"));
    if (!mfa) return [];
    const apiUsers = partner.partnerSide.users.filter((u) => !u.consoleLogin).map((u) => u.name);
    const roles = partner.role.trustedPrincipals.filter((arn) => /:role\//.test(arn));
    if (apiUsers.length === 0 && roles.length === 0) return [];
    const who = [...apiUsers.map((u) => `user ${u} (no console login)`), ...roles.map((r) => r.split(":").pop())].join(", ");
    return [
      `[Condition::${CONDITION_KEYS.mfaPresent}] requireMfa lets only console sign-ins with MFA assume the role; ${who} cannot`,
    ];
  },
};
