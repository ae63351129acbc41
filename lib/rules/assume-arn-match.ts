import type { PartnerSubject, Rule } from "./rule";

/** ASSUME-ARN-MATCH: the partner may assume exactly the role the owner stack creates for it. */
export const assumeArnMatch: Rule<PartnerSubject> = {
  id: "ASSUME-ARN-MATCH",
  severity: "error",
  title: "The partner's assume permission names exactly the owner's role",
  rationale:
    "Both stacks are derived from one config and never read each other's state; if they disagree, the partner's users are denied, or allowed to assume a role nobody reviewed.",
  check({ partner, assume, assumeText, ownerRoleArn }) {
    if (partner.revoked || assumeText === undefined) return [];
    if (ownerRoleArn === undefined) {
      return [
        `[Role::${partner.role.name}] the owner stack creates no role for partner ${partner.name}, but the partner stack grants sts:AssumeRole`,
      ];
    }
    const resources = (assume ?? []).filter((s) => s.actions.includes("sts:AssumeRole")).flatMap((s) => s.resources);
    if (resources.length === 1 && resources[0] === ownerRoleArn) return [];
    return [
      `[Resource::${resources.join(",") || "none"}] the assume policy allows ${resources.join(", ") || "nothing"}, but the owner's role is ${ownerRoleArn}`,
    ];
  },
};
