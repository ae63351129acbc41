import { DelegationChecks } from "../lib/stacks/checks";
import { describe, expect, it } from "vitest";
import { renderPolicy } from "../lib/policy/document";
import { readPolicy } from "../lib/policy/read";
import { assumePolicy, permissionPolicies, trustPolicy } from "../lib/policy/policies";
import { ruleCatalog } from "../lib/rules";
import { accountPolicyLimit } from "../lib/rules/account-policy-limit";
import { RULE_SEVERITIES } from "../lib/check-ids";
import { assumeArnMatch } from "../lib/rules/assume-arn-match";
import { assumeSystemPolicy } from "../lib/rules/assume-system-policy";
import { assumePolicySize, permissionPolicySize } from "../lib/rules/policy-size";
import { policyWildcard, withinOneBus } from "../lib/rules/policy-wildcard";
import { regionWildcard } from "../lib/rules/region-wildcard";
import { roleAttachmentLimit } from "../lib/rules/role-attachment-limit";
import { runRules, type OwnerSubject, type PartnerSubject } from "../lib/rules/rule";
import { trustAccount } from "../lib/rules/trust-account";
import { mfaBlocksApi, mfaBlocksPartnerApi } from "../lib/rules/mfa-blocks-api";
import { handoffRevoked } from "../lib/rules/handoff-revoked";
import { trustPrincipalUnknown } from "../lib/rules/trust-principal-unknown";
import { trustPrincipalOrder } from "../lib/rules/trust-principal-order";
import { trustRootUnconditioned } from "../lib/rules/trust-root-unconditioned";
import { validityEnding, validityEndingHandoff } from "../lib/rules/validity-ending";
import type { PartnerModel, PartnerSideModel } from "../lib/model/model";
import { EXAMPLE_FILE, MULTI_FILE, NOW, edited, model, modelOf, synthAll } from "./helpers";

const good = model(EXAMPLE_FILE).partners[0];

function ownerSubject(
  p: PartnerModel,
  override: { trustText?: string; permissionTexts?: string[] } = {},
  now = NOW,
): OwnerSubject {
  const trustText = override.trustText ?? renderPolicy(trustPolicy(p));
  const texts = override.permissionTexts ?? permissionPolicies(p).map(renderPolicy);
  return {
    partner: p,
    trustText,
    trust: readPolicy(trustText),
    permissions: texts.map((text, i) => ({ name: `policy-${i + 1}`, text, statements: readPolicy(text) })),
    attached: { custom: texts.length, system: p.systemPolicies },
    now,
  };
}

const goodSide = model(EXAMPLE_FILE).partnerSides[0];

function partnerSubject(side: PartnerSideModel, override: Partial<PartnerSubject> = {}, now = NOW): PartnerSubject {
  const assumeText = renderPolicy(assumePolicy(side.handoff.role.arn));
  return { side, assumeText, assume: readPolicy(assumeText), ownerRoleArn: side.handoff.role.arn, now, ...override };
}

/** A partner side as B's repository has it: built from a handoff file (same content). */
const fromFile = (side: PartnerSideModel, handoff: Partial<PartnerSideModel["handoff"]> = {}): PartnerSideModel => ({
  ...side,
  handoffFile: "handoffs/enterprise-b.json",
  handoff: { ...side.handoff, ...handoff },
});

const policyText = (statements: object[]) => JSON.stringify({ Version: "1", Statement: statements });

/** 60 buses on every permission level, with two rules each. */
const sixtyBuses = () =>
  Array.from({ length: 60 }, (_, i) => ({
    eventBus: `bus-${i}`,
    permissions: ["publish", "read", "manage-rules"],
    rules: [`rule-a-${i}`, `rule-b-${i}`],
  }));

