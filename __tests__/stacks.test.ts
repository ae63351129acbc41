import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { localStatePath } from "../lib/constructs/account";
import {
  EXAMPLE_FILE,
  MULTI_FILE,
  ROOT,
  edited,
  model,
  modelOf,
  pretty,
  resourcesOfType,
  synthAll,
  type StackJson,
} from "./helpers";

const example = synthAll(model(EXAMPLE_FILE));
const multi = synthAll(model(MULTI_FILE));
/** The example partner with 60 buses on every permission level: more than one policy's worth. */
const sixty = synthAll(
  modelOf(
    edited(EXAMPLE_FILE, (c) => {
      c.partners[0].grants = Array.from({ length: 60 }, (_, i) => ({
        eventBus: `bus-${i}`,
        permissions: ["publish", "read", "manage-rules"],
        rules: [`rule-a-${i}`, `rule-b-${i}`],
      }));
    }),
  ),
);

describe("owner stack", () => {
  const owner = multi.stacks.owner;

  it("has a role, policy and attachments for each active partner only", () => {
    expect(Object.keys(resourcesOfType(owner, "alicloud_ram_role")).sort()).toEqual([
      "enterprise-b",
      "enterprise-b-audit",
      "enterprise-c",
    ]);
    expect(Object.keys(resourcesOfType(owner, "alicloud_ram_policy")).sort()).toEqual([
      "enterprise-b-audit_permissions_1",
      "enterprise-b_permissions_1",
    ]);
    expect(Object.keys(resourcesOfType(owner, "alicloud_ram_role_policy_attachment")).sort()).toEqual([
      "enterprise-b-audit_permissions_1",
      "enterprise-b_permissions_1",
      "enterprise-b_system_AliyunEventBridgeReadOnlyAccess",
      "enterprise-c_system_AliyunEventBridgeReadOnlyAccess",
    ]);
  });

  it("configures the role from the partner", () => {
    const role = resourcesOfType(owner, "alicloud_ram_role")["enterprise-b"];
    expect(role.role_name).toBe("eventbridge-publisher-b");
    expect(role.max_session_duration).toBe(7200);
    expect(role.description).toBe("Enterprise B publishes and routes order events");
    expect(role.tags).toEqual({
      CostCenter: "1234",
      Owner: "platform-team",
      ManagedBy: "eventbridge-delegation",
      DelegationPartner: "enterprise-b",
    });
    const defaulted = resourcesOfType(owner, "alicloud_ram_role")["enterprise-c"];
    expect(defaulted.description).toBe("EventBridge access delegated to enterprise-c (account 3000000000000003)");
    expect(defaulted.max_session_duration).toBe(3600);
  });

  it("attaches the custom policy by reference and system policies by name", () => {
    const att = resourcesOfType(owner, "alicloud_ram_role_policy_attachment");
    expect(att["enterprise-b_permissions_1"]).toMatchObject({
      policy_name: "${alicloud_ram_policy.enterprise-b_permissions_1.policy_name}",
      policy_type: "Custom",
      role_name: "${alicloud_ram_role.enterprise-b.role_name}",
    });
    expect(att["enterprise-c_system_AliyunEventBridgeReadOnlyAccess"]).toMatchObject({
      policy_name: "AliyunEventBridgeReadOnlyAccess",
      policy_type: "System",
      role_name: "${alicloud_ram_role.enterprise-c.role_name}",
    });
  });

  it("rotates policy versions instead of failing at RAM's five-version limit", () => {
    expect(resourcesOfType(owner, "alicloud_ram_policy")["enterprise-b_permissions_1"].rotate_strategy).toBe(
      "DeleteOldestNonDefaultVersionWhenLimitExceeded",
    );
  });

  it("outputs role ARN and name, policy names, the Switch Role URL and the end date per partner", () => {
    expect(owner.output.enterprise_b.value).toEqual({
      role_arn: "${alicloud_ram_role.enterprise-b.arn}",
      role_name: "${alicloud_ram_role.enterprise-b.role_name}",
      policy_names: ["eventbridge-delegation-enterprise-b-1", "AliyunEventBridgeReadOnlyAccess"],
      switch_role_url:
        "https://signin.aliyun.com/switchRole.htm?parentAlias=1000000000000001.onaliyun.com&roleName=eventbridge-publisher-b",
      valid_until: "2027-12-31T15:59:59Z",
    });
    expect(owner.output.enterprise_c.value.valid_until).toBe("");
    expect(owner.output.enterprise_c.value.policy_names).toEqual(["AliyunEventBridgeReadOnlyAccess"]);
    expect(Object.keys(owner.output).sort()).toEqual(["enterprise_b", "enterprise_b_audit", "enterprise_c"]);
  });
});

