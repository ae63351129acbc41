/** The synth rules on conditions, revocation, validity and assume permissions: each passes what it should and fires on what it should. */
import { describe, expect, it } from "vitest";
import { assumeSystemPolicy } from "../lib/rules/assume-system-policy";
import { regionWildcard } from "../lib/rules/region-wildcard";
import { mfaBlocksApi, mfaBlocksPartnerApi } from "../lib/rules/mfa-blocks-api";
import { handoffRevoked } from "../lib/rules/handoff-revoked";
import { trustPrincipalUnknown } from "../lib/rules/trust-principal-unknown";
import { validityEnding, validityEndingHandoff } from "../lib/rules/validity-ending";
import { EXAMPLE_FILE, MULTI_FILE, edited, model, modelOf } from "./helpers";
import { fromFile, good, goodSide, ownerSubject, partnerSubject } from "./rule-subjects";

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
