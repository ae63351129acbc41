/** Synth outputs the review, audit and command tests read: each file synthesizes into a scratch directory of its own. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { stringify } from "yaml";
import { readSynthOutput } from "../lib/readers/files";
import { accessReport, type AccessReport } from "../lib/review/access";
import { synthesize } from "../lib/synth/synth";
import { NOW } from "./helpers";

export function outputs(prefix: string) {
  const work = mkdtempSync(path.join(tmpdir(), prefix));
  /** Synthesizes a raw config (or a config file) into a fresh directory of `work`. */
  async function synth(config: string | object, name: string): Promise<string> {
    const file = typeof config === "string" ? config : path.join(work, `${name}.yaml`);
    if (typeof config !== "string") writeFileSync(file, stringify(config));
    const outdir = path.join(work, name);
    await synthesize({ configFile: file, outdir, now: NOW });
    return outdir;
  }
  /** The access report of a raw config (or a config file), synthesized into a fresh directory. */
  const report = async (config: string | object, name: string): Promise<AccessReport> =>
    accessReport(readSynthOutput(await synth(config, name)));
  return { work, synth, report };
}