describe("permissions over RAM's size limit", () => {
  const owner = sixty.stacks.owner;

  it("become numbered policies, each attached to the role", () => {
    const policies = resourcesOfType(owner, "alicloud_ram_policy");
    const ids = Object.keys(policies);
    expect(ids.length).toBeGreaterThan(1);
    expect(ids).toEqual(ids.map((_, i) => `enterprise-b_permissions_${i + 1}`));
    expect(Object.values(policies).map((p) => p.policy_name)).toEqual(
      ids.map((_, i) => `eventbridge-delegation-enterprise-b-${i + 1}`),
    );
    for (const p of Object.values(policies)) expect(p.policy_document.length).toBeLessThanOrEqual(6144);
    const custom = Object.entries(resourcesOfType(owner, "alicloud_ram_role_policy_attachment"));
    expect(custom.map(([id, a]) => [id, a.policy_name])).toEqual(
      ids.map((id) => [id, `\${alicloud_ram_policy.${id}.policy_name}`]),
    );
    expect(owner.output.enterprise_b.value.policy_names).toEqual(Object.values(policies).map((p) => p.policy_name));
    expect(sixty.checks.findings).toEqual([]);
  });
});

describe("RAM's per-role quota of 10 custom policies", () => {
  /** `buses` buses in each of three regions, every level, two rules each. */
  const wide = (buses: number) =>
    synthAll(
      modelOf(
        edited(EXAMPLE_FILE, (c) => {
          c.partners[0].grants = ["cn-hangzhou", "cn-shanghai", "cn-beijing"].flatMap((region) =>
            Array.from({ length: buses }, (_, i) => ({
              eventBus: `bus-${i}`,
              region,
              permissions: ["publish", "read", "manage-rules"],
              rules: [`rule-a-${i}`, `rule-b-${i}`],
            })),
          );
        }),
      ),
    );
  const errors = (app: ReturnType<typeof wide>) => app.checks.findings.filter((f) => f.severity === "error");

  it("accepts a partner that needs 9 policies", () => {
    const app = wide(55);
    expect(Object.keys(resourcesOfType(app.stacks.owner, "alicloud_ram_policy"))).toHaveLength(9);
    expect(errors(app)).toEqual([]);
  });

  it("refuses one that needs 11", () => {
    const app = wide(70);
    expect(Object.keys(resourcesOfType(app.stacks.owner, "alicloud_ram_policy"))).toHaveLength(11);
    expect(errors(app).map((f) => `${f.ruleId}: ${f.message}`)).toEqual([
      "ROLE-ATTACHMENT-LIMIT: [Role::eventbridge-publisher-b] the permissions of partner enterprise-b need 11 custom policies of at most 10 attachable to one role; grant fewer buses, rules or actions",
    ]);
  });
});

describe("revocation", () => {
  it("a revoked partner's delegation output names no role, link or ExternalId", () => {
    const revoked = synthAll(modelOf(edited(MULTI_FILE, (c) => (c.partners[0].revoked = true)))).stacks["partner-enterprise-b"];
    expect(revoked.output.delegation.value).toMatchObject({ role_arn: "", external_id: "", switch_role_url: "" });
    // while active, the same partner's output carries them
    expect(multi.stacks["partner-enterprise-b"].output.delegation.value.external_id).not.toBe("");
  });

  it("leaves nothing for a revoked partner in the owner stack", () => {
    const before = synthAll(model(EXAMPLE_FILE)).stacks.owner;
    const after = synthAll(modelOf(edited(EXAMPLE_FILE, (c) => (c.partners[0].revoked = true)))).stacks.owner;
    expect(Object.keys(before.resource)).not.toHaveLength(0);
    expect(after.resource ?? {}).toEqual({});
    expect(after.output ?? {}).toEqual({});
  });

  it("removes the partner's assume permission but keeps its users", () => {
    const side = multi.stacks["partner-enterprise-d"];
    expect(resourcesOfType(side, "alicloud_ram_policy")).toEqual({});
    expect(resourcesOfType(side, "alicloud_ram_group_policy_attachment")).toEqual({});
    expect(Object.keys(resourcesOfType(side, "alicloud_ram_user"))).toEqual(["dave"]);
    expect(side.output.delegation.value.role_arn).toBe("");
    expect(side.output.delegation.value.switch_role_url).toBe("");
  });
});

