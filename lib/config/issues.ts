/** Config problems: one per finding, each naming its path like code does (`partners[1].role.name`). */
import type { z } from "zod";
import { formatPath } from "../text/quote";
import { didYouMean } from "./suggest";

export { formatPath } from "../text/quote";

export type ConfigPath = readonly (string | number)[];

export interface ConfigIssue {
  readonly path: ConfigPath;
  readonly message: string;
}

export function formatIssue(issue: ConfigIssue, file?: string): string {
  const where = formatPath(issue.path);
  return `${where || file || "config"}: ${issue.message}`;
}

/**
 * Thrown when the config cannot be used. `issues` keeps the raw findings for tools; `message`
 * is for people: one line per problem.
 */
export class ConfigError extends Error {
  constructor(
    readonly issues: readonly ConfigIssue[],
    readonly file?: string,
  ) {
    super(issues.map((i) => formatIssue(i, file)).join("\n"));
    this.name = "ConfigError";
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

/** The issues of a zod error, one line per problem; an unknown key comes with the keys allowed there. */
export function toIssues(error: z.ZodError, schema: z.ZodType, prefix: readonly (string | number)[] = []): ConfigIssue[] {
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
