/**
 * The plan of a change in Terraform's own terms, read from `terraform show -json <planfile>`:
 * per stack the counts Terraform would add, change, replace and destroy, and for every replaced or
 * destroyed resource the attributes that force it (the plan's `replace_paths`, never guessed) and
 * what it means for the delegation. Reads plan JSON only: no config, no provider.
 *
 * Fail closed: a plan that is not Terraform's plan JSON is refused, and an action this reader does
 * not know (Terraform may add some) is listed as not understood, never counted as nothing.
 */

import { MAX_BYTES, parseJsonStrict, readText, UnreadableFile } from "../io/files";
import { InputError } from "../readers/files";

/** A replaced or destroyed resource. */
export interface PlannedLoss {
  readonly address: string;
  readonly type: string;
  readonly action: "replace" | "destroy";
  /** The attribute paths that force a replacement (`role_name`, `tags.Owner`), from `replace_paths`. */
  readonly forcedBy: readonly string[];
  /** What it does to the delegation, in one sentence. */
  readonly meaning: string;
}

export interface StackPlan {
  readonly stack: string;
  readonly add: number;
  readonly change: number;
  readonly replace: number;
  readonly destroy: number;
  readonly losses: readonly PlannedLoss[];
  /** Resource changes whose actions this reader does not know: address and actions. */
  readonly notUnderstood: readonly string[];
}

/** The plan JSON is not what `terraform show -json <planfile>` prints. */
export class PlanReadError extends Error {}

type Values = Record<string, unknown>;
const text = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

/** A path of `replace_paths` as Terraform names attributes: `tags.Owner`, `statement[0].effect`. */
function pathText(steps: unknown): string {
  if (!Array.isArray(steps)) return "?";
  return steps.map((s, i) => (typeof s === "number" ? `[${s}]` : i === 0 ? String(s) : `.${String(s)}`)).join("");
}

/**
 * What losing (or re-creating) a resource means for the delegation. The names come from the
 * resource's values before the change. Facts: RAM's FAQ on revocation (tokens already issued keep
 * working until they expire; deleting the role or detaching its policies is what ends what they may
 * do) and the role ARN form `acs:ram::<account>:role/<name>`.
 */
function meaning(type: string, action: "replace" | "destroy", before: Values, after: Values): string {
  const again = action === "replace";
  switch (type) {
    case "alicloud_ram_role": {
      const name = text(before.role_name) ?? text(before.name) ?? "?";
      const sessions = "open STS sessions lose the role's permissions";
      if (!again) return `role ${name} is deleted: ${sessions}, and the partner can no longer assume it`;
      const oldArn = text(before.arn);
      const newName = text(after.role_name) ?? text(after.name);
      const arn =
        newName !== undefined && newName !== name && oldArn !== undefined
          ? `its ARN changes to ${oldArn.replace(/role\/[^/]*$/, `role/${newName}`)}: the partner's assume permission names ${oldArn} and points nowhere until the partner applies the new handoff`
          : `its ARN stays ${oldArn ?? "the same"}`;
      return `role ${name} is deleted and created again: ${sessions}; ${arn}`;
    }
    case "alicloud_ram_policy": {
      const name = text(before.policy_name) ?? text(before.name) ?? "?";
      return again
        ? `policy ${name} is deleted and created again: what it grants is missing in between`
        : `policy ${name} is deleted: whoever it is attached to loses what it grants`;
    }
    case "alicloud_ram_role_policy_attachment":
    case "alicloud_ram_group_policy_attachment":
    case "alicloud_ram_user_policy_attachment": {
      const to = type.split("_")[2];
      const target = text(before[`${to}_name`]) ?? "?";
      const policy = text(before.policy_name) ?? "?";
      return again
        ? `${to} ${target} loses policy ${policy} and gets it back: it lacks it in between`
        : `${to} ${target} loses policy ${policy}${to === "group" ? ": its users lose what the policy lets them do (assume the role, for the assume permission)" : ""}`;
    }
    case "alicloud_ram_group": {
      const name = text(before.group_name) ?? text(before.name) ?? "?";
      return again
        ? `group ${name} is deleted and created again: its users leave it and rejoin only as their memberships are created again`
        : `group ${name} is deleted: its users leave it and lose the permission to assume the role`;
    }
    case "alicloud_ram_user_group_attachment":
      return `user ${text(before.user_name) ?? "?"} leaves group ${text(before.group_name) ?? "?"}${again ? " and joins it again" : ""}`;
    case "alicloud_ram_user": {
      const name = text(before.name) ?? "?";
      return again
        ? `user ${name} is deleted and created again: their AccessKeys and console login go with the old user`
        : `user ${name} is deleted, with their AccessKeys`;
    }
    case "alicloud_ram_login_profile":
      return again
        ? `the console login of ${text(before.user_name) ?? "?"} is deleted and created again`
        : `${text(before.user_name) ?? "?"} can no longer sign in to the console`;
    default:
      return `a ${type} the delegation stacks do not create`;
  }
}