describe("partner stack", () => {
  const side = multi.stacks["partner-enterprise-b"];

  it("creates the group and users and adds created and existing users to the group", () => {
    expect(resourcesOfType(side, "alicloud_ram_group").delegates.group_name).toBe("eventbridge-delegates");
    const users = resourcesOfType(side, "alicloud_ram_user");
    expect(
      Object.values(users)
        .map((u) => u.name)
        .sort(),
    ).toEqual(["alice", "bob.smith", "ci-publisher"]);
    expect(users["ci-publisher"].display_name).toBe("CI publisher");
    const bob = Object.keys(users).find((k) => users[k].name === "bob.smith")!;
    expect(bob).toMatch(/^_bob_smith_[0-9a-f]{6}$/);
    const members = Object.values(resourcesOfType(side, "alicloud_ram_user_group_attachment"));
    expect(members.map((m) => m.user_name).sort()).toEqual(
      [
        "${alicloud_ram_user.alice.name}",
        "${alicloud_ram_user.ci-publisher.name}",
        `\${alicloud_ram_user.${bob}.name}`,
        "ops-oncall",
      ].sort(),
    );
    expect(members.every((m) => m.group_name === "${alicloud_ram_group.delegates.group_name}")).toBe(true);
  });

  it("gives console users a login profile whose password comes from a sensitive variable", () => {
    const profiles = Object.values(resourcesOfType(side, "alicloud_ram_login_profile"));
    expect(profiles.map((p) => p.password).sort()).toEqual([
      '${var.console_passwords["alice"]}',
      '${var.console_passwords["bob.smith"]}',
    ]);
    for (const p of profiles) {
      expect(p.password_reset_required).toBe(true);
      expect(p.mfa_bind_required).toBe(true);
    }
    expect(side.variable.console_passwords).toMatchObject({ type: "map(string)", sensitive: true, nullable: false });
    expect(side.variable.console_passwords.validation[0].condition).toBe(
      '${alltrue([for u in ["alice","bob.smith"] : contains(keys(var.console_passwords), u)])}',
    );
  });

  it("has no console variable when nobody logs in to the console", () => {
    expect(multi.stacks["partner-enterprise-c"].variable).toBeUndefined();
    expect(resourcesOfType(multi.stacks["partner-enterprise-c"], "alicloud_ram_login_profile")).toEqual({});
  });

  it("never creates access keys", () => {
    for (const stack of Object.values(multi.stacks)) expect(resourcesOfType(stack, "alicloud_ram_access_key")).toEqual({});
  });

  it("scoped: a custom assume policy on the owner's role, attached to the group", () => {
    expect(resourcesOfType(side, "alicloud_ram_policy").assume.policy_name).toBe("eventbridge-assume-enterprise-a-enterprise-b");
    expect(resourcesOfType(side, "alicloud_ram_group_policy_attachment").assume).toMatchObject({
      group_name: "${alicloud_ram_group.delegates.group_name}",
      policy_name: "${alicloud_ram_policy.assume.policy_name}",
      policy_type: "Custom",
    });
  });

  it("system: AliyunSTSAssumeRoleAccess attached to the group, no custom policy", () => {
    const audit = multi.stacks["partner-enterprise-b-audit"];
    expect(resourcesOfType(audit, "alicloud_ram_policy")).toEqual({});
    expect(resourcesOfType(audit, "alicloud_ram_group_policy_attachment").assume).toMatchObject({
      policy_name: "AliyunSTSAssumeRoleAccess",
      policy_type: "System",
    });
  });

  it("outputs what the partner's users need, as one object", () => {
    expect(Object.keys(side.output)).toEqual(["delegation"]);
    expect(side.output.delegation.value).toEqual({
      group_name: "eventbridge-delegates",
      user_names: ["ci-publisher", "alice", "bob.smith", "ops-oncall"],
      role_arn: "acs:ram::1000000000000001:role/eventbridge-publisher-b",
      external_id: "b-4f7c2a",
      logon_name_format: "<user>@2000000000000002.onaliyun.com",
      switch_role_url:
        "https://signin.aliyun.com/switchRole.htm?parentAlias=1000000000000001.onaliyun.com&roleName=eventbridge-publisher-b",
    });
  });
});