describe("TRUST-ACCOUNT", () => {
  it("passes a trust policy of the partner's account", () => {
    expect(trustAccount.check(ownerSubject(good))).toEqual([]);
  });
  it("fires on another account, a service principal and a missing document", () => {
    const trustText = policyText([
      {
        Effect: "Allow",
        Principal: { RAM: ["acs:ram::9000000000000009:root"], Service: ["ecs.aliyuncs.com"] },
        Action: "sts:AssumeRole",
      },
    ]);
    expect(trustAccount.check(ownerSubject(good, { trustText }))).toEqual([
      "[Principal::RAM:acs:ram::9000000000000009:root] the role trusts acs:ram::9000000000000009:root, which is not a RAM principal of partner account 2000000000000002",
      "[Principal::Service:ecs.aliyuncs.com] the role trusts ecs.aliyuncs.com, which is not a RAM principal of partner account 2000000000000002",
    ]);
    expect(trustAccount.check({ ...ownerSubject(good), trust: undefined })).toEqual([
      "[Document::trust] the trust policy is missing or not valid JSON",
    ]);
  });
});

describe("POLICY-WILDCARD", () => {
  it("passes generated policies, including a read on *", () => {
    const p = model(MULTI_FILE).partners[0];
    expect(policyWildcard.check(ownerSubject(p))).toEqual([]);
  });
  it("fires on a wildcard action and on a write on *", () => {
    const permissionTexts = [
      policyText([{ Effect: "Allow", Action: ["eventbridge:*"], Resource: ["acs:eventbridge:cn-hangzhou:1:eventbus/x"] }]),
      policyText([{ Effect: "Allow", Action: ["eventbridge:PutEvents", "eventbridge:ListEventBuses"], Resource: "*" }]),
    ];
    expect(policyWildcard.check(ownerSubject(good, { permissionTexts }))).toEqual([
      "[Action::eventbridge:*] wildcard action eventbridge:*",
      "[Resource::*] write action eventbridge:PutEvents on every resource (*)",
    ]);
  });
  it("fires on a write on a wildcard beyond one bus, not on one inside a bus", () => {
    const permissionTexts = [
      policyText([
        { Effect: "Allow", Action: ["eventbridge:DeleteConnection"], Resource: ["acs:eventbridge:cn-hangzhou:1:connection/*"] },
        { Effect: "Allow", Action: ["eventbridge:CreateEventBus"], Resource: ["acs:eventbridge:cn-hangzhou:1:eventbus/*"] },
        {
          Effect: "Allow",
          Action: ["eventbridge:PutTargets"],
          Resource: ["acs:eventbridge:cn-hangzhou:1:eventbus/orders/rule/*"],
        },
        { Effect: "Deny", Action: ["*"], Resource: ["*"] },
      ]),
    ];
    expect(policyWildcard.check(ownerSubject(good, { permissionTexts }))).toEqual([
      "[Resource::acs:eventbridge:cn-hangzhou:1:connection/*] write action eventbridge:DeleteConnection on acs:eventbridge:cn-hangzhou:1:connection/*, beyond any one bus",
      "[Resource::acs:eventbridge:cn-hangzhou:1:eventbus/*] write action eventbridge:CreateEventBus on acs:eventbridge:cn-hangzhou:1:eventbus/*, beyond any one bus",
    ]);
    const notAction = [policyText([{ Effect: "Allow", NotAction: "ram:*", Resource: "*" }])];
    expect(policyWildcard.check(ownerSubject(good, { permissionTexts: notAction }))).toEqual([
      "[Action::NotAction] a statement allows everything but a list (NotAction/NotResource)",
    ]);
    expect(withinOneBus("acs:eventbridge:*:1:eventbus/orders")).toBe(true);
    expect(withinOneBus("acs:eventbridge:cn-hangzhou:1:eventbus/*")).toBe(false);
  });
});

