import { isReadOnlyAction } from "../catalog/actions";
import type { OwnerSubject, Rule } from "./rule";

/** POLICY-WILDCARD: no wildcard actions, and no write action on every resource. */
export const policyWildcard: Rule<OwnerSubject> = {
  id: "POLICY-WILDCARD",
  severity: "error",
  title: "No wildcard action and no write action on Resource *",
  rationale:
    "A wildcard action grows silently as EventBridge adds APIs, and a write on * reaches every bus, rule and connection of the owner account.",
  check({ permissions }) {
    const out: string[] = [];
    for (const s of permissions.flatMap((p) => p.statements ?? [])) {
      if (s.effect !== "Allow") continue;
      for (const action of s.actions) {
        if (/[*?]/.test(action)) out.push(`[Action::${action}] wildcard action ${action}`);
      }
      if (s.resources.includes("*")) {
        for (const action of s.actions) {
          if (!/[*?]/.test(action) && !isReadOnlyAction(action)) {
            out.push(`[Resource::*] write action ${action} on every resource (*)`);
          }
        }
      }
    }
    return out;
  },
};
