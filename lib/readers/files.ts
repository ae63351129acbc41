/**
 * The files the review tools read: a synth output directory (its manifest, every stack, the
 * handoffs an owner's synth wrote) and state files, each refused with one line when it cannot be
 * read. What they hold is read by `./terraform` and the side readers.
 */
import fs from "node:fs";
import path from "node:path";
import type { Handoff } from "../handoff/handoff";
import type { AccountRef } from "../model/model";
import { HandoffError, readHandoff } from "../handoff/read";
import { readState, type TfRead } from "./terraform";
import { InputError } from "./unaccounted";
import { MAX_BYTES, parseJsonStrict, readText, UnreadableFile } from "../io/files";

/** A synthesized stack (`cdk.tf.json`), as far as the review tools read it. */
export interface StackJson {
  readonly "//"?: {
    readonly delegation?: StackIdentity;
    /** Warnings of the synth checks, acknowledged or not (errors stop the synth). */
    readonly findings?: readonly { rule: string; partner: string; message: string; acknowledged?: string }[];
  };
  readonly resource?: Readonly<Record<string, Readonly<Record<string, Record<string, unknown>>>>>;
  readonly output?: Readonly<Record<string, { readonly value?: unknown }>>;
}

/** Who a stack belongs to, as the synth records it under `"//"."delegation"`. */
export interface StackIdentity {
  readonly side: "owner" | "partner";
  readonly owner: AccountRef;
  readonly partner?: AccountRef & { readonly revoked: boolean };
  /** A partner stack's handoff (read it with `parseHandoff`: the file may have been edited). */
  readonly handoff?: unknown;
}

export interface SynthOutput {
  readonly dir: string;
  /** Stacks by id, in manifest order. */
  readonly stacks: ReadonlyMap<string, StackJson>;
  /** The handoffs an owner's synth wrote (`handoffs/<partner>.json`), by partner name. */
  readonly handoffs: ReadonlyMap<string, Handoff>;
}

export { InputError };

function readJson(file: string, what: string): unknown {
  let text: string;
  try {
    text = readText(file, MAX_BYTES.json);
  } catch (e) {
    if (!(e instanceof UnreadableFile)) throw e;
    throw new InputError(`${file}: ${e.reason === "file not found" ? `not found (${what})` : e.reason}`);
  }
  if (text.trim() === "") {
    throw new InputError(
      `${file}: empty file${what.startsWith("terraform show") ? " (did terraform show fail? it writes nothing on error)" : ""}`,
    );
  }
  try {
    return parseJsonStrict(text);
  } catch (e) {
    throw new InputError(`${file}: ${(e as Error).message}`);
  }
}

/**
 * A path a manifest names, resolved inside the output directory. A manifest is input like any
 * other: a stack path that leaves the directory (`../../etc/passwd`, an absolute path, a link
 * that points outside) is refused, never read.
 */
function confined(dir: string, relative: unknown, what: string): string {
  if (typeof relative !== "string" || relative === "" || path.isAbsolute(relative)) {
    throw new InputError(`${dir}/manifest.json: ${what} must be a relative path inside ${dir}, got ${JSON.stringify(relative)}`);
  }
  const inside = (root: string, p: string) => {
    const rel = path.relative(root, p);
    return rel !== "" && !rel.startsWith("..") && !path.isAbsolute(rel);
  };
  const file = path.resolve(dir, relative);
  let real: string | undefined;
  try {
    real = fs.realpathSync(file);
  } catch {
    real = undefined; // reported as not found when read
  }
  if (!inside(path.resolve(dir), file) || (real !== undefined && !inside(fs.realpathSync(dir), real))) {
    throw new InputError(
      `${dir}/manifest.json: ${what} ${JSON.stringify(relative)} leaves the output directory; refusing to read it`,
    );
  }
  return file;
}

/** Reads a synth output directory: the manifest, every stack, and the handoffs an owner's synth wrote. */
export function readSynthOutput(dir: string): SynthOutput {
  const manifest = readJson(path.join(dir, "manifest.json"), "run npm run synth first") as {
    stacks?: Record<string, { synthesizedStackPath?: string }>;
  };
  if (!manifest || typeof manifest.stacks !== "object" || manifest.stacks === null || Array.isArray(manifest.stacks))
    throw new InputError(`${dir}/manifest.json: not a cdktf manifest`);
  const stacks = new Map<string, StackJson>();
  for (const [id, entry] of Object.entries(manifest.stacks)) {
    const file = confined(
      dir,
      entry?.synthesizedStackPath ?? `stacks/${id}/cdk.tf.json`,
      `the path of stack ${JSON.stringify(id)}`,
    );
    const stack = readJson(file, `stack ${id}`);
    if (stack === null || typeof stack !== "object" || Array.isArray(stack))
      throw new InputError(`${file}: not a Terraform JSON stack`);
    stacks.set(id, stack as StackJson);
  }
  const handoffs = new Map<string, Handoff>();
  const handoffDir = path.join(dir, "handoffs");
  if (fs.statSync(handoffDir, { throwIfNoEntry: false })?.isDirectory()) {
    for (const name of fs
      .readdirSync(handoffDir)
      .filter((n) => n.endsWith(".json"))
      .sort()) {
      const file = path.join(handoffDir, name);
      if (!fs.lstatSync(file).isFile()) throw new InputError(`${file}: not a regular file`);
      try {
        handoffs.set(name.slice(0, -".json".length), readHandoff(file));
      } catch (e) {
        if (e instanceof HandoffError) throw new InputError(`${file}: ${e.problem}`);
        throw e;
      }
    }
  }
  return { dir, stacks, handoffs };
}

/** A state file (`terraform show -json` output), as resources with their values. */
export function readStateFile(file: string): TfRead {
  return readState(readJson(file, "terraform show -json output"), file);
}
