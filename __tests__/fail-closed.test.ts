/**
 * The review tools fail closed. Each way a stack or a state was once able to fool them, tried on
 * a faithful stack or state that the test changes: access-diff counts it as broadening (exit 2)
 * and names the address; the audit reports it (exit 1) or says it cannot see (exit 3), naming the
 * address. Then the same at random: no mutation of a faithful stack reads "no change", and none
 * of a faithful state audits clean.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { readSynthOutput, type StackJson, type SynthOutput } from "../lib/readers/files";
import { readState } from "../lib/readers/terraform";
import { accessReport } from "../lib/review/access";
import { auditDelegations } from "../lib/audit/state";
import { diffAccess } from "../lib/review/diff";
import { synthesize } from "../lib/synth/synth";
import { MULTI_FILE, NOW, ROOT, model } from "./helpers";
import { resourceAt, stateFromStack, type StateJson, type StateResource } from "./state";

const OWNER = "1000000000000001";
const work = mkdtempSync(path.join(tmpdir(), "fail-closed-"));
let outdir: string;
let base: SynthOutput;
const m = model(MULTI_FILE);

beforeAll(async () => {
  outdir = path.join(work, "base");
  await synthesize({ configFile: MULTI_FILE, outdir, now: NOW });
  base = readSynthOutput(outdir);
});

/** The access diff of the base output against a copy whose stack `id` was changed by `edit`. */
function diffAfter(id: string, edit: (stack: any) => void) {
  const stacks = new Map(base.stacks);
  const stack = structuredClone(stacks.get(id)) as any;
  edit(stack);
  stacks.set(id, stack as StackJson);
  return diffAccess(accessReport(base), accessReport({ ...base, stacks }));
}

const broadened = (d: ReturnType<typeof diffAfter>) =>
  d.changes.filter((c) => c.effect === "broadening").map((c) => c.description);

/** Faithful states of every stack, as Terraform would hold them after applying the base output. */
const states = () => [...base.stacks.keys()].map((id) => ({ id, state: stateFromStack(base.stacks.get(id) as never, OWNER) }));

function audit(xs: { id: string; state: StateJson }[]) {
  const r = auditDelegations(
    m,
    xs.map((x) => ({ file: `${x.id}.json`, read: readState(x.state, x.id) })),
    NOW,
  );
  return {
    errors: r.findings.filter((f) => f.severity === "error").map((f) => `${f.check}: ${f.message}`),
    unreadable: r.unreadable.map((u) => `${u.address}: ${u.why}`),
  };
}

const stateOf = (xs: { id: string; state: StateJson }[], id: string) => xs.find((x) => x.id === id)!.state;
const add = (s: StateJson, r: Partial<StateResource> & { type: string; name: string }) =>
  s.values.root_module.resources.push({
    address: `${r.type}.${r.name}`,
    mode: "managed",
    provider_name: "registry.terraform.io/aliyun/alicloud",
    schema_version: 0,
    values: {},
    sensitive_values: {},
    ...r,
  } as StateResource);

