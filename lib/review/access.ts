/**
 * Who may do what, read from the synthesized stacks (what will be applied, not the config):
 * per partner, the trusted principals and every condition, the actions and resources, the
 * system policies, the partner side, and the findings of the synth checks.
 */
import { CONDITION_KEYS, EXTERNAL_ID_CONDITION_KEY } from "../facts";
import { roleArn } from "../model/arn";
import { readPolicy, type ReadStatement } from "../policy/read";
import { ownerSides, partnerSide, type OwnerSideRecord, type PartnerSideRecord } from "./delegation";
import { outputName } from "../model/names";
import { readLiteral } from "../terraform/literal";
import type { Handoff } from "../handoff/handoff";
import { HandoffError, parseHandoff } from "../handoff/read";
import { InputError, resourcesOfStack, type StackJson, type SynthOutput } from "./resources";

export interface Conditions {
  /** Whether an ExternalId is required (its value is in `externalIdValue`). */
  readonly externalId: boolean;
  readonly externalIdValue?: string;
  readonly mfa: boolean;
  readonly sourceIps: readonly string[];
  readonly validFrom?: string;
  readonly validUntil?: string;
  /** Any other condition, as `Operator key=value,value`. */
  readonly other: readonly string[];
}

export interface Grant {
  readonly action: string;
  readonly resource: string;
}

/** A deny statement: these actions on these resources are denied when every condition holds. */
export interface Deny {
  readonly actions: readonly string[];
  readonly resources: readonly string[];
  readonly when: readonly { readonly operator: string; readonly key: string; readonly values: readonly string[] }[];
}

export function describeDeny(d: Deny): string {
  const when = d.when.map((c) => `${c.operator} ${c.key} ${c.values.join(",")}`);
  return `${d.actions.join(",") || "*"} on ${d.resources.join(",") || "*"}${when.length > 0 ? ` when ${when.join(" and ")}` : ""}`;
}

export interface FindingNote {
  readonly rule: string;
  readonly level: "error" | "warning" | "acknowledged";
  readonly message: string;
  readonly reason?: string;
}

export interface PartnerSideAccess {
  readonly stack: string;
  /** How the partner's users sign in (`<user>@<alias or account id>.onaliyun.com`), from the stack's output. */
  readonly logonNameFormat?: string;
  readonly groupName: string;
  readonly users: readonly string[];
  readonly members: readonly string[];
  /** `role`: sts:AssumeRole on the listed roles; `any-role`: a system policy that allows every role; `none`: revoked. */
  readonly assume:
    | { readonly scope: "role"; readonly roles: readonly string[] }
    | { readonly scope: "any-role"; readonly policy: string }
    | { readonly scope: "none" };
}

export interface PartnerAccess {
  readonly name: string;
  readonly accountId: string;
  /** The owner whose role this is. */
  readonly owner?: { readonly name: string; readonly accountId: string; readonly accountAlias?: string };
  readonly revoked: boolean;
  readonly roleName?: string;
  readonly roleArn?: string;
  /** The console Switch Role link (it names the owner's alias once set), from the owner stack's output. */
  readonly switchRoleUrl?: string;
  readonly maxSessionDuration?: number;
  readonly trustedPrincipals: readonly string[];
  /** Conditions of the trust policy (who may assume the role, and when). */
  readonly conditions: Conditions;
  /** Conditions on the permission statements (when and from where the role's grants work). */
  readonly permissionConditions: Conditions;
  readonly validFrom?: string;
  readonly validUntil?: string;
  readonly grants: readonly Grant[];
  /** Deny statements of the custom policies (they hold the window and addresses for system policies too). */
  readonly denies: readonly Deny[];
  readonly actions: readonly string[];
  readonly resources: readonly string[];
  readonly customPolicies: readonly string[];
  readonly systemPolicies: readonly string[];
  readonly partnerSide?: PartnerSideAccess;
  readonly findings: readonly FindingNote[];
  /** The digest of the handoff between owner and partner, for comparing out of band. */
  readonly handoffDigest?: string;
  /** Where the grants come from: the owner stack's policies, or (in a partner's output) the handoff. */
  readonly source?: "owner-stack" | "handoff";
}

