/**
 * The live audit's reading of RAM, in process against the fake RAM endpoint and through the SDK's
 * real signing: the auditor's policy in the README against the calls the code makes, every page
 * of a large account read under throttling, the per-call timeout, and hostile text in the report.
 * The end-to-end run on a rehearsed deploy is in integration/live-audit.test.ts.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { liveAudit } from "../lib/live/audit";
import { RAM_ACTIONS } from "../lib/live/ram-api";
import { renderLiveAudit } from "../lib/live/render";
import { EXAMPLE_FILE, model, ROOT } from "./helpers";
import { aliyunHome, createAccessKey, startRamEndpoint } from "./live";
// eslint-disable-next-line @typescript-eslint/no-require-imports -- CommonJS test components
const { FakeRam } = require("../rehearsal/ram.cjs");
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS test component
const { operations } = require("../rehearsal/ram-operations.cjs");

const A = "1000000000000001";
const B = "2000000000000002";
const dir = mkdtempSync(path.join(tmpdir(), "live-reader-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const keys = { "AK-A": { secret: "sa", accountId: A }, "AK-B": { secret: "sb", accountId: B } };
const home = aliyunHome(path.join(dir, "home"), {
  "enterprise-a": { id: "AK-A", secret: "sa" },
  "enterprise-b": { id: "AK-B", secret: "sb" },
});
const trust = (principal: string) =>
  JSON.stringify({ Version: "1", Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Principal: { RAM: [principal] } }] });

// A: many roles, a few of them trusting other accounts; B: the example's group and a stray path
new FakeRam(path.join(dir, `${A}.json`), A).change((ram: any) => {
  for (let i = 0; i < 240; i++) operations.createRole(ram, { name: `internal-${i}`, document: trust(`acs:ram::${A}:root`) }, A);
  for (let i = 0; i < 5; i++) operations.createRole(ram, { name: `outside-${i}`, document: trust(`acs:ram::${B}:root`) }, A);
  operations.createRole(ram, { name: "eventbridge-publisher-b", document: trust(`acs:ram::${B}:root`) }, A);
  operations.createPolicy(ram, {
    name: "odd",
    document: JSON.stringify({ Version: "1", Statement: [{ Effect: "Allow", Action: "eventbridge:*", Resource: "*" }] }),
  });
  operations.attach(ram, { to: "role", target: "outside-0", policy: "odd", type: "Custom" });
  // a hostile description and name-like text never reach the report unescaped
  operations.createRole(
    ram,
    { name: "x", document: trust("acs:ram::3000000000000003:user/|evil\u001b[31m`<b>"), description: "\u001b]8;;" },
    A,
  );
});
new FakeRam(path.join(dir, `${B}.json`), B).change((ram: any) => {
  operations.createGroup(ram, { name: "eventbridge-publishers-a" });
  for (const user of ["orders-ci", "alice"]) {
    operations.createUser(ram, { name: user });
    operations.addMember(ram, { group: "eventbridge-publishers-a", user });
  }
  operations.attach(ram, {
    to: "group",
    target: "eventbridge-publishers-a",
    policy: "AliyunSTSAssumeRoleAccess",
    type: "System",
  });
  operations.createUser(ram, { name: "loner" });
  operations.createPolicy(ram, {
    name: "reach",
    document: JSON.stringify({
      Version: "1",
      Statement: [{ Effect: "Allow", Action: "STS:assume*", Resource: `acs:ram::${A}:role/*` }],
    }),
  });
  operations.attach(ram, { to: "user", target: "loner", policy: "reach", type: "Custom" });
  createAccessKey(ram, { user: "orders-ci" });
  operations.setLoginProfile(ram, { user: "alice", password: "long-enough" });
});

/** The live audit of the example's accounts, in this process, with the profiles of `home`. */
async function audit(options: { latencyMs?: number; throttleEvery?: number; inlineDefaultVersion?: boolean }, live: object = {}) {
  const endpoint = await startRamEndpoint({ dir, keys, ...options });
  const previous = process.env.HOME;
  process.env.HOME = home;
  try {
    const result = await liveAudit(model(EXAMPLE_FILE), { endpoint: endpoint.url, ...live }, new Date("2026-11-23T00:00:00Z"));
    return { result, calls: endpoint.calls };
  } finally {
    process.env.HOME = previous;
    await endpoint.close();
  }
}

