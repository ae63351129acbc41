import { parsePrincipal } from "../ram/arn";
import { CONDITION_KEYS } from "../facts";
import type { OwnerSubject, PartnerSubject, Rule } from "./rule";

const common = {
  id: "MFA-BLOCKS-API",
  severity: "warning",
  title: "requireMfa leaves a way in for every partner identity that needs one",
  rationale:
    "acs:MFAPresent is true only for console sign-ins with MFA: AccessKey callers and roles can never assume a role that requires it.",
} as const;

const message = (who: readonly string[]) =>
  who.length === 0
    ? []
    : [
        `[Condition::${CONDITION_KEYS.mfaPresent}] requireMfa lets only console sign-ins with MFA assume the role; ${who.join(", ")} cannot`,
      ];

const roleNames = (principals: readonly string[]) =>
  principals.flatMap((arn) => {
    const p = parsePrincipal(arn);
    return p?.kind === "role" ? [`role/${p.name}`] : [];
  });

/**
 * MFA-BLOCKS-API on the owner side, when the partner side is not in this config: the trusted
 * roles (the partner's own stack judges its users).
 */
export const mfaBlocksApi: Rule<OwnerSubject> = {
  ...common,
  check({ partner, trust }) {
    if (partner.partnerSide) return [];
    const mfa = (trust ?? []).some((s) => (s.conditions.Bool?.[CONDITION_KEYS.mfaPresent] ?? []).includes("true"));
    return mfa ? message(roleNames(partner.role.trustedPrincipals)) : [];
  },
};

/** MFA-BLOCKS-API on the partner side: users without a console login, and trusted roles. */
export const mfaBlocksPartnerApi: Rule<PartnerSubject> = {
  ...common,
  check({ side }) {
    const h = side.handoff;
    if (h.revoked || !h.role.requireMfa) return [];
    const apiUsers = side.users.filter((u) => !u.consoleLogin).map((u) => `user ${u.name} (no console login)`);
    return message([...apiUsers, ...roleNames(h.role.trustedPrincipals)]);
  },
};