describe("access-diff on a changed stack", () => {
  it("a RAM user with a system policy and an AccessKey added to the owner stack", () => {
    const d = diffAfter("owner", (s) => {
      s.resource.alicloud_ram_user = { mallory: { name: "mallory" } };
      s.resource.alicloud_ram_user_policy_attachment = {
        mallory: { user_name: "${alicloud_ram_user.mallory.name}", policy_name: "AdministratorAccess", policy_type: "System" },
      };
      s.resource.alicloud_ram_access_key = { mallory: { user_name: "${alicloud_ram_user.mallory.name}" } };
    });
    expect(d.unaccounted).toBe(3);
    expect(broadened(d)).toEqual(
      expect.arrayContaining([
        "cannot account for alicloud_ram_user.mallory: alicloud_ram_user is not part of an owner side",
        "cannot account for alicloud_ram_user_policy_attachment.mallory: alicloud_ram_user_policy_attachment is not part of an owner side",
        "cannot account for alicloud_ram_access_key.mallory: alicloud_ram_access_key is not part of an owner side",
      ]),
    );
  });

  it("a module block, a data source and a second provider", () => {
    const d = diffAfter("partner-enterprise-b", (s) => {
      s.module = { grant: { source: "./anything" } };
      s.data = { alicloud_ram_policy_document: { x: {} } };
      s.provider.aws = [{}];
    });
    expect(broadened(d)).toEqual([
      "cannot account for data.alicloud_ram_policy_document.x: a data source",
      "cannot account for module.grant: a module block",
      "cannot account for provider.aws: a provider configuration this product does not write",
    ]);
  });

  it("a policy document written as a Terraform expression is not read as narrowing", () => {
    const d = diffAfter("owner", (s) => {
      s.resource.alicloud_ram_policy["enterprise-b_permissions_1"].policy_document =
        '${jsonencode({Statement = [{Action = "*"}]})}';
    });
    expect(d.broadening).toBeGreaterThan(0);
    expect(broadened(d)).toContain(
      'cannot account for alicloud_ram_policy.enterprise-b_permissions_1.policy_document: an expression instead of a literal: ${jsonencode({Statement = [{Action = "*"}]})}',
    );
  });

  it("NotAction added to a permission policy", () => {
    const d = diffAfter("owner", (s) => {
      const p = s.resource.alicloud_ram_policy["enterprise-b-audit_permissions_1"];
      const doc = JSON.parse(p.policy_document);
      doc.Statement[0].NotAction = doc.Statement[0].Action;
      delete doc.Statement[0].Action;
      p.policy_document = JSON.stringify(doc);
    });
    expect(broadened(d).some((c) => c.startsWith("* on "))).toBe(true);
  });

  it("a delegate made member of another group, and a policy on a group named like ours in another case", () => {
    const d = diffAfter("partner-enterprise-b", (s) => {
      s.resource.alicloud_ram_user_group_attachment.extra = { group_name: "admins", user_name: "alice" };
      s.resource.alicloud_ram_group_policy_attachment.extra = {
        group_name: "Eventbridge-Delegates",
        policy_name: "AdministratorAccess",
        policy_type: "System",
      };
    });
    expect(broadened(d)).toEqual(
      expect.arrayContaining([
        "cannot account for alicloud_ram_user_group_attachment.extra: delegate user alice is made member of group admins, which is not this delegation's group",
        "cannot account for alicloud_ram_group_policy_attachment.extra: attaches System policy AdministratorAccess to group Eventbridge-Delegates; a delegation grants the group only its assume permission",
      ]),
    );
  });

  it("a date or a deny it cannot compare counts as broadening, never narrowing", () => {
    const d = diffAfter("owner", (s) => {
      const role = s.resource.alicloud_ram_role["enterprise-b"];
      const trust = JSON.parse(role.assume_role_policy_document);
      trust.Statement[0].Condition.DateLessThan["acs:CurrentTime"] = ["soon"];
      role.assume_role_policy_document = JSON.stringify(trust);
      const policy = s.resource.alicloud_ram_policy["enterprise-b_permissions_1"];
      const doc = JSON.parse(policy.policy_document);
      for (const st of doc.Statement.filter((x: any) => x.Effect === "Deny" && x.Condition?.DateGreaterThan))
        st.Condition.DateGreaterThan["acs:CurrentTime"] = ["later"];
      policy.policy_document = JSON.stringify(doc);
    });
    expect(d.narrowing).toBe(0);
    expect(broadened(d)).toEqual(
      expect.arrayContaining([
        "trust: valid until soon (was 2027-12-31T15:59:59Z)",
        "deny changed: * on * when DateGreaterThan acs:CurrentTime later (was * on * when DateGreaterThan acs:CurrentTime 2027-12-31T15:59:59Z)",
      ]),
    );
  });

  it("npm run access-diff exits 2 and names the address", () => {
    const head = path.join(work, "head-module");
    cpSync(outdir, head, { recursive: true });
    const file = path.join(head, "stacks", "owner", "cdk.tf.json");
    const stack = JSON.parse(readFileSync(file, "utf8"));
    stack.module = { grant: { source: "./anything" } };
    writeFileSync(file, JSON.stringify(stack));
    const out = spawnSync(process.execPath, [path.join(ROOT, "scripts", "launch.cjs"), "access-diff", outdir, head], {
      cwd: work,
      encoding: "utf8",
    });
    expect(out.status).toBe(2);
    expect(out.stdout).toContain("| owner | cannot account for module.grant: a module block | **broadening** |");
    expect(out.stdout).toContain("1 change this tool cannot account for");
  });
});

