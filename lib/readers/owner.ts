/**
 * The owner side's reader, the mirror of `describeOwnerSide`: the roles, permission policies and
 * attachments of an owner stack or its state, as one `OwnerSideDescription` per role, plus
 * everything that no delegation explains (another resource type, a policy no role uses, an
 * attachment to a role the stack does not hold, an attribute the product never writes).
 */
import { MANAGED_TAG_KEYS } from "../config/schema";
import type { AttachmentDescription, OwnerSideDescription, PolicyDescription } from "../describe/sides";
import { readPolicyDocument } from "../policy/read";
import { roleArn } from "../ram/arn";
import { ramNameKey, sameRamName } from "../ram/names";
import type { TfOutput, TfRead, TfResource } from "./terraform";
import { Attributes, Expression, isObject, type Unaccounted } from "./unaccounted";

export interface OwnerReading {
  readonly sides: readonly OwnerSideDescription[];
  readonly unaccounted: readonly Unaccounted[];
}

const OWNER_TYPES = ["alicloud_ram_role", "alicloud_ram_policy", "alicloud_ram_role_policy_attachment"];

/** A policy document attribute: kept as text, and listed when the policy reader refuses it. */
export function documentOf(a: Attributes, key: string, out: Unaccounted[]): string {
  const text = a.string(key) ?? "";
  const read = readPolicyDocument(text);
  if (read.problem)
    out.push({
      address: `${a.address}.${key}`,
      why: `not a policy document this reader knows: ${read.problem}`,
      kind: "unreadable",
    });
  return text;
}

/** A deprecated alias (`name`, `document`) may repeat its attribute's value, or be empty. */
function alias(a: Attributes, key: string, value: string, out: Unaccounted[], source: TfRead["source"]): void {
  const v = a.string(key);
  if (v !== undefined && v !== "" && !(source === "state" && v === value))
    out.push({
      address: `${a.address}.${key}`,
      why: `deprecated attribute ${key} set to ${JSON.stringify(v)}`,
      kind: "unexplained",
    });
}

export interface ReadPolicy extends PolicyDescription {
  readonly tags: Readonly<Record<string, string>>;
}

export function readPolicyResource(r: TfResource, source: TfRead["source"], out: Unaccounted[]): ReadPolicy {
  const a = new Attributes(r.address, r.values, out);
  const name = a.string("policy_name") ?? "";
  const document = documentOf(a, "policy_document", out);
  alias(a, "name", name, out, source);
  alias(a, "document", document, out, source);
  const p = {
    address: r.name,
    name,
    document,
    description: a.string("description") ?? "",
    rotateStrategy: a.string("rotate_strategy") ?? "None",
    tags: a.map("tags") ?? {},
  };
  a.empty(["force", "statement", "version", "timeouts"]);
  a.computed(["id", "type", "create_time", "default_version", "version_id"], source, ["attachment_count"]);
  a.done();
  return p;
}

export interface ReadAttachment extends AttachmentDescription {
  /** The role, group or user it attaches to. */
  readonly to: string;
  readonly resource: string;
}

export function readAttachment(r: TfResource, to: string, source: TfRead["source"], out: Unaccounted[]): ReadAttachment {
  const a = new Attributes(r.address, r.values, out);
  const type = a.string("policy_type");
  if (type !== undefined && type !== "Custom" && type !== "System")
    out.push({
      address: `${r.address}.policy_type`,
      why: `must be Custom or System, got ${JSON.stringify(type)}`,
      kind: "unreadable",
    });
  const attachment = {
    address: r.name,
    resource: r.address,
    to: a.string(to) ?? "",
    policyName: a.string("policy_name") ?? "",
    policyType: type === "System" ? ("System" as const) : ("Custom" as const),
  };
  a.empty(["timeouts"]);
  a.computed(["id"], source);
  a.done();
  return attachment;
}

/** The output of one role: `DelegatedRole` writes it; a state holds its value. */
function outputOf(
  outputs: readonly TfOutput[],
  roleName: string,
  out: Unaccounted[],
): OwnerSideDescription["output"] | undefined {
  const o = outputs.find((x) => isObject(x.value) && x.value.role_name === roleName);
  if (!o || !isObject(o.value)) return undefined;
  const v = o.value;
  const known = new Set(["role_arn", "role_name", "policy_names", "switch_role_url", "valid_until"]);
  for (const k of Object.keys(v))
    if (!known.has(k)) out.push({ address: `${o.address}.${k}`, why: "not part of a delegation's output", kind: "unexplained" });
  for (const [k, x] of Object.entries(v))
    if (x instanceof Expression && !(k === "role_arn" && /^\$\{alicloud_ram_role\.[\w-]+\.arn\}$/.test(x.text)))
      out.push({ address: `${o.address}.${k}`, why: `an expression instead of a literal: ${x.text}`, kind: "unreadable" });
  for (const k of o.extra)
    out.push({ address: `${o.address}.${k}`, why: "not part of a delegation's output", kind: "unexplained" });
  const text = (x: unknown) => (typeof x === "string" ? x : "");
  return {
    name: o.address.slice("output.".length),
    description: text(o.description),
    policyNames: Array.isArray(v.policy_names) ? v.policy_names.filter((x): x is string => typeof x === "string") : [],
    switchRoleUrl: text(v.switch_role_url),
    validUntil: text(v.valid_until),
  };
}