describe("providers and backends", () => {
  it("pins aliyun/alicloud 1.289.0 in every stack", () => {
    for (const stack of Object.values(multi.stacks)) {
      expect(stack.terraform.required_providers).toEqual({
        alicloud: { source: "registry.terraform.io/aliyun/alicloud", version: "1.289.0" },
      });
    }
  });

  it("configures each stack's provider for its own account", () => {
    expect(multi.stacks.owner.provider.alicloud).toEqual([
      {
        region: "cn-hangzhou",
        profile: "enterprise-a",
        assume_role: { role_arn: "acs:ram::1000000000000001:role/terraform-deployer", session_name: "eventbridge-delegation" },
        configuration_source: "eventbridge-delegation/owner",
      },
    ]);
    expect(multi.stacks["partner-enterprise-b"].provider.alicloud[0]).toMatchObject({
      region: "cn-shanghai",
      profile: "enterprise-b",
    });
    expect(multi.stacks["partner-enterprise-c"].provider.alicloud[0].region).toBe("cn-hangzhou");
    expect(multi.stacks["partner-enterprise-c"].provider.alicloud[0].profile).toBeUndefined();
  });

  it("keeps local state per stack at the project root, by a relative path", () => {
    expect(example.stacks.owner.terraform.backend).toEqual({ local: { path: "../../../terraform.owner.tfstate" } });
    expect(example.stacks["partner-enterprise-b"].terraform.backend).toEqual({
      local: { path: "../../../terraform.partner-enterprise-b.tfstate" },
    });
    expect(localStatePath("owner", { projectDir: "/p", outdir: "/p/build/out" })).toBe("../../../../terraform.owner.tfstate");
  });

  it("uses OSS with Tablestore locking when configured, one state object per stack", () => {
    expect(multi.stacks.owner.terraform.backend).toEqual({
      oss: {
        bucket: "a-tf-state",
        prefix: "eventbridge-delegation",
        key: "owner.tfstate",
        region: "cn-hangzhou",
        profile: "enterprise-a",
        encrypt: true,
        tablestore_endpoint: "https://a-lock.cn-hangzhou.ots.aliyuncs.com",
        tablestore_table: "terraform_lock",
      },
    });
    expect(multi.stacks["partner-enterprise-b"].terraform.backend.oss).toMatchObject({
      bucket: "b-tf-state",
      key: "partner-enterprise-b.tfstate",
      region: "cn-shanghai",
    });
    expect(multi.stacks["partner-enterprise-b-audit"].terraform.backend.local).toBeDefined();
  });
});

describe("fidelity to the provider schema", () => {
  const schema = JSON.parse(readFileSync(path.join(ROOT, "providers", "aliyun-alicloud-1.289.0.json"), "utf8")).provider_schemas[
    "registry.terraform.io/aliyun/alicloud"
  ];

  function checkBlock(block: any, values: Record<string, unknown>, where: string): string[] {
    const problems: string[] = [];
    const attrs = block.attributes ?? {};
    const blocks = block.block_types ?? {};
    for (const [key, value] of Object.entries(values)) {
      if (key === "//" || key === "depends_on" || key === "lifecycle" || key === "provider") continue;
      if (attrs[key]) {
        if (attrs[key].deprecated) problems.push(`${where}.${key} is deprecated`);
        if (attrs[key].computed && !attrs[key].optional && !attrs[key].required) problems.push(`${where}.${key} is read-only`);
      } else if (blocks[key]) {
        const items = Array.isArray(value) ? value : [value];
        items.forEach((v, i) =>
          problems.push(...checkBlock(blocks[key].block, v as Record<string, unknown>, `${where}.${key}[${i}]`)),
        );
      } else problems.push(`${where}.${key} is not in the schema`);
    }
    for (const [key, a] of Object.entries<any>(attrs))
      if (a.required && !(key in values)) problems.push(`${where}.${key} is required`);
    return problems;
  }

  for (const [name, built] of [
    ["example", example],
    ["multi-partner", multi],
  ] as const) {
    it(`${name}: every argument exists, is current and required ones are set`, () => {
      const problems: string[] = [];
      for (const [id, stack] of Object.entries<StackJson>(built.stacks)) {
        for (const [type, resources] of Object.entries<Record<string, any>>(stack.resource ?? {})) {
          const rs = schema.resource_schemas[type];
          if (!rs) {
            problems.push(`${id}: ${type} is not in the schema`);
            continue;
          }
          if (rs.block.deprecated) problems.push(`${id}: ${type} is deprecated`);
          for (const [rid, values] of Object.entries(resources))
            problems.push(...checkBlock(rs.block, values, `${id}:${type}.${rid}`));
        }
        for (const config of stack.provider.alicloud)
          problems.push(...checkBlock(schema.provider.block, config, `${id}:provider`));
      }
      expect(problems).toEqual([]);
    });
  }

  it("the checker itself catches a deprecated argument", () => {
    const rs = schema.resource_schemas.alicloud_ram_role;
    expect(checkBlock(rs.block, { name: "x", document: "{}" }, "r")).toEqual([
      "r.name is deprecated",
      "r.document is deprecated",
    ]);
    expect(schema.resource_schemas.alicloud_ram_group_membership.block.deprecated).toBe(true);
  });
});

