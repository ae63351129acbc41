import { CONDITION_KEYS, EXTERNAL_ID_CONDITION_KEY } from "../facts";
import { parseArn } from "../ram/arn";
import type { OwnerSubject, Rule } from "./rule";

const GUARD_KEYS = [EXTERNAL_ID_CONDITION_KEY, CONDITION_KEYS.mfaPresent, CONDITION_KEYS.sourceIp];

/** TRUST-ROOT-UNCONDITIONED: trusting a whole account without ExternalId, MFA or source IPs. */
export const trustRootUnconditioned: Rule<OwnerSubject> = {
  id: "TRUST-ROOT-UNCONDITIONED",
  severity: "warning",
  title: "Whole-account trust has an ExternalId, MFA or source IP condition",
  rationale:
    "Root trust lets every RAM identity the partner authorizes assume the role; an ExternalId, MFA or source IPs narrow who can actually use it.",
  check({ trust }) {
    const out: string[] = [];
    for (const s of trust ?? []) {
      const root = (s.principals.RAM ?? []).filter((id) => parseArn(id)?.resource === "root");
      if (root.length === 0) continue;
      const keys = Object.values(s.conditions).flatMap((c) => Object.keys(c));
      if (!GUARD_KEYS.some((k) => keys.includes(k))) {
        out.push(
          `[Principal::${root[0]}] the role trusts the whole partner account with neither externalId, requireMfa nor sourceIps`,
        );
      }
    }
    return out;
  },
};
