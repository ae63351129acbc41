/** How a message quotes a value it shows: never whole when long, never with a raw control character. */
import { showUnsafe } from "./unsafe";

/** Characters of a value or key a message shows; longer ones are cut, with their length. */
export const MAX_SHOWN = 80;

/** `text`, or its first MAX_SHOWN characters and `…` when it is longer. */
export function clip(text: string): string {
  if (text.length <= MAX_SHOWN) return text;
  const cut = /[\uD800-\uDBFF]$/.test(text.slice(0, MAX_SHOWN)) ? MAX_SHOWN - 1 : MAX_SHOWN;
  return `${text.slice(0, cut)}…`;
}

/**
 * A string value as a message quotes it: `"value"`, or `"first 80 characters…" (N characters)`.
 * JSON's escapes show C0 controls; C1 controls and bidirectional overrides are shown the same way.
 */
export function quote(text: string): string {
  const shown = text.length <= MAX_SHOWN ? JSON.stringify(text) : `${JSON.stringify(clip(text))} (${text.length} characters)`;
  return showUnsafe(shown);
}

/** How any value read from a file is shown in a message: a quoted string, or what kind of value it is. */
export function show(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (typeof value === "string") return quote(value);
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  return `${typeof value} ${String(value)}`;
}

/** `["partners", 0, "role", "name"]` → `partners[0].role.name`. */
export function formatPath(path: readonly (string | number)[]): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(segment) && segment.length <= MAX_SHOWN) out += out === "" ? segment : `.${segment}`;
    else out += `[${quote(segment)}]`;
  }
  return out;
}