/** Reads an owner stack or state: one description per role. */
export function readOwnerSide(read: TfRead, ownerAccountId: string | undefined): OwnerReading {
  const out: Unaccounted[] = [...read.unaccounted];
  const of = (type: string) => read.resources.filter((r) => r.type === type);
  for (const r of read.resources)
    if (!OWNER_TYPES.includes(r.type))
      out.push({ address: r.address, why: `${r.type} is not part of an owner side`, kind: "unexplained" });
  const policies = of("alicloud_ram_policy").map((r) => readPolicyResource(r, read.source, out));
  const attachments = of("alicloud_ram_role_policy_attachment").map((r) => readAttachment(r, "role_name", read.source, out));
  const used = new Set<ReadPolicy>();
  const attached = new Set<ReadAttachment>();
  const sides = of("alicloud_ram_role").map((r): OwnerSideDescription => {
    const a = new Attributes(r.address, r.values, out);
    const name = a.string("role_name") ?? "";
    const trustDocument = documentOf(a, "assume_role_policy_document", out);
    alias(a, "name", name, out, read.source);
    alias(a, "document", trustDocument, out, read.source);
    const arn = read.source === "state" ? a.string("arn") : undefined;
    const tags = a.map("tags") ?? {};
    const role = {
      address: r.name,
      name,
      arn: arn ?? (ownerAccountId === undefined ? "" : roleArn(ownerAccountId, name)),
      description: a.string("description") ?? "",
      trustDocument,
      maxSessionDuration: a.number("max_session_duration") ?? 3600,
      tags,
    };
    a.empty(["force", "version", "timeouts", ...(read.source === "stack" ? ["ram_users", "services"] : [])]);
    // the provider derives these from the trust document in a state; they grant nothing of their own
    if (read.source === "state") {
      a.strings("ram_users");
      a.strings("services");
    }
    a.computed(["id", "arn", "role_id", "create_time"], read.source);
    a.done();
    const mine = attachments.filter((x) => sameRamName(x.to, name));
    mine.forEach((x) => attached.add(x));
    const custom = mine.filter((x) => x.policyType === "Custom");
    const myPolicies = custom.flatMap((x) => {
      const p = policies.find((q) => sameRamName(q.name, x.policyName));
      if (!p)
        out.push({
          address: x.resource,
          why: `attaches custom policy ${x.policyName}, which this stack does not hold`,
          kind: "unexplained",
        });
      else {
        used.add(p);
        if (JSON.stringify(p.tags) !== JSON.stringify(tags))
          out.push({
            address: `alicloud_ram_policy.${p.address}.tags`,
            why: "differ from the tags of its role",
            kind: "unexplained",
          });
      }
      return p ? [p] : [];
    });
    const tag = tags[MANAGED_TAG_KEYS[1]];
    return {
      partner: tag ?? r.name,
      role,
      policies: myPolicies.map(({ tags: _tags, ...p }) => p),
      attachments: mine.map(({ address, policyName, policyType }) => ({ address, policyName, policyType })),
      output: outputOf(read.outputs, name, out) ?? {
        name: "",
        description: "",
        policyNames: [],
        switchRoleUrl: "",
        validUntil: "",
      },
    };
  });
  for (const p of policies)
    if (!used.has(p))
      out.push({
        address: `alicloud_ram_policy.${p.address}`,
        why: `policy ${p.name} is attached to no role of this stack`,
        kind: "unexplained",
      });
  for (const x of attachments)
    if (!attached.has(x))
      out.push({
        address: x.resource,
        why: `attaches ${x.policyName} to role ${x.to}, which this stack does not hold`,
        kind: "unexplained",
      });
  // two roles RAM sees as one
  const names = new Map<string, number>();
  for (const s of sides) names.set(ramNameKey(s.role.name), (names.get(ramNameKey(s.role.name)) ?? 0) + 1);
  for (const s of sides)
    if ((names.get(ramNameKey(s.role.name)) ?? 0) > 1)
      out.push({
        address: `alicloud_ram_role.${s.role.address}`,
        why: `role ${s.role.name} appears more than once; RAM role names are unique`,
        kind: "unexplained",
      });
  for (const o of read.outputs)
    if (!sides.some((s) => s.output.name === o.address.slice("output.".length)))
      out.push({
        address: o.address,
        why: "an output that names no role of this stack",
        kind: o.value instanceof Expression ? "unreadable" : "unexplained",
      });
  return { sides, unaccounted: out };
}
