/**
 * The synth output directory (cdktf.out): replaced whole, and only if it is one. A synth writes
 * into a fresh sibling directory and swaps it in with two renames, keeping Terraform's working
 * files; whatever fails, the previous directory is left as it was.
 */
import fs from "node:fs";
import path from "node:path";
import { readText } from "../io/files";

/** A problem with where the output would go; nothing was written. */
export class OutputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "OutputError";
  }
}

/** What a synth output directory holds (the access report writes ACCESS.md into it, npm run rehearse rehearsal/). */
const OUTPUT_ENTRIES = new Set(["manifest.json", "stacks", "handoffs", "ACCESS.md", "rehearsal"]);

/** Terraform's own working files in a stack directory, kept across syntheses. */
const TERRAFORM_WORKING_FILES = new Set([".terraform", ".terraform.lock.hcl"]);

const within = (dir: string, p: string) => {
  const rel = path.relative(dir, p);
  return rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel));
};

/**
 * Refuses a target that is not a synth output: the synth replaces it whole, so it must never be
 * the project, a directory around it or the config, or a directory with other files in it.
 */
export function assertReplaceable(target: string, keep: readonly string[]): void {
  for (const p of keep) {
    if (within(target, path.resolve(p))) {
      throw new OutputError(`${target}: the output directory would contain ${p}; set CDKTF_OUTDIR to a directory of its own`);
    }
  }
  if (!fs.existsSync(target)) return;
  if (!fs.statSync(target).isDirectory())
    throw new OutputError(`${target}: exists and is not a directory; set CDKTF_OUTDIR to another path`);
  const entries = fs.readdirSync(target);
  const foreign = entries.filter((e) => !OUTPUT_ENTRIES.has(e));
  if (foreign.length > 0) {
    throw new OutputError(
      `${target}: not a synth output (it holds ${foreign.slice(0, 3).join(", ")}); the synth replaces its output directory whole, so it leaves this one alone`,
    );
  }
}

/** Takes `<target>.lock`, so that two syntheses into one directory never interleave. */
export function lockOutput(target: string): () => void {
  const lock = `${target}.lock`;
  const mine = String(process.pid);
  // the lock appears with its holder already written in it: link a complete file into place
  const claim = `${lock}.${process.pid}`;
  fs.writeFileSync(claim, mine);
  try {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        fs.linkSync(claim, lock);
        return () => {
          if (readHolder(lock) === process.pid) fs.rmSync(lock, { force: true });
        };
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
        const holder = readHolder(lock);
        if (holder !== undefined && holder !== process.pid && isAlive(holder)) {
          throw new OutputError(
            `${target}: another synth (process ${holder}) is writing it; wait for it, or remove ${lock} if it is gone`,
          );
        }
        fs.rmSync(lock, { force: true }); // left behind by a synth that died
      }
    }
    throw new OutputError(`${target}: could not take ${lock}`);
  } finally {
    fs.rmSync(claim, { force: true });
  }
}

