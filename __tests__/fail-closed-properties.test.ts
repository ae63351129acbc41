/**
 * The review tools fail closed, at random: no mutation of a faithful stack reads "no change" to
 * access-diff, and none of a faithful state audits clean (fail-closed.test.ts tries each way a
 * stack or a state was once able to fool them).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { add, audit, faithfulOutput } from "./faithful";

const { diffAfter, states, base } = faithfulOutput("fail-closed-properties-");

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
  const stackIds = () => [...base().stacks.keys()];

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
