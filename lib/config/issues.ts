/** Config problems: one per finding, each naming its path like code does (`partners[1].role.name`). */

export type ConfigPath = readonly (string | number)[];

export interface ConfigIssue {
  readonly path: ConfigPath;
  readonly message: string;
}

/** Characters of a value or key a message shows; longer ones are cut, with their length. */
export const MAX_SHOWN = 80;

/** `text`, or its first MAX_SHOWN characters and `…` when it is longer. */
export function clip(text: string): string {
  if (text.length <= MAX_SHOWN) return text;
  const cut = /[\uD800-\uDBFF]$/.test(text.slice(0, MAX_SHOWN)) ? MAX_SHOWN - 1 : MAX_SHOWN;
  return `${text.slice(0, cut)}…`;
}

/** A string value as a message quotes it: `"value"`, or `"first 80 characters…" (N characters)`. */
export function quote(text: string): string {
  return text.length <= MAX_SHOWN ? JSON.stringify(text) : `${JSON.stringify(clip(text))} (${text.length} characters)`;
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