describe("the audit of a changed state", () => {
  it("is clean on the faithful states", () => {
    expect(audit(states())).toEqual({ errors: [], unreadable: [] });
  });

  it("a delegate user made member of another group, and that group's policies", () => {
    const xs = states();
    const b = stateOf(xs, "partner-enterprise-b");
    add(b, {
      type: "alicloud_ram_user_group_attachment",
      name: "x",
      values: { group_name: "admins", user_name: "alice", id: "admins:alice" },
    });
    add(b, {
      type: "alicloud_ram_group_policy_attachment",
      name: "y",
      values: { group_name: "admins", policy_name: "AdministratorAccess", policy_type: "System", id: "y" },
    });
    expect(audit(xs).errors).toEqual([
      "UNACCOUNTED: partner-enterprise-b.json: alicloud_ram_group_policy_attachment.y: attaches System policy AdministratorAccess to group admins, which is not this delegation's group",
      "UNACCOUNTED: partner-enterprise-b.json: alicloud_ram_user_group_attachment.x: delegate user alice is made member of group admins, which is not this delegation's group",
    ]);
  });

  it("a policy attached to the group under a name that differs only in case", () => {
    const xs = states();
    const b = stateOf(xs, "partner-enterprise-b");
    add(b, {
      type: "alicloud_ram_group_policy_attachment",
      name: "z",
      values: { group_name: "EventBridge-Delegates", policy_name: "AliyunECSFullAccess", policy_type: "System", id: "z" },
    });
    expect(audit(xs).errors).toEqual([
      "UNACCOUNTED: partner-enterprise-b.json: alicloud_ram_group_policy_attachment.z: attaches System policy AliyunECSFullAccess to group EventBridge-Delegates; a delegation grants the group only its assume permission",
    ]);
  });

  it("login-profile settings turned off", () => {
    const xs = states();
    const alice = resourceAt(stateOf(xs, "partner-enterprise-b"), "alicloud_ram_login_profile.alice");
    alice.values.mfa_bind_required = false;
    alice.values.password_reset_required = false;
    expect(audit(xs).errors).toEqual([
      "LOGIN-DRIFT: login profile of alice: mfa_bind_required is false; the config says true",
      "LOGIN-DRIFT: login profile of alice: password_reset_required is false; the config says true",
    ]);
  });

  it("NotResource added to a trust policy", () => {
    const xs = states();
    const role = resourceAt(stateOf(xs, "owner"), "alicloud_ram_role.enterprise-c");
    const doc = JSON.parse(role.values.assume_role_policy_document);
    doc.Statement[0].NotResource = ["acs:ram::1000000000000001:role/x"];
    role.values.assume_role_policy_document = JSON.stringify(doc);
    expect(audit(xs).errors).toContain("TRUST-DRIFT: the deployed trust policy differs from the config");
  });

  it.each<[string, (r: StateResource) => void, string]>([
    ["an unknown mode", (r) => ((r as any).mode = "ephemeral"), 'alicloud_ram_role.enterprise-c: unknown mode "ephemeral"'],
    [
      "a value of the wrong type",
      (r) => (r.values.max_session_duration = "43200"),
      'alicloud_ram_role.enterprise-c.max_session_duration: expected a number, got "43200"',
    ],
    [
      "tags that are not a map",
      (r) => (r.values.tags = "CostCenter=1"),
      'alicloud_ram_role.enterprise-c.tags: expected a map of strings, got "CostCenter=1"',
    ],
  ])("%s: cannot see, never clean", (_, edit, why) => {
    const xs = states();
    edit(resourceAt(stateOf(xs, "owner"), "alicloud_ram_role.enterprise-c"));
    expect(audit(xs).unreadable).toContain(why);
  });

  it("npm run audit exits 3 with one line naming the address for non-map tags", () => {
    const xs = states();
    resourceAt(stateOf(xs, "owner"), "alicloud_ram_role.enterprise-b").values.tags = ["a", "b"];
    const file = path.join(work, "owner-tags.json");
    writeFileSync(file, JSON.stringify(stateOf(xs, "owner")));
    const out = spawnSync(process.execPath, [path.join(ROOT, "scripts", "launch.cjs"), "audit", file], {
      cwd: work,
      encoding: "utf8",
      env: { ...process.env, DELEGATION_CONFIG: MULTI_FILE },
    });
    expect(out.status).toBe(3);
    expect(out.stderr.trim().split("\n")).toEqual([
      `${file}: alicloud_ram_role.enterprise-b.tags: expected a map of strings, got ["a","b"]; cannot audit what it does`,
    ]);
    expect(out.stdout).toBe("");
  });
});

