/**
 * Reads `delegation.yaml` (or `$DELEGATION_CONFIG`), YAML or JSON, and validates it. Every
 * problem is gathered and reported at once as a `ConfigError`; nothing is built from a config
 * that has any.
 */
import path from "node:path";
import { parseDocument } from "yaml";
import type { z } from "zod";
import { crossCheck, type IndexedPartner } from "./checks";
import { MAX_BYTES, parseJsonStrict, readText, UnreadableFile } from "../io/files";
import { ConfigError, type ConfigIssue } from "./issues";
import { configSchema, ownerSchema, partnerSchema, show, type DelegationConfig, type OwnerConfig } from "./schema";
import { didYouMean } from "./suggest";

export const DEFAULT_CONFIG_FILE = "delegation.yaml";

/** Aliases (`*name`) YAML may expand: enough for shared grants, not for an alias bomb. */
const MAX_YAML_ALIASES = 10_000;

export function configFile(env: NodeJS.ProcessEnv = process.env): string {
  return env.DELEGATION_CONFIG || DEFAULT_CONFIG_FILE;
}

/** Parses the text of a config file; `.json` files as JSON, anything else as YAML 1.2. */
export function parseConfigText(text: string, file: string): unknown {
  if (path.extname(file).toLowerCase() === ".json") {
    try {
      return parseJsonStrict(text);
    } catch (e) {
      throw new ConfigError([{ path: [], message: (e as Error).message }], file);
    }
  }
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      doc.errors.map((e) => {
        const at = e.linePos?.[0];
        const where = at ? `line ${at.line}, column ${at.col}: ` : "";
        return {
          path: [],
          message: `not valid YAML: ${where}${e.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "")}`,
        };
      }),
      file,
    );
  }
  try {
    return doc.toJS({ maxAliasCount: MAX_YAML_ALIASES });
  } catch (e) {
    throw new ConfigError([{ path: [], message: `not usable YAML: ${(e as Error).message.split("\n")[0]}` }], file);
  }
}

/** The schema that validates the value at `path` below `schema`, for key suggestions. */
function schemaAt(schema: z.ZodType, at: readonly PropertyKey[]): z.ZodType | undefined {
  let current: z.ZodType | undefined = schema;
  for (const segment of [...at, null]) {
    // unwrap optional/default/pipe wrappers
    for (;;) {
      const def = current?._zod.def as { type?: string; innerType?: z.ZodType; in?: z.ZodType } | undefined;
      if (def?.innerType) current = def.innerType;
      else if (def?.type === "pipe" && def.in) current = def.in;
      else break;
    }
    if (segment === null || current === undefined) return current;
    const def = current._zod.def as {
      type: string;
      shape?: Record<string, z.ZodType>;
      element?: z.ZodType;
      options?: z.ZodType[];
    };
    if (def.type === "object") current = def.shape?.[String(segment)];
    else if (def.type === "array") current = def.element;
    else if (def.type === "union") {
      current = def.options
        ?.map((o) => (o._zod.def as { shape?: Record<string, z.ZodType> }).shape?.[String(segment)])
        .find((s) => s !== undefined);
    } else return undefined;
  }
  return current;
}

function knownKeys(schema: z.ZodType, at: readonly PropertyKey[]): string[] {
  const target = schemaAt(schema, at);
  const def = target?._zod.def as { type?: string; shape?: Record<string, unknown>; options?: z.ZodType[] } | undefined;
  if (def?.type === "object") return Object.keys(def.shape ?? {});
  if (def?.type === "union") return [...new Set(def.options?.flatMap((o) => knownKeys(o, [])) ?? [])];
  return [];
}

function toIssues(error: z.ZodError, schema: z.ZodType, prefix: readonly (string | number)[] = []): ConfigIssue[] {
  const seen = new Set<string>();
  const issues = error.issues.flatMap((issue): ConfigIssue[] => {
    const at = issue.path.map((p) => (typeof p === "number" ? p : String(p)));
    if (issue.code === "unrecognized_keys") {
      const known = knownKeys(schema, issue.path);
      return issue.keys.map((key) => ({
        path: [...prefix, ...at, key],
        message: `unknown key${didYouMean(key, known)}; allowed here: ${known.join(", ")}`,
      }));
    }
    return [{ path: [...prefix, ...at], message: issue.message }];
  });
  // one line per problem, even when several checks of a field fail the same way
  return issues.filter((i) => {
    const key = JSON.stringify([i.path, i.message]);
    return seen.has(key) ? false : (seen.add(key), true);
  });
}

/** The top-level keys of each form a config may take, for messages about an empty or shapeless file. */
export const CONFIG_FORMS: readonly (readonly string[])[] = [["owner", "partners"]];

const formsText = () => CONFIG_FORMS.map((keys) => keys.join(" and ")).join(", or ");

/** Validates a parsed config value; throws a ConfigError listing every problem. */
export function parseConfig(raw: unknown, file?: string): DelegationConfig {
  const empty =
    raw === null || raw === undefined || (typeof raw === "object" && !Array.isArray(raw) && Object.keys(raw).length === 0);
  if (empty) throw new ConfigError([{ path: [], message: `the config is empty; it needs ${formsText()}` }], file);
  if (typeof raw !== "object" || Array.isArray(raw)) {
    throw new ConfigError([{ path: [], message: `must be a mapping with ${formsText()}, got ${show(raw)}` }], file);
  }
  const full = configSchema.safeParse(raw, { reportInput: true });
  const issues: ConfigIssue[] = full.success ? [] : toIssues(full.error, configSchema);

  // Cross-field checks run on the owner and on each partner that passed the field checks.
  let owner: OwnerConfig | undefined;
  let partners: IndexedPartner[] = [];
  if (full.success) {
    owner = full.data.owner;
    partners = full.data.partners.map((partner, index) => ({ index, partner }));
  } else if (raw !== null && typeof raw === "object") {
    const r = raw as { owner?: unknown; partners?: unknown };
    const o = ownerSchema.safeParse(r.owner);
    owner = o.success ? o.data : undefined;
    if (Array.isArray(r.partners)) {
      partners = r.partners.flatMap((p, index) => {
        const parsed = partnerSchema.safeParse(p);
        return parsed.success ? [{ index, partner: parsed.data }] : [];
      });
    }
  }
  issues.push(...crossCheck(owner, partners));

  if (issues.length > 0 || !full.success) throw new ConfigError(issues, file);
  return full.data;
}

/** Reads and validates the config file (default: `$DELEGATION_CONFIG` or `delegation.yaml`). */
export function loadConfig(file: string = configFile()): DelegationConfig {
  let text: string;
  try {
    text = readText(file, MAX_BYTES.config);
  } catch (e) {
    if (!(e instanceof UnreadableFile)) throw e;
    const why = e.reason === "file not found" ? "file not found (set DELEGATION_CONFIG to use another file)" : e.reason;
    throw new ConfigError([{ path: [], message: why }], file);
  }
  return parseConfig(parseConfigText(text, file), file);
}