export interface AccessReport {
  /** The owner, when the output holds its stack; a partner's output may name several owners, per partner. */
  readonly owner?: { readonly name: string; readonly accountId: string; readonly accountAlias?: string };
  readonly partners: readonly PartnerAccess[];
}

const unique = (xs: Iterable<string>) => [...new Set(xs)].sort();

/** The conditions of a set of statements, summarized. */
export function conditionsOf(statements: readonly ReadStatement[]): Conditions {
  const values = (op: string, key: string) => unique(statements.flatMap((s) => s.conditions[op]?.[key] ?? []));
  const known = new Set([
    `StringEquals ${EXTERNAL_ID_CONDITION_KEY}`,
    `Bool ${CONDITION_KEYS.mfaPresent}`,
    `IpAddress ${CONDITION_KEYS.sourceIp}`,
    `DateGreaterThan ${CONDITION_KEYS.currentTime}`,
    `DateLessThan ${CONDITION_KEYS.currentTime}`,
  ]);
  const other = unique(
    statements.flatMap((s) =>
      Object.entries(s.conditions).flatMap(([op, keys]) =>
        Object.entries(keys)
          .filter(([key]) => !known.has(`${op} ${key}`))
          .map(([key, vs]) => `${op} ${key}=${vs.join(",")}`),
      ),
    ),
  );
  const externalIds = values("StringEquals", EXTERNAL_ID_CONDITION_KEY);
  const from = values("DateGreaterThan", CONDITION_KEYS.currentTime);
  const until = values("DateLessThan", CONDITION_KEYS.currentTime);
  return {
    externalId: externalIds.length > 0,
    ...(externalIds.length > 0 ? { externalIdValue: externalIds.join(",") } : {}),
    mfa: values("Bool", CONDITION_KEYS.mfaPresent).includes("true"),
    sourceIps: values("IpAddress", CONDITION_KEYS.sourceIp),
    // the narrowest window, if several statements disagree
    ...(from.length > 0 ? { validFrom: from[from.length - 1] } : {}),
    ...(until.length > 0 ? { validUntil: until[0] } : {}),
    other,
  };
}

const NO_CONDITIONS: Conditions = { externalId: false, mfa: false, sourceIps: [], other: [] };

/** Summarizes one partner's delegation from its owner side and partner side. */
export function partnerAccess(
  name: string,
  accountId: string,
  ownerAccountId: string,
  owner: OwnerSideRecord | undefined,
  side: { stack: string; record: PartnerSideRecord; revoked: boolean } | undefined,
  findings: readonly FindingNote[],
): PartnerAccess {
  const trust = readPolicy(owner?.trustDocument) ?? [];
  const permission = (owner?.customPolicies ?? []).flatMap((p) => readPolicy(p.document) ?? []);
  const allow = permission.filter((s) => s.effect === "Allow");
  // NotAction / NotResource allow everything but a list: counted as `*`
  const grants = allow.flatMap((s) =>
    (s.notActions.length > 0 ? ["*"] : s.actions).flatMap((action) =>
      (s.notResources.length > 0 ? ["*"] : s.resources).map((resource) => ({ action, resource })),
    ),
  );
  const denies: Deny[] = permission
    .filter((s) => s.effect === "Deny")
    .map((s) => ({
      actions: s.notActions.length > 0 ? [`all but ${[...s.notActions].sort().join(",")}`] : [...s.actions].sort(),
      resources: s.notResources.length > 0 ? [`all but ${[...s.notResources].sort().join(",")}`] : [...s.resources].sort(),
      when: Object.entries(s.conditions)
        .flatMap(([operator, keys]) =>
          Object.entries(keys).map(([key, values]) => ({ operator, key, values: [...values].sort() })),
        )
        .sort((a, b) => (`${a.operator} ${a.key}` < `${b.operator} ${b.key}` ? -1 : 1)),
    }))
    .sort((a, b) => (describeDeny(a) < describeDeny(b) ? -1 : 1));
  const uniqueGrants = [...new Map(grants.map((g) => [`${g.action} ${g.resource}`, g])).values()].sort((a, b) =>
    a.action === b.action ? (a.resource < b.resource ? -1 : 1) : a.action < b.action ? -1 : 1,
  );
  const conditions = trust.length > 0 ? conditionsOf(trust) : NO_CONDITIONS;
  const record = side?.record;
  const assume: PartnerSideAccess["assume"] = !record?.assume
    ? { scope: "none" }
    : record.assume.type === "System"
      ? { scope: "any-role", policy: record.assume.name }
      : {
          scope: "role",
          roles: unique(
            (readPolicy(record.assume.policy.document) ?? [])
              .filter((s) => s.actions.includes("sts:AssumeRole"))
              .flatMap((s) => s.resources),
          ),
        };
  return {
    name,
    accountId,
    revoked: owner === undefined && (side?.revoked ?? true),
    ...(owner ? { roleName: owner.roleName, roleArn: owner.roleArn ?? roleArn(ownerAccountId, owner.roleName) } : {}),
    ...(owner?.maxSessionDuration === undefined ? {} : { maxSessionDuration: owner.maxSessionDuration }),
    trustedPrincipals: unique(trust.flatMap((s) => Object.values(s.principals).flat())),
    conditions,
    permissionConditions: allow.length > 0 ? conditionsOf(allow) : NO_CONDITIONS,
    denies,
    ...(conditions.validFrom ? { validFrom: conditions.validFrom } : {}),
    ...(conditions.validUntil ? { validUntil: conditions.validUntil } : {}),
    grants: uniqueGrants,
    actions: unique(uniqueGrants.map((g) => g.action)),
    resources: unique(uniqueGrants.map((g) => g.resource)),
    customPolicies: (owner?.customPolicies ?? []).map((p) => p.name),
    systemPolicies: [...(owner?.systemPolicies ?? [])].sort(),
    ...(record && side
      ? { partnerSide: { stack: side.stack, groupName: record.groupName, users: record.users, members: record.members, assume } }
      : {}),
    findings,
  };
}

