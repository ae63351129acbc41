/**
 * Reads a RAM policy document back from its JSON text, normalizing RAM's shorthand forms (a single
 * statement object for `Statement`, a single string for `Action`, `Resource`, `Principal` and
 * condition values), so that every check, report and comparison sees one canonical shape.
 */

export interface ReadStatement {
  readonly effect: string;
  readonly actions: readonly string[];
  readonly resources: readonly string[];
  /** `NotAction` / `NotResource`: everything but these (the product never writes them). */
  readonly notActions: readonly string[];
  readonly notResources: readonly string[];
  readonly principals: Readonly<Record<string, readonly string[]>>;
  readonly conditions: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;
}

const asList = (v: unknown): string[] => (v === undefined ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);

function asMapOfLists(v: unknown): Record<string, string[]> {
  if (typeof v === "string") return { "*": [v] }; // `"Principal": "*"`
  if (v === null || typeof v !== "object") return {};
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, asList(x)]));
}

/** The statements of a policy document, or undefined when the text is not a policy document. */
export function readPolicy(text: string | undefined): ReadStatement[] | undefined {
  if (text === undefined) return undefined;
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (doc === null || typeof doc !== "object" || Array.isArray(doc)) return undefined;
  // RAM accepts a single statement object where a list is expected
  const raw = (doc as { Statement?: unknown }).Statement;
  const statements = Array.isArray(raw) ? raw : raw !== null && typeof raw === "object" ? [raw] : undefined;
  if (!statements || statements.some((s) => s === null || typeof s !== "object" || Array.isArray(s))) return undefined;
  return statements.map((s: Record<string, unknown>) => ({
    effect: String(s.Effect),
    actions: asList(s.Action),
    resources: asList(s.Resource),
    notActions: asList(s.NotAction),
    notResources: asList(s.NotResource),
    principals: asMapOfLists(s.Principal),
    conditions: Object.fromEntries(Object.entries((s.Condition as object) ?? {}).map(([op, keys]) => [op, asMapOfLists(keys)])),
  }));
}
