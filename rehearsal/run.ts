/**
 * `npm run rehearse`: synthesize, then put every stack through the real Terraform CLI against the
 * stand-in provider (provider.cjs) and the fake RAM of its account, as the previous rehearsal left
 * them in the kept folder (kept.ts): init from a filesystem mirror, plan the change (its counts and
 * every replaced or destroyed address, from the plan JSON), apply exactly that plan, plan again (it
 * must be empty), `terraform show -json` into `<kept>/<stack>.json`, and the audit of that state.
 * It proves that Terraform accepts and applies our JSON and the change to what was there before,
 * and that our model of RAM holds together; it is not Alibaba Cloud, and a green rehearsal is not
 * a deploy.
 *
 * Nothing it does reaches the user's real state or stacks: each stack is applied from a copy in
 * `<kept>/work/<stack>` whose backend is a local file in `<kept>/state/`, and the provider is
 * installed only through a CLI config in `<kept>/provider/` (never ~/.terraformrc).
 */
import { spawnSync } from "node:child_process";
import { createHmac } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { loadModel } from "../lib/describe/model";
import { auditDelegations, type AuditFinding } from "../lib/audit/state";
import { LEFT_BEHIND_FILE, type LeftBehind } from "../lib/plan/left-behind";
import { summarizePlan, type StackPlan } from "../lib/plan/read";
import { readStateFile, type StackJson } from "../lib/readers/files";
import { readStack } from "../lib/readers/terraform";
import { formatUnaccounted } from "../lib/readers/unaccounted";
import { synthesize } from "../lib/synth/synth";
import { openKeptFolder, stacksLeftBehind, type KeptFolder } from "./kept";

/** Terraform is missing, or a step of the rehearsal could not run at all. */
export class RehearsalError extends Error {}

/** Where an apply stopped: the resource Terraform was changing and what the (fake) RAM answered. */
export interface ApplyFailure {
  readonly address?: string;
  readonly message: string;
}

export interface StackRehearsal {
  readonly stack: string;
  readonly accountId: string;
  /** The plan of the change against what the previous rehearsal left (undefined when planning failed). */
  readonly plan?: StackPlan;
  /** Resources in the state after the apply. */
  readonly resources: number;
  /** Planning failed: Terraform's message. */
  readonly planError?: string;
  /** The apply failed: each error, with the address it stopped at. The state keeps what was applied. */
  readonly applyErrors?: readonly ApplyFailure[];
  /** The plan after the apply, when it was not empty. */
  readonly replanDiff?: string;
  /** Whether the state was audited: the audit refuses a state that holds nothing. */
  readonly audited: boolean;
  /** Error-level audit findings of this stack's state. */
  readonly auditErrors: readonly AuditFinding[];
  /** terraform show -json of the state after the rehearsal, and of the plan it applied. */
  readonly stateFile: string;
  readonly planFile: string;
  readonly workDir: string;
}

export interface RehearsalResult {
  readonly outdir: string;
  /** The kept folder: fake accounts, states, plans. */
  readonly dir: string;
  /** Whether the accounts started empty (a new kept folder, or fresh). */
  readonly fresh: boolean;
  readonly stacks: readonly StackRehearsal[];
  /**
   * Stacks an earlier rehearsal applied that the config no longer makes: `cdktf deploy` only
   * deploys the stacks it synthesizes, so their resources stay in the account until destroyed.
   */
  readonly leftBehind: readonly LeftBehind[];
  readonly ok: boolean;
  /** Runs terraform again in a stack's rehearsal directory, with the rehearsal's environment. */
  terraform(stack: string, ...args: string[]): { status: number | null; stdout: string; stderr: string };
}

export interface RehearseOptions {
  readonly configFile?: string;
  readonly outdir?: string;
  readonly now?: Date;
  /** The kept folder (default `.rehearsal` in the working directory). */
  readonly dir?: string;
  /** Start from empty accounts: the kept folder is emptied first. */
  readonly fresh?: boolean;
  /**
   * The fake accounts, when they live outside the kept folder: rehearsals of several repositories
   * (an owner's and a partner's) sharing one cloud. Never emptied by `fresh`.
   */
  readonly ramDir?: string;
}

/** The terraform binary's version, or a RehearsalError saying it is missing. */
export function terraformVersion(): string {
  const out = spawnSync("terraform", ["version", "-json"], { encoding: "utf8", env: { ...process.env, TF_CLI_CONFIG_FILE: "" } });
  if (out.error || out.status !== 0) {
    throw new RehearsalError(
      "terraform was not found on PATH; the rehearsal runs the real Terraform CLI (1.11) against a local stand-in provider",
    );
  }
  return (JSON.parse(out.stdout) as { terraform_version: string }).terraform_version;
}