/** A partner stack's handoff, checked again: the output directory may have been edited. */
function stackHandoff(dir: string, id: string, raw: unknown): Handoff {
  try {
    return parseHandoff(raw);
  } catch (e) {
    if (e instanceof HandoffError)
      throw new InputError(`${dir}: stack ${id}: its handoff ("//".delegation.handoff): ${e.problem}`);
    throw e;
  }
}

/**
 * What a partner's users may do, from the handoff alone: how a partner's repository, which holds
 * no owner stack, knows the role its users assume.
 */
export function handoffAccess(h: Handoff): Omit<PartnerAccess, "name" | "partnerSide" | "findings"> {
  const window = { ...(h.validFrom ? { validFrom: h.validFrom } : {}), ...(h.validUntil ? { validUntil: h.validUntil } : {}) };
  const grants = h.access.grants
    .flatMap((g) => g.allow.flatMap((a) => a.actions.flatMap((action) => a.resources.map((resource) => ({ action, resource })))))
    .sort((a, b) => (a.action === b.action ? (a.resource < b.resource ? -1 : 1) : a.action < b.action ? -1 : 1));
  return {
    accountId: h.partner.accountId,
    owner: h.owner,
    revoked: h.revoked,
    ...(h.revoked ? {} : { roleName: h.role.name, roleArn: h.role.arn, maxSessionDuration: h.role.maxSessionDuration }),
    ...(h.switchRoleUrl ? { switchRoleUrl: h.switchRoleUrl } : {}),
    trustedPrincipals: h.revoked ? [] : [...h.role.trustedPrincipals].sort(),
    conditions: h.revoked
      ? NO_CONDITIONS
      : {
          externalId: h.role.externalId !== undefined,
          ...(h.role.externalId === undefined ? {} : { externalIdValue: h.role.externalId }),
          mfa: h.role.requireMfa,
          sourceIps: [...h.role.sourceIps],
          ...window,
          other: [],
        },
    permissionConditions:
      grants.length > 0
        ? { externalId: false, mfa: false, sourceIps: [...h.role.sourceIps], ...window, other: [] }
        : NO_CONDITIONS,
    ...window,
    grants: [...new Map(grants.map((g) => [`${g.action} ${g.resource}`, g])).values()],
    denies: [],
    actions: unique(grants.map((g) => g.action)),
    resources: unique(grants.map((g) => g.resource)),
    customPolicies: [],
    systemPolicies: [...h.access.systemPolicies].sort(),
    handoffDigest: h.digest,
    source: "handoff",
  };
}

