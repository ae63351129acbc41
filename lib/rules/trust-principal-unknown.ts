import { parsePrincipal } from "../ram/arn";
import type { PartnerSubject, Rule } from "./rule";

/** TRUST-PRINCIPAL-UNKNOWN: the owner's role trusts a user or role this partner config does not know. */
export const trustPrincipalUnknown: Rule<PartnerSubject> = {
  id: "TRUST-PRINCIPAL-UNKNOWN",
  severity: "warning",
  title: "Every user or role the owner's role trusts is created or listed by the partner config",
  rationale:
    "A trust policy that names user/<x> or role/<x> works only for that identity: if the partner stack neither creates x nor lists it as existing, the group's members are denied, or an identity nobody in this repository reviews is the way in.",
  check({ side }) {
    const h = side.handoff;
    if (h.revoked) return [];
    const known = new Set([...side.users.map((u) => u.name), ...side.existingUsers].map((n) => n.toLowerCase()));
    return h.role.trustedPrincipals.flatMap((arn) => {
      const p = parsePrincipal(arn);
      if (!p || p.kind === "root" || (p.kind === "user" && known.has(p.name.toLowerCase()))) return [];
      return [
        p.kind === "user"
          ? `[Principal::${arn}] the role trusts user ${p.name}, which this config neither creates nor lists under existingUsers`
          : `[Principal::${arn}] the role trusts role ${p.name} of this account, which this config does not manage; make sure it exists and who may use it`,
      ];
    });
  },
};
