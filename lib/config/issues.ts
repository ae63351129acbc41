/** Config problems: one per finding, each naming its path like code does (`partners[1].role.name`). */
import { MAX_SHOWN, quote } from "../text/quote";

export { clip, MAX_SHOWN, quote } from "../text/quote";

export type ConfigPath = readonly (string | number)[];

export interface ConfigIssue {
  readonly path: ConfigPath;
  readonly message: string;
}

/** `["partners", 0, "role", "name"]` → `partners[0].role.name`. */
export function formatPath(path: ConfigPath): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(segment) && segment.length <= MAX_SHOWN) out += out === "" ? segment : `.${segment}`;
    else out += `[${quote(segment)}]`;
  }
  return out;
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
