import type { PartnerSubject, Rule } from "./rule";

/** HANDOFF-REVOKED: the owner revoked the delegation a partner stack is built from. */
export const handoffRevoked: Rule<PartnerSubject> = {
  id: "HANDOFF-REVOKED",
  severity: "warning",
  title: "The handoff is not revoked",
  rationale:
    "A revoked handoff means the owner removed the role: the stack keeps the group and its users but drops the assume permission. Remove the delegation once nobody needs the group.",
  check: ({ side }) =>
    side.handoffFile !== undefined && side.handoff.revoked
      ? [
          `[Handoff::${side.handoffFile}] ${side.handoff.owner.name} revoked the delegation; group ${side.groupName} keeps its users but may assume nothing`,
        ]
      : [],
};
