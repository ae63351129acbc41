/**
 * Stacks a change stops making while their resources are deployed. `cdktf deploy` deploys only
 * the stacks it synthesizes, so a stack removed from the config is never destroyed: its resources
 * (a partner's group, users and assume permission) stay in the account, managed by no one. The
 * rehearsal finds them in its kept states and records them in `<kept>/left-behind.json` when it
 * ends, which the pull request's plan comment reads.
 *
 * Fail closed: a file that is not the list this module writes is refused, never read as "none".
 */
import { MAX_BYTES, parseJsonStrict, readText, UnreadableFile } from "../io/files";
import { InputError } from "../readers/files";

export const LEFT_BEHIND_FILE = "left-behind.json";

export interface LeftBehind {
  readonly stack: string;
  /** Resource instances in its kept state; null when that state could not be read. */
  readonly resources: number | null;
}

/** A stack id as the synth names stacks (`owner`, `partner-<name>`). */
const STACK_ID = /^[a-z0-9][a-z0-9-]{0,79}$/;

/** One plain line per stack left behind, with what to do instead. */
export function leftBehindLine(s: LeftBehind): string {
  const stays =
    s.resources === null
      ? "whatever its deployed state holds (it cannot be read) stays in the account"
      : s.resources === 1
        ? "the 1 resource of its deployed state stays in the account"
        : `the ${s.resources} resources of its deployed state stay in the account`;
  return `WARNING ${s.stack} is no longer made by the config: ${stays}, since cdktf deploy deploys only the stacks it synthesizes; destroy it (npm run cdktf -- destroy ${s.stack}) before removing it from the config, or revoke the delegation instead`;
}

/**
 * The stacks left behind, from a file the rehearsal wrote. A missing file is undefined, never
 * "none": the rehearsal writes the list when it ends, so without it nobody knows.
 */
export function readLeftBehindFile(file: string): LeftBehind[] | undefined {
  let json: unknown;
  try {
    json = parseJsonStrict(readText(file, MAX_BYTES.json));
  } catch (e) {
    if (e instanceof UnreadableFile && e.reason === "file not found") return undefined;
    throw new InputError(e instanceof UnreadableFile ? e.message : `${file}: ${(e as Error).message}`);
  }
  if (!Array.isArray(json)) throw new InputError(`${file}: expected a list of stacks`);
  return json.map((entry, i) => {
    const e = entry as Record<string, unknown> | null;
    const keys = e !== null && typeof e === "object" && !Array.isArray(e) ? Object.keys(e).sort() : [];
    const ok =
      keys.join(",") === "resources,stack" &&
      typeof e!.stack === "string" &&
      STACK_ID.test(e!.stack) &&
      (e!.resources === null || (Number.isSafeInteger(e!.resources) && (e!.resources as number) > 0));
    if (!ok) throw new InputError(`${file}: [${i}] is not a stack left behind ({stack, resources})`);
    return { stack: e!.stack as string, resources: e!.resources as number | null };
  });
}
