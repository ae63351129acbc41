/**
 * RAM's wildcards in Action and Resource strings: `*` matches any run of characters (also none),
 * `?` exactly one. One place decides whether a pattern matches a value and whether one pattern
 * covers another; the policy builder, access-diff and the audit all use it, so that
 * `…/rule/orders-*` covers `…/rule/orders-audit` and is covered by `…/rule/*` everywhere.
 * @see https://www.alibabacloud.com/help/en/ram/policy-structure-and-syntax
 */

const escape = (s: string) => s.replace(/[.+^${}()|[\]\\]/g, "\\$&");

/** Whether a RAM pattern matches a literal value, case-sensitively. */
export function patternMatches(pattern: string, value: string): boolean {
  if (!/[*?]/.test(pattern)) return pattern === value;
  return new RegExp(`^${escape(pattern).replace(/\*/g, ".*").replace(/\?/g, ".")}$`, "s").test(value);
}

/**
 * Whether `wide` matches everything `narrow` matches. `narrow` is read as a pattern too: each of
 * its wildcards must fall inside a `*` of `wide` (a `?` may also meet a `?`). Sound, and false
 * when unsure: it never says a pattern is covered when some value escapes it.
 */
export function patternCovers(wide: string, narrow: string): boolean {
  if (wide === narrow) return true;
  if (!/[*?]/.test(wide)) return false;
  const re = new RegExp(`^${escape(wide).replace(/\*/g, ".*").replace(/\?/g, "[^*]")}$`, "s");
  return re.test(narrow);
}

/** The patterns that no other pattern of the list covers, in their order. */
export function withoutCovered(patterns: readonly string[]): string[] {
  const unique = [...new Set(patterns)];
  return unique.filter((p) => !unique.some((q) => q !== p && patternCovers(q, p)));
}
