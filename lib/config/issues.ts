/** Config problems: one per finding, each naming its path like code does (`partners[1].role.name`). */
import { formatPath } from "../text/quote";

export { clip, formatPath, MAX_SHOWN, quote } from "../text/quote";

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
