import { parsePrincipal } from "../ram/arn";
import type { OwnerSubject, Rule } from "./rule";

const nameOf = (arn: string) => {
  const p = parsePrincipal(arn);
  return p && p.kind !== "root" ? p.name : arn;
};

/** TRUST-PRINCIPAL-ORDER: the role trusts a user that the partner stack has yet to create. */
export const trustPrincipalOrder: Rule<OwnerSubject> = {
  id: "TRUST-PRINCIPAL-ORDER",
  severity: "warning",
  title: "Trusted users exist before the owner deploys",
  rationale:
    "RAM accepts only existing users in a trust policy, so trusting a user that the partner stack creates fails the owner's deploy until the partner has deployed.",
  check({ partner, trust }) {
    // only known when this config holds the partner side too (single-file form)
    const side = partner.partnerSide;
    if (!side) return [];
    const created = new Set(side.users.map((u) => u.toLowerCase()));
    const principals = (trust ?? []).flatMap((s) => s.principals.RAM ?? []);
    return principals
      .filter((arn) => {
        const p = parsePrincipal(arn);
        return p?.kind === "user" && created.has(p.name.toLowerCase());
      })
      .map(
        (arn) =>
          `[Principal::${arn}] ${nameOf(arn)} is created by stack ${side.stackId}; deploy it before the owner stack, or trust root`,
      );
  },
};
