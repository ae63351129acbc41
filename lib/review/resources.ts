/**
 * Resources as the review tools see them: a type, a name and literal attribute values. They come
 * from synthesized stacks (references to other resources' configured attributes resolved) or from
 * Terraform state (`terraform show -json`), so one reader serves the report, the diff and the
 * audit.
 */
import fs from "node:fs";
import path from "node:path";

export interface Resource {
  readonly type: string;
  readonly name: string;
  readonly values: Readonly<Record<string, unknown>>;
}

/** A synthesized stack (`cdk.tf.json`), as far as the review tools read it. */
export interface StackJson {
  readonly "//"?: {
    readonly delegation?: StackIdentity;
    readonly acknowledgements?: readonly { rule: string; partner: string; message: string; reason: string }[];
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
}

export interface Annotation {
  readonly constructPath: string;
  readonly level: string;
  readonly message: string;
}

export interface SynthOutput {
  readonly dir: string;
  /** Stacks by id, in manifest order. */
  readonly stacks: ReadonlyMap<string, StackJson>;
  readonly annotations: ReadonlyMap<string, readonly Annotation[]>;
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
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(`${file}: ${code === "ENOENT" ? `not found (${what})` : `cannot be read (${code})`}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new InputError(`${file}: not valid JSON (${(e as Error).message})`);
  }
}

/** Reads a synth output directory: the manifest, every stack and their annotations. */
export function readSynthOutput(dir: string): SynthOutput {
  const manifest = readJson(path.join(dir, "manifest.json"), "run npm run synth first") as {
    stacks?: Record<string, { synthesizedStackPath?: string; annotations?: Annotation[] }>;
  };
  if (!manifest || typeof manifest.stacks !== "object") throw new InputError(`${dir}/manifest.json: not a cdktf manifest`);
  const stacks = new Map<string, StackJson>();
  const annotations = new Map<string, readonly Annotation[]>();
  for (const [id, entry] of Object.entries(manifest.stacks)) {
    stacks.set(
      id,
      readJson(path.join(dir, entry.synthesizedStackPath ?? `stacks/${id}/cdk.tf.json`), `stack ${id}`) as StackJson,
    );
    annotations.set(id, entry.annotations ?? []);
  }
  return { dir, stacks, annotations };
}

const REFERENCE = /^\$\{([A-Za-z_][\w-]*)\.([A-Za-z_][\w-]*)\.(\w+)\}$/;

/**
 * The resources of a synthesized stack. A value that is a whole reference to another resource's
 * configured attribute (`${alicloud_ram_role.x.role_name}`) is replaced by that attribute's
 * value; references to computed attributes (an ARN) stay as they are.
 */
export function resourcesOfStack(stack: StackJson): Resource[] {
  const blocks = stack.resource ?? {};
  const resolve = (value: unknown): unknown => {
    if (typeof value !== "string") return value;
    const m = REFERENCE.exec(value);
    const target = m ? blocks[m[1]]?.[m[2]]?.[m[3]] : undefined;
    return target === undefined ? value : resolve(target);
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

interface StateModule {
  resources?: { address?: string; mode?: string; type?: string; name?: string; values?: Record<string, unknown> }[];
  child_modules?: StateModule[];
}

/**
 * The managed resources of a `terraform show -json` document (Terraform's JSON output format:
 * `format_version`, `values.root_module.resources[]` with `address`, `type`, `name`, `values`).
 * @see https://developer.hashicorp.com/terraform/internals/json-format#state-representation
 */
export function resourcesOfState(state: unknown, file: string): Resource[] {
  const doc = state as { format_version?: unknown; values?: { root_module?: StateModule } } | null;
  if (!doc || typeof doc !== "object" || typeof doc.format_version !== "string") {
    throw new InputError(`${file}: not Terraform JSON output (no format_version); use terraform show -json`);
  }
  const out: Resource[] = [];
  const walk = (m: StateModule | undefined) => {
    for (const r of m?.resources ?? []) {
      if (r.mode !== undefined && r.mode !== "managed") continue;
      if (typeof r.type !== "string" || typeof r.name !== "string")
        throw new InputError(`${file}: a resource has no type or name (${r.address ?? "?"})`);
      out.push({ type: r.type, name: r.name, values: r.values ?? {} });
    }
    for (const child of m?.child_modules ?? []) walk(child);
  };
  walk(doc.values?.root_module);
  return out;
}

export function readState(file: string): Resource[] {
  return resourcesOfState(readJson(file, "terraform show -json output"), file);
}