describe("POLICY-SIZE", () => {
  it("passes documents within 6144 characters, including split ones", () => {
    expect(permissionPolicySize.check(ownerSubject(good))).toEqual([]);
    expect(assumePolicySize.check(partnerSubject(goodSide))).toEqual([]);
    const big = modelOf(edited(EXAMPLE_FILE, (c) => (c.partners[0].grants = sixtyBuses()))).partners[0];
    expect(permissionPolicySize.check(ownerSubject(big))).toEqual([]);
  });
  it("counts exactly: 6144 passes, 6145 fails, and names the policy", () => {
    const at = (n: number) => permissionPolicySize.check(ownerSubject(good, { permissionTexts: ["x".repeat(n)] }));
    expect(at(6144)).toEqual([]);
    expect(at(6145)).toEqual([
      "[Policy::policy-1] policy policy-1 is 6145 characters; RAM accepts at most 6144 (a single resource ARN that long cannot be split)",
    ]);
  });
});

describe("ROLE-ATTACHMENT-LIMIT", () => {
  it("passes ten custom policies (RAM's current quota per role)", () => {
    expect(roleAttachmentLimit.check(ownerSubject(good, { permissionTexts: Array(10).fill("{}") }))).toEqual([]);
  });
  it("fires on an 11th custom policy and on a 21st system policy", () => {
    expect(roleAttachmentLimit.check(ownerSubject(good, { permissionTexts: Array(11).fill("{}") }))).toEqual([
      "[Role::eventbridge-publisher-b] the permissions of partner enterprise-b need 11 custom policies of at most 10 attachable to one role; grant fewer buses, rules or actions",
    ]);
    const many = { ...good, systemPolicies: Array.from({ length: 21 }, (_, i) => `Policy${i}`) };
    expect(roleAttachmentLimit.check(ownerSubject(many))).toEqual([
      "[Role::eventbridge-publisher-b] 21 system policies; RAM attaches at most 20 to one role",
    ]);
  });
});

describe("ASSUME-ARN-MATCH", () => {
  it("passes when the partner assumes exactly the owner's role", () => {
    expect(assumeArnMatch.check(partnerSubject(goodSide))).toEqual([]);
  });
  it("fires when the two sides disagree", () => {
    expect(assumeArnMatch.check(partnerSubject(goodSide, { ownerRoleArn: "acs:ram::1000000000000001:role/other" }))).toEqual([
      "[Resource::acs:ram::1000000000000001:role/eventbridge-publisher-b] the assume policy allows acs:ram::1000000000000001:role/eventbridge-publisher-b, but the owner's role is acs:ram::1000000000000001:role/other",
    ]);
  });
  it("fires when the owner creates no role but the partner may assume one", () => {
    expect(assumeArnMatch.check(partnerSubject(goodSide, { ownerRoleArn: undefined }))[0]).toMatch(
      /the owner stack creates no role for partner enterprise-b/,
    );
  });
  it("does not apply to a revoked partner", () => {
    expect(assumeArnMatch.check(partnerSubject(fromFile(goodSide, { revoked: true }), { ownerRoleArn: undefined }))).toEqual([]);
  });
});

describe("TRUST-ROOT-UNCONDITIONED", () => {
  it("passes root trust with an ExternalId", () => {
    expect(trustRootUnconditioned.check(ownerSubject(good))).toEqual([]);
  });
  it("fires on root trust with no ExternalId, MFA or source IPs, even with a validity window", () => {
    const p = modelOf(edited(EXAMPLE_FILE, (c) => delete c.partners[0].role.externalId)).partners[0];
    expect(trustRootUnconditioned.check(ownerSubject(p))).toEqual([
      "[Principal::acs:ram::2000000000000002:root] the role trusts the whole partner account with neither externalId, requireMfa nor sourceIps",
    ]);
  });
  it("passes when only named users are trusted", () => {
    const p = modelOf(
      edited(EXAMPLE_FILE, (c) => {
        delete c.partners[0].role.externalId;
        c.partners[0].role.trustedPrincipals = ["user/orders-ci"];
      }),
    ).partners[0];
    expect(trustRootUnconditioned.check(ownerSubject(p))).toEqual([]);
  });
});

