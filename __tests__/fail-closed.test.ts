/**
 * The review tools fail closed. Each way a stack or a state was once able to fool them, tried on
 * a faithful stack or state that the test changes: access-diff counts it as broadening and names
 * the address; the audit reports it or says it cannot see, naming the address. The same run as
 * commands (exit 2, exit 3): integration/access-diff-cli.test.ts and audit-cli.test.ts; at random:
 * fail-closed-properties.test.ts.
 */
import { describe, expect, it } from "vitest";
import { add, audit, broadened, faithfulOutput, stateOf } from "./faithful";
import { resourceAt, type StateResource } from "./state";

const { diffAfter, states } = faithfulOutput("fail-closed-");

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
});
