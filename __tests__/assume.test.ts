import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { Config } from "@alicloud/credentials";
import { afterEach, describe, expect, it } from "vitest";
import { credentialsConfig, renderStep6 } from "../lib/partner/step6";
import { EXAMPLE_FILE, MULTI_FILE, NOW, ROOT, edited, model, modelOf } from "./helpers";

const launch = path.join(ROOT, "scripts", "launch.cjs");
const env = { ...process.env, DELEGATION_CONFIG: MULTI_FILE };
/** The example's partner: no MFA, no source IPs, valid until the end of 2027. */
const plain = model(EXAMPLE_FILE).partnerSides[0];
/** The fixture's enterprise-b: MFA, source IPs and a validity window. */
const b = model(MULTI_FILE).partnerSides[0];

describe("npm run assume (Step 6 for Enterprise B)", () => {
  it("prints the console, aliyun CLI and TypeScript ways in", () => {
    const out = spawnSync(process.execPath, [launch, "assume", "--partner", "enterprise-b", "--session-name", "alice"], {
      env: { ...process.env, DELEGATION_CONFIG: EXAMPLE_FILE },
      encoding: "utf8",
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
    const out = spawnSync(process.execPath, [launch, "assume", "--partner", "enterprise-b", "--session-name", "alice"], {
      env,
      encoding: "utf8",
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
      const out = spawnSync(process.execPath, [launch, "assume", "--partner", "enterprise-b", "--session-name", "alice"], {
        env: { ...process.env, DELEGATION_CONFIG: file },
        encoding: "utf8",
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

  it("the snippet configures only settings Alibaba's credentials library knows", () => {
    const known = Object.keys(Config.names());
    for (const key of [...Object.keys(credentialsConfig(b, "alice")), "accessKeyId", "accessKeySecret"])
      expect(known).toContain(key);
    expect(credentialsConfig(b, "alice")).toMatchObject({
      type: "ram_role_arn",
      externalId: "b-4f7c2a",
      roleSessionExpiration: 3600,
    });
  });

  it("refuses unknown and revoked partners and bad session names", () => {
    const run = (...args: string[]) => spawnSync(process.execPath, [launch, "assume", ...args], { env, encoding: "utf8" });
    expect(run("--partner", "nope").stderr.trim()).toBe(
      '--partner: no partner "nope" in the config (partners with a partnerSide: enterprise-b, enterprise-b-audit, enterprise-c, enterprise-d)',
    );
    expect(run("--partner", "enterprise-d").stderr.trim()).toBe("--partner: enterprise-d is revoked; there is no role to assume");
    expect(run("--partner", "enterprise-b", "--session-name", "a b").status).toBe(3);
    expect(run().status).toBe(3);
  });
});

describe("npm run assume -- --check (STS AssumeRole with the official SDK)", () => {
  let server: http.Server | undefined;
  afterEach(() => server?.close());

  /** A local endpoint that checks the request and answers like STS. */
  function fakeSts(answer: (params: Record<string, string>, headers: http.IncomingHttpHeaders) => [number, object]) {
    const requests: { params: Record<string, string>; headers: http.IncomingHttpHeaders }[] = [];
    server = http.createServer((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        const params = Object.fromEntries([...new URL(req.url ?? "/", "http://sts").searchParams, ...new URLSearchParams(body)]);
        requests.push({ params, headers: req.headers });
        const [status, json] = answer(params, req.headers);
        res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(json));
      });
    });
    return new Promise<{ url: string; requests: typeof requests }>((resolve) =>
      server!.listen(0, "127.0.0.1", () =>
        resolve({ url: `http://127.0.0.1:${(server!.address() as AddressInfo).port}`, requests }),
      ),
    );
  }

  const check = (url: string, extraEnv: Record<string, string> = {}) =>
    new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(
        process.execPath,
        [launch, "assume", "--partner", "enterprise-b", "--session-name", "alice", "--check", "--sts-endpoint", url],
        {
          env: {
            ...process.env,
            DELEGATION_CONFIG: EXAMPLE_FILE,
            ALIBABA_CLOUD_ACCESS_KEY_ID: "LTAI-partner-user",
            ALIBABA_CLOUD_ACCESS_KEY_SECRET: "partner-secret",
            ...extraEnv,
          },
        },
      );
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d) => (stdout += d));
      child.stderr.on("data", (d) => (stderr += d));
      child.on("close", (status) => resolve({ status, stdout, stderr }));
    });

  it("sends the role, session, ExternalId and duration, and reports when the credentials expire", async () => {
    const expiration = new Date(Date.now() + 900_000).toISOString().replace(/\.\d+Z$/, "Z");
    const sts = await fakeSts(() => [
      200,
      {
        RequestId: "6894B13B-6D71-4EF5-88FA-F32781734A7F",
        AssumedRoleUser: {
          Arn: "acs:ram::1000000000000001:role/eventbridge-publisher-b/alice",
          AssumedRoleId: "344584339364951186:alice",
        },
        Credentials: {
          AccessKeyId: "STS.NUgYrLnoC37mZZCNnAbez****",
          AccessKeySecret: "temporary-secret",
          SecurityToken: "temporary-token",
          Expiration: expiration,
        },
      },
    ]);
    const result = await check(sts.url);
    expect(sts.requests).toHaveLength(1);
    const [{ params, headers }] = sts.requests;
    expect(headers["x-acs-action"]).toBe("AssumeRole");
    expect(headers["x-acs-version"]).toBe("2015-04-01");
    expect(String(headers.authorization)).toMatch(/LTAI-partner-user/);
    expect(params).toEqual({
      RoleArn: "acs:ram::1000000000000001:role/eventbridge-publisher-b",
      RoleSessionName: "alice",
      ExternalId: "b-orders-4f7c2a",
      DurationSeconds: "900",
    });
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(
      [
        "AssumeRole succeeded as acs:ram::1000000000000001:role/eventbridge-publisher-b/alice",
        "temporary AccessKey STS.NUgYrLnoC37mZZCNnAbez**** (secret and token not shown)",
        `expires ${expiration} (in 15 min)`,
        "",
      ].join("\n"),
    );
    expect(result.stdout + result.stderr).not.toMatch(/temporary-secret|temporary-token|partner-secret/);
  });

  it("reports STS's refusal and exits 1", async () => {
    const sts = await fakeSts(() => [
      403,
      {
        RequestId: "r",
        HostId: "sts.aliyuncs.com",
        Code: "NoPermission",
        Message: "You are not authorized to do this action. You should be authorized by RAM.",
      },
    ]);
    const result = await check(sts.url);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("AssumeRole of acs:ram::1000000000000001:role/eventbridge-publisher-b failed: NoPermission");
    expect(result.stderr).toContain("the user needs the group's sts:AssumeRole permission");
  });

  it("refuses a malformed endpoint in one line", async () => {
    const result = await check("http://[bad");
    expect(result.status).toBe(3);
    expect(result.stderr.trim()).toBe('--sts-endpoint: not a host or URL, got "http://[bad"');
  });

  it("needs a RAM user's AccessKey in the environment", async () => {
    const result = await check("http://127.0.0.1:9", { ALIBABA_CLOUD_ACCESS_KEY_ID: "" });
    expect(result.status).toBe(3);
    expect(result.stderr.trim()).toBe(
      "--check needs a RAM user's AccessKey in ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET",
    );
  });

  it("does not call STS when the conditions deny the call, and says why", async () => {
    const sts = await fakeSts(() => [500, {}]);
    const run = (file: string) =>
      spawnSync(process.execPath, [launch, "assume", "--partner", "enterprise-b", "--check", "--sts-endpoint", sts.url], {
        env: {
          ...process.env,
          DELEGATION_CONFIG: file,
          ALIBABA_CLOUD_ACCESS_KEY_ID: "id",
          ALIBABA_CLOUD_ACCESS_KEY_SECRET: "secret",
        },
        encoding: "utf8",
      });
    const mfa = run(MULTI_FILE);
    expect(mfa.status).toBe(3);
    expect(mfa.stderr.trim()).toBe(
      "--check: enterprise-b's role requires MFA (acs:MFAPresent): STS AssumeRole with an AccessKey is always denied, so there is nothing to check from here; use the console's Switch Role with MFA",
    );
    const dir = mkdtempSync(path.join(tmpdir(), "assume-window-"));
    try {
      const later = path.join(dir, "later.json");
      writeFileSync(
        later,
        JSON.stringify(
          edited(EXAMPLE_FILE, (c) => {
            c.partners[0].validFrom = "2099-01-01T00:00:00Z";
            c.partners[0].validUntil = "2099-12-31T00:00:00Z";
          }),
        ),
      );
      const early = run(later);
      expect(early.status, early.stderr).toBe(1);
      expect(early.stderr.trim()).toBe(
        "AssumeRole of acs:ram::1000000000000001:role/eventbridge-publisher-b would be denied: not valid before 2099-01-01T00:00:00Z; not called",
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(sts.requests).toEqual([]);
  });

  it("names the source IPs when STS refuses a role that requires them", async () => {
    const sts = await fakeSts(() => [
      403,
      { RequestId: "r", Code: "NoPermission", Message: "You are not authorized to do this action." },
    ]);
    const dir = mkdtempSync(path.join(tmpdir(), "assume-ips-"));
    try {
      const file = path.join(dir, "ips.json");
      writeFileSync(file, JSON.stringify(edited(EXAMPLE_FILE, (c) => (c.partners[0].role.sourceIps = ["203.0.113.0/24"]))));
      const result = await check(sts.url, { DELEGATION_CONFIG: file });
      expect(result.status).toBe(1);
      expect(result.stderr).toContain(
        "and the call must come from 203.0.113.0/24 (acs:SourceIp): is this machine's address among them?",
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("says in one line when STS cannot be reached", async () => {
    const result = await check("http://127.0.0.1:9");
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(
      "AssumeRole of acs:ram::1000000000000001:role/eventbridge-publisher-b failed: cannot reach 127.0.0.1:9 (connect ECONNREFUSED 127.0.0.1:9)\n",
    );
  });
});