describe("TRUST-PRINCIPAL-ORDER", () => {
  it("passes root trust and trust in users the partner stack does not create", () => {
    expect(trustPrincipalOrder.check(ownerSubject(good))).toEqual([]);
    const p = modelOf(edited(EXAMPLE_FILE, (c) => (c.partners[0].role.trustedPrincipals = ["user/someone-else"]))).partners[0];
    expect(trustPrincipalOrder.check(ownerSubject(p))).toEqual([]);
  });
  it("fires on trust in a user the partner stack creates", () => {
    const p = modelOf(edited(EXAMPLE_FILE, (c) => (c.partners[0].role.trustedPrincipals = ["user/Orders-CI"]))).partners[0];
    expect(trustPrincipalOrder.check(ownerSubject(p))).toEqual([
      "[Principal::acs:ram::2000000000000002:user/Orders-CI] Orders-CI is created by stack partner-enterprise-b; deploy it before the owner stack, or trust root",
    ]);
  });
});

describe("MFA-BLOCKS-API", () => {
  const mfa = (edit: (c: any) => void, raw = EXAMPLE_FILE) =>
    modelOf(
      edited(raw, (c) => {
        c.partners[0].role.requireMfa = true;
        edit(c);
      }),
    );
  it("passes without requireMfa, and with console users only", () => {
    expect(mfaBlocksPartnerApi.check(partnerSubject(goodSide))).toEqual([]);
    const consoleOnly = mfa((c) => (c.partners[0].partnerSide.users = [{ name: "alice", consoleLogin: true }]));
    expect(mfaBlocksPartnerApi.check(partnerSubject(consoleOnly.partnerSides[0]))).toEqual([]);
    expect(mfaBlocksApi.check(ownerSubject(consoleOnly.partners[0]))).toEqual([]);
  });
  it("fires on the partner side when API users or roles could never meet it", () => {
    const m = mfa((c) => (c.partners[0].role.trustedPrincipals = ["root", "role/automation"]));
    expect(mfaBlocksPartnerApi.check(partnerSubject(m.partnerSides[0]))).toEqual([
      "[Condition::acs:MFAPresent] requireMfa lets only console sign-ins with MFA assume the role; user orders-ci (no console login), role/automation cannot",
    ]);
    // the owner side leaves it to the partner stack of the same config
    expect(mfaBlocksApi.check(ownerSubject(m.partners[0]))).toEqual([]);
  });
  it("fires on the owner side for trusted roles when the partner side is not in the config", () => {
    const m = mfa((c) => {
      c.partners[0].role.trustedPrincipals = ["root", "role/automation"];
      delete c.partners[0].partnerSide;
    });
    expect(mfaBlocksApi.check(ownerSubject(m.partners[0]))).toEqual([
      "[Condition::acs:MFAPresent] requireMfa lets only console sign-ins with MFA assume the role; role/automation cannot",
    ]);
  });
});

describe("TRUST-PRINCIPAL-UNKNOWN", () => {
  const trusting = (principals: string[], existing: string[] = []) =>
    modelOf(
      edited(EXAMPLE_FILE, (c) => {
        c.partners[0].role.trustedPrincipals = principals;
        c.partners[0].partnerSide.existingUsers = existing;
      }),
    ).partnerSides[0];
  it("passes root, and users the config creates or lists as existing", () => {
    expect(trustPrincipalUnknown.check(partnerSubject(goodSide))).toEqual([]);
    expect(trustPrincipalUnknown.check(partnerSubject(trusting(["user/ALICE", "user/bob"], ["bob"])))).toEqual([]);
  });
  it("fires on users the config does not know, and on roles", () => {
    expect(trustPrincipalUnknown.check(partnerSubject(trusting(["user/carol", "role/automation"])))).toEqual([
      "[Principal::acs:ram::2000000000000002:role/automation] the role trusts role automation of this account, which this config does not manage; make sure it exists and who may use it",
      "[Principal::acs:ram::2000000000000002:user/carol] the role trusts user carol, which this config neither creates nor lists under existingUsers",
    ]);
  });
});

