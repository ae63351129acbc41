/**
 * The synth run (the run contract): validate the config, build every stack into a fresh
 * directory, check it, and only then put it in place of the previous output. Whatever fails,
 * the previous `cdktf.out` is left exactly as it was.
 */
import { terminalLines } from "../text/terminal";
import fs from "node:fs";
import { availableParallelism } from "node:os";
import path from "node:path";
import { parentPort, Worker, workerData } from "node:worker_threads";
import type { StackManifest } from "cdktf";
import { configFile } from "../config/load";
import { loadModel } from "../describe/model";
import { ConfigError } from "../config/issues";
import type { DelegationModel } from "../model/model";
import type { Finding } from "../rules/rule";
import { ACK_UNUSED } from "../check-ids";
import { assertReplaceable, lockOutput, OutputError, recoverOutput, replaceOutput } from "./output";
import { synthShard, type ShardResult, type ShardTask } from "./shard";

export interface SynthOptions {
  readonly configFile?: string;
  /** Default: `$CDKTF_OUTDIR` or `cdktf.out`. */
  readonly outdir?: string;
  readonly now?: Date;
  /**
   * A script that runs main.ts (scripts/synth.cjs), to start worker threads from. Without it
   * everything is synthesized on this thread.
   */
  readonly workerEntry?: string;
  /** Threads for a large config (default: the available cores, at most 4). */
  readonly threads?: number;
  /**
   * The provider lock file the repository commits (default: `.terraform.lock.hcl` in the current
   * directory, the project's root under npm and the cdktf CLI). When it exists, every stack
   * directory gets a copy, where `terraform init` reads it.
   */
  readonly lockFile?: string;
}

export interface SynthResult {
  readonly outdir: string;
  readonly stacks: readonly string[];
  /** The handoff files written (owner and single-file forms), by partner name. */
  readonly handoffs: readonly string[];
  /** The config's form: owner (or single-file) or partner. */
  readonly form: "owner" | "partner";
  /** Warnings not acknowledged by the config. */
  readonly warnings: readonly Finding[];
  /** Warnings the config acknowledges, with their reasons. */
  readonly acknowledged: readonly Finding[];
  /** How many threads synthesized the stacks. */
  readonly threads: number;
  /** What was put right after an interrupted synth, one line each. */
  readonly recovered: readonly string[];
}

/** Recovers what an interrupted synth left beside `target` (only when something was left). */
function recoverInterrupted(target: string): string[] {
  const parent = path.dirname(target);
  const base = path.basename(target);
  // staging and old trees, a lock or a lock claim: what only a synth that did not finish leaves
  const left =
    fs.statSync(parent, { throwIfNoEntry: false })?.isDirectory() === true &&
    fs.readdirSync(parent).some((n) => n.startsWith(base) && /^\.(?:(?:tmp|old)-\d+|lock(?:\.\d+)?)$/.test(n.slice(base.length)));
  if (!left) return [];
  const unlock = lockOutput(target);
  try {
    return recoverOutput(target);
  } finally {
    unlock();
  }
}

/**
 * Whether the cdktf CLI runs this synth (`cdktf synth`, `deploy`, `output`, ...): it sets this
 * variable for the app it starts (@cdktf/cli-core 0.21.0, `SynthStack.synth`), and it prints
 * the manifest's annotations (warnings, acknowledgements) itself.
 */
export function runByCdktfCli(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS === "true";
}

/** Terraform's provider lock file: committed at the project's root, copied into every stack. */
export const LOCK_FILE = ".terraform.lock.hcl";

/** Below this many partners a second thread costs more than it saves. */
export const PARALLEL_MIN_PARTNERS = 200;

/** Errors found by the synth checks; nothing was written. */
export class CheckError extends Error {
  constructor(readonly findings: readonly Finding[]) {
    super(
      findings
        .filter((f) => f.severity === "error")
        .map(formatFinding)
        .join("\n"),
    );
    this.name = "CheckError";
  }
}

