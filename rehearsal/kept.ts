/**
 * The kept rehearsal folder (`.rehearsal/` beside the project, git-ignored, outside the synth's
 * output so that no synth removes it): what the previous rehearsal left in the fake accounts and
 * in Terraform's state, so that the next rehearsal applies the change, as the next deploy would.
 *
 *   format-version           which product version's layout this is; anything else is refused
 *   ram/<account>.json       the fake RAM of each account
 *   state/<stack>.tfstate    Terraform's state of each stack
 *   <stack>.json             terraform show -json of the state after the rehearsal (for the audit)
 *   <stack>.plan.json        terraform show -json of the plan of the change the rehearsal applied
 *   left-behind.json         the stacks the config no longer makes whose states hold resources
 *   work/<stack>/            the stack as applied (rebuilt every run), provider/ the stand-in's mirror
 *   secret                   random bytes the throwaway console passwords are derived from
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { LeftBehind } from "../lib/plan/left-behind";

/** The layout above. A later layout changes this line, so that an old folder is never misread. */
export const REHEARSAL_FORMAT = "eventbridge-delegation rehearsal folder, format 1";
const FORMAT_FILE = "format-version";

/** The folder cannot be used as it is: one line saying why and what to do. */
export class KeptFolderError extends Error {}

export interface KeptFolder {
  readonly dir: string;
  readonly ramDir: string;
  readonly stateDir: string;
  readonly workDir: string;
  readonly providerDir: string;
  /** Whether the accounts started empty (a new folder, or --fresh). */
  readonly fresh: boolean;
  stateJson(stack: string): string;
  planJson(stack: string): string;
  /** This folder's random secret (made on first use), so that a value derived from it is the same every run. */
  secret(): Buffer;
}

function layout(dir: string, fresh: boolean): KeptFolder {
  return {
    dir,
    ramDir: path.join(dir, "ram"),
    stateDir: path.join(dir, "state"),
    workDir: path.join(dir, "work"),
    providerDir: path.join(dir, "provider"),
    fresh,
    stateJson: (stack) => path.join(dir, `${stack}.json`),
    planJson: (stack) => path.join(dir, `${stack}.plan.json`),
    secret: () => {
      const file = path.join(dir, "secret");
      try {
        return fs.readFileSync(file);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
      }
      const secret = randomBytes(32);
      fs.writeFileSync(file, secret, { mode: 0o600 });
      return secret;
    },
  };
}

/** What the folder's format-version file says; undefined when there is none. */
function formatOf(dir: string): string | undefined {
  try {
    return fs.readFileSync(path.join(dir, FORMAT_FILE), "utf8").trim();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw e;
  }
}

/**
 * Opens the kept folder, creating it when missing. `fresh` empties a rehearsal folder of any
 * format; without it, a folder of another format is refused, never reused. A folder that is not a
 * rehearsal folder (no format-version file, not empty) is refused either way: it is not ours.
 */
export function openKeptFolder(dir: string, fresh = false): KeptFolder {
  const shown = path.relative(process.cwd(), dir) || ".";
  let stat: fs.Stats | undefined;
  try {
    stat = fs.lstatSync(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
  }
  if (stat && !stat.isDirectory()) throw new KeptFolderError(`${shown} is not a directory: move it away to rehearse`);
  const format = stat ? formatOf(dir) : undefined;
  if (stat && format === undefined && fs.readdirSync(dir).length > 0)
    throw new KeptFolderError(
      `${shown} holds files but no ${FORMAT_FILE}: it is not a rehearsal folder; move it away to rehearse`,
    );
  if (format !== undefined && format !== REHEARSAL_FORMAT && !fresh)
    throw new KeptFolderError(
      `${shown} was made by an incompatible version of this product (${JSON.stringify(format.slice(0, 80))}): run npm run rehearse -- --fresh to start again from empty accounts`,
    );
  const startsEmpty = fresh || format === undefined;
  if (fresh && format !== undefined) fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  if (formatOf(dir) === undefined) fs.writeFileSync(path.join(dir, FORMAT_FILE), `${REHEARSAL_FORMAT}\n`);
  const kept = layout(dir, startsEmpty);
  for (const d of [kept.ramDir, kept.stateDir, kept.workDir]) fs.mkdirSync(d, { recursive: true });
  return kept;
}

/** Managed resource instances in a Terraform state file (null when it cannot be read). */
function stateResources(file: string): number | null {
  try {
    const state = JSON.parse(fs.readFileSync(file, "utf8")) as {
      resources?: { mode?: string; instances?: unknown[] }[];
    };
    if (!Array.isArray(state.resources)) return null;
    return state.resources.filter((r) => r.mode === "managed").reduce((n, r) => n + (r.instances?.length ?? 0), 0);
  } catch {
    return null;
  }
}

/** The kept states of stacks the config no longer makes, unless they are empty. */
export function stacksLeftBehind(stateDir: string, made: readonly string[]): LeftBehind[] {
  return fs
    .readdirSync(stateDir)
    .filter((f) => f.endsWith(".tfstate") && !made.includes(f.slice(0, -".tfstate".length)))
    .sort()
    .map((f) => ({ stack: f.slice(0, -".tfstate".length), resources: stateResources(path.join(stateDir, f)) }))
    .filter((s) => s.resources !== 0);
}
