/** npm run assume -- --check as a whole process, against a local endpoint that answers like STS. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { EXAMPLE_FILE, MULTI_FILE, edited } from "../helpers";
import { launch, launchAsync } from "./cli";

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
    launchAsync("assume", ["--partner", "enterprise-b", "--session-name", "alice", "--check", "--sts-endpoint", url], {
      env: {
        ...process.env,
        DELEGATION_CONFIG: EXAMPLE_FILE,
        ALIBABA_CLOUD_ACCESS_KEY_ID: "LTAI-partner-user",
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: "partner-secret",
        ...extraEnv,
      },
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
      launch("assume", ["--partner", "enterprise-b", "--check", "--sts-endpoint", sts.url], {
        env: {
          ...process.env,
          DELEGATION_CONFIG: file,
          ALIBABA_CLOUD_ACCESS_KEY_ID: "id",
          ALIBABA_CLOUD_ACCESS_KEY_SECRET: "secret",
        },
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
