/** The product's commands run as whole processes, as `npm run <command>` runs them. */
import { spawn, spawnSync, type SpawnOptionsWithoutStdio, type SpawnSyncOptionsWithStringEncoding } from "node:child_process";
import path from "node:path";
import { ROOT } from "../helpers";

export const LAUNCH = path.join(ROOT, "scripts", "launch.cjs");

/** `node scripts/launch.cjs <command> ...args`, synchronously, with text output. */
export function launch(command: string, args: string[], options: Omit<SpawnSyncOptionsWithStringEncoding, "encoding"> = {}) {
  return spawnSync(process.execPath, [LAUNCH, command, ...args], { ...options, encoding: "utf8" });
}

/** `npm run synth` (node scripts/synth.cjs) in `cwd`, with `env` added to this process's environment. */
export function runSynth(cwd: string, env: Record<string, string>) {
  return spawnSync(process.execPath, [path.join(ROOT, "scripts", "synth.cjs")], {
    cwd,
    env: { ...process.env, ...env },
    encoding: "utf8",
  });
}

/** The same, asynchronously: for a command that talks to a fake endpoint this process serves. */
export function launchAsync(
  command: string,
  args: string[],
  options: SpawnOptionsWithoutStdio = {},
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [LAUNCH, command, ...args], options);
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c) => (stdout += c));
  child.stderr.on("data", (c) => (stderr += c));
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}