function readHolder(lock: string): number | undefined {
  try {
    // a regular file of a few bytes only: anything else planted here must not block the synth
    const pid = Number(readText(lock, 64));
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Puts `fresh` in place of `target`. Terraform's working files (providers, lock file) of the
 * stacks that are synthesized again are moved over first, so that `cdktf deploy` does not
 * download providers anew; if the swap fails they are moved back.
 *
 * `forCdktfCli`: the synth runs under the cdktf CLI, which lists `stacks/` before it runs the
 * app and afterwards removes each directory no longer in the manifest with `fs.rmSync` (no
 * `force`), failing with ENOENT when the directory is gone already (@cdktf/cli-core 0.21.0,
 * `SynthStack.synth`). A stack that is no longer made therefore leaves an empty directory in
 * the new output, for the CLI to remove.
 */
export function replaceOutput(
  fresh: string,
  target: string,
  stacks: ReadonlySet<string>,
  options: { readonly forCdktfCli?: boolean } = {},
): void {
  const moved: [string, string][] = [];
  let old: string | undefined;
  try {
    const stacksDir = path.join(target, "stacks");
    if (fs.existsSync(stacksDir)) {
      for (const stack of fs.readdirSync(stacksDir)) {
        if (!stacks.has(stack)) {
          if (options.forCdktfCli) fs.mkdirSync(path.join(fresh, "stacks", stack), { recursive: true });
          continue;
        }
        for (const name of fs.readdirSync(path.join(stacksDir, stack))) {
          if (!TERRAFORM_WORKING_FILES.has(name)) continue;
          const from = path.join(stacksDir, stack, name);
          const to = path.join(fresh, "stacks", stack, name);
          // the repository's committed lock file, already copied in, wins over the previous one
          if (fs.existsSync(to)) continue;
          fs.renameSync(from, to);
          moved.push([from, to]);
        }
      }
    }
    old = swap(fresh, target);
  } catch (e) {
    for (const [from, to] of moved.reverse()) {
      try {
        fs.renameSync(to, from);
      } catch {
        // keep restoring the others
      }
    }
    throw e;
  }
  // the new output is in place: removing the old one is housekeeping, not a failed synth
  if (old) {
    try {
      fs.rmSync(old, { recursive: true, force: true });
    } catch {
      // a leftover cdktf.out.old-<pid> is harmless (and git-ignored)
    }
  }
}

/** Moves Terraform's working files carried into `from`'s stacks back into `target`'s, where missing. */
function restoreWorkingFiles(from: string, target: string): void {
  const stacksDir = path.join(from, "stacks");
  if (!fs.existsSync(stacksDir)) return;
  for (const stack of fs.readdirSync(stacksDir)) {
    for (const name of TERRAFORM_WORKING_FILES) {
      const carried = path.join(stacksDir, stack, name);
      const home = path.join(target, "stacks", stack);
      if (fs.existsSync(carried) && fs.existsSync(home) && !fs.existsSync(path.join(home, name))) {
        fs.renameSync(carried, path.join(home, name));
      }
    }
  }
}

/**
 * Puts right what a synth that was killed left behind, whenever it was killed; call it holding the
 * output lock (so no live synth is at work). Every step below is a rename or a removal, and the
 * steps only ever move towards the previous output, so a kill during recovery is recovered next time.
 * - `<target>.tmp-<pid>` and no `<target>.old-<pid>`: killed before the swap. Terraform's working
 *   files already carried into it go back to their stacks; the staging tree is removed.
 * - `<target>.old-<pid>` and no `<target>`: killed between the swap's two renames. The old tree is
 *   the previous output: it is renamed back, and the carried working files go back into it.
 * - `<target>.old-<pid>` beside `<target>`: killed after the swap; the new output is whole (the
 *   manifest is written before the swap). The old tree is removed.
 * - `<target>.lock.<pid>`: a lock claim that was never cleaned up; removed.
 * Returns what it did, one line each, for the synth to report.
 */
export function recoverOutput(target: string): string[] {
  const parent = path.dirname(target);
  if (fs.statSync(parent, { throwIfNoEntry: false })?.isDirectory() !== true) return [];
  const base = path.basename(target);
  const done: string[] = [];
  const leftovers = (kind: string) =>
    fs
      .readdirSync(parent)
      .filter((name) => name.startsWith(`${base}.${kind}-`) && /^\d+$/.test(name.slice(base.length + kind.length + 2)))
      .map((name) => path.join(parent, name))
      .sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs);
  if (!fs.existsSync(target)) {
    const [previous] = leftovers("old");
    if (previous) {
      fs.renameSync(previous, target);
      done.push(`restored the previous output from ${path.basename(previous)} (a synth was interrupted during its swap)`);
    }
  }
  for (const staging of leftovers("tmp")) {
    if (fs.existsSync(target)) restoreWorkingFiles(staging, target);
    fs.rmSync(staging, { recursive: true, force: true });
    done.push(`removed ${path.basename(staging)} left by an interrupted synth, after restoring Terraform's working files`);
  }
  for (const old of leftovers("old")) {
    fs.rmSync(old, { recursive: true, force: true });
    done.push(`removed ${path.basename(old)} left by an interrupted synth`);
  }
  const mine = `${base}.lock.${process.pid}`;
  for (const name of fs.readdirSync(parent)) {
    if (name !== mine && name.startsWith(`${base}.lock.`) && /^\d+$/.test(name.slice(base.length + 6))) {
      fs.rmSync(path.join(parent, name), { force: true });
    }
  }
  return done;
}

/** Replaces `target` by `fresh` with two renames; returns the old tree, for removal afterwards. */
function swap(fresh: string, target: string): string | undefined {
  if (!fs.existsSync(target)) {
    fs.renameSync(fresh, target);
    return undefined;
  }
  const old = `${target}.old-${process.pid}`;
  fs.renameSync(target, old);
  try {
    fs.renameSync(fresh, target);
  } catch (e) {
    fs.renameSync(old, target);
    throw e;
  }
  return old;
}