/** The access report of a synth output directory (an owner's, a partner's, or both sides of a single-file config). */
export function accessReport(output: SynthOutput): AccessReport {
  let ownerStack: string | undefined;
  let owner: AccessReport["owner"];
  const partnerStacks: { stack: string; name: string; accountId: string; revoked: boolean; handoff: Handoff }[] = [];
  const notes = new Map<string, FindingNote[]>();
  for (const [id, stack] of output.stacks) {
    const identity = stack["//"]?.delegation;
    if (!identity) throw new InputError(`${output.dir}: stack ${id} was not synthesized by this product (no "//".delegation)`);
    if (identity.side === "owner") {
      ownerStack = id;
      owner = identity.owner;
    } else if (identity.partner) {
      partnerStacks.push({ stack: id, ...identity.partner, handoff: stackHandoff(output.dir, id, identity.handoff) });
    }
    // the synth checks' warnings, as the stack lists them
    for (const f of stack["//"]?.findings ?? []) {
      const n: FindingNote = {
        rule: String(f.rule),
        level: f.acknowledged === undefined ? "warning" : "acknowledged",
        message: String(f.message),
        ...(f.acknowledged === undefined ? {} : { reason: String(f.acknowledged) }),
      };
      notes.set(f.partner, [...(notes.get(f.partner) ?? []), n]);
    }
  }
  if (!ownerStack && partnerStacks.length === 0) throw new InputError(`${output.dir}: no stacks in the synth output`);

  const owned = new Map(
    ownerStack ? ownerSides(resourcesOfStack(output.stacks.get(ownerStack)!)).map((o) => [o.partner, o]) : [],
  );
  const names = unique([...owned.keys(), ...partnerStacks.map((p) => p.name), ...(ownerStack ? output.handoffs.keys() : [])]);
  const partners = names.map((name): PartnerAccess => {
    const side = partnerStacks.find((p) => p.name === name);
    const record = side && partnerSide(resourcesOfStack(output.stacks.get(side.stack)!));
    const sideInput = side && record ? { stack: side.stack, record, revoked: side.revoked } : undefined;
    const o = owned.get(name);
    const handoff = output.handoffs.get(name) ?? side?.handoff;
    if (!owner) {
      // a partner's output: what the role may do comes from the handoff it was built from
      const base = partnerAccess(
        name,
        side!.accountId,
        side!.handoff.owner.accountId,
        undefined,
        sideInput,
        notes.get(name) ?? [],
      );
      const logonNameFormat = outputField(output.stacks.get(side!.stack), "delegation", "logon_name_format");
      return {
        ...base,
        ...handoffAccess(side!.handoff),
        accountId: side!.accountId,
        ...(base.partnerSide ? { partnerSide: { ...base.partnerSide, ...(logonNameFormat ? { logonNameFormat } : {}) } } : {}),
      };
    }
    const accountFromTrust = readPolicy(o?.trustDocument)
      ?.flatMap((s) => s.principals.RAM ?? [])[0]
      ?.split(":")[3];
    const access = partnerAccess(
      name,
      side?.accountId ?? handoff?.partner.accountId ?? accountFromTrust ?? "",
      owner.accountId,
      o,
      sideInput,
      notes.get(name) ?? [],
    );
    // how people get in: the Switch Role link and the logon names (both name aliases once set)
    const switchRoleUrl = o ? outputField(output.stacks.get(ownerStack!), outputName(name), "switch_role_url") : undefined;
    const logonNameFormat = side && outputField(output.stacks.get(side.stack), "delegation", "logon_name_format");
    return {
      ...access,
      owner,
      ...(switchRoleUrl ? { switchRoleUrl } : {}),
      ...(handoff ? { handoffDigest: handoff.digest } : {}),
      ...(access.partnerSide && logonNameFormat ? { partnerSide: { ...access.partnerSide, logonNameFormat } } : {}),
    };
  });
  return { ...(owner ? { owner } : {}), partners };
}

/** A non-empty string field of a stack's object output, if there is one. */
function outputField(stack: StackJson | undefined, output: string, field: string): string | undefined {
  const value = stack?.output?.[output]?.value;
  const v = value !== null && typeof value === "object" ? (value as Record<string, unknown>)[field] : undefined;
  return typeof v === "string" && v !== "" ? (readLiteral(v) ?? v) : undefined;
}
