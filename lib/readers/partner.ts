/**
 * The partner side's reader, the mirror of `describePartnerSide`: the group, users, memberships,
 * console logins and assume permission of a partner stack or its state, as a
 * `PartnerSideDescription`, plus everything no delegation explains: another group, a delegate
 * made member of another group, any other attachment (to the group, to another group, to a
 * user), another resource type, an attribute the product never writes. Names are compared the
 * way RAM compares them (`sameRamName`), so `Delegates` is the group `delegates`.
 */
import { STS_ASSUME_ROLE_SYSTEM_POLICY } from "../facts";
import { consolePasswordOf } from "../names/names";
import type { LoginDescription, PartnerSideDescription, UserDescription } from "../describe/sides";
import { readPolicy, sameAction } from "../policy/read";
import { sameRamName } from "../ram/names";
import { readAttachment, readPolicyResource, type ReadAttachment, type ReadPolicy } from "./owner";
import type { TfRead, TfResource } from "./terraform";
import { Attributes, Expression, isObject, type Unaccounted } from "./unaccounted";

export interface PartnerReading {
  /** Undefined when the stack or state holds no group. */
  readonly side?: PartnerSideDescription;
  readonly unaccounted: readonly Unaccounted[];
}

const PARTNER_TYPES = [
  "alicloud_ram_group",
  "alicloud_ram_user",
  "alicloud_ram_user_group_attachment",
  "alicloud_ram_login_profile",
  "alicloud_ram_policy",
  "alicloud_ram_group_policy_attachment",
];

const OUTPUT_KEYS = ["group_name", "user_names", "role_arn", "external_id", "logon_name_format", "switch_role_url"];

function readGroup(r: TfResource, source: TfRead["source"], out: Unaccounted[]) {
  const a = new Attributes(r.address, r.values, out);
  const name = a.string("group_name") ?? "";
  const alias = a.string("name");
  if (alias !== undefined && alias !== "" && !(source === "state" && alias === name))
    out.push({
      address: `${r.address}.name`,
      why: `deprecated attribute name set to ${JSON.stringify(alias)}`,
      kind: "unexplained",
    });
  const group = { address: r.name, name, comments: a.string("comments") ?? "" };
  a.empty(["force", "timeouts"]);
  a.computed(["id", "create_time"], source);
  a.done();
  return group;
}

function readUser(r: TfResource, source: TfRead["source"], out: Unaccounted[]): UserDescription {
  const a = new Attributes(r.address, r.values, out);
  const displayName = a.string("display_name");
  const user = {
    address: r.name,
    name: a.string("name") ?? "",
    ...(displayName ? { displayName } : {}),
    comments: a.string("comments") ?? "",
  };
  a.empty(["force", "email", "mobile", "timeouts"]);
  a.computed(["id"], source);
  a.done();
  return user;
}

function readLogin(r: TfResource, source: TfRead["source"], out: Unaccounted[]): { user: string; login: LoginDescription } {
  const password = r.values.password;
  const a = new Attributes(r.address, { ...r.values, password: undefined }, out);
  const user = a.string("user_name") ?? "";
  // the password is the user's entry of the sensitive variable, never text in the stack
  if (source === "stack" && !(password instanceof Expression && password.text === consolePasswordOf(user)))
    out.push({
      address: `${r.address}.password`,
      why: "not the user's entry of the console password variable",
      kind: "unexplained",
    });
  if (source === "state" && typeof password !== "string" && password !== null && password !== undefined)
    out.push({ address: `${r.address}.password`, why: "expected a string", kind: "unreadable" });
  const login = {
    address: r.name,
    // the provider's defaults when the settings are left out
    passwordResetRequired: a.bool("password_reset_required") ?? false,
    mfaBindRequired: a.bool("mfa_bind_required") ?? false,
  };
  a.empty(["timeouts"]);
  a.computed(["id", "create_time"], source);
  a.done();
  return { user, login };
}

function outputOf(read: TfRead, out: Unaccounted[]): PartnerSideDescription["output"] {
  const o = read.outputs.find((x) => x.address === "output.delegation");
  for (const x of read.outputs)
    if (x !== o) out.push({ address: x.address, why: "not the delegation output", kind: "unexplained" });
  const v = o && isObject(o.value) ? o.value : {};
  for (const [k, x] of Object.entries(v)) {
    if (!OUTPUT_KEYS.includes(k))
      out.push({ address: `${o!.address}.${k}`, why: "not part of a delegation's output", kind: "unexplained" });
    else if (x instanceof Expression)
      out.push({ address: `${o!.address}.${k}`, why: `an expression instead of a literal: ${x.text}`, kind: "unreadable" });
  }
  for (const k of o?.extra ?? [])
    out.push({ address: `${o!.address}.${k}`, why: "not part of a delegation's output", kind: "unexplained" });
  const text = (x: unknown) => (typeof x === "string" ? x : "");
  return {
    groupName: text(v.group_name),
    userNames: Array.isArray(v.user_names) ? v.user_names.filter((x): x is string => typeof x === "string") : [],
    roleArn: text(v.role_arn),
    externalId: text(v.external_id),
    logonNameFormat: text(v.logon_name_format),
    switchRoleUrl: text(v.switch_role_url),
  };
}

/** Whether a policy allows sts:AssumeRole (the partner side's one permission). */
const allowsAssume = (p: ReadPolicy) =>
  (readPolicy(p.document) ?? []).some((s) => s.effect === "Allow" && s.actions.some((a) => sameAction(a, "sts:AssumeRole")));

