/**
 * The live audit end to end: the example rehearsed through real Terraform into the fake RAM of
 * both accounts, then `npm run audit -- --live` reading them through Alibaba's SDK and the fake
 * RAM endpoint. Clean after the deploy; then changes made directly in the accounts, as someone in
 * the console would, are each reported. Skipped, with one line, where no terraform binary is on PATH.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rehearse } from "../../rehearsal/run";
import { EXAMPLE_FILE, NOW } from "../helpers";
import { aliyunHome, createAccessKey, liveAudit, startRamEndpoint, type FakeEndpoint } from "../live";
import { terraformOnPath } from "./terraform";
// eslint-disable-next-line @typescript-eslint/no-require-imports -- CommonJS test components
const { FakeRam } = require("../../rehearsal/ram.cjs");
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS test component
const { operations } = require("../../rehearsal/ram-operations.cjs");

const A = "1000000000000001"; // the example's owner account
const B = "2000000000000002"; // the example's partner account
const OUTSIDER = "3000000000000003";
const terraform = terraformOnPath("the live audit of a rehearsed deploy");

describe.runIf(terraform)("the live audit of a rehearsed deploy", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "live-audit-"));
  const ramDir = path.join(dir, "ram");
  const keys = {
    "AK-A": { secret: "secret-a", accountId: A },
    "AK-B": { secret: "secret-b", accountId: B },
    "AK-A-NARROW": { secret: "secret-n", accountId: A, deny: ["ListPoliciesForRole"] },
  };
  const home = aliyunHome(path.join(dir, "home"), {
    "enterprise-a": { id: "AK-A", secret: "secret-a" },
    "enterprise-b": { id: "AK-B", secret: "secret-b" },
  });
  let endpoint: FakeEndpoint;
  const audit = (args: string[] = [], where = home) => liveAudit(EXAMPLE_FILE, where, ["--endpoint", endpoint.url, ...args]);
  const account = (id: string, fn: (ram: any) => void) => new FakeRam(path.join(ramDir, `${id}.json`), id).change(fn);

  beforeAll(async () => {
    const r = await rehearse({
      configFile: EXAMPLE_FILE,
      outdir: path.join(dir, "cdktf.out"),
      now: NOW,
      ramDir,
      dir: path.join(dir, ".rehearsal"),
    });
    expect(r.ok).toBe(true);
    endpoint = await startRamEndpoint({ dir: ramDir, keys });
  }, 600_000);
  afterAll(async () => {
    await endpoint?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("reads both accounts of the rehearsed example and finds them clean", async () => {
    const out = await audit();
    // nothing on stderr but progress lines (a slow machine gets them every 3 s)
    expect(out.stderr.split("\n").filter((l) => l !== "" && !/^live audit: \d+ RAM calls done/.test(l))).toEqual([]);
    expect(out.stdout).toContain("No findings in what was read.");
    expect(out.stdout).toMatch(
      /Owner account 1000000000000001: 1 roles read; 0 trust only this account .*; 1 described by the config/,
    );
    expect(out.stdout).toMatch(
      /Partner account 2000000000000002: 2 users and 1 groups read; 1 may assume roles in other accounts; 2 delegates/,
    );
    expect(out.status).toBe(0);
    // each account was read with its own profile's key, and only through read operations
    const used = new Set(endpoint.calls.map((c) => `${c.accessKeyId} ${c.action}`));
    expect(used).toContain("AK-A ListRoles");
    expect(used).toContain("AK-B ListUsers");
    expect(endpoint.calls.every((c) => /^(List|Get)/.test(c.action))).toBe(true);
  });

  it("reports what someone changed in the console: an outsider's role, a policy on the delegation role, a delegate's AccessKey, a group reaching into A", async () => {
    account(A, (ram) => {
      const trust = JSON.stringify({
        Version: "1",
        Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Principal: { RAM: [`acs:ram::${OUTSIDER}:root`] } }],
      });
      operations.createRole(ram, { name: "vendor-debug", document: trust }, A);
      operations.createPolicy(ram, {
        name: "vendor-debug-events",
        document: JSON.stringify({
          Version: "1",
          Statement: [
            {
              Effect: "Allow",
              Action: ["eventbridge:PutEvents"],
              Resource: [`acs:eventbridge:cn-hangzhou:${A}:eventbus/orders`],
            },
          ],
        }),
      });
      operations.attach(ram, { to: "role", target: "vendor-debug", policy: "vendor-debug-events", type: "Custom" });
      operations.attach(ram, {
        to: "role",
        target: "eventbridge-publisher-b",
        policy: "AliyunEventBridgeFullAccess",
        type: "System",
      });
      // a role only a cloud service may assume: counted, not reported
      const service = JSON.stringify({
        Version: "1",
        Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Principal: { Service: ["ecs.aliyuncs.com"] } }],
      });
      operations.createRole(ram, { name: "ecs-worker", document: service }, A);
    });
    account(B, (ram) => {
      createAccessKey(ram, { user: "orders-ci" });
      operations.createGroup(ram, { name: "contractors" });
      operations.createUser(ram, { name: "mallory" });
      operations.addMember(ram, { group: "contractors", user: "mallory" });
      operations.attach(ram, { to: "group", target: "contractors", policy: "AliyunSTSAssumeRoleAccess", type: "System" });
    });
    const out = await audit();
    expect(out.status).toBe(1);
    // table rows, with the report's Markdown escapes undone
    const rows = out.stdout
      .split("\n")
      .filter((l) => l.startsWith("| "))
      .map((l) => l.replace(/\\(.)/g, "$1"));
    const row = (check: string) => rows.filter((r) => r.includes(`| ${check} |`)).join("\n");
    expect(row("UNMANAGED-EXTERNAL-ACCESS")).toMatch(
      /vendor-debug.*acs:ram::3000000000000003:root.*eventbridge:PutEvents on acs:eventbridge:cn-hangzhou:1000000000000001:eventbus\/orders/,
    );
    expect(row("UNMANAGED-EXTERNAL-ACCESS")).not.toMatch(/ecs-worker/);
    expect(row("ATTACHMENT-DRIFT")).toMatch(/System AliyunEventBridgeFullAccess policy is attached but not in the config/);
    expect(row("BROAD-GRANT")).toMatch(/AliyunEventBridgeFullAccess/);
    expect(row("DELEGATE-ACCESS-KEY")).toMatch(
      /^\| warning \| enterprise-b \| DELEGATE-ACCESS-KEY \| delegate orders-ci has AccessKey LTAI/,
    );
    expect(row("UNMANAGED-ASSUME-PATH")).toMatch(
      /^\| error \| enterprise-b \| UNMANAGED-ASSUME-PATH \| group contractors \(members: mallory\).*reaches the owner account 1000000000000001/,
    );
    expect(out.stdout).toMatch(/Owner account 1000000000000001: 3 roles read; 1 trust only this account or a cloud service/);
  });

  it("says which call was denied, and reports nothing clean, when the auditor's policy misses an action", async () => {
    const narrow = aliyunHome(path.join(dir, "narrow"), {
      "enterprise-a": { id: "AK-A-NARROW", secret: "secret-n" },
      "enterprise-b": { id: "AK-B", secret: "secret-b" },
    });
    const out = await audit([], narrow);
    expect(out.status).toBe(3);
    expect(out.stdout).toBe("");
    expect(out.stderr.trim().split("\n")).toHaveLength(1);
    expect(out.stderr).toMatch(/ram:ListPoliciesForRole \(.*\) was denied \(NoPermission\)/);
  });

  it("refuses to read an account with another account's credentials", async () => {
    const swapped = aliyunHome(path.join(dir, "swapped"), {
      "enterprise-a": { id: "AK-B", secret: "secret-b" },
      "enterprise-b": { id: "AK-A", secret: "secret-a" },
    });
    const out = await audit([], swapped);
    expect(out.status).toBe(3);
    expect(out.stderr).toMatch(
      /credentials for the owner account 1000000000000001 belong to account 2000000000000002; nothing was read/,
    );
  });
});