/** The rehearsal's CommonJS test components (the fake RAM, the provider mirror), beside this file or in rehearsal/. */
function component<T>(name: string): T {
  const candidates = [path.join(__dirname, name), path.join(__dirname, "..", "rehearsal", name)];
  const found = candidates.find((c) => fs.existsSync(c));
  if (!found) throw new RehearsalError(`the rehearsal's ${name} is missing (looked for ${candidates.join(", ")})`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- CommonJS test components, also run by Terraform
  return require(found) as T;
}

/** The stand-in provider, installable from a filesystem mirror, and a CLI config that uses it. */
function installProvider(dir: string): string {
  return component<{ installProvider(dir: string): string }>("mirror.cjs").installProvider(dir);
}

/**
 * Throwaway console passwords for the login profiles of a stack (8-32 characters), never printed.
 * Each is derived from the kept folder's own random secret, the stack and the user, so the next
 * rehearsal passes the same password and plans no change to a login profile that has none.
 */
function consolePasswords(stack: StackJson, id: string, secret: Buffer): Record<string, string> {
  // user_name refers to the user resource; the review reader resolves it to the name
  const profiles = readStack(stack).resources.filter((r) => r.type === "alicloud_ram_login_profile");
  const password = (user: string) =>
    `Rh-${createHmac("sha256", secret).update(`${id}\0${user}`).digest("base64url").slice(0, 16)}`;
  return Object.fromEntries(profiles.map((p) => [String(p.values.user_name), password(String(p.values.user_name))]));
}

/** Creates users in an account's fake RAM unless they exist (the config's existingUsers). */
function seedUsers(file: string, accountId: string, names: readonly string[]): void {
  const { FakeRam } = component<{
    FakeRam: new (file: string, accountId: string) => { change(fn: (ram: { users: Record<string, unknown> }) => void): void };
  }>("ram.cjs");
  const { operations } = component<{ operations: { createUser(ram: unknown, user: { name: string }): void } }>(
    "ram-operations.cjs",
  );
  new FakeRam(file, accountId).change((ram) => {
    for (const name of names) if (!ram.users[name]) operations.createUser(ram, { name });
  });
}

/** The errors of `terraform apply -json`, each with the resource address it names. */
function applyFailures(stdout: string, stderr: string): ApplyFailure[] {
  const out: ApplyFailure[] = [];
  for (const line of stdout.split("\n")) {
    if (!line.startsWith("{")) continue;
    let message: { type?: string; diagnostic?: { severity?: string; summary?: string; detail?: string; address?: string } };
    try {
      message = JSON.parse(line);
    } catch {
      continue;
    }
    const d = message.diagnostic;
    if (message.type !== "diagnostic" || d?.severity !== "error") continue;
    out.push({
      ...(d.address ? { address: d.address } : {}),
      message: [d.summary, d.detail].filter((x) => x).join(": "),
    });
  }
  // an error Terraform could not put into its JSON view
  if (out.length === 0) out.push({ message: (stderr || stdout).trim() || "terraform apply failed" });
  return out;
}

/** Resources in a `terraform show -json` state. */
const resourceCount = (show: string): number => {
  const state = JSON.parse(show) as { values?: { root_module?: { resources?: unknown[] } } };
  return state.values?.root_module?.resources?.length ?? 0;
};

export async function rehearse(options: RehearseOptions = {}): Promise<RehearsalResult> {
  terraformVersion();
  // the folder is checked before anything is written: an incompatible one is refused as it is
  const kept: KeptFolder = openKeptFolder(path.resolve(options.dir ?? ".rehearsal"), options.fresh);
  const synth = await synthesize({ configFile: options.configFile, outdir: options.outdir, now: options.now });
  const outdir = synth.outdir;
  const model = loadModel(options.configFile);
  const ramDir = options.ramDir ?? kept.ramDir;
  fs.mkdirSync(ramDir, { recursive: true });
  // the mirror is rewritten every run: the launcher names this checkout's node and provider
  const cliConfig = installProvider(kept.providerDir);

  const envs = new Map<string, NodeJS.ProcessEnv>();
  const terraform = (stack: string, ...args: string[]) => {
    // Terraform's output for a thousand partners runs to many megabytes
    const out = spawnSync("terraform", args, {
      cwd: path.join(kept.workDir, stack),
      env: envs.get(stack),
      encoding: "utf8",
      maxBuffer: 1024 * 1024 * 1024,
    });
    if (out.error) throw new RehearsalError(`terraform ${args[0]} in ${stack}: ${out.error.message}`);
    return { status: out.status, stdout: out.stdout, stderr: out.stderr };
  };

  // a plan (and the list of stacks left behind) is this rehearsal's or none: a stack the config no
  // longer makes leaves no stale plan, and a rehearsal that stops half-way no stale list
  for (const f of fs.readdirSync(kept.dir))
    if (f.endsWith(".plan.json") || f === LEFT_BEHIND_FILE) fs.rmSync(path.join(kept.dir, f));
  const stacks: StackRehearsal[] = [];
  for (const id of synth.stacks) {
    const stack = JSON.parse(fs.readFileSync(path.join(outdir, "stacks", id, "cdk.tf.json"), "utf8"));
    const identity = stack["//"].delegation;
    const accountId: string = identity.side === "owner" ? identity.owner.accountId : identity.partner.accountId;
    // the working copy is rebuilt every run (a lock file would pin the previous launcher); the
    // state is kept beside it, named relative to it so that no path of the checkout enters HCL
    const work = path.join(kept.workDir, id);
    fs.rmSync(work, { recursive: true, force: true });
    fs.mkdirSync(work, { recursive: true });
    stack.terraform.backend = {
      local: {
        path: path
          .relative(work, path.join(kept.stateDir, `${id}.tfstate`))
          .split(path.sep)
          .join("/"),
      },
    };
    fs.writeFileSync(path.join(work, "cdk.tf.json"), JSON.stringify(stack, null, 2));
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      TF_CLI_CONFIG_FILE: cliConfig,
      TF_IN_AUTOMATION: "1",
      TF_INPUT: "0",
      CHECKPOINT_DISABLE: "1",
      REHEARSAL_RAM_FILE: path.join(ramDir, `${accountId}.json`),
      REHEARSAL_ACCOUNT_ID: accountId,
    };
    // users the config lists as existing already exist in the partner's account
    if (identity.side === "partner") {
      const side = model.partnerSides.find((p) => p.stackId === id);
      seedUsers(env.REHEARSAL_RAM_FILE!, accountId, side?.existingUsers ?? []);
    }
    const passwords = consolePasswords(stack, id, kept.secret());
    if (Object.keys(passwords).length > 0) env.TF_VAR_console_passwords = JSON.stringify(passwords);
    envs.set(id, env);

    const init = terraform(id, "init", "-no-color", "-input=false");
    if (init.status !== 0) throw new RehearsalError(`terraform init in ${id} failed:\n${init.stderr || init.stdout}`);
    const stateFile = kept.stateJson(id);
    const planFile = kept.planJson(id);
    const result = (fields: Partial<StackRehearsal>): StackRehearsal => {
      const show = terraform(id, "show", "-json");
      fs.writeFileSync(stateFile, show.stdout);
      return {
        stack: id,
        accountId,
        resources: resourceCount(show.stdout),
        audited: false,
        auditErrors: [],
        stateFile,
        planFile,
        workDir: work,
        ...fields,
      };
    };

    // the change: planned against what the previous rehearsal left, then applied exactly as planned
    const planned = terraform(id, "plan", "-no-color", "-input=false", "-detailed-exitcode", "-out=tfplan");
    if (planned.status !== 0 && planned.status !== 2) {
      stacks.push(result({ planError: (planned.stderr || planned.stdout).trim() }));
      continue;
    }
    const planJson = terraform(id, "show", "-json", "tfplan").stdout;
    fs.writeFileSync(planFile, planJson);
    const plan = summarizePlan(id, JSON.parse(planJson));
    if (planned.status === 2) {
      const apply = terraform(id, "apply", "-json", "-input=false", "tfplan");
      if (apply.status !== 0) {
        stacks.push(result({ plan, applyErrors: applyFailures(apply.stdout, apply.stderr) }));
        continue;
      }
    }
    const replan = terraform(id, "plan", "-no-color", "-input=false", "-detailed-exitcode");
    const done = result({ plan, ...(replan.status !== 0 ? { replanDiff: (replan.stdout + replan.stderr).trim() } : {}) });
    let auditErrors: AuditFinding[] = [];
    if (done.resources > 0) {
      const audit = auditDelegations(model, [{ file: stateFile, read: readStateFile(stateFile) }], options.now ?? new Date());
      auditErrors = [
        ...audit.findings.filter((f) => f.severity === "error"),
        ...audit.unreadable.map((u) => ({
          severity: "error" as const,
          partner: "?",
          check: "UNREADABLE",
          message: formatUnaccounted(u),
        })),
      ];
    }
    stacks.push({ ...done, audited: done.resources > 0, auditErrors });
  }
  const ok = stacks.every(
    (s) => !s.planError && !s.applyErrors && !s.replanDiff && s.auditErrors.length === 0 && s.plan?.notUnderstood.length === 0,
  );
  const leftBehind = stacksLeftBehind(kept.stateDir, synth.stacks);
  fs.writeFileSync(path.join(kept.dir, LEFT_BEHIND_FILE), `${JSON.stringify(leftBehind)}\n`);
  return { outdir, dir: kept.dir, fresh: kept.fresh, stacks, leftBehind, ok, terraform };
}
