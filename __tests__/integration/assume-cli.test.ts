/** npm run assume as a whole process: Step 6 for a partner, and what it refuses. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { renderStep6 } from "../../lib/partner/step6";
import { EXAMPLE_FILE, MULTI_FILE, NOW, edited, model, modelOf } from "../helpers";
import { A_ACCOUNT, B_DIR, twoCompanies } from "../two-companies";
import { launch } from "./cli";

const env = { ...process.env, DELEGATION_CONFIG: MULTI_FILE };
/** The example's partner: no MFA, no source IPs, valid until the end of 2027. */
const plain = model(EXAMPLE_FILE).partnerSides[0];
/** The fixture's enterprise-b: MFA, source IPs and a validity window. */
const b = model(MULTI_FILE).partnerSides[0];

describe("npm run assume (Step 6 for Enterprise B)", () => {
  it("prints the console, aliyun CLI and TypeScript ways in", () => {
    const out = launch("assume", ["--partner", "enterprise-b", "--session-name", "alice"], {
      env: { ...process.env, DELEGATION_CONFIG: EXAMPLE_FILE },
    });
    expect(out.status).toBe(0);
    expect(out.stdout).toBe(renderStep6(plain, "alice"));
    expect(out.stdout).toContain(
      "https://signin.aliyun.com/switchRole.htm?parentAlias=1000000000000001.onaliyun.com&roleName=eventbridge-publisher-b",
    );
    expect(out.stdout).toContain("<user>@2000000000000002.onaliyun.com");
    expect(out.stdout).toContain('"mode": "RamRoleArn"');
    expect(out.stdout).toContain('"external_id": "b-orders-4f7c2a"');
    expect(out.stdout).toContain(
      "--ram-role-arn acs:ram::1000000000000001:role/eventbridge-publisher-b --role-session-name alice",
    );
    expect(out.stdout).toContain('import Credential, { Config } from "@alicloud/credentials";');
  });

  it("says what the owner's conditions mean for the caller, and gives no API settings when the role requires MFA", () => {
    const out = launch("assume", ["--partner", "enterprise-b", "--session-name", "alice"], {
      env,
    });
    expect(out.status).toBe(0);
    expect(out.stdout).toBe(renderStep6(b, "alice"));
    const text = renderStep6(b, "alice", NOW);
    expect(text).toContain(
      [
        "- MFA required (acs:MFAPresent): only a console sign-in with MFA may assume the role; AssumeRole with an AccessKey (aliyun CLI, SDKs) is always denied",
        "- Source IPs (acs:SourceIp): calls must come from 198.51.100.7, 203.0.113.0/24; AssumeRole from any other address is denied, and so is every EventBridge call made with the temporary credentials",
        "- Not valid before 2026-11-30T16:00:00Z (in 8 days): AssumeRole is denied until then",
        "- Valid until 2027-12-31T15:59:59Z (in 404 days): from then on AssumeRole is denied, and sessions already open lose access too",
      ].join("\n"),
    );
    expect(text).toContain(
      "Sign in as a RAM user of group eventbridge-delegates, with MFA: <user>@2000000000000002.onaliyun.com",
    );
    expect(text).toContain(
      "## API\n\nNone: the role requires MFA (acs:MFAPresent), which only a console sign-in with MFA carries. STS AssumeRole with a RAM user's AccessKey (aliyun CLI, SDKs, --check) is always denied",
    );
    // nothing that cannot work: no CLI profile, no SDK snippet
    expect(text).not.toMatch(/RamRoleArn|ram_role_arn|aliyun configure|@alicloud\/credentials/);
    // once the window has begun, and after it ended
    expect(renderStep6(b, "alice", new Date("2026-12-02T00:00:00Z"))).toContain("- Valid from 2026-11-30T16:00:00Z (begun)");
    expect(renderStep6(b, "alice", new Date("2028-01-01T00:00:00Z"))).toContain(
      "- Ended 2027-12-31T15:59:59Z: AssumeRole is denied and open sessions have no access; ask enterprise-a for a renewed handoff",
    );
    // a role without conditions has no such section
    const none = modelOf(edited(EXAMPLE_FILE, (c) => delete c.partners[0].validUntil)).partnerSides[0];
    expect(renderStep6(none, "alice", NOW)).not.toContain("## Conditions");
  });

  it("uses the accounts' aliases once they are set", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "assume-alias-"));
    try {
      const file = path.join(dir, "delegation.json");
      const config = edited(MULTI_FILE, (c) => {
        c.owner.accountAlias = "northwind";
        c.partners[0].accountAlias = "contoso";
      });
      writeFileSync(file, JSON.stringify(config));
      const out = launch("assume", ["--partner", "enterprise-b", "--session-name", "alice"], {
        env: { ...process.env, DELEGATION_CONFIG: file },
      });
      expect(out.status).toBe(0);
      expect(out.stdout).toContain(
        "https://signin.aliyun.com/switchRole.htm?parentAlias=northwind.onaliyun.com&roleName=eventbridge-publisher-b",
      );
      expect(out.stdout).toContain("Sign in as a RAM user of group eventbridge-delegates, with MFA: <user>@contoso.onaliyun.com");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses unknown and revoked partners and bad session names", () => {
    const run = (...args: string[]) => launch("assume", args, { env });
    expect(run("--partner", "nope").stderr.trim()).toBe(
      '--partner: no partner "nope" in the config (partners with a partnerSide: enterprise-b, enterprise-b-audit, enterprise-c, enterprise-d)',
    );
    expect(run("--partner", "enterprise-d").stderr.trim()).toBe("--partner: enterprise-d is revoked; there is no role to assume");
    expect(run("--partner", "enterprise-b", "--session-name", "a b").status).toBe(3);
    expect(run().status).toBe(3);
  });
});

describe("npm run assume in the partner's repository", () => {
  const { aHandoff } = twoCompanies("assume-cli-two-companies-");
  const bConfig = path.join(B_DIR, "delegation.yaml");

  it("assume prints Step 6 from the handoff", () => {
    const out = launch("assume", ["--partner", "contoso-logistics", "--session-name", "dana"], {
      env: { ...process.env, DELEGATION_CONFIG: bConfig },
    });
    expect(out.stderr).toBe("");
    expect(out.status).toBe(0);
    expect(out.stdout).toContain(`Role to assume:  acs:ram::${A_ACCOUNT}:role/contoso-shipment-publisher`);
    expect(out.stdout).toContain("ExternalId:      contoso-7d41be");
    expect(out.stdout).toContain(`Handoff digest:  ${JSON.parse(aHandoff("contoso-logistics")).digest}`);
    expect(out.stdout).toContain("Sign in as a RAM user of group northwind-publishers: <user>@8877665544332211.onaliyun.com");
    expect(out.stdout).toContain("parentAlias=northwind.onaliyun.com&roleName=contoso-shipment-publisher");
    expect(out.stdout).toContain("--region cn-hangzhou");
    expect(out.stdout).toContain("Buses:           shipments (cn-hangzhou), shipments (cn-shanghai)");
    expect(out.stdout).toContain(
      "The profile's region is cn-hangzhou; for the buses in cn-shanghai, pass --region <that region> to each aliyun command.",
    );
  });
});
