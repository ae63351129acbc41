/** The synth rules on the trust and permission policies: each passes what it should and fires on what it should. */
import { describe, expect, it } from "vitest";
import { assumeArnMatch } from "../lib/rules/assume-arn-match";
import { assumePolicySize, permissionPolicySize } from "../lib/rules/policy-size";
import { policyWildcard, withinOneBus } from "../lib/rules/policy-wildcard";
import { roleAttachmentLimit } from "../lib/rules/role-attachment-limit";
import { trustAccount } from "../lib/rules/trust-account";
import { trustPrincipalOrder } from "../lib/rules/trust-principal-order";
import { trustRootUnconditioned } from "../lib/rules/trust-root-unconditioned";
import { EXAMPLE_FILE, MULTI_FILE, edited, model, modelOf, sixtyBuses } from "./helpers";
import { fromFile, good, goodSide, ownerSubject, partnerSubject, policyText } from "./rule-subjects";

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
