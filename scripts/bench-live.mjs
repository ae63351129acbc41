#!/usr/bin/env node
/**
 * Live audit benchmark: `npm run audit -- --live` of an owner account holding 1,000 RAM roles
 * (50 of them trusting another account, each with a policy attached), served by the rehearsal's
 * fake RAM endpoint with 50 ms of latency on every call, at several concurrencies. Prints a
 * Markdown table: wall time, RAM calls, calls per second. Target: under 30 s at the concurrency
 * the README recommends (8). A figure, not a test.
 *
 *   npm run bench:live [-- --roles 1000 --latency 50]
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { stringify } from "yaml";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const require = createRequire(import.meta.url);
const { FakeRam } = require("../rehearsal/ram.cjs");
const { operations } = require("../rehearsal/ram-operations.cjs");
const { startRamEndpoint } = require("../rehearsal/ram-endpoint.cjs");

const { values } = parseArgs({
  options: { roles: { type: "string", default: "1000" }, latency: { type: "string", default: "50" } },
});
const ROLES = Number(values.roles);
const LATENCY = Number(values.latency);
const A = "1000000000000001";
const OUTSIDER = "3000000000000003";
const work = mkdtempSync(path.join(os.tmpdir(), "bench-live-"));

const trust = (principal) =>
  JSON.stringify({ Version: "1", Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Principal: { RAM: [principal] } }] });

function account() {
  mkdirSync(path.join(work, "ram"), { recursive: true });
  new FakeRam(path.join(work, "ram", `${A}.json`), A).change((ram) => {
    operations.createPolicy(ram, {
      name: "vendor-events",
      document: JSON.stringify({
        Version: "1",
        Statement: [{ Effect: "Allow", Action: "eventbridge:PutEvents", Resource: "*" }],
      }),
    });
    for (let i = 0; i < ROLES; i++) {
      const external = i % 20 === 0;
      const name = `role-${String(i).padStart(4, "0")}`;
      operations.createRole(ram, { name, document: trust(external ? `acs:ram::${OUTSIDER}:root` : `acs:ram::${A}:root`) }, A);
      if (external) operations.attach(ram, { to: "role", target: name, policy: "vendor-events", type: "Custom" });
    }
  });
}

/** An owner-form config for account A with one partner (its role is not in the account). */
function config() {
  const file = path.join(work, "delegation.yaml");
  writeFileSync(
    file,
    stringify({
      owner: { name: "enterprise-a", accountId: A, region: "cn-hangzhou", profile: "auditor" },
      partners: [
        {
          name: "enterprise-b",
          accountId: "2000000000000002",
          role: { name: "eventbridge-publisher-b", description: "bench" },
          grants: [{ eventBus: "orders", permissions: ["publish"] }],
        },
      ],
    }),
  );
  return file;
}

function audit(file, home, url, concurrency) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    // GNU time, where present, adds the audit process's own CPU time (user + system)
    const args = [
      path.join(root, "scripts", "launch.cjs"),
      ...["audit", "--live", "--json", "--endpoint", url, "--concurrency", String(concurrency)],
    ];
    const options = { cwd: root, env: { ...process.env, HOME: home, DELEGATION_CONFIG: file } };
    const child = existsSync("/usr/bin/time")
      ? spawn("/usr/bin/time", ["-f", "cpu %U %S", process.execPath, ...args], options)
      : spawn(process.execPath, args, options);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c) => (stdout += c));
    child.stderr.on("data", (c) => (stderr += c));
    child.on("error", reject);
    child.on("close", (status) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (status !== 0 && status !== 1) return reject(new Error(`audit exited ${status}: ${stderr}`));
      const result = JSON.parse(stdout);
      const calls = Object.values(result.accounts[0].calls).reduce((a, b) => a + b, 0);
      const cpu = /cpu ([\d.]+) ([\d.]+)\s*$/.exec(stderr);
      resolve({ ms, calls, roles: result.accounts[0].roles, cpu: cpu ? Number(cpu[1]) + Number(cpu[2]) : undefined });
    });
  });
}

try {
  account();
  const file = config();
  const home = path.join(work, "home");
  mkdirSync(path.join(home, ".aliyun"), { recursive: true });
  writeFileSync(
    path.join(home, ".aliyun", "config.json"),
    JSON.stringify({
      current: "auditor",
      profiles: [{ name: "auditor", mode: "AK", access_key_id: "AK-BENCH", access_key_secret: "s" }],
    }),
  );
  const endpoint = await startRamEndpoint({
    dir: path.join(work, "ram"),
    keys: { "AK-BENCH": { secret: "s", accountId: A } },
    latencyMs: LATENCY,
  });
  try {
    await audit(file, home, endpoint.url, 8); // warm-up: builds the bundle
    const rows = [];
    for (const concurrency of [1, 4, 8, 16]) {
      if (concurrency === 1 && ROLES > 200) continue; // about a minute of waiting on latency alone
      process.stderr.write(`concurrency ${concurrency} …`);
      const r = await audit(file, home, endpoint.url, concurrency);
      process.stderr.write(" done\n");
      rows.push({ concurrency, ...r });
    }
    const { roles } = rows[0];
    console.log(
      `Live audit of ${roles.total} roles (${roles.unmanagedExternal} trusting another account), ${LATENCY} ms per call, node ${process.version}, ${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(1)}:\n`,
    );
    console.log(
      "| Concurrency | Wall time | Audit CPU time | RAM calls | Calls/s | Latency floor (calls x latency / concurrency) |",
    );
    console.log("|---|---|---|---|---|---|");
    for (const r of rows)
      console.log(
        `| ${r.concurrency} | ${(r.ms / 1000).toFixed(2)} s | ${r.cpu === undefined ? "?" : `${r.cpu.toFixed(2)} s`} | ${r.calls} | ${Math.round(r.calls / (r.ms / 1000))} | ${((r.calls * LATENCY) / r.concurrency / 1000).toFixed(2)} s |`,
      );
  } finally {
    await endpoint.close();
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
