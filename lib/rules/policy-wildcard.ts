import { isReadOnlyAction } from "../catalog/actions";
import type { OwnerSubject, Rule } from "./rule";

/** Whether a resource pattern stays inside one named bus (`…:eventbus/orders/rule/*`). */
export function withinOneBus(resource: string): boolean {
  return /:eventbus\/[^*?/]+(\/|$)/.test(resource);
}

/** POLICY-WILDCARD: no wildcard actions, and no write action on a wildcard beyond one bus. */
export const policyWildcard: Rule<OwnerSubject> = {
  id: "POLICY-WILDCARD",
  severity: "error",
  title: "No wildcard action, and no write action on a wildcard resource beyond one bus",
  rationale:
    "A wildcard action grows silently as EventBridge adds APIs, and a write on * reaches every bus, rule and connection of the owner account.",
  check({ permissions }) {
    const out: string[] = [];
    for (const s of permissions.flatMap((p) => p.statements ?? [])) {
      if (s.effect !== "Allow") continue;
      for (const action of s.actions) {
        if (/[*?]/.test(action)) out.push(`[Action::${action}] wildcard action ${action}`);
      }
      for (const resource of s.resources.filter((r) => /[*?]/.test(r) && !withinOneBus(r))) {
        for (const action of s.actions) {
          if (!/[*?]/.test(action) && !isReadOnlyAction(action)) {
            out.push(
              resource === "*"
                ? `[Resource::*] write action ${action} on every resource (*)`
                : `[Resource::${resource}] write action ${action} on ${resource}, beyond any one bus`,
            );
          }
        }
      }
    }
    return out;
  },
};