describe("HANDOFF-REVOKED", () => {
  it("passes a live handoff, and a revoked partner of a single-file config", () => {
    expect(handoffRevoked.check(partnerSubject(fromFile(goodSide)))).toEqual([]);
    expect(handoffRevoked.check(partnerSubject({ ...goodSide, handoff: { ...goodSide.handoff, revoked: true } }))).toEqual([]);
  });
  it("fires on a revoked handoff file", () => {
    expect(handoffRevoked.check(partnerSubject(fromFile(goodSide, { revoked: true })))).toEqual([
      "[Handoff::handoffs/enterprise-b.json] enterprise-a revoked the delegation; group eventbridge-publishers-a keeps its users but may assume nothing",
    ]);
  });
});

describe("VALIDITY-ENDING", () => {
  it("on a handoff file: fires near and after the end; the single-file form leaves it to the owner side", () => {
    const late = new Date("2027-12-20T00:00:00Z");
    expect(validityEndingHandoff.check(partnerSubject(goodSide, {}, late))).toEqual([]);
    expect(validityEndingHandoff.check(partnerSubject(fromFile(goodSide), {}))).toEqual([]);
    expect(validityEndingHandoff.check(partnerSubject(fromFile(goodSide), {}, late))).toEqual([
      "[ValidUntil::2027-12-31T15:59:59Z] the delegation ends in 12 days (2027-12-31T15:59:59Z)",
    ]);
    expect(validityEndingHandoff.check(partnerSubject(fromFile(goodSide), {}, new Date("2028-01-01T00:00:00Z")))).toEqual([
      "[ValidUntil::2027-12-31T15:59:59Z] the delegation ended at 2027-12-31T15:59:59Z; its users can no longer use the role; ask the owner for a renewed handoff",
    ]);
  });
  it("passes far from the end and without an end", () => {
    expect(validityEnding.check(ownerSubject(good))).toEqual([]);
    expect(validityEnding.check(ownerSubject(model(MULTI_FILE).partners[2]))).toEqual([]);
  });
  it("fires within 30 days and after the end", () => {
    expect(validityEnding.check(ownerSubject(good, {}, new Date("2027-12-20T00:00:00Z")))).toEqual([
      "[ValidUntil::2027-12-31T15:59:59Z] the delegation ends in 12 days (2027-12-31T15:59:59Z)",
    ]);
    expect(validityEnding.check(ownerSubject(good, {}, new Date("2028-01-01T00:00:00Z")))).toEqual([
      "[ValidUntil::2027-12-31T15:59:59Z] the delegation ended at 2027-12-31T15:59:59Z; set revoked: true to remove the role",
    ]);
  });
});

describe("ASSUME-SYSTEM-POLICY", () => {
  it("passes the scoped policy", () => {
    expect(assumeSystemPolicy.check(partnerSubject(goodSide))).toEqual([]);
  });
  it("fires on AliyunSTSAssumeRoleAccess", () => {
    expect(assumeSystemPolicy.check(partnerSubject(goodSide, { assumeSystemPolicy: "AliyunSTSAssumeRoleAccess" }))[0]).toMatch(
      /^\[Policy::AliyunSTSAssumeRoleAccess\] group eventbridge-publishers-a may assume any role that trusts account 2000000000000002/,
    );
  });
});

describe("REGION-WILDCARD", () => {
  it("passes grants in one region", () => {
    expect(regionWildcard.check(ownerSubject(good))).toEqual([]);
  });
  it("fires on a grant for every region", () => {
    const p = modelOf(edited(EXAMPLE_FILE, (c) => (c.partners[0].grants[0].region = "*"))).partners[0];
    expect(regionWildcard.check(ownerSubject(p))).toEqual([
      "[Resource::acs:eventbridge:*:1000000000000001:eventbus/orders] acs:eventbridge:*:1000000000000001:eventbus/orders covers every region",
    ]);
  });
});

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