/**
 * Snapshots: every policy document as deployed (read back from the synthesized stacks) and every
 * stack. The policy files under __snapshots__/policies/ are the reviewed policies: read their
 * diff before accepting a change.
 */
describe("snapshots", () => {
  for (const [fixture, built] of [
    ["example", example],
    ["multi-partner", multi],
    ["sixty-buses", sixty],
  ] as const) {
    const { owner } = built.stacks;
    for (const [id, role] of Object.entries(resourcesOfType(owner, "alicloud_ram_role"))) {
      it(`${fixture}: trust policy of ${id}`, async () => {
        await expect(pretty(role.assume_role_policy_document)).toMatchFileSnapshot(
          `./__snapshots__/policies/${fixture}/${id}.trust.json`,
        );
      });
    }
    for (const [id, policy] of Object.entries(resourcesOfType(owner, "alicloud_ram_policy"))) {
      it(`${fixture}: permission policy of ${id}`, async () => {
        await expect(pretty(policy.policy_document)).toMatchFileSnapshot(
          `./__snapshots__/policies/${fixture}/${id}.permission.json`,
        );
      });
    }
    for (const [stackId, stack] of Object.entries(built.stacks)) {
      const assume = resourcesOfType(stack, "alicloud_ram_policy").assume;
      if (assume) {
        it(`${fixture}: assume policy of ${stackId}`, async () => {
          await expect(pretty(assume.policy_document)).toMatchFileSnapshot(
            `./__snapshots__/policies/${fixture}/${stackId}.assume.json`,
          );
        });
      }
      it(`${fixture}: stack ${stackId}`, async () => {
        await expect(`${JSON.stringify(stack, null, 2)}\n`).toMatchFileSnapshot(
          `./__snapshots__/stacks/${fixture}/${stackId}.tf.json`,
        );
      });
    }
  }
});

describe("addresses and names never meet across partners", () => {
  it("partner b's second policy and partner b-2's first have different names and addresses", () => {
    const built = synthAll(
      modelOf(
        edited(EXAMPLE_FILE, (c) => {
          const b = c.partners[0];
          b.name = "b";
          b.grants = Array.from({ length: 60 }, (_, i) => ({
            eventBus: `bus-${i}`,
            permissions: ["publish", "read", "manage-rules"],
            rules: ["x", "y"],
          }));
          c.partners.push({
            ...structuredClone(b),
            name: "b-2",
            accountId: "3000000000000003",
            role: { name: "role-b-2", externalId: "b2-1234" },
            grants: [{ eventBus: "secret-bus", permissions: ["manage-rules"] }],
            partnerSide: { groupName: "g" },
          });
        }),
      ),
    );
    const policies = resourcesOfType(built.stacks.owner, "alicloud_ram_policy");
    const names = Object.values(policies).map((p) => p.policy_name);
    expect(names.filter((n) => n.startsWith("eventbridge-delegation-b-")).length).toBeGreaterThan(2);
    expect(new Set(names).size).toBe(names.length);
    expect(policies["b-2_permissions_1"].policy_name).toBe("eventbridge-delegation-b-2-1");
    expect(policies["b_permissions_2"].policy_name).toBe("eventbridge-delegation-b-2");
    const b2 = Object.values(resourcesOfType(built.stacks.owner, "alicloud_ram_role_policy_attachment")).filter(
      (a) => a.role_name === "${alicloud_ram_role.b-2.role_name}",
    );
    expect(b2.map((a) => a.policy_name)).toEqual(["${alicloud_ram_policy.b-2_permissions_1.policy_name}"]);
  });
});