export function formatFinding(f: Finding): string {
  const who = f.partner ? `${f.configPath} (${f.partner})` : f.configPath;
  return `${who}: ${f.message} [${f.ruleId}]${f.acknowledged === undefined ? "" : ` — acknowledged: ${f.acknowledged}`}`;
}

/**
 * ACK-UNUSED: acknowledgements that matched no finding, per config entry: each active partner of
 * the owner (whose entry covers its partner side too), and each delegation of a partner config.
 */
function unusedAcknowledgements(model: DelegationModel, findings: readonly Finding[]): Finding[] {
  const used = new Set(findings.filter((f) => f.acknowledged !== undefined).map((f) => `${f.partner}\u0000${f.ruleId}`));
  const entries = model.owner ? model.partners.filter((p) => !p.revoked) : model.partnerSides;
  return entries.flatMap((p) =>
    Object.keys(p.acknowledgements)
      .filter((rule) => !used.has(`${p.name}\u0000${rule}`))
      .map((rule) => ({
        ruleId: ACK_UNUSED.id,
        severity: ACK_UNUSED.severity,
        message: `[Acknowledge::${rule}] ${rule} found nothing for this partner; remove the acknowledgement so that it cannot hide a later finding`,
        configPath: `${p.configPath}.acknowledge`,
        partner: p.name,
        constructPath: "",
      })),
  );
}

type ShardMessage = { stacks: readonly StackManifest[]; findings: ShardResult["findings"] };

function runShardOnWorker(entry: string, task: ShardTask): Promise<ShardMessage> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(entry, { workerData: task, argv: [], stdout: false, stderr: false });
    let result: ShardMessage | undefined;
    worker.once("message", (m: ShardMessage) => (result = m));
    worker.once("error", reject);
    worker.once("exit", (code) =>
      result ? resolve(result) : reject(new Error(`synth worker ${task.shard} exited with code ${code}`)),
    );
  });
}

/** Entry point of a worker thread started by `synthesize`. */
export function runShardWorker(): void {
  const { stacks, findings } = synthShard(workerData as ShardTask);
  parentPort?.postMessage({ stacks, findings } satisfies ShardMessage);
}

export async function synthesize(options: SynthOptions = {}): Promise<SynthResult> {
  const file = options.configFile ?? configFile();
  const target = path.resolve(options.outdir ?? (process.env.CDKTF_OUTDIR || "cdktf.out"));
  // whatever a killed synth left is put right first, even if this config turns out to be bad
  const recovered = recoverInterrupted(target);
  const model = loadModel(file);
  assertReplaceable(target, [process.cwd(), file]);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const unlock = lockOutput(target);
  const staging = `${target}.tmp-${process.pid}`;
  try {
    fs.rmSync(staging, { recursive: true, force: true });
    fs.mkdirSync(path.join(staging, "stacks"), { recursive: true });
    if (model.handoffs.length > 0) fs.mkdirSync(path.join(staging, "handoffs"));
    const threads =
      options.workerEntry && model.partnerSides.length >= PARALLEL_MIN_PARTNERS
        ? Math.max(1, Math.min(options.threads ?? availableParallelism(), 4))
        : 1;
    const task = (shard: number): ShardTask => ({
      model,
      outdir: staging,
      finalOutdir: target,
      now: options.now ?? new Date(),
      shard,
      shards: threads,
    });
    const others = Array.from({ length: threads - 1 }, (_, i) => runShardOnWorker(options.workerEntry!, task(i + 1)));
    // a rejected worker is reported after this thread's shard, not as an unhandled rejection
    others.forEach((p) => p.catch(() => undefined));
    const own = synthShard(task(0));
    const shards = [own, ...(await Promise.all(others))];

    const manifest = own.built.app.manifest;
    for (const s of shards.slice(1)) for (const entry of s.stacks) manifest.stacks[entry.name] = entry;
    const checked = shards
      .flatMap((s) => s.findings)
      .sort((a, b) => a.order - b.order)
      .map(({ order: _order, ...f }): Finding => f);
    const findings = [...checked, ...unusedAcknowledgements(model, checked)];
    if (findings.some((f) => f.severity === "error")) throw new CheckError(findings);
    manifest.writeToFile();
    const lock = path.resolve(options.lockFile ?? LOCK_FILE);
    if (fs.existsSync(lock)) {
      const text = fs.readFileSync(lock);
      for (const id of Object.keys(manifest.stacks)) fs.writeFileSync(path.join(staging, "stacks", id, LOCK_FILE), text);
    }

    const stacks = [...(model.owner ? [model.owner.stackId] : []), ...model.partnerSides.map((p) => p.stackId)];
    replaceOutput(staging, target, new Set(stacks), { forCdktfCli: runByCdktfCli() });
    return {
      outdir: target,
      stacks,
      handoffs: model.handoffs.map((h) => h.partner.name),
      form: model.owner ? "owner" : "partner",
      warnings: findings.filter((f) => f.severity === "warning" && f.acknowledged === undefined),
      acknowledged: findings.filter((f) => f.acknowledged !== undefined),
      threads,
      recovered,
    };
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
    unlock();
  }
}

