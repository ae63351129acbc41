/** The owner and partner stacks: resources, RAM's size limit and quota, revocation. */
import { describe, expect, it } from "vitest";
import { EXAMPLE_FILE, MULTI_FILE, edited, model, modelOf, resourcesOfType, synthAll } from "./helpers";
import { multi, sixty } from "./fixture-stacks";

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