describe("the live audit's reading of RAM", () => {
  it("calls exactly the actions of the README's auditor policy, and nothing else", async () => {
    // GetPolicy without the inline document, so that the GetPolicyVersion path is taken too
    const { calls } = await audit({ inlineDefaultVersion: false });
    const made = new Set(calls.map((c) => c.action).filter((a) => a !== "GetCallerIdentity"));
    expect([...made].sort()).toEqual([...RAM_ACTIONS].sort());
    const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
    const block = /<!-- auditor-policy -->\s*```json\n([\s\S]*?)```/.exec(readme);
    expect(block, "README: the auditor policy block").not.toBeNull();
    const policy = JSON.parse(block![1]);
    expect(policy.Statement).toHaveLength(1);
    expect(policy.Statement[0]).toMatchObject({ Effect: "Allow", Resource: "*" });
    expect([...policy.Statement[0].Action].sort()).toEqual(RAM_ACTIONS.map((a) => `ram:${a}`).sort());
  });

  it("reads every page of a large account under throttling, at bounded concurrency", async () => {
    // retries enough that no call is throttled on every attempt by the luck of timing
    const { result, calls } = await audit({ throttleEvery: 4 }, { concurrency: 3, backoffMs: 5, retries: 20 });
    const owner = result.accounts.find((a) => a.side === "owner")!;
    expect(owner.roles).toEqual({ total: 247, internal: 240, managed: 1, unmanagedExternal: 6 });
    expect(calls.filter((c) => c.action === "ListRoles").length).toBeGreaterThanOrEqual(3); // 247 roles, 100 a page
    const unmanaged = result.findings.filter((f) => f.check === "UNMANAGED-EXTERNAL-ACCESS");
    expect(unmanaged.map((f) => f.message.split(",")[0]).sort()).toEqual([
      "role outside-0",
      "role outside-1",
      "role outside-2",
      "role outside-3",
      "role outside-4",
      "role x",
    ]);
    expect(unmanaged.find((f) => f.message.startsWith("role outside-0"))!.message).toContain("Custom odd (eventbridge:* on *)");
    const paths = result.findings.filter((f) => f.check === "UNMANAGED-ASSUME-PATH");
    expect(paths).toHaveLength(1);
    expect(paths[0]).toMatchObject({ severity: "error", partner: "enterprise-b" });
    expect(paths[0].message).toContain(
      `user loner, which no delegation in the config has, may assume roles outside this account: acs:ram::${A}:role/*`,
    );
    expect(result.findings.filter((f) => f.check === "DELEGATE-ACCESS-KEY").map((f) => f.message)).toEqual([
      expect.stringMatching(/^delegate orders-ci has AccessKey LTAI\w+ \(Active, /),
    ]);
  });

  it("gives up on a call that outlasts its timeout, naming it, instead of reporting anything", async () => {
    await expect(audit({ latencyMs: 400 }, { timeoutMs: 100, retries: 1, backoffMs: 1 })).rejects.toThrow(
      /^GetCallerIdentity \(whose credentials\) failed after 2 attempts: timeout GetCallerIdentity timed out after 100 ms$/,
    );
  });

  it("prints text read from RAM as data: no markup, no terminal control", async () => {
    const { result } = await audit({});
    const report = renderLiveAudit(result, "http://127.0.0.1");
    const row = report.split("\n").find((l) => l.includes("role x,"))!;
    expect(row).not.toContain("\u001b");
    expect(row).not.toContain("<b>");
    expect(row).toContain("user/&#124;evil\\\\u001b\\[31m\\`&lt;b&gt;");
    expect(row.split("|")).toHaveLength(6); // four cells, nothing more
  });
});
