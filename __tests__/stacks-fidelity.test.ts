/** The stacks' providers and backends, fidelity to the provider schema, snapshots of every policy and stack, and names that never meet. */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { localStatePath } from "../lib/constructs/account";
import { EXAMPLE_FILE, ROOT, edited, modelOf, pretty, resourcesOfType, synthAll, type StackJson } from "./helpers";
import { example, multi, sixty } from "./fixture-stacks";

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