describe("property: random changes to faithful stacks and states", () => {
  const TYPES = [
    "alicloud_ram_role",
    "alicloud_ram_policy",
    "alicloud_ram_user",
    "alicloud_ram_group",
    "alicloud_ram_access_key",
    "alicloud_ram_user_policy_attachment",
    "alicloud_ram_role_policy_attachment",
    "alicloud_ram_group_policy_attachment",
    "alicloud_ram_user_group_attachment",
    "alicloud_ram_login_profile",
    "alicloud_ram_account_alias",
    "alicloud_event_bridge_rule",
    "null_resource",
  ];
  const name = fc.stringMatching(/^zz[a-z0-9_-]{0,8}$/);
  const text = fc.stringMatching(/^[A-Za-z0-9-]{1,12}$/);
  /** Attribute values a new resource may carry: names, policy types, a grant of everything. */
  const attrs = fc.record({
    name: text,
    user_name: fc.constantFrom("alice", "ci-publisher", "mallory"),
    group_name: fc.constantFrom("eventbridge-delegates", "EventBridge-Delegates", "admins"),
    role_name: fc.constantFrom("eventbridge-publisher-b", "Eventbridge-Readonly-C", "other"),
    policy_name: fc.constantFrom("AdministratorAccess", "AliyunSTSAssumeRoleAccess", "custom-x"),
    policy_type: fc.constantFrom("System", "Custom"),
    policy_document: fc.constant('{"Version":"1","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}'),
    assume_role_policy_document: fc.constant(
      '{"Version":"1","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"RAM":["acs:ram::9000000000000009:root"]}}]}',
    ),
  });
  type Mutation =
    | { kind: "resource"; type: string; name: string; values: Record<string, unknown>; keep: string[] }
    | { kind: "block"; block: string; name: string }
    | { kind: "expression"; pick: number }
    | { kind: "membership"; user: string; group: string; name: string }
    | { kind: "attachment"; policy: string; group: string; name: string }
    | { kind: "flag"; pick: number; flag: "mfa_bind_required" | "password_reset_required" | "force" };
  const mutation: fc.Arbitrary<Mutation> = fc.oneof(
    fc.record({
      kind: fc.constant("resource" as const),
      type: fc.constantFrom(...TYPES),
      name,
      values: attrs,
      keep: fc.subarray(
        [
          "name",
          "user_name",
          "group_name",
          "role_name",
          "policy_name",
          "policy_type",
          "policy_document",
          "assume_role_policy_document",
        ],
        { minLength: 1 },
      ),
    }),
    fc.record({
      kind: fc.constant("block" as const),
      block: fc.constantFrom("module", "data", "locals", "check", "import", "moved"),
      name,
    }),
    fc.record({ kind: fc.constant("expression" as const), pick: fc.nat() }),
    fc.record({
      kind: fc.constant("membership" as const),
      user: fc.constantFrom("alice", "ci-publisher", "mallory"),
      group: fc.constantFrom("eventbridge-delegates", "EventBridge-Delegates", "admins"),
      name,
    }),
    fc.record({
      kind: fc.constant("attachment" as const),
      policy: fc.constantFrom("AdministratorAccess", "AliyunECSFullAccess"),
      group: fc.constantFrom("eventbridge-delegates", "Eventbridge-Delegates", "admins"),
      name,
    }),
    fc.record({
      kind: fc.constant("flag" as const),
      pick: fc.nat(),
      flag: fc.constantFrom("mfa_bind_required", "password_reset_required", "force"),
    }),
  );
  const pick = <T>(xs: readonly T[], i: number) => xs[i % xs.length];
  const stackIds = () => [...base.stacks.keys()];

  it("no mutation of a stack reads as no change, and none as narrowing only", () => {
    fc.assert(
      fc.property(fc.nat(), mutation, (which, mu) => {
        const id = pick(stackIds(), which);
        const d = diffAfter(id, (s) => {
          s.resource ??= {};
          const resources = () =>
            Object.entries(s.resource).flatMap(([type, byName]: [string, any]) =>
              Object.entries(byName).map(([n, v]) => ({ type, name: n, values: v as Record<string, unknown> })),
            );
          if (mu.kind === "resource") {
            (s.resource[mu.type] ??= {})[mu.name] = Object.fromEntries(mu.keep.map((k) => [k, mu.values[k]]));
          } else if (mu.kind === "block") {
            s[mu.block] = { [mu.name]: { x: {} } };
          } else if (mu.kind === "expression") {
            const r = pick(resources(), mu.pick);
            const key = pick(
              Object.keys(r.values).filter((k) => k !== "//"),
              mu.pick,
            );
            r.values[key] = '${file("/etc/hostname")}';
          } else if (mu.kind === "membership") {
            (s.resource.alicloud_ram_user_group_attachment ??= {})[mu.name] = { user_name: mu.user, group_name: mu.group };
          } else if (mu.kind === "attachment") {
            (s.resource.alicloud_ram_group_policy_attachment ??= {})[mu.name] = {
              group_name: mu.group,
              policy_name: mu.policy,
              policy_type: "System",
            };
          } else {
            const candidates = resources().filter((r) => (mu.flag === "force" ? true : r.type === "alicloud_ram_login_profile"));
            if (candidates.length === 0) s.module = { fallback: {} };
            else pick(candidates, mu.pick).values[mu.flag] = mu.flag === "force";
          }
        });
        expect(d.changes.length, JSON.stringify(mu)).toBeGreaterThan(0);
        expect(
          d.broadening + d.changes.filter((c) => c.effect === "neutral").length,
          JSON.stringify({ id, mu, d }),
        ).toBeGreaterThan(0);
      }),
      { numRuns: 150 },
    );
  });

  it("no mutation of a state audits clean", () => {
    const all = states();
    fc.assert(
      fc.property(fc.nat(), mutation, fc.constantFrom("managed", "data", "ephemeral", undefined), (which, mu, mode) => {
        const xs = structuredClone(all);
        const s = pick(xs, which).state;
        const list = s.values.root_module.resources;
        if (mu.kind === "resource") {
          add(s, {
            type: mu.type,
            name: mu.name,
            values: Object.fromEntries(mu.keep.map((k) => [k, mu.values[k]])),
            ...(mode === "managed" ? {} : { mode: mode as never }),
          });
        } else if (mu.kind === "block") {
          (s.values.root_module as any).child_modules = [
            { address: `module.${mu.name}`, resources: [{ ...list[0], address: `module.${mu.name}.${list[0].address}` }] },
          ];
        } else if (mu.kind === "expression") {
          // a state holds no expressions: a value of the wrong type instead
          const r = pick(list, mu.pick);
          const key = pick(
            Object.keys(r.values).filter((k) => k !== "id"),
            mu.pick,
          );
          r.values[key] = typeof r.values[key] === "number" ? "3600" : 12345;
        } else if (mu.kind === "membership") {
          add(s, {
            type: "alicloud_ram_user_group_attachment",
            name: mu.name,
            values: { user_name: mu.user, group_name: mu.group },
          });
        } else if (mu.kind === "attachment") {
          add(s, {
            type: "alicloud_ram_group_policy_attachment",
            name: mu.name,
            values: { group_name: mu.group, policy_name: mu.policy, policy_type: "System" },
          });
        } else {
          const candidates = list.filter((r) => (mu.flag === "force" ? true : r.type === "alicloud_ram_login_profile"));
          if (candidates.length === 0) (list[0] as any).mode = "unknown";
          else pick(candidates, mu.pick).values[mu.flag] = mu.flag === "force";
        }
        let result: { errors: string[]; unreadable: string[] };
        try {
          result = audit(xs);
        } catch (e) {
          // refusing the input (exit 3) is not clean either
          result = { errors: [], unreadable: [(e as Error).message] };
        }
        expect(result.errors.length + result.unreadable.length, JSON.stringify(mu)).toBeGreaterThan(0);
      }),
      { numRuns: 200 },
    );
  });
});
