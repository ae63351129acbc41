import { parseArn } from "../ram/arn";
import type { OwnerSubject, Rule } from "./rule";

/** TRUST-ACCOUNT: the role trusts principals of the partner's account and nothing else. */
export const trustAccount: Rule<OwnerSubject> = {
  id: "TRUST-ACCOUNT",
  severity: "error",
  title: "The role trusts only RAM principals of the partner's account",
  rationale:
    "A trust policy that names another account, a cloud service or an identity provider hands the owner's buses to someone the contract does not name.",
  check({ partner, trust }) {
    if (!trust) return [`[Document::trust] the trust policy is missing or not valid JSON`];
    const out: string[] = [];
    for (const s of trust) {
      for (const [kind, ids] of Object.entries(s.principals)) {
        for (const id of ids) {
          const account = kind === "RAM" ? parseArn(id)?.accountId : undefined;
          if (account !== partner.accountId) {
            out.push(
              `[Principal::${kind}:${id}] the role trusts ${id}, which is not a RAM principal of partner account ${partner.accountId}`,
            );
          }
        }
      }
      if (s.effect === "Allow" && Object.keys(s.principals).length === 0) {
        out.push(`[Principal::none] a trust statement has no Principal`);
      }
    }
    return out;
  },
};
