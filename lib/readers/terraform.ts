/**
 * The first step of every reader: a synthesized stack (`cdk.tf.json`) or a Terraform state
 * (`terraform show -json`) as resources with literal attribute values, plus everything that is
 * not a resource the side readers can place (a module, a data source, a provider or backend this
 * product never writes, a resource of unknown mode), listed with its address and why.
 *
 * In a synthesized stack every string is a Terraform template: `$${` is a literal `${`, a whole
 * reference to another resource's configured attribute is that attribute's value, and any other
 * `${...}` or `%{...}` is an expression, kept as an `Expression` so that a side reader can list
 * it instead of mistaking it for text. In a state every value is already literal.
 */
import { ALICLOUD_PROVIDER } from "../facts";
import { CONSOLE_PASSWORDS_VARIABLE } from "../names/names";
import { readLiteral } from "../terraform/literal";
import { Expression, InputError, isObject, type Unaccounted } from "./unaccounted";

export interface TfResource {
  readonly address: string;
  readonly type: string;
  readonly name: string;
  readonly values: Readonly<Record<string, unknown>>;
}

export interface TfOutput {
  readonly address: string;
  readonly description?: unknown;
  readonly value: unknown;
  /** Keys other than value and description (sensitive, depends_on, ...), which the readers list. */
  readonly extra: readonly string[];
}

export interface TfRead {
  readonly source: "stack" | "state";
  readonly resources: readonly TfResource[];
  readonly outputs: readonly TfOutput[];
  readonly unaccounted: readonly Unaccounted[];
}

const REFERENCE = /^\$\{([A-Za-z_][\w-]*)\.([A-Za-z_][\w-]*)\.(\w+)\}$/;

/** The provider settings the product writes (`lib/constructs/account.ts`). */
const PROVIDER_KEYS = new Set(["region", "profile", "assume_role", "configuration_source"]);

function unexplained(address: string, why: string): Unaccounted {
  return { address, why, kind: "unexplained" };
}

