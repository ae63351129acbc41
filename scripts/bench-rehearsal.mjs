#!/usr/bin/env node
/**
 * Rehearsal benchmark: the wall time of `npm run rehearse` on the example, and of `terraform plan`
 * of the owner stack against the stand-in provider at 10, 100 and 1,000 partners: Terraform's own
 * cost for one owner stack, with the fake answering at once. Median of 3 runs after a warm-up;
 * prints a Markdown table. Needs terraform on PATH.
 *
 *   npm run bench:rehearse
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { benchConfig } from "./bench-config.mjs";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const { installProvider } = createRequire(import.meta.url)("../rehearsal/mirror.cjs");
const work = mkdtempSync(path.join(os.tmpdir(), "bench-rehearsal-"));
const env = { ...process.env, CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1", TF_INPUT: "0" };

function run(command, args, options) {
  const start = process.hrtime.bigint();
  const out = spawnSync(command, args, { encoding: "utf8", maxBuffer: 1024 * 1024 * 1024, ...options });
  if (out.status !== 0 && out.status !== 2)
    throw new Error(`${command} ${args.join(" ")} exited ${out.status}\n${out.stdout}\n${out.stderr}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const timed = (label, fn) => {
  process.stderr.write(`${label} …`);
  fn();
  const ms = median([fn(), fn(), fn()]);
  process.stderr.write(" done\n");
  return { label, ms };
};
const seconds = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`);

try {
  const rows = [];
  const project = path.join(work, "example");
  mkdirSync(project);
  copyFileSync(path.join(root, "delegation.yaml"), path.join(project, "delegation.yaml"));
  rows.push(
    timed("npm run rehearse (example: 2 stacks, 11 resources)", () =>
      run(process.execPath, [path.join(root, "scripts", "launch.cjs"), "rehearse"], { cwd: project, env }),
    ),
  );

  const cliConfig = installProvider(path.join(work, "provider"));
  for (const n of [10, 100, 1000]) {
    const dir = path.join(work, `p${n}`);
    mkdirSync(dir);
    writeFileSync(path.join(dir, "delegation.json"), JSON.stringify(benchConfig(n)));
    run(process.execPath, [path.join(root, "scripts", "synth.cjs")], {
      cwd: dir,
      env: { ...env, DELEGATION_CONFIG: "delegation.json" },
    });
    const stack = JSON.parse(readFileSync(path.join(dir, "cdktf.out", "stacks", "owner", "cdk.tf.json"), "utf8"));
    stack.terraform.backend = { local: { path: path.join(dir, "owner.tfstate") } };
    const resources = Object.values(stack.resource).reduce((k, byName) => k + Object.keys(byName).length, 0);
    const stackDir = path.join(dir, "owner");
    mkdirSync(stackDir);
    writeFileSync(path.join(stackDir, "cdk.tf.json"), JSON.stringify(stack));
    const tfEnv = {
      ...env,
      TF_CLI_CONFIG_FILE: cliConfig,
      REHEARSAL_RAM_FILE: path.join(dir, "ram.json"),
      REHEARSAL_ACCOUNT_ID: "1000000000000001",
    };
    run("terraform", ["init", "-input=false", "-no-color"], { cwd: stackDir, env: tfEnv });
    rows.push(
      timed(`terraform plan, owner stack, ${n} partners (${resources} resources)`, () =>
        run("terraform", ["plan", "-input=false", "-no-color", "-detailed-exitcode"], { cwd: stackDir, env: tfEnv }),
      ),
    );
  }
  const version = JSON.parse(spawnSync("terraform", ["version", "-json"], { encoding: "utf8" }).stdout).terraform_version;
  console.log(`Terraform ${version}, Node ${process.version}, ${os.cpus().length} cores\n`);
  console.log("| command | median of 3 |\n|---|---:|");
  for (const r of rows) console.log(`| ${r.label} | ${seconds(r.ms)} |`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
