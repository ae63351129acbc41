/**
 * The one way a value enters Markdown (ACCESS.md, the access diff, the PR comment): as text
 * that GitHub-flavoured Markdown renders as the same characters and nothing else. After it, a
 * value cannot open or close an HTML element or comment, start a heading, list, quote, table
 * cell, code block or math, embed a link, image or autolink, or mention a user or team.
 *
 * - unsafe characters (control characters, line breaks, bidirectional overrides) are shown as
 *   their escape (`\u001b`), as on a terminal: a value is one line;
 * - `&`, `<`, `>` and `|` become character references (`|` would split a table row, also
 *   inside a code span);
 * - every other ASCII punctuation character Markdown gives a meaning to is backslash-escaped
 *   (CommonMark: "any ASCII punctuation character may be backslash-escaped");
 * - at the start of the value, where a line may begin: `-`, `+`, `=`, an ordered-list number's
 *   `.` and leading spaces are escaped too;
 * - `@` is followed by a zero-width space (`&#8203;`) so that `@someone` mentions no one, and
 *   `://` and `www.` get one so that GitHub does not turn an address into a link.
 *
 * The result is inline text. Inside `<code>…</code>` it renders in a monospace font; never put it
 * in a backtick code span, where escapes are not read.
 */
import { showUnsafe } from "./unsafe";

const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", "|": "&#124;" };
/** ASCII punctuation with a meaning somewhere in GFM (emphasis, links, code, headings, tables, math, footnotes). */
const BACKSLASHED = new Set("\\`*_[]()!#~$".split(""));

export function markdownText(value: string): string {
  let out = "";
  for (const ch of showUnsafe(value)) {
    if (ch in ENTITIES) out += ENTITIES[ch];
    else if (BACKSLASHED.has(ch)) out += `\\${ch}`;
    else if (ch === "@") out += "@&#8203;";
    else out += ch;
  }
  out = out.replace(/:\/\//g, ":&#8203;//").replace(/www\./gi, (w) => `${w.slice(0, 3)}&#8203;.`);
  // where the value may begin a line: list markers, setext underlines, ordered-list numbers, indented code
  return out
    .replace(/^([-+=])/, "\\$1")
    .replace(/^(\d{1,9})([.])/, "$1\\$2")
    .replace(/^ +/, (spaces) => "&#32;".repeat(spaces.length));
}

/** A value in a monospace font: `<code>` around `markdownText`. */
export function markdownCode(value: string): string {
  return `<code>${markdownText(value)}</code>`;
}

/** What a link this product builds may hold: RFC 3986's unreserved characters, `%` escapes, and `/?=&:`. */
const LINK_CHARACTERS = /^[A-Za-z0-9._~%/?=&:-]+$/;

/**
 * A link to a page this product links to (`prefix`, ending in `?` or `/`), as an autolink a reader
 * can click and copy exactly: no zero-width space inside it. Anything else (another host or page,
 * a space, a bracket, an `@`) is shown as inert text (`markdownCode`), never as a link.
 */
export function markdownLink(url: string, prefix: string): string {
  const ours = /^https:\/\/[^/?#@]+\/[^?#@]*[?/]$/.test(prefix) && url.startsWith(prefix) && LINK_CHARACTERS.test(url);
  return ours ? `<${url}>` : markdownCode(url);
}