const KNOWN: Record<string, "add" | "change" | "replace" | "destroy" | "none"> = {
  "no-op": "none",
  create: "add",
  update: "change",
  delete: "destroy",
  "delete,create": "replace",
  "create,delete": "replace",
};

/** The plan of one stack from its plan JSON (already parsed). */
export function summarizePlan(stack: string, plan: unknown): StackPlan {
  if (typeof plan !== "object" || plan === null || typeof (plan as Values).format_version !== "string")
    throw new PlanReadError(`${stack}: not a Terraform plan in JSON (terraform show -json <planfile>)`);
  const changes = (plan as Values).resource_changes ?? [];
  if (!Array.isArray(changes)) throw new PlanReadError(`${stack}: resource_changes is not a list`);
  const counts = { add: 0, change: 0, replace: 0, destroy: 0 };
  const losses: PlannedLoss[] = [];
  const notUnderstood: string[] = [];
  for (const rc of changes as Values[]) {
    const address = String(rc?.address ?? "?");
    const change = (rc?.change ?? {}) as Values;
    const actions = Array.isArray(change.actions) ? change.actions.map(String) : [];
    // a data source read is no change to the account
    if (rc?.mode === "data" && (actions.join(",") === "read" || actions.join(",") === "no-op")) continue;
    const kind = rc?.mode === "managed" ? KNOWN[actions.join(",")] : undefined;
    if (kind === undefined) {
      notUnderstood.push(`${address} (${actions.join(", ") || "no actions"})`);
      continue;
    }
    if (kind === "none") continue;
    counts[kind] += 1;
    if (kind === "replace" || kind === "destroy") {
      const type = String(rc.type ?? "?");
      const before = (change.before ?? {}) as Values;
      const after = (change.after ?? {}) as Values;
      const forcedBy = Array.isArray(change.replace_paths) ? change.replace_paths.map(pathText) : [];
      losses.push({ address, type, action: kind, forcedBy, meaning: meaning(type, kind, before, after) });
    }
  }
  return { stack, ...counts, losses, notUnderstood };
}

/** `<stack>: N to add, N to change, N to replace, N to destroy`. */
export function planCountsLine(p: StackPlan): string {
  const line = `${p.stack}: ${p.add} to add, ${p.change} to change, ${p.replace} to replace, ${p.destroy} to destroy`;
  return p.notUnderstood.length > 0 ? `${line}, ${p.notUnderstood.length} NOT UNDERSTOOD` : line;
}

/** One plain line per replaced or destroyed address, and per change not understood. */
export function planLossLines(p: StackPlan): string[] {
  return [
    ...p.losses.map(
      (l) =>
        `WARNING ${l.action === "replace" ? "replaces" : "destroys"} ${l.address}${l.forcedBy.length > 0 ? ` (forced by ${l.forcedBy.join(", ")})` : ""}: ${l.meaning}`,
    ),
    ...p.notUnderstood.map((a) => `NOT UNDERSTOOD ${a}: review this plan with terraform show`),
  ];
}

/** The plan of one stack from a plan JSON file; an unreadable file or a non-plan is an InputError. */
export function readPlanFile(file: string, stack: string): StackPlan {
  let json: unknown;
  try {
    json = parseJsonStrict(readText(file, MAX_BYTES.json));
  } catch (e) {
    throw new InputError(e instanceof UnreadableFile ? e.message : `${file}: ${(e as Error).message}`);
  }
  try {
    return summarizePlan(stack, json);
  } catch (e) {
    if (e instanceof PlanReadError) throw new InputError(`${file}: ${e.message}`);
    throw e;
  }
}