/** A failed file system call (permissions, a file where a directory should be, a full disk). */
function isFileSystemError(e: unknown): e is NodeJS.ErrnoException {
  return (
    e instanceof Error &&
    typeof (e as NodeJS.ErrnoException).syscall === "string" &&
    typeof (e as NodeJS.ErrnoException).code === "string"
  );
}

/** The first `n` names, and how many more. */
function names(list: readonly string[], what: string, n = 4): string {
  return list.length <= n ? list.join(", ") : `${list.slice(0, n - 1).join(", ")} and ${list.length - n + 1} more ${what}`;
}

/** What a synth made, in one line: the stacks and, for an owner, the handoffs to send. */
export function synthLine(result: Pick<SynthResult, "stacks" | "handoffs" | "form">, where: string): string {
  if (result.stacks.length === 0) {
    return `nothing to synthesize: the config has no delegations yet (add one for each handoff an owner sends); ${where} holds no stack`;
  }
  const made = `synthesized ${names(result.stacks, "stacks")} into ${where}`;
  if (result.form !== "owner") return made;
  if (result.handoffs.length === 0) return `${made}; no partners, so no handoff`;
  const files = result.handoffs.map((p) => `${where}/handoffs/${p}.json`);
  // in the single-file form the partner stacks are made here too; a handoff is still written
  const what = result.stacks.length === 1 ? "send each partner its handoff" : "handoffs";
  return `${made}; ${what}: ${files.length <= 3 ? files.join(", ") : `${files.length} files in ${where}/handoffs/`}`;
}

/** Command-line entry: exit code 0 on success, 1 on bad input or failed checks. */
export async function runSynthCli(options: SynthOptions = {}): Promise<number> {
  try {
    const result = await synthesize(options);
    // the cdktf CLI logs everything on stderr as an error, and prints the manifest's warnings
    // and acknowledgements itself: under it they are not printed twice
    const cli = runByCdktfCli();
    for (const r of result.recovered) (cli ? console.log : console.error)(terminalLines(`recovered: ${r}`));
    if (!cli) {
      for (const w of result.warnings) console.error(terminalLines(`warning: ${formatFinding(w)}`));
      for (const a of result.acknowledged) console.error(terminalLines(`acknowledged: ${formatFinding(a)}`));
    }
    console.log(terminalLines(synthLine(result, path.relative(process.cwd(), result.outdir) || ".")));
    return 0;
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(`${e.file ?? "config"}: ${e.issues.length} problem${e.issues.length === 1 ? "" : "s"}; nothing was written`);
      console.error(terminalLines(e.message));
      return 1;
    }
    if (e instanceof OutputError) {
      console.error(terminalLines(e.message));
      return 1;
    }
    if (isFileSystemError(e)) {
      console.error(terminalLines(`cannot write the synth output: ${e.message}`));
      return 1;
    }
    if (e instanceof CheckError) {
      for (const f of e.findings)
        console.error(terminalLines(`${f.acknowledged === undefined ? f.severity : "acknowledged"}: ${formatFinding(f)}`));
      console.error("synth checks failed; nothing was written");
      return 1;
    }
    throw e;
  }
}