/** The `terraform` block: the alicloud provider pinned, and a local or OSS backend. */
function terraformBlock(block: unknown, out: Unaccounted[]): void {
  if (!isObject(block)) return void out.push({ address: "terraform", why: "not an object", kind: "unreadable" });
  for (const [key, value] of Object.entries(block)) {
    if (key === "required_providers" && isObject(value)) {
      for (const [name, p] of Object.entries(value)) {
        const pinned =
          name === "alicloud" &&
          isObject(p) &&
          Object.keys(p).every((k) => k === "source" || k === "version") &&
          typeof p.source === "string" &&
          p.source.replace(/^registry\.terraform\.io\//, "") === ALICLOUD_PROVIDER.source &&
          p.version === ALICLOUD_PROVIDER.version;
        if (!pinned) out.push(unexplained(`terraform.required_providers.${name}`, "a provider this product does not write"));
      }
    } else if (key === "backend" && isObject(value) && Object.keys(value).length === 1 && ("local" in value || "oss" in value)) {
      // where the state lives: the config decides it, and it grants nothing
    } else {
      out.push(unexplained(`terraform.${key}`, "a terraform setting this product does not write"));
    }
  }
}

function providerBlock(block: unknown, out: Unaccounted[]): void {
  if (!isObject(block)) return void out.push({ address: "provider", why: "not an object", kind: "unreadable" });
  for (const [name, configs] of Object.entries(block)) {
    const ok =
      name === "alicloud" &&
      Array.isArray(configs) &&
      configs.length === 1 &&
      isObject(configs[0]) &&
      Object.keys(configs[0]).every((k) => PROVIDER_KEYS.has(k));
    if (!ok) out.push(unexplained(`provider.${name}`, "a provider configuration this product does not write"));
  }
}

/** The sensitive variable of console passwords, as `PartnerAccess` declares it. */
function variableBlock(block: unknown, out: Unaccounted[]): void {
  if (!isObject(block)) return void out.push({ address: "variable", why: "not an object", kind: "unreadable" });
  for (const [name, v] of Object.entries(block)) {
    const ok = name === CONSOLE_PASSWORDS_VARIABLE && isObject(v) && v.sensitive === true && v.type === "map(string)";
    if (!ok) out.push(unexplained(`var.${name}`, "a variable this product does not declare"));
  }
}

/** A synthesized stack's resources, outputs and unaccounted blocks. */
export function readStack(json: object): TfRead {
  const stack = json as Readonly<Record<string, unknown>>;
  const unaccounted: Unaccounted[] = [];
  const blocks = isObject(stack.resource) ? stack.resource : {};
  if (stack.resource !== undefined && !isObject(stack.resource))
    unaccounted.push({ address: "resource", why: "not an object", kind: "unreadable" });
  // strings as Terraform reads them: a whole reference to a configured attribute is that
  // attribute's value, escaped template text its literal, anything else an expression
  const resolve = (value: unknown, depth = 0): unknown => {
    if (Array.isArray(value)) return value.map((v) => resolve(v, depth));
    if (isObject(value)) {
      const entries = Object.entries(value).filter(([k]) => k !== "//");
      if (entries.some(([k]) => readLiteral(k) === undefined)) return new Expression(JSON.stringify(value));
      return Object.fromEntries(entries.map(([k, v]) => [readLiteral(k)!, resolve(v, depth)]));
    }
    if (typeof value !== "string") return value;
    const m = REFERENCE.exec(value);
    const byName = m ? blocks[m[1]] : undefined;
    const resource = m && isObject(byName) ? byName[m[2]] : undefined;
    const target = m && isObject(resource) ? resource[m[3]] : undefined;
    if (target !== undefined && depth < 8) return resolve(target, depth + 1);
    const text = readLiteral(value);
    return text === undefined ? new Expression(value) : text;
  };
  for (const [key, block] of Object.entries(stack)) {
    if (key === "//" || key === "resource" || key === "output") continue;
    if (key === "terraform") terraformBlock(block, unaccounted);
    else if (key === "provider") providerBlock(block, unaccounted);
    else if (key === "variable") variableBlock(block, unaccounted);
    else if ((key === "data" || key === "module") && isObject(block)) {
      for (const [type, byName] of Object.entries(block)) {
        const names = key === "data" && isObject(byName) ? Object.keys(byName).map((n) => `data.${type}.${n}`) : [];
        for (const address of names.length > 0 ? names : [`${key}.${type}`])
          unaccounted.push(unexplained(address, key === "data" ? "a data source" : "a module block"));
      }
    } else unaccounted.push(unexplained(key, `a top-level ${JSON.stringify(key)} block`));
  }
  const resources: TfResource[] = [];
  for (const [type, byName] of Object.entries(blocks)) {
    if (!isObject(byName)) {
      unaccounted.push({ address: type, why: "not an object of resources", kind: "unreadable" });
      continue;
    }
    for (const [name, values] of Object.entries(byName)) {
      const address = `${type}.${name}`;
      if (!isObject(values)) unaccounted.push({ address, why: "not an object", kind: "unreadable" });
      else resources.push({ address, type, name, values: resolve(values) as Record<string, unknown> });
    }
  }
  const outputs: TfOutput[] = [];
  if (stack.output !== undefined && !isObject(stack.output))
    unaccounted.push({ address: "output", why: "not an object", kind: "unreadable" });
  for (const [name, o] of Object.entries(isObject(stack.output) ? stack.output : {})) {
    if (!isObject(o)) unaccounted.push({ address: `output.${name}`, why: "not an object", kind: "unreadable" });
    else
      outputs.push({
        address: `output.${name}`,
        description: resolve(o.description),
        value: resolve(o.value),
        extra: Object.keys(o).filter((k) => k !== "value" && k !== "description"),
      });
  }
  return { source: "stack", resources, outputs, unaccounted };
}

/**
 * A state's resources (Terraform's JSON output format: `values.root_module.resources[]` with
 * `address`, `mode`, `type`, `name`, `values`). What is not a state at all is refused
 * (`InputError`); a resource that is not a managed resource of the root module is listed.
 * @see https://developer.hashicorp.com/terraform/internals/json-format#state-representation
 */
export function readState(state: unknown, file: string): TfRead {
  if (!isObject(state) || typeof state.format_version !== "string")
    throw new InputError(`${file}: not Terraform JSON output (no format_version); use terraform show -json`);
  if (state.values === undefined)
    throw new InputError(
      `${file}: holds no state (no values): nothing is deployed there, or it is not terraform show -json of a stack's state; nothing to audit`,
    );
  if (!isObject(state.values) || !isObject(state.values.root_module))
    throw new InputError(`${file}: values.root_module is not an object; not terraform show -json output`);
  const resources: TfResource[] = [];
  const unaccounted: Unaccounted[] = [];
  const walk = (m: Record<string, unknown>, where: string, module: string | undefined) => {
    const list = m.resources ?? [];
    if (!Array.isArray(list)) throw new InputError(`${file}: ${where}.resources is not a list`);
    list.forEach((r: unknown, i) => {
      const at = `${where}.resources[${i}]`;
      if (!isObject(r)) throw new InputError(`${file}: ${at} is not an object`);
      const address = typeof r.address === "string" ? r.address : at;
      if (typeof r.type !== "string" || typeof r.name !== "string")
        return void unaccounted.push({ address, why: "has no type or name", kind: "unreadable" });
      if (module !== undefined) return void unaccounted.push(unexplained(address, `a resource in module ${module}`));
      if (r.mode === "data") return void unaccounted.push(unexplained(address, "a data source"));
      if (r.mode !== "managed")
        return void unaccounted.push({ address, why: `unknown mode ${JSON.stringify(r.mode)}`, kind: "unreadable" });
      if (!isObject(r.values)) return void unaccounted.push({ address, why: "values is not an object", kind: "unreadable" });
      resources.push({ address, type: r.type, name: r.name, values: r.values });
    });
    const children = m.child_modules ?? [];
    if (!Array.isArray(children)) throw new InputError(`${file}: ${where}.child_modules is not a list`);
    children.forEach((c: unknown, i) => {
      if (!isObject(c)) throw new InputError(`${file}: ${where}.child_modules[${i}] is not an object`);
      walk(c, `${where}.child_modules[${i}]`, typeof c.address === "string" ? c.address : `${where}.child_modules[${i}]`);
    });
  };
  walk(state.values.root_module, "values.root_module", undefined);
  const outputs: TfOutput[] = [];
  const raw = state.values.outputs;
  if (raw !== undefined && !isObject(raw)) unaccounted.push({ address: "outputs", why: "not an object", kind: "unreadable" });
  for (const [name, o] of Object.entries(isObject(raw) ? raw : {})) {
    if (!isObject(o)) unaccounted.push({ address: `output.${name}`, why: "not an object", kind: "unreadable" });
    else outputs.push({ address: `output.${name}`, value: o.value, extra: [] });
  }
  return { source: "state", resources, outputs, unaccounted };
}
