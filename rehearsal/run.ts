/**
 * `npm run rehearse`: synthesize, then put every stack through the real Terraform CLI against the
 * stand-in provider (provider.cjs) and a fresh fake RAM per account: init from a filesystem mirror,
 * apply, plan again (it must be empty), `terraform show -json` into `<outdir>/rehearsal/<stack>.json`,
 * and the audit of that state. It proves that Terraform accepts and applies our JSON and that our
 * model of RAM holds together; it is not Alibaba Cloud, and a green rehearsal is not a deploy.
 *
 * Nothing it does reaches the user's real state or stacks: each stack is applied from a copy in
 * `<outdir>/rehearsal/work/<stack>` whose backend is a local file beside it, and the provider is
 * installed only through a CLI config in a temporary directory (never ~/.terraformrc).
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { loadModel } from "../lib/describe/model";
import { auditDelegations, type AuditFinding } from "../lib/audit/state";
import { readStateFile, type StackJson } from "../lib/readers/files";
import { readStack } from "../lib/readers/terraform";
import { formatUnaccounted } from "../lib/readers/unaccounted";
import { synthesize } from "../lib/synth/synth";

/** Terraform is missing, or a step of the rehearsal could not run at all. */
export class RehearsalError extends Error {}

export interface StackRehearsal {
  readonly stack: string;
  readonly accountId: string;
  /** Resources in the state after the apply. */
  readonly resources: number;
  /** The first apply failed: Terraform's message. */
  readonly applyError?: string;
  /** The plan after the apply, when it was not empty. */
  readonly replanDiff?: string;
  /** Error-level audit findings of this stack's state. */
  readonly auditErrors: readonly AuditFinding[];
  readonly stateFile: string;
  readonly workDir: string;
}

export interface RehearsalResult {
  readonly outdir: string;
  readonly stacks: readonly StackRehearsal[];
  readonly ok: boolean;
  /** Runs terraform again in a stack's rehearsal directory, with the rehearsal's environment. */
  terraform(stack: string, ...args: string[]): { status: number | null; stdout: string; stderr: string };
}

export interface RehearseOptions {
  readonly configFile?: string;
  readonly outdir?: string;
  readonly now?: Date;
  /**
   * Where the fake RAM of each account and the stacks' Terraform state live (default: inside
   * `<outdir>/rehearsal`, new each run). Given, they are kept across runs, so that a later
   * rehearsal of a changed config applies the change, as the next deploy would.
   */
  readonly ramDir?: string;
  readonly stateDir?: string;
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

/** Throwaway console passwords for the login profiles of a stack (8-32 characters), never printed. */
function consolePasswords(stack: StackJson): Record<string, string> {
  // user_name refers to the user resource; the review reader resolves it to the name
  const profiles = readStack(stack).resources.filter((r) => r.type === "alicloud_ram_login_profile");
  return Object.fromEntries(profiles.map((p) => [String(p.values.user_name), `Rh-${randomBytes(12).toString("base64url")}`]));
}

/** Creates users in an account's fake RAM unless they exist (the config's existingUsers). */
function seedUsers(file: string, accountId: string, names: readonly string[]): void {
  const { FakeRam, operations } = component<{
    FakeRam: new (file: string, accountId: string) => { change(fn: (ram: { users: Record<string, unknown> }) => void): void };
    operations: { createUser(ram: unknown, user: { name: string }): void };
  }>("ram.cjs");
  new FakeRam(file, accountId).change((ram) => {
    for (const name of names) if (!ram.users[name]) operations.createUser(ram, { name });
  });
}

export async function rehearse(options: RehearseOptions = {}): Promise<RehearsalResult> {
  terraformVersion();
  const synth = await synthesize({ configFile: options.configFile, outdir: options.outdir, now: options.now });
  const outdir = synth.outdir;
  const model = loadModel(options.configFile);
  const dir = path.join(outdir, "rehearsal");
  fs.rmSync(dir, { recursive: true, force: true });
  const ramDir = options.ramDir ?? path.join(dir, "ram");
  fs.mkdirSync(ramDir, { recursive: true });
  // the mirror and its CLI config live in the rehearsal directory: Terraform links the installed
  // provider to the mirror, so it must stay for later runs (a refresh before an audit)
  const cliConfig = installProvider(path.join(dir, "provider"));

  const envs = new Map<string, NodeJS.ProcessEnv>();
  const terraform = (stack: string, ...args: string[]) => {
    // Terraform's output for a thousand partners runs to many megabytes
    const out = spawnSync("terraform", args, {
      cwd: path.join(dir, "work", stack),
      env: envs.get(stack),
      encoding: "utf8",
      maxBuffer: 1024 * 1024 * 1024,
    });
    if (out.error) throw new RehearsalError(`terraform ${args[0]} in ${stack}: ${out.error.message}`);
    return { status: out.status, stdout: out.stdout, stderr: out.stderr };
  };

  const stacks: StackRehearsal[] = [];
  {
    for (const id of synth.stacks) {
      const stack = JSON.parse(fs.readFileSync(path.join(outdir, "stacks", id, "cdk.tf.json"), "utf8"));
      const identity = stack["//"].delegation;
      const accountId: string = identity.side === "owner" ? identity.owner.accountId : identity.partner.accountId;
      const work = path.join(dir, "work", id);
      fs.mkdirSync(work, { recursive: true });
      // the same stack, with its backend (local or OSS) redirected into the rehearsal
      stack.terraform.backend = { local: { path: path.join(options.stateDir ?? path.join(dir, "state"), `${id}.tfstate`) } };
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
      const passwords = consolePasswords(stack);
      if (Object.keys(passwords).length > 0) env.TF_VAR_console_passwords = JSON.stringify(passwords);
      envs.set(id, env);

      const init = terraform(id, "init", "-no-color", "-input=false");
      if (init.status !== 0) throw new RehearsalError(`terraform init in ${id} failed:\n${init.stderr || init.stdout}`);
      const apply = terraform(id, "apply", "-no-color", "-input=false", "-auto-approve");
      const replan = apply.status === 0 ? terraform(id, "plan", "-no-color", "-input=false", "-detailed-exitcode") : undefined;
      const stateFile = path.join(dir, `${id}.json`);
      const show = terraform(id, "show", "-json");
      fs.writeFileSync(stateFile, show.stdout);
      const state = JSON.parse(show.stdout) as { values?: { root_module?: { resources?: unknown[] } } };
      const resources = state.values?.root_module?.resources?.length ?? 0;
      let auditErrors: AuditFinding[] = [];
      if (resources > 0) {
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
      stacks.push({
        stack: id,
        accountId,
        resources,
        ...(apply.status === 0 ? {} : { applyError: (apply.stderr || apply.stdout).trim() }),
        ...(replan && replan.status !== 0 ? { replanDiff: (replan.stdout + replan.stderr).trim() } : {}),
        auditErrors,
        stateFile,
        workDir: work,
      });
    }
  }
  const ok = stacks.every((s) => !s.applyError && !s.replanDiff && s.auditErrors.length === 0);
  return { outdir, stacks, ok, terraform };
}
