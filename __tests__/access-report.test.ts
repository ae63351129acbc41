/** The access report: who may do what, read back from the synthesized stacks. */
import { beforeAll, describe, expect, it } from "vitest";
import type { AccessReport } from "../lib/review/access";
import { renderReport } from "../lib/review/report";
import { MULTI_FILE, edited } from "./helpers";
import { outputs } from "./outputs";

const { report } = outputs("access-report-");

let multiReport: AccessReport;
beforeAll(async () => {
  multiReport = await report(MULTI_FILE, "multi");
});

describe("access report", () => {
  it("reads who may do what from the synthesized stacks", () => {
    const b = multiReport.partners.find((p) => p.name === "enterprise-b")!;
    expect(multiReport.owner).toEqual({ name: "enterprise-a", accountId: "1000000000000001" });
    expect(b).toMatchObject({
      accountId: "2000000000000002",
      revoked: false,
      roleArn: "acs:ram::1000000000000001:role/eventbridge-publisher-b",
      maxSessionDuration: 7200,
      validFrom: "2026-11-30T16:00:00Z",
      validUntil: "2027-12-31T15:59:59Z",
      trustedPrincipals: [
        "acs:ram::2000000000000002:role/b-automation",
        "acs:ram::2000000000000002:root",
        "acs:ram::2000000000000002:user/ci-publisher",
      ],
      conditions: {
        externalId: true,
        externalIdValue: "b-4f7c2a",
        mfa: true,
        sourceIps: ["198.51.100.7", "203.0.113.0/24"],
        other: [],
      },
      systemPolicies: ["AliyunEventBridgeReadOnlyAccess"],
      customPolicies: ["eventbridge-delegation-enterprise-b-1"],
    });
    expect(b.actions).toContain("eventbridge:PutEvents");
    expect(b.resources).toContain("acs:eventbridge:cn-beijing:1000000000000001:eventbus/invoices");
    expect(b.partnerSide).toEqual({
      stack: "partner-enterprise-b",
      groupName: "eventbridge-delegates",
      users: ["alice", "bob.smith", "ci-publisher"],
      members: ["alice", "bob.smith", "ci-publisher", "ops-oncall"],
      logins: [
        { user: "alice", passwordResetRequired: true, mfaBindRequired: true },
        { user: "bob.smith", passwordResetRequired: true, mfaBindRequired: true },
      ],
      assume: { scope: "role", roles: ["acs:ram::1000000000000001:role/eventbridge-publisher-b"] },
      logonNameFormat: "<user>@2000000000000002.onaliyun.com",
    });
    expect(b.switchRoleUrl).toBe(
      "https://signin.aliyun.com/switchRole.htm?parentAlias=1000000000000001.onaliyun.com&roleName=eventbridge-publisher-b",
    );
  });

  it("names the accounts' aliases once they are set, in the Switch Role link and the logon names", async () => {
    const aliased = await report(
      edited(MULTI_FILE, (c) => {
        c.owner.accountAlias = "northwind";
        c.partners[0].accountAlias = "contoso";
      }),
      "aliases",
    );
    const b = aliased.partners.find((p) => p.name === "enterprise-b")!;
    expect(aliased.owner).toEqual({ name: "enterprise-a", accountId: "1000000000000001", accountAlias: "northwind" });
    expect(b.switchRoleUrl).toBe(
      "https://signin.aliyun.com/switchRole.htm?parentAlias=northwind.onaliyun.com&roleName=eventbridge-publisher-b",
    );
    expect(b.partnerSide!.logonNameFormat).toBe("<user>@contoso.onaliyun.com");
    // a partner without an alias signs in with its account id
    const c = aliased.partners.find((p) => p.name === "enterprise-c")!;
    expect(c.partnerSide!.logonNameFormat).toBe("<user>@3000000000000003.onaliyun.com");
    const markdown = renderReport(aliased, "out");
    expect(markdown).toContain("(account 1000000000000001, alias <code>northwind</code>)");
    // a link that copies exactly (no zero-width space in it)
    expect(markdown).toContain(
      "Console Switch Role link: <https://signin.aliyun.com/switchRole.htm?parentAlias=northwind.onaliyun.com&roleName=eventbridge-publisher-b>\n",
    );
    expect(markdown).toContain("They sign in as <code>&lt;user&gt;@&#8203;contoso.onaliyun.com</code>.");
  });

  it("shows revoked partners, system assume scope, warnings and acknowledgements", () => {
    const byName = Object.fromEntries(multiReport.partners.map((p) => [p.name, p]));
    expect(byName["enterprise-d"]).toMatchObject({ revoked: true, grants: [], partnerSide: { assume: { scope: "none" } } });
    expect(byName["enterprise-b-audit"].partnerSide!.assume).toEqual({ scope: "any-role", policy: "AliyunSTSAssumeRoleAccess" });
    expect(byName["enterprise-b-audit"].findings.map((f) => [f.rule, f.level])).toEqual([["ASSUME-SYSTEM-POLICY", "warning"]]);
    expect(byName["enterprise-c"].findings).toEqual([
      {
        rule: "TRUST-ROOT-UNCONDITIONED",
        level: "acknowledged",
        message:
          "[Principal::acs:ram::3000000000000003:root] the role trusts the whole partner account with neither externalId, requireMfa nor sourceIps",
        reason: "Read-only system policy; C's account is dedicated to this audit",
      },
    ]);
  });
});
