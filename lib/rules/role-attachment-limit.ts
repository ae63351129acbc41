import { ROLE_ATTACHMENT_LIMITS } from "../facts";
import type { OwnerSubject, Rule } from "./rule";

/** ROLE-ATTACHMENT-LIMIT: RAM's limits on policies attached to one role. */
export const roleAttachmentLimit: Rule<OwnerSubject> = {
  id: "ROLE-ATTACHMENT-LIMIT",
  severity: "error",
  title: `A role has at most ${ROLE_ATTACHMENT_LIMITS.custom} custom and ${ROLE_ATTACHMENT_LIMITS.system} system policies attached`,
  rationale: "RAM refuses further attachments at deploy time, leaving the delegation half applied.",
  check({ partner, attached }) {
    const out: string[] = [];
    if (attached.custom > ROLE_ATTACHMENT_LIMITS.custom) {
      out.push(
        `[Role::${partner.role.name}] the permissions of partner ${partner.name} need ${attached.custom} custom policies of at most ${ROLE_ATTACHMENT_LIMITS.custom} attachable to one role; grant fewer buses, rules or actions`,
      );
    }
    if (attached.system.length > ROLE_ATTACHMENT_LIMITS.system) {
      out.push(
        `[Role::${partner.role.name}] ${attached.system.length} system policies; RAM attaches at most ${ROLE_ATTACHMENT_LIMITS.system} to one role`,
      );
    }
    return out;
  },
};
