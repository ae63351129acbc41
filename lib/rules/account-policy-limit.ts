import { RAM_ACCOUNT_LIMITS } from "../facts";
import type { OwnerAccountSubject, Rule } from "./rule";

/** ACCOUNT-POLICY-LIMIT: the owner account's limit on custom policies. */
export const accountPolicyLimit: Rule<OwnerAccountSubject> = {
  id: "ACCOUNT-POLICY-LIMIT",
  severity: "error",
  title: `The owner stack creates at most ${RAM_ACCOUNT_LIMITS.customPolicies} custom policies`,
  rationale: "RAM refuses further custom policies in the account at deploy time (default quota).",
  check({ accountId, customPolicies }) {
    if (customPolicies <= RAM_ACCOUNT_LIMITS.customPolicies) return [];
    return [
      `[Account::${accountId}] the delegations need ${customPolicies} custom policies in account ${accountId}; RAM allows ${RAM_ACCOUNT_LIMITS.customPolicies} by default (not counting policies that exist already)`,
    ];
  },
};
