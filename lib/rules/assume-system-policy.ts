import type { PartnerSubject, Rule } from "./rule";

/** ASSUME-SYSTEM-POLICY: the partner uses the system policy that allows assuming any role. */
export const assumeSystemPolicy: Rule<PartnerSubject> = {
  id: "ASSUME-SYSTEM-POLICY",
  severity: "warning",
  title: "The partner's users may assume only this role",
  rationale:
    "AliyunSTSAssumeRoleAccess allows sts:AssumeRole on every role (Resource *), so the group may assume any role, in any account, that trusts the partner's account.",
  check({ side, assumeSystemPolicy }) {
    if (side.handoff.revoked || assumeSystemPolicy === undefined) return [];
    return [
      `[Policy::${assumeSystemPolicy}] group ${side.groupName} may assume any role that trusts account ${side.accountId}, not only ${side.handoff.role.arn}; use assumePolicy: scoped`,
    ];
  },
};
