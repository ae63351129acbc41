/**
 * Reads `delegation.yaml` (or `$DELEGATION_CONFIG`), YAML or JSON, and validates it. Every
 * problem is gathered and reported at once as a `ConfigError`; nothing is built from a config
 * that has any.
 */
import path from "node:path";
import { parseDocument } from "yaml";
import type { z } from "zod";
import {
  checkAccountWideNames,
  checkAssumeRoleArn,
  checkBackend,
  checkPartnerSide,
  crossCheck,
  type IndexedPartner,
} from "./checks";
import type { Handoff } from "../handoff/handoff";
import { HandoffError, readHandoff } from "../handoff/read";
import { partnerStackId } from "../names/names";
import { MAX_BYTES, parseJsonStrict, readText, UnreadableFile } from "../io/files";
import { ConfigError, type ConfigIssue } from "./issues";
import {
  configSchema,
  delegationSchema,
  ownerSchema,
  partnerAccountSchema,
  partnerConfigSchema,
  partnerSchema,
  show,
  type DelegationConfig,
  type DelegationEntryConfig,
  type OwnerConfig,
  type PartnerAccountConfig,
  type PartnerFormConfig,
} from "./schema";
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
export const CONFIG_FORMS: readonly (readonly string[])[] = [
  ["owner", "partners"],
  ["partner", "delegations"],
];

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

/** A validated config of either form; a partner-form config comes with its validated handoffs, in order. */
export type LoadedConfig =
  | { readonly form: "owner"; readonly config: DelegationConfig }
  | { readonly form: "partner"; readonly config: PartnerFormConfig; readonly handoffs: readonly Handoff[] };

const PARTNER_FORM_KEYS = ["partner", "delegations"];
const OWNER_FORM_KEYS = ["owner", "partners"];

/** Validates a parsed config of either form (handoff paths are relative to `file`'s directory). */
export function parseAnyConfig(raw: unknown, file?: string): LoadedConfig {
  if (raw !== null && typeof raw === "object" && !Array.isArray(raw)) {
    const keys = Object.keys(raw);
    const partnerForm = keys.some((k) => PARTNER_FORM_KEYS.includes(k));
    const ownerForm = keys.some((k) => OWNER_FORM_KEYS.includes(k));
    if (partnerForm && ownerForm)
      throw new ConfigError(
        [
          {
            path: [],
            message:
              "mixes the owner form (owner, partners) and the partner form (partner, delegations); a config is one or the other",
          },
        ],
        file,
      );
    if (partnerForm) return parsePartnerConfig(raw, file);
  }
  return { form: "owner", config: parseConfig(raw, file) };
}

/** The stack name of a delegation: its `name`, else the partner name in its handoff. */
const stackNameOf = (d: DelegationEntryConfig, h: Handoff | undefined) => d.name ?? h?.partner.name;

/** Validates a partner-form config and reads and checks every handoff it names. */
function parsePartnerConfig(raw: object, file?: string): LoadedConfig {
  const full = partnerConfigSchema.safeParse(raw, { reportInput: true });
  const issues: ConfigIssue[] = full.success ? [] : toIssues(full.error, partnerConfigSchema);
  let account: PartnerAccountConfig | undefined;
  let delegations: { index: number; d: DelegationEntryConfig }[] = [];
  if (full.success) {
    account = full.data.partner;
    delegations = full.data.delegations.map((d, index) => ({ index, d }));
  } else {
    const r = raw as { partner?: unknown; delegations?: unknown };
    const a = partnerAccountSchema.safeParse(r.partner);
    account = a.success ? a.data : undefined;
    if (Array.isArray(r.delegations))
      delegations = r.delegations.flatMap((d, index) => {
        const parsed = delegationSchema.safeParse(d);
        return parsed.success ? [{ index, d: parsed.data }] : [];
      });
  }

  if (account) {
    checkAssumeRoleArn(account.assumeRoleArn, account.accountId, ["partner", "assumeRoleArn"], "partner's", issues);
    checkBackend(account.backend, ["partner", "backend"], issues);
  }
  for (const { index, d } of delegations) checkPartnerSide(d, ["delegations", index], issues);
  if (account) {
    const accountId = account.accountId;
    checkAccountWideNames(
      delegations.map(({ index, d }) => ({ path: ["delegations", index], label: `delegations[${index}]`, accountId, side: d })),
      issues,
    );
  }

  // every handoff: readable, valid, and made for this account by the pinned owner
  const dir = path.dirname(path.resolve(file ?? DEFAULT_CONFIG_FILE));
  const handoffs = new Map<number, Handoff>();
  for (const { index, d } of delegations) {
    const at = ["delegations", index, "handoff"];
    let h: Handoff;
    try {
      h = readHandoff(path.resolve(dir, d.handoff));
    } catch (e) {
      if (!(e instanceof HandoffError)) throw e;
      issues.push({ path: at, message: `${d.handoff}: ${e.problem}` });
      continue;
    }
    handoffs.set(index, h);
    if (account && h.partner.accountId !== account.accountId)
      issues.push({
        path: at,
        message: `${d.handoff} was made for partner account ${h.partner.accountId}, not for partner.accountId ${account.accountId}`,
      });
    if (h.owner.accountId !== d.ownerAccountId)
      issues.push({
        path: ["delegations", index, "ownerAccountId"],
        message: `${d.handoff} comes from owner account ${h.owner.accountId}, not from the pinned ${d.ownerAccountId}; check with the owner before changing the pin`,
      });
  }
  const stacks = new Map<string, number>();
  for (const { index, d } of delegations) {
    const name = stackNameOf(d, handoffs.get(index));
    if (name === undefined) continue;
    const first = stacks.get(name);
    if (first === undefined) stacks.set(name, index);
    else
      issues.push({
        path: ["delegations", index, "name"],
        message: `stack ${partnerStackId(name)} is already made by delegations[${first}]; set name to tell the two apart`,
      });
  }

  if (issues.length > 0 || !full.success) throw new ConfigError(issues, file);
  return { form: "partner", config: full.data, handoffs: full.data.delegations.map((_, i) => handoffs.get(i)!) };
}

/** Reads and validates a config of either form (default: `$DELEGATION_CONFIG` or `delegation.yaml`). */
export function loadAnyConfig(file: string = configFile()): LoadedConfig {
  return parseAnyConfig(parseConfigText(readConfigText(file), file), file);
}

/** The text of a config file, or a ConfigError saying why it cannot be read. */
function readConfigText(file: string): string {
  try {
    return readText(file, MAX_BYTES.config);
  } catch (e) {
    if (!(e instanceof UnreadableFile)) throw e;
    const why = e.reason === "file not found" ? "file not found (set DELEGATION_CONFIG to use another file)" : e.reason;
    throw new ConfigError([{ path: [], message: why }], file);
  }
}

/** Reads and validates an owner-form config file (default: `$DELEGATION_CONFIG` or `delegation.yaml`). */
export function loadConfig(file: string = configFile()): DelegationConfig {
  return parseConfig(parseConfigText(readConfigText(file), file), file);
}
