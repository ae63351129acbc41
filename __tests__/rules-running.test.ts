/** Running the rules: a crashing rule, the rule catalog, the account-wide limit, and the checks aspect on synthesized stacks. */
import { DelegationChecks } from "../lib/stacks/checks";
import { describe, expect, it } from "vitest";
import { ruleCatalog } from "../lib/rules";
import { accountPolicyLimit } from "../lib/rules/account-policy-limit";
import { RULE_SEVERITIES } from "../lib/check-ids";
import { runRules } from "../lib/rules/rule";
import { trustAccount } from "../lib/rules/trust-account";
import { EXAMPLE_FILE, MULTI_FILE, NOW, model, synthAll } from "./helpers";
import { good, ownerSubject } from "./rule-subjects";

describe("running rules", () => {
  it("turns a crashing rule into an error finding", () => {
    const crashing = {
      ...trustAccount,
      check: () => {
        throw new Error("boom");
      },
    };
    expect(runRules([crashing], ownerSubject(good))).toEqual([
      { rule: crashing, message: "rule crashed: boom", severity: "error" },
    ]);
  });

  it("lists every check once with a severity, a title and a rationale", () => {
    const ids = ruleCatalog().map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(Object.fromEntries(ruleCatalog().map((r) => [r.id, r.severity]))).toEqual(RULE_SEVERITIES);
    for (const r of ruleCatalog()) {
      expect(r.title).toMatch(/^[A-Za-z`]/);
      expect(r.rationale.length).toBeGreaterThan(20);
    }
  });
});

describe("ACCOUNT-POLICY-LIMIT", () => {
  it("passes 1500 custom policies and fires on 1501", () => {
    expect(accountPolicyLimit.check({ accountId: "1000000000000001", customPolicies: 1500 })).toEqual([]);
    expect(accountPolicyLimit.check({ accountId: "1000000000000001", customPolicies: 1501 })).toEqual([
      "[Account::1000000000000001] the delegations need 1501 custom policies in account 1000000000000001; RAM allows 1500 by default (not counting policies that exist already)",
    ]);
  });
});

describe("the checks aspect on synthesized stacks", () => {
  it("finds nothing to warn about in the example", () => {
    expect(synthAll(model(EXAMPLE_FILE)).checks.findings).toEqual([]);
  });

  it("reports the multi-partner warnings with config paths and annotates the constructs", () => {
    const built = synthAll(model(MULTI_FILE));
    expect(
      built.checks.findings.map((f) => [f.severity, f.ruleId, f.configPath, f.constructPath, f.acknowledged !== undefined]),
    ).toEqual([
      ["warning", "TRUST-PRINCIPAL-ORDER", "partners[0]", "owner/enterprise-b", true],
      ["warning", "TRUST-ROOT-UNCONDITIONED", "partners[2]", "owner/enterprise-c", true],
      ["warning", "TRUST-PRINCIPAL-UNKNOWN", "partners[0]", "partner-enterprise-b/access", true],
      ["warning", "MFA-BLOCKS-API", "partners[0]", "partner-enterprise-b/access", true],
      ["warning", "ASSUME-SYSTEM-POLICY", "partners[1]", "partner-enterprise-b-audit/access", false],
    ]);
    const audit = built.partners.find((s) => s.node.id === "partner-enterprise-b-audit")!;
    const notes = audit.access.node.metadata.map((m) => m.data as string);
    expect(notes).toEqual([expect.stringMatching(/^ASSUME-SYSTEM-POLICY: \[Policy::AliyunSTSAssumeRoleAccess\]/)]);
  });

  it("checks the partner stack's assume permission against the role the owner side describes", () => {
    const m = model(EXAMPLE_FILE);
    const built = synthAll(m);
    expect(built.checks.findings).toEqual([]);
    // an owner whose description names another role for the partner: the two sides disagree
    const p = m.partners.find((x) => x.name === built.partners[0].side.name)!;
    const renamed = { ...p, role: { ...p.role, arn: "acs:ram::1000000000000001:role/renamed" } };
    const checks = new DelegationChecks({ now: NOW, partners: [renamed] });
    checks.visit(built.partners[0].access);
    expect(checks.findings.map((f) => [f.ruleId, f.severity])).toEqual([["ASSUME-ARN-MATCH", "error"]]);
    // and one that revoked it: the partner stack may assume a role the owner no longer has
    const revoked = new DelegationChecks({ now: NOW, partners: [{ ...p, revoked: true }] });
    revoked.visit(built.partners[0].access);
    expect(revoked.findings.map((f) => f.message)).toEqual([
      expect.stringMatching(/the owner stack creates no role for partner/),
    ]);
  });
});
