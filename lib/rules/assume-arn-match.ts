import type { PartnerSubject, Rule } from "./rule";

/** ASSUME-ARN-MATCH: the partner may assume exactly the role the owner created for it. */
export const assumeArnMatch: Rule<PartnerSubject> = {
  id: "ASSUME-ARN-MATCH",
  severity: "error",
  title: "The partner's assume permission names exactly the owner's role",
  rationale:
    "The stacks never read each other's state: the role travels in the handoff. If the two sides disagree, the partner's users are denied, or allowed to assume a role nobody reviewed.",
  check({ side, assume, assumeText, ownerRoleArn }) {
    const h = side.handoff;
    if (h.revoked || assumeText === undefined) return [];
    if (ownerRoleArn === undefined) {
      return [
        `[Role::${h.role.name}] the owner stack creates no role for partner ${side.name}, but the partner stack grants sts:AssumeRole`,
      ];
    }
    const resources = (assume ?? []).filter((s) => s.actions.includes("sts:AssumeRole")).flatMap((s) => s.resources);
    if (resources.length === 1 && resources[0] === ownerRoleArn) return [];
    return [
      `[Resource::${resources.join(",") || "none"}] the assume policy allows ${resources.join(", ") || "nothing"}, but the owner's role is ${ownerRoleArn}`,
    ];
  },
};
