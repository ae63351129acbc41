import { isReadOnlyAction } from "../catalog/actions";
import type { ReadStatement } from "../policy/read";
import type { OwnerSubject, Rule } from "./rule";

/** Whether a resource pattern stays inside one named bus (`…:eventbus/orders/rule/*`). */
export function withinOneBus(resource: string): boolean {
  return /:eventbus\/[^*?/]+(\/|$)/.test(resource);
}

/** One grant that reaches further than a bus: a wildcard action, a write on a wildcard resource, or NotAction/NotResource. */
export type BroadAllow =
  | { readonly kind: "wildcard-action"; readonly action: string }
  | { readonly kind: "wildcard-write"; readonly action: string; readonly resource: string }
  | { readonly kind: "all-but" };

/** The broad grants of a set of statements; shared by the synth check and the audit of deployed state. */
export function broadAllows(statements: readonly ReadStatement[]): BroadAllow[] {
  const out: BroadAllow[] = [];
  for (const s of statements) {
    if (s.effect !== "Allow") continue;
    if (s.notActions.length > 0 || s.notResources.length > 0) out.push({ kind: "all-but" });
    for (const action of s.actions) {
      if (/[*?]/.test(action)) out.push({ kind: "wildcard-action", action });
      else if (!isReadOnlyAction(action)) {
        for (const resource of s.resources.filter((r) => /[*?]/.test(r) && !withinOneBus(r))) {
          out.push({ kind: "wildcard-write", action, resource });
        }
      }
    }
  }
  return out;
}

/** POLICY-WILDCARD: no wildcard actions, and no write action on a wildcard beyond one bus. */
export const policyWildcard: Rule<OwnerSubject> = {
  id: "POLICY-WILDCARD",
  severity: "error",
  title: "No wildcard action, and no write action on a wildcard resource beyond one bus",
  rationale:
    "A wildcard action grows silently as EventBridge adds APIs, and a write on * reaches every bus, rule and connection of the owner account.",
  check({ permissions }) {
    return broadAllows(permissions.flatMap((p) => p.statements ?? [])).map((b) =>
      b.kind === "all-but"
        ? "[Action::NotAction] a statement allows everything but a list (NotAction/NotResource)"
        : b.kind === "wildcard-action"
          ? `[Action::${b.action}] wildcard action ${b.action}`
          : b.resource === "*"
            ? `[Resource::*] write action ${b.action} on every resource (*)`
            : `[Resource::${b.resource}] write action ${b.action} on ${b.resource}, beyond any one bus`,
    );
  },
};
