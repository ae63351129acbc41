#!/usr/bin/env node
/**
 * Rehearsal benchmark: the wall time of `npm run rehearse` on the example from empty accounts
 * (`--fresh`) and of a one-grant change on the accounts it kept; of `terraform plan` of the owner
 * stack against the stand-in provider at 10, 100 and 1,000 partners; and of the rehearsal's cycle
 * for a one-partner change in a 1,000-partner owner stack (plan to a file, show -json, apply that
 * plan, plan again). Median of 3 runs after a warm-up; prints a Markdown table. Needs terraform
 * on PATH.
 *
 *   npm run bench:rehearse [-- --only example|plans|change]
 *
 * `--only example` times the two rehearsals of the example, `--only plans` the plans at 10, 100
 * and 1,000 partners, `--only change` the one-partner change in a 1,000-partner owner stack (its
 * first apply is printed, not timed).
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { benchConfig } from "./bench-config.mjs";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const { installProvider } = createRequire(import.meta.url)("../rehearsal/mirror.cjs");
const work = mkdtempSync(path.join(os.tmpdir(), "bench-rehearsal-"));
const ONLY = ["example", "plans", "change"];
const args = process.argv.slice(2);
const only = args.includes("--only") ? args[args.indexOf("--only") + 1] : undefined;
if (only !== undefined && !ONLY.includes(only)) {
  console.error(`--only takes one of ${ONLY.join(", ")}`);
  process.exit(2);
}
const part = (name) => only === undefined || only === name;
const env = { ...process.env, CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1", TF_INPUT: "0" };

function run(command, args, options) {
  const start = process.hrtime.bigint();
  const out = spawnSync(command, args, { encoding: "utf8", maxBuffer: 1024 * 1024 * 1024, ...options });
  if (out.status !== 0 && out.status !== 2)
    throw new Error(`${command} ${args.join(" ")} exited ${out.status}\n${out.stdout}\n${out.stderr}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
/** Median of 3 timed runs after a warm-up; `prepare` (untimed) runs before each. */
const timed = (label, fn, prepare = () => {}) => {
  process.stderr.write(`${label} …`);
  const once = () => {
    prepare();
    return fn();
  };
  once();
  const ms = median([once(), once(), once()]);
  process.stderr.write(" done\n");
  return { label, ms };
};
const seconds = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`);
const countResources = (stack) => Object.values(stack.resource).reduce((k, byName) => k + Object.keys(byName).length, 0);

/** Synthesizes a config in `dir` and returns its owner stack with a local backend at `state`. */
function ownerStack(dir, config, state) {
  writeFileSync(path.join(dir, "delegation.json"), JSON.stringify(config));
  run(process.execPath, [path.join(root, "scripts", "synth.cjs")], {
    cwd: dir,
    env: { ...env, DELEGATION_CONFIG: "delegation.json" },
  });
  const stack = JSON.parse(readFileSync(path.join(dir, "cdktf.out", "stacks", "owner", "cdk.tf.json"), "utf8"));
  stack.terraform.backend = { local: { path: state } };
  return stack;
}

try {
  const rows = [];

  // the example: from empty accounts, then a grant changed back and forth on the kept accounts
  if (part("example")) exampleRows(rows);
  const cliConfig = installProvider(path.join(work, "provider"));
  for (const n of part("plans") ? [10, 100, 1000] : part("change") ? [1000] : []) {
    const dir = path.join(work, `p${n}`);
    mkdirSync(dir);
    const stack = ownerStack(dir, benchConfig(n), path.join(dir, "owner.tfstate"));
    const stackDir = path.join(dir, "owner");
    mkdirSync(stackDir);
    writeFileSync(path.join(stackDir, "cdk.tf.json"), JSON.stringify(stack));
    const tfEnv = {
      ...env,
      TF_CLI_CONFIG_FILE: cliConfig,
      REHEARSAL_RAM_FILE: path.join(dir, "ram.json"),
      REHEARSAL_ACCOUNT_ID: "1000000000000001",
    };
    // options before a plan file: terraform takes no option after a positional argument
    const tf = (command, ...rest) =>
      run("terraform", [command, "-input=false", "-no-color", ...rest], { cwd: stackDir, env: tfEnv });
    tf("init");
    if (part("plans")) {
      rows.push(
        timed(`terraform plan, owner stack, ${n} partners (${countResources(stack)} resources)`, () =>
          tf("plan", "-detailed-exitcode"),
        ),
      );
    }
    if (n === 1000 && part("change")) changeRow(rows, { n, dir, stack, stackDir, tf, tfEnv });
  }
  const version = JSON.parse(spawnSync("terraform", ["version", "-json"], { encoding: "utf8" }).stdout).terraform_version;
  console.log(`Terraform ${version}, Node ${process.version}, ${os.cpus().length} cores\n`);
  console.log("| command | median of 3 |\n|---|---:|");
  for (const r of rows) console.log(`| ${r.label} | ${seconds(r.ms)} |`);
} finally {
  rmSync(work, { recursive: true, force: true });
}

function exampleRows(rows) {
  const project = path.join(work, "example");
  mkdirSync(project);
  const config = path.join(project, "delegation.yaml");
  const example = readFileSync(path.join(root, "__tests__", "fixtures", "example.yaml"), "utf8");
  if (!example.includes("permissions: [publish]")) throw new Error("the example's grant is not permissions: [publish]");
  writeFileSync(config, example);
  const exampleEnv = { ...env, DELEGATION_CONFIG: config };
  const rehearse = (...args) =>
    run(process.execPath, [path.join(root, "scripts", "launch.cjs"), "rehearse", ...args], { cwd: project, env: exampleEnv });
  rows.push(
    timed("npm run rehearse -- --fresh (example from empty accounts: 2 stacks, 11 resources)", () => rehearse("--fresh")),
  );
  let widened = false;
  rows.push(
    timed(
      "npm run rehearse (example, one grant changed on the kept accounts)",
      () => rehearse(),
      () => {
        widened = !widened;
        writeFileSync(config, widened ? example.replace("permissions: [publish]", "permissions: [publish, read]") : example);
      },
    ),
  );
}

/** A one-partner change on the applied 1,000-partner stack: the rehearsal's cycle for one stack. */
function changeRow(rows, { n, dir, stack, stackDir, tf, tfEnv }) {
  const applied = tf("apply", "-auto-approve");
  process.stderr.write(`(first apply of the 1,000-partner owner stack: ${seconds(applied)})\n`);
  const changed = benchConfig(n);
  changed.partners[0].grants[0].permissions = ["publish", "read"];
  const other = ownerStack(path.join(dir), changed, path.join(dir, "owner.tfstate"));
  let flip = false;
  rows.push(
    timed(
      `one partner's grant changed, owner stack, ${n} partners: plan -out, show -json, apply the plan, plan again`,
      () =>
        tf("plan", "-out=tfplan") +
        run("terraform", ["show", "-json", "tfplan"], { cwd: stackDir, env: tfEnv }) +
        tf("apply", "tfplan") +
        tf("plan", "-detailed-exitcode"),
      () => {
        flip = !flip;
        writeFileSync(path.join(stackDir, "cdk.tf.json"), JSON.stringify(flip ? other : stack));
      },
    ),
  );
}
