/**
 * Resources as the review tools see them: a type, a name and literal attribute values. They come
 * from synthesized stacks (references to other resources' configured attributes resolved) or from
 * Terraform state (`terraform show -json`), so one reader serves the report, the diff and the
 * audit.
 */
import fs from "node:fs";
import path from "node:path";
import type { Handoff } from "../handoff/handoff";
import { HandoffError, readHandoff } from "../handoff/read";
import { MAX_BYTES, parseJsonStrict, readText, UnreadableFile } from "../io/files";
import { readLiteral } from "../terraform/literal";

export interface Resource {
  readonly type: string;
  readonly name: string;
  readonly values: Readonly<Record<string, unknown>>;
}

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
  readonly owner: { readonly name: string; readonly accountId: string; readonly accountAlias?: string };
  readonly partner?: {
    readonly name: string;
    readonly accountId: string;
    readonly accountAlias?: string;
    readonly revoked: boolean;
  };
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

/** A problem with the files a review tool was given (not with what they describe). */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InputError";
  }
}

function readJson(file: string, what: string): unknown {
  let text: string;
  try {
    text = readText(file, MAX_BYTES.json);
  } catch (e) {
    if (!(e instanceof UnreadableFile)) throw e;
    throw new InputError(`${file}: ${e.reason === "file not found" ? `not found (${what})` : e.reason}`);
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

const REFERENCE = /^\$\{([A-Za-z_][\w-]*)\.([A-Za-z_][\w-]*)\.(\w+)\}$/;

/**
 * The resources of a synthesized stack. A value that is a whole reference to another resource's
 * configured attribute (`${alicloud_ram_role.x.role_name}`) is replaced by that attribute's
 * value; references to computed attributes (an ARN) stay as they are.
 */
export function resourcesOfStack(stack: StackJson): Resource[] {
  const blocks = stack.resource ?? {};
  // strings as Terraform reads them: a whole reference to a configured attribute is that
  // attribute's value, escaped template text is its literal (`$${` is `${`), keys included
  const resolve = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(resolve);
    if (value !== null && typeof value === "object")
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [readLiteral(k) ?? k, resolve(v)]));
    if (typeof value !== "string") return value;
    const m = REFERENCE.exec(value);
    const target = m ? blocks[m[1]]?.[m[2]]?.[m[3]] : undefined;
    return target === undefined ? (readLiteral(value) ?? value) : resolve(target);
  };
  return Object.entries(blocks).flatMap(([type, byName]) =>
    Object.entries(byName).map(([name, values]) => ({
      type,
      name,
      values: Object.fromEntries(
        Object.entries(values)
          .filter(([k]) => k !== "//")
          .map(([k, v]) => [k, resolve(v)]),
      ),
    })),
  );
}

/**
 * The managed resources of a `terraform show -json` document (Terraform's JSON output format:
 * `format_version`, `values.root_module.resources[]` with `address`, `type`, `name`, `values`).
 * @see https://developer.hashicorp.com/terraform/internals/json-format#state-representation
 */
export function resourcesOfState(state: unknown, file: string): Resource[] {
  const doc = state as { format_version?: unknown; values?: unknown } | null;
  if (!doc || typeof doc !== "object" || Array.isArray(doc) || typeof doc.format_version !== "string") {
    throw new InputError(`${file}: not Terraform JSON output (no format_version); use terraform show -json`);
  }
  if (doc.values === undefined) {
    throw new InputError(
      `${file}: holds no state (no values): nothing is deployed there, or it is not terraform show -json of a stack's state; nothing to audit`,
    );
  }
  const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);
  if (!isObject(doc.values) || !isObject(doc.values.root_module)) {
    throw new InputError(`${file}: values.root_module is not an object; not terraform show -json output`);
  }
  const out: Resource[] = [];
  const walk = (m: Record<string, unknown>, where: string) => {
    const resources = m.resources ?? [];
    if (!Array.isArray(resources)) throw new InputError(`${file}: ${where}.resources is not a list`);
    resources.forEach((r: unknown, i) => {
      const at = `${where}.resources[${i}]`;
      if (!isObject(r)) throw new InputError(`${file}: ${at} is not an object`);
      if (r.mode !== undefined && r.mode !== "managed") return;
      if (typeof r.type !== "string" || typeof r.name !== "string")
        throw new InputError(`${file}: ${at} has no type or name (${String(r.address ?? "?")})`);
      if (r.values !== undefined && !isObject(r.values)) throw new InputError(`${file}: ${at}.values is not an object`);
      out.push({ type: r.type, name: r.name, values: (r.values as Record<string, unknown>) ?? {} });
    });
    const children = m.child_modules ?? [];
    if (!Array.isArray(children)) throw new InputError(`${file}: ${where}.child_modules is not a list`);
    children.forEach((c: unknown, i) => {
      if (!isObject(c)) throw new InputError(`${file}: ${where}.child_modules[${i}] is not an object`);
      walk(c, `${where}.child_modules[${i}]`);
    });
  };
  walk(doc.values.root_module, "values.root_module");
  return out;
}

export function readState(file: string): Resource[] {
  return resourcesOfState(readJson(file, "terraform show -json output"), file);
}