/** Reads a partner stack or state. */
export function readPartnerSide(read: TfRead, stackId: string): PartnerReading {
  const out: Unaccounted[] = [...read.unaccounted];
  const of = (type: string) => read.resources.filter((r) => r.type === type);
  for (const r of read.resources)
    if (r.type === "alicloud_ram_user_policy_attachment")
      out.push({
        address: r.address,
        why: "a policy attached to a user directly; a delegation grants only through its group",
        kind: "unexplained",
      });
    else if (!PARTNER_TYPES.includes(r.type))
      out.push({ address: r.address, why: `${r.type} is not part of a partner side`, kind: "unexplained" });
  const groups = of("alicloud_ram_group")
    .sort((x, y) => (x.name === "delegates" ? -1 : y.name === "delegates" ? 1 : 0))
    .map((r) => readGroup(r, read.source, out));
  const policies = of("alicloud_ram_policy").map((r) => readPolicyResource(r, read.source, out));
  const users = of("alicloud_ram_user").map((r) => readUser(r, read.source, out));
  const logins = of("alicloud_ram_login_profile").map((r) => ({ r, ...readLogin(r, read.source, out) }));
  const memberships = of("alicloud_ram_user_group_attachment").map((r) => {
    const a = new Attributes(r.address, r.values, out);
    const m = { r, group: a.string("group_name") ?? "", user: a.string("user_name") ?? "" };
    a.empty(["timeouts"]);
    a.computed(["id"], read.source);
    a.done();
    return m;
  });
  const attachments = of("alicloud_ram_group_policy_attachment").map((r) => readAttachment(r, "group_name", read.source, out));
  const group = groups[0];
  if (!group) {
    for (const r of read.resources)
      if (PARTNER_TYPES.includes(r.type))
        out.push({ address: r.address, why: "no group in this stack explains it", kind: "unexplained" });
    return { unaccounted: out };
  }
  for (const g of groups.slice(1))
    out.push({
      address: `alicloud_ram_group.${g.address}`,
      why: `a second group (${g.name}); a partner side has one`,
      kind: "unexplained",
    });

  const delegate = (name: string) =>
    users.some((u) => sameRamName(u.name, name)) ||
    memberships.some((m) => sameRamName(m.group, group.name) && sameRamName(m.user, name));
  const members: PartnerSideDescription["members"][number][] = [];
  for (const m of memberships) {
    if (sameRamName(m.group, group.name)) {
      const twice = members.find((x) => sameRamName(x.userName, m.user));
      if (twice)
        out.push({ address: m.r.address, why: `user ${m.user} is a member already (${twice.address})`, kind: "unexplained" });
      else members.push({ address: m.r.name, userName: m.user, created: users.some((u) => sameRamName(u.name, m.user)) });
      continue;
    }
    out.push({
      address: m.r.address,
      why: delegate(m.user)
        ? `delegate user ${m.user} is made member of group ${m.group}, which is not this delegation's group`
        : `user ${m.user} is made member of group ${m.group}; no delegation explains it`,
      kind: "unexplained",
    });
  }
  for (const l of logins)
    if (!users.some((u) => sameRamName(u.name, l.user)))
      out.push({
        address: l.r.address,
        why: `a login profile of user ${l.user}, whom this stack does not create`,
        kind: "unexplained",
      });

  // the assume permission: the system policy, or a custom one of this stack that allows sts:AssumeRole
  const policyOf = (x: ReadAttachment) => policies.find((p) => sameRamName(p.name, x.policyName));
  const mine = attachments.filter((x) => sameRamName(x.to, group.name));
  const assume = mine.find((x) =>
    x.policyType === "System"
      ? sameRamName(x.policyName, STS_ASSUME_ROLE_SYSTEM_POLICY)
      : policyOf(x) !== undefined && allowsAssume(policyOf(x)!),
  );
  for (const x of attachments) {
    if (x === assume) continue;
    out.push({
      address: x.resource,
      why: sameRamName(x.to, group.name)
        ? `attaches ${x.policyType} policy ${x.policyName} to group ${x.to}; a delegation grants the group only its assume permission`
        : `attaches ${x.policyType} policy ${x.policyName} to group ${x.to}, which is not this delegation's group`,
      kind: "unexplained",
    });
  }
  const assumePolicy = assume && assume.policyType === "Custom" ? policyOf(assume) : undefined;
  for (const p of policies) {
    if (p === assumePolicy) {
      if (Object.keys(p.tags).length > 0)
        out.push({
          address: `alicloud_ram_policy.${p.address}.tags`,
          why: "an assume policy carries no tags",
          kind: "unexplained",
        });
    } else
      out.push({
        address: `alicloud_ram_policy.${p.address}`,
        why: `policy ${p.name} is not the group's assume permission`,
        kind: "unexplained",
      });
  }
  const withLogin = users.map((u) => {
    const l = logins.find((x) => sameRamName(x.user, u.name));
    return l ? { ...u, login: l.login } : u;
  });
  return {
    side: {
      stackId,
      group,
      users: withLogin,
      members,
      consoleUsers: withLogin.filter((u) => u.login).map((u) => u.name),
      ...(assume
        ? {
            assume: {
              ...(assumePolicy ? { policy: (({ tags: _t, ...p }) => p)(assumePolicy) } : {}),
              attachment: { address: assume.address, policyName: assume.policyName, policyType: assume.policyType },
            },
          }
        : {}),
      output: outputOf(read, out),
    },
    unaccounted: out,
  };
}
