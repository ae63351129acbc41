/**
 * The synth run (run contract, DESIGN.md): validate the config, build every stack into a fresh
 * directory, check it, and only then put it in place of the previous output. Whatever fails,
 * the previous `cdktf.out` is left exactly as it was.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync } from "node:fs";
import path from "node:path";
import { buildApp } from "./app";
import { configFile, loadConfig } from "./config/load";
import { ConfigError } from "./config/issues";
import { buildModel } from "./model/model";
import type { Finding } from "./rules/rule";

export interface SynthOptions {
  readonly configFile?: string;
  /** Default: `$CDKTF_OUTDIR` or `cdktf.out`. */
  readonly outdir?: string;
  readonly now?: Date;
}

export interface SynthResult {
  readonly outdir: string;
  readonly stacks: readonly string[];
  readonly warnings: readonly Finding[];
}

/** Errors found by the synth checks; nothing was written. */
export class CheckError extends Error {
  constructor(readonly findings: readonly Finding[]) {
    super(findings.filter((f) => f.severity === "error").map(formatFinding).join("\n"));
    this.name = "CheckError";
  }
}

export function formatFinding(f: Finding): string {
  return `${f.configPath} (${f.partner}): ${f.message} [${f.ruleId}]`;
}

/** Terraform's own working files in a stack directory, kept across syntheses. */
const TERRAFORM_WORKING_FILES = [".terraform", ".terraform.lock.hcl"];

function carryOverTerraformFiles(previous: string, next: string): void {
  const stacksDir = path.join(previous, "stacks");
  if (!existsSync(stacksDir)) return;
  for (const stack of readdirSync(stacksDir)) {
    const target = path.join(next, "stacks", stack);
    if (!existsSync(target)) continue;
    for (const name of TERRAFORM_WORKING_FILES) {
      const from = path.join(stacksDir, stack, name);
      if (existsSync(from)) cpSync(from, path.join(target, name), { recursive: true, verbatimSymlinks: true });
    }
  }
}

/** Replaces `target` by `fresh` with two renames; the old tree is removed only afterwards. */
function swapInto(fresh: string, target: string): void {
  if (!existsSync(target)) {
    renameSync(fresh, target);
    return;
  }
  const old = `${target}.old-${process.pid}`;
  renameSync(target, old);
  try {
    renameSync(fresh, target);
  } catch (e) {
    renameSync(old, target);
    throw e;
  }
  rmSync(old, { recursive: true, force: true });
}

export function synthesize(options: SynthOptions = {}): SynthResult {
  const model = buildModel(loadConfig(options.configFile ?? configFile()));
  const target = path.resolve(options.outdir ?? (process.env.CDKTF_OUTDIR || "cdktf.out"));
  mkdirSync(path.dirname(target), { recursive: true });
  const staging = `${target}.tmp-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  try {
    const { app, checks } = buildApp(model, { outdir: staging, statePaths: { outdir: target }, now: options.now });
    app.synth();
    const errors = checks.findings.filter((f) => f.severity === "error");
    if (errors.length > 0) throw new CheckError(checks.findings);
    carryOverTerraformFiles(target, staging);
    swapInto(staging, target);
    return {
      outdir: target,
      stacks: app.node.children.map((c) => c.node.id),
      warnings: checks.findings.filter((f) => f.severity === "warning"),
    };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** Command-line entry: exit code 0 on success, 1 on bad input or failed checks. */
export function runSynthCli(options: SynthOptions = {}): number {
  try {
    const result = synthesize(options);
    for (const w of result.warnings) console.error(`warning: ${formatFinding(w)}`);
    const where = path.relative(process.cwd(), result.outdir) || ".";
    console.log(`synthesized ${result.stacks.join(", ")} into ${where}`);
    return 0;
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(`${e.file ?? "config"}: ${e.issues.length} problem${e.issues.length === 1 ? "" : "s"}; nothing was written`);
      console.error(e.message);
      return 1;
    }
    if (e instanceof CheckError) {
      for (const f of e.findings) console.error(`${f.severity}: ${formatFinding(f)}`);
      console.error("synth checks failed; nothing was written");
      return 1;
    }
    throw e;
  }
}
