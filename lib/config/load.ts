/**
 * Reads `delegation.yaml` (or `$DELEGATION_CONFIG`), YAML or JSON, and validates it. Every
 * problem is gathered and reported at once as a `ConfigError`; nothing is built from a config
 * that has any.
 */
import path from "node:path";
import { parseDocument } from "yaml";
import { crossCheck, type IndexedPartner } from "./checks";
import type { Handoff } from "../handoff/handoff";
import { MAX_BYTES, parseJsonStrict, readText, UnreadableFile } from "../io/files";
import { show } from "../text/quote";
import { ConfigError, toIssues, type ConfigIssue } from "./issues";
import { parsePartnerForm } from "./partner-form";
import {
  configSchema,
  ownerSchema,
  partnerSchema,
  type DelegationConfig,
  type OwnerConfig,
  type PartnerFormConfig,
} from "./schema";

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
    if (partnerForm) {
      const dir = path.dirname(path.resolve(file ?? DEFAULT_CONFIG_FILE));
      return { form: "partner", ...parsePartnerForm(raw, dir, file) };
    }
  }
  return { form: "owner", config: parseConfig(raw, file) };
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
