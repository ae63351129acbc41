/** The audit of deployed state against the config: drift, missing and extra roles, revoked partners. */
import { beforeAll, describe, expect, it } from "vitest";
import { MULTI_FILE, NOW, edited, model, modelOf } from "./helpers";
import { asFiles, audit, checks } from "./audit";
import { outputs } from "./outputs";
import { MULTI_STACKS as ALL, resourceAt, statesOf as states } from "./state";
import { auditDelegations } from "../lib/audit/state";

const { synth } = outputs("audit-state-");
let multi: string;
beforeAll(async () => {
  multi = await synth(MULTI_FILE, "multi");
});

describe("audit of deployed state", () => {
  it("finds nothing when the state is what the config synthesizes", () => {
    const r = audit(states(multi, ALL));
    expect(r.findings).toEqual([]);
    expect(r.partnerSidesAudited).toEqual(["enterprise-b", "enterprise-b-audit", "enterprise-c", "enterprise-d"]);
  });

  it("compares parsed documents, not strings", () => {
    const s = states(multi, ["owner"]);
    const role = resourceAt(s[0].state, "alicloud_ram_role.enterprise-b");
    const doc = JSON.parse(role.values.assume_role_policy_document);
    doc.Statement[0].Action = "sts:AssumeRole"; // RAM's shorthand
    doc.Statement[0].Principal.RAM.reverse();
    role.values.assume_role_policy_document = JSON.stringify({ Statement: doc.Statement, Version: "1" }, null, 2);
    expect(audit(s).findings).toEqual([]);
  });

  it("reports drifted trust, broader access, extra attachments and broad grants", () => {
    const s = states(multi, ["owner"]);
    const role = resourceAt(s[0].state, "alicloud_ram_role.enterprise-b-audit");
    const doc = JSON.parse(role.values.assume_role_policy_document);
    delete doc.Statement[0].Condition;
    role.values.assume_role_policy_document = JSON.stringify(doc);
    s[0].state.values.root_module.resources.push({
      ...resourceAt(s[0].state, "alicloud_ram_role_policy_attachment.enterprise-c_system_AliyunEventBridgeReadOnlyAccess"),
      address: "alicloud_ram_role_policy_attachment.by-hand",
      name: "by-hand",
      values: {
        role_name: "eventbridge-readonly-c",
        policy_name: "AdministratorAccess",
        policy_type: "System",
        id: "role:AdministratorAccess:System:eventbridge-readonly-c",
      },
    });
    expect(checks(audit(s))).toEqual([
      "error enterprise-b-audit TRUST-DRIFT: the deployed trust policy differs from the config",
      "error enterprise-b-audit ACCESS-DRIFT: deployed broader than the config: trust: ExternalId no longer required",
      "error enterprise-c BROAD-GRANT: system policy AdministratorAccess is attached: it grants every action on every resource; allowed: AliyunEventBridgeReadOnlyAccess, AliyunEventBridgePutEventsPolicy",
      "error enterprise-c ATTACHMENT-DRIFT: System AdministratorAccess policy is attached but not in the config",
      "error enterprise-c ACCESS-DRIFT: deployed broader than the config: system policy AdministratorAccess attached",
    ]);
  });

  it("reports missing and extra roles, drifted permission policies and revoked partners still present", () => {
    const s = states(multi, ["owner"]);
    const resources = s[0].state.values.root_module.resources;
    s[0].state.values.root_module.resources = resources.filter((r) => !r.address.startsWith("alicloud_ram_role.enterprise-c"));
    const policy = resourceAt(s[0].state, "alicloud_ram_policy.enterprise-b-audit_permissions_1");
    const doc = JSON.parse(policy.values.policy_document);
    doc.Statement.push({ Effect: "Allow", Action: ["eventbridge:DeleteEventBus"], Resource: ["*"] });
    policy.values.policy_document = JSON.stringify(doc);
    const revoked = modelOf(edited(MULTI_FILE, (c) => (c.partners[0].revoked = true)));
    expect(checks(audit(s, revoked))).toEqual([
      "error enterprise-b REVOKED-PRESENT: the partner is revoked but role eventbridge-publisher-b still exists",
      "error enterprise-b-audit BROAD-GRANT: policy eventbridge-delegation-enterprise-b-audit-1 allows write action eventbridge:DeleteEventBus on every resource",
      "error enterprise-b-audit POLICY-DRIFT: the deployed document of eventbridge-delegation-enterprise-b-audit-1 differs from the config",
      "error enterprise-b-audit ACCESS-DRIFT: deployed broader than the config: eventbridge:DeleteEventBus on *",
      "error enterprise-c MISSING-ROLE: role eventbridge-readonly-c is not deployed",
      // the role went, its attachment stayed: a grant to a role the audit cannot see
      "error ? UNACCOUNTED: owner.json: alicloud_ram_role_policy_attachment.enterprise-c_system_AliyunEventBridgeReadOnlyAccess: attaches AliyunEventBridgeReadOnlyAccess to role eventbridge-readonly-c, which this stack does not hold",
    ]);
    const extra = audit(states(multi, ["owner"]), modelOf(edited(MULTI_FILE, (c) => c.partners.splice(2, 1))));
    expect(checks(extra)).toEqual([
      "error ? EXTRA-ROLE: role eventbridge-readonly-c is deployed but no partner in the config has it; it trusts acs:ram::3000000000000003:root, is tagged for partner enterprise-c",
    ]);
  });

  it("flags a deployed write on a wildcard beyond one bus", () => {
    const s = states(multi, ["owner"]);
    const policy = resourceAt(s[0].state, "alicloud_ram_policy.enterprise-b-audit_permissions_1");
    policy.values.policy_document = JSON.stringify({
      Version: "1",
      Statement: [{ Effect: "Allow", Action: "eventbridge:DeleteEventBus", Resource: "acs:eventbridge:*:*:*" }],
    });
    expect(checks(audit(s))).toContain(
      "error enterprise-b-audit BROAD-GRANT: policy eventbridge-delegation-enterprise-b-audit-1 allows write action eventbridge:DeleteEventBus on acs:eventbridge:*:*:*, beyond any one bus",
    );
  });

  it("sees through NotAction: allowing everything but a list is broad", () => {
    const s = states(multi, ["owner"]);
    const policy = resourceAt(s[0].state, "alicloud_ram_policy.enterprise-b-audit_permissions_1");
    policy.values.policy_document = JSON.stringify({
      Version: "1",
      Statement: [{ Effect: "Allow", NotAction: "ram:*", Resource: "*" }],
    });
    const found = checks(audit(s));
    expect(found).toContain(
      "error enterprise-b-audit BROAD-GRANT: policy eventbridge-delegation-enterprise-b-audit-1 allows everything but a list (NotAction/NotResource)",
    );
    expect(found).toContain("error enterprise-b-audit ACCESS-DRIFT: deployed broader than the config: * on *");
  });

  it("tells partner sides apart by their group's role even when group names repeat", async () => {
    const twins = edited(MULTI_FILE, (c) => {
      c.partners[2].partnerSide.groupName = "eventbridge-auditors"; // as enterprise-b-audit, in another account
      c.partners[2].partnerSide.assumePolicy = "system";
    });
    const out = await synth(twins, "twins");
    const r = auditDelegations(modelOf(twins), asFiles(states(out, ["partner-enterprise-b-audit", "partner-enterprise-c"])), NOW);
    expect(r.findings.filter((f) => f.check !== "ASSUME-SYSTEM-POLICY")).toEqual([]);
    expect(r.partnerSidesAudited).toEqual(["enterprise-b-audit", "enterprise-c"]);
  });

  it("warns about a partner past validUntil whose role still exists", () => {
    const r = audit(states(multi, ["owner"]), model(MULTI_FILE), new Date("2028-01-15T00:00:00Z"));
    expect(checks(r)).toEqual([
      "warning enterprise-b EXPIRED-PRESENT: the delegation ended at 2027-12-31T15:59:59Z but role eventbridge-publisher-b still exists; set revoked: true and deploy",
    ]);
  });

  it("audits the partner side: members, assume permission, revocation", () => {
    const s = states(multi, ["partner-enterprise-b", "partner-enterprise-d"]);
    const assume = resourceAt(s[0].state, "alicloud_ram_policy.assume");
    assume.values.policy_document = assume.values.policy_document.replace("role/eventbridge-publisher-b", "role/*");
    s[0].state.values.root_module.resources.push({
      ...resourceAt(s[0].state, "alicloud_ram_user_group_attachment.alice"),
      address: "alicloud_ram_user_group_attachment.mallory",
      name: "mallory",
      values: { group_name: "eventbridge-delegates", user_name: "mallory", id: "eventbridge-delegates:mallory" },
    });
    s[1].state.values.root_module.resources.push({
      ...resourceAt(s[0].state, "alicloud_ram_group_policy_attachment.assume"),
      values: { group_name: "eventbridge-publishers", policy_name: "AliyunSTSAssumeRoleAccess", policy_type: "System", id: "x" },
    });
    expect(checks(audit(s))).toEqual([
      "error enterprise-b MEMBER-DRIFT: group member mallory is deployed but not in the config",
      "error enterprise-b ASSUME-DRIFT: the deployed document of eventbridge-assume-enterprise-a-enterprise-b differs from the config",
      "error enterprise-d REVOKED-PRESENT: the partner is revoked but group eventbridge-publishers still has System AliyunSTSAssumeRoleAccess policy attached",
    ]);
  });

  it("the example's state fixtures follow Terraform's JSON format", () => {
    const [owner] = states(multi, ["owner"]);
    expect(owner.state.format_version).toBe("1.0");
    for (const r of owner.state.values.root_module.resources) {
      expect(r.address).toBe(`${r.type}.${r.name}`);
      expect(JSON.stringify(r.values)).not.toContain("${");
    }
    expect(resourceAt(owner.state, "alicloud_ram_role.enterprise-b").values.arn).toBe(
      "acs:ram::1000000000000001:role/eventbridge-publisher-b",
    );
  });
});
