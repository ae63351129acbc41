/**
 * The characters that must never reach a person raw: C0 and C1 control characters (DEL
 * included), the Unicode bidirectional embeddings, overrides and isolates, and the line and
 * paragraph separators. Raw, they move a terminal's cursor, clear its screen, set its title,
 * reorder what a reader sees (Trojan Source, CVE-2021-42574) or start a new line where none is
 * shown. The free-text rule refuses them in what a person writes; the Markdown and terminal
 * renderers make them visible in anything else.
 */

/** One unsafe character. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
export const UNSAFE_CHAR = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u2028\u2029]/;
const UNSAFE_CHARS = new RegExp(UNSAFE_CHAR.source, "g");

/** `U+001B` for a character, as messages name it. */
export function codePoint(ch: string): string {
  return `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;
}

/** Every unsafe character as the escape `\u001b` that JSON and JavaScript use for it; the rest as it is. */
export function showUnsafe(text: string): string {
  return text.replace(UNSAFE_CHARS, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
