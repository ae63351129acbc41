/** The product's commands run as whole processes, as `npm run <command>` runs them. */
import { spawnSync, type SpawnSyncOptionsWithStringEncoding } from "node:child_process";
import path from "node:path";
import { ROOT } from "../helpers";

export const LAUNCH = path.join(ROOT, "scripts", "launch.cjs");

/** `node scripts/launch.cjs <command> ...args`, synchronously, with text output. */
export function launch(command: string, args: string[], options: Omit<SpawnSyncOptionsWithStringEncoding, "encoding"> = {}) {
  return spawnSync(process.execPath, [LAUNCH, command, ...args], { ...options, encoding: "utf8" });
}
