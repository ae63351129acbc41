/**
 * The audit of deployed state sees what the config never made: extra roles, RAM's shorthand,
 * attachments and resources the product never creates; and no random change audits clean.
 */
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { MULTI_FILE } from "./helpers";
import { audit, checks } from "./audit";
import { outputs } from "./outputs";
import { MULTI_STACKS as ALL, resourceAt, statesOf as states } from "./state";
import { InputError } from "../lib/readers/files";
import type { StateJson } from "./state";

const { synth } = outputs("audit-unaccounted-");
let multi: string;
beforeAll(async () => {
  multi = await synth(MULTI_FILE, "multi");
});

describe("audit of deployed state", () => {
  it("accounts for every role by name: an extra role carrying a partner's tag and AdministratorAccess is reported", () => {
    const s = states(multi, ["owner"]);
    const resources = s[0].state.values.root_module.resources;
    const real = resourceAt(s[0].state, "alicloud_ram_role.enterprise-b");
    // named to sort after the real role, tagged as the same partner, trusting the partner account
    resources.push(
      {
        ...real,
        address: "alicloud_ram_role.zz",
        name: "zz",
        values: { ...real.values, role_name: "zz-shadow", id: "zz-shadow" },
      },
      {
        ...resourceAt(s[0].state, "alicloud_ram_role_policy_attachment.enterprise-c_system_AliyunEventBridgeReadOnlyAccess"),
        address: "alicloud_ram_role_policy_attachment.zz",
        name: "zz",
        values: { role_name: "zz-shadow", policy_name: "AdministratorAccess", policy_type: "System", id: "x" },
      },
    );
    const found = checks(audit(s));
    expect(found).toContain(
      "error enterprise-b EXTRA-ROLE: role zz-shadow is deployed but no partner in the config has it; it trusts acs:ram::2000000000000002:role/b-automation, acs:ram::2000000000000002:root, acs:ram::2000000000000002:user/ci-publisher (account of enterprise-b, enterprise-b-audit), is tagged for partner enterprise-b",
    );
    expect(found.some((f) => f.includes("BROAD-GRANT: system policy AdministratorAccess is attached"))).toBe(true);
    // the real role is still compared as itself, and is clean
    expect(found.filter((f) => f.includes("eventbridge-publisher-b"))).toEqual([]);
  });

  it("reads RAM's shorthand before judging: one Statement object granting * on * is a broad grant", () => {
    const s = states(multi, ["owner"]);
    const policy = resourceAt(s[0].state, "alicloud_ram_policy.enterprise-b-audit_permissions_1");
    policy.values.policy_document = JSON.stringify({ Version: "1", Statement: { Effect: "Allow", Action: "*", Resource: "*" } });
    const found = checks(audit(s));
    expect(found).toContain(
      "error enterprise-b-audit BROAD-GRANT: policy eventbridge-delegation-enterprise-b-audit-1 allows wildcard action *",
    );
    expect(found.some((f) => f.includes("ACCESS-DRIFT: deployed broader than the config"))).toBe(true);
    expect(found.some((f) => f.includes("narrower"))).toBe(false);
    // and a document that is not a policy at all is never judged clean
    policy.values.policy_document = "not a policy";
    expect(checks(audit(s))).toContain(
      "error enterprise-b-audit UNREADABLE-POLICY: the document of policy eventbridge-delegation-enterprise-b-audit-1 is not a policy document; what it grants cannot be judged",
    );
  });

  it("sees user-level attachments, extra group attachments, tag drift and resources the product never creates", () => {
    const all = states(multi, ALL);
    const owner = all.find((x) => x.id === "owner")!.state;
    resourceAt(owner, "alicloud_ram_role.enterprise-b").values.tags = {
      ManagedBy: "someone-else",
      DelegationPartner: "enterprise-b",
    };
    const b = all.find((x) => x.id === "partner-enterprise-b")!.state;
    const group = resourceAt(b, "alicloud_ram_group_policy_attachment.assume");
    b.values.root_module.resources.push(
      {
        ...group,
        address: "alicloud_ram_user_policy_attachment.x",
        type: "alicloud_ram_user_policy_attachment",
        name: "x",
        values: { user_name: "alice", policy_name: "AdministratorAccess", policy_type: "System", id: "u" },
      },
      {
        ...group,
        address: "alicloud_ram_group_policy_attachment.y",
        name: "y",
        values: { ...group.values, policy_name: "AliyunECSFullAccess", policy_type: "System" },
      },
      {
        ...group,
        address: "alicloud_ram_access_key.k",
        type: "alicloud_ram_access_key",
        name: "k",
        values: { user_name: "alice" },
      },
    );
    const found = checks(audit(all));
    expect(found).toEqual(
      expect.arrayContaining([
        'error enterprise-b TAG-DRIFT: role eventbridge-publisher-b: tag ManagedBy is "someone-else"; the config says "eventbridge-delegation"',
        "error enterprise-b UNACCOUNTED: partner-enterprise-b.json: alicloud_ram_user_policy_attachment.x: a policy attached to a user directly; a delegation grants only through its group",
        "error enterprise-b UNACCOUNTED: partner-enterprise-b.json: alicloud_ram_group_policy_attachment.y: attaches System policy AliyunECSFullAccess to group eventbridge-delegates; a delegation grants the group only its assume permission",
        "error enterprise-b UNACCOUNTED: partner-enterprise-b.json: alicloud_ram_access_key.k: alicloud_ram_access_key is not part of a partner side",
      ]),
    );
  });

  it("property: a random change to a faithful state never audits clean, a reformatting always does", () => {
    const base = states(multi, ALL);
    type Mutation = { name: string; semantic: boolean; apply: (xs: { id: string; state: StateJson }[]) => void };
    const owner = (xs: { id: string; state: StateJson }[]) => xs[0].state;
    const docs = (xs: { id: string; state: StateJson }[]) =>
      owner(xs).values.root_module.resources.filter((r) => r.type === "alicloud_ram_policy" || r.type === "alicloud_ram_role");
    const docKey = (r: { type: string }) => (r.type === "alicloud_ram_role" ? "assume_role_policy_document" : "policy_document");
    const mutations = (i: number): Mutation[] => [
      {
        name: "reformat and reorder a document, in RAM's shorthand",
        semantic: false,
        apply: (xs) => {
          const r = docs(xs)[i % docs(xs).length];
          const d = JSON.parse(r.values[docKey(r)]);
          d.Statement = [...d.Statement].reverse().map((st: any) => ({
            ...st,
            Action: st.Action.length === 1 ? st.Action[0] : [...st.Action].reverse(),
            ...(st.Resource ? { Resource: st.Resource.length === 1 ? st.Resource[0] : [...st.Resource].reverse() } : {}),
          }));
          if (d.Statement.length === 1) d.Statement = d.Statement[0];
          r.values[docKey(r)] = JSON.stringify(d, null, 2);
        },
      },
      {
        name: "add an action",
        semantic: true,
        apply: (xs) => {
          const policies = docs(xs).filter((x) => x.type === "alicloud_ram_policy");
          const r = policies[i % policies.length];
          const d = JSON.parse(r.values.policy_document);
          d.Statement[0].Action = [...d.Statement[0].Action, "eventbridge:DeleteRule"];
          r.values.policy_document = JSON.stringify(d);
        },
      },
      {
        name: "drop a condition of a trust policy",
        semantic: true,
        apply: (xs) => {
          // only roles whose trust has conditions: dropping none is no change
          const roles = docs(xs).filter(
            (x) =>
              x.type === "alicloud_ram_role" &&
              Object.keys(JSON.parse(x.values.assume_role_policy_document).Statement[0].Condition ?? {}).length > 0,
          );
          const r = roles[i % roles.length];
          const d = JSON.parse(r.values.assume_role_policy_document);
          d.Statement[0].Condition = {};
          r.values.assume_role_policy_document = JSON.stringify(d);
        },
      },
      {
        name: "remove a resource",
        semantic: true,
        apply: (xs) => {
          const x = xs[i % xs.length].state.values.root_module.resources;
          x.splice(i % x.length, 1);
        },
      },
      {
        name: "change a tag",
        semantic: true,
        apply: (xs) => {
          const r = docs(xs).filter((x) => x.type === "alicloud_ram_role")[i % 3];
          r.values.tags = { ...r.values.tags, CostCenter: "9999" };
        },
      },
      {
        name: "longer sessions",
        semantic: true,
        apply: (xs) => {
          const r = docs(xs).filter((x) => x.type === "alicloud_ram_role")[i % 3];
          r.values.max_session_duration = 43200;
        },
      },
    ];
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 5 }), (i, which) => {
        const xs = structuredClone(base);
        const m = mutations(i)[which];
        m.apply(xs);
        // an audit that refuses its input (exit 3) is not clean either
        let errors: string[];
        try {
          errors = checks(audit(xs)).filter((f) => f.startsWith("error"));
        } catch (e) {
          if (!(e instanceof InputError)) throw e;
          errors = [`refused: ${e.message}`];
        }
        if (m.semantic) expect(errors.length, m.name).toBeGreaterThan(0);
        else expect(errors, m.name).toEqual([]);
      }),
      { numRuns: 120 },
    );
  });
});
