/**
 * The one reader of RAM policy documents: every check, report, diff and audit reads a document
 * through it. It keeps every element RAM defines (`Effect`, `Action`, `NotAction`, `Resource`,
 * `NotResource`, `Principal`, `Condition`), normalizes RAM's shorthand forms (one statement object
 * for `Statement`, one string for a list), and refuses what it does not know (an unknown
 * element, operator or principal kind, a value of the wrong type, a key given twice) instead of
 * dropping it: a document it cannot read completely is not read at all.
 * @see https://www.alibabacloud.com/help/en/ram/user-guide/policy-elements
 */
import { parseJsonStrict } from "../io/files";

export interface ReadStatement {
  readonly effect: "Allow" | "Deny";
  readonly actions: readonly string[];
  readonly resources: readonly string[];
  /** `NotAction` / `NotResource`: everything but these (the product never writes them). */
  readonly notActions: readonly string[];
  readonly notResources: readonly string[];
  /** `RAM`, `Service`, `Federated`; `"Principal": "*"` reads as `{ "*": ["*"] }`. */
  readonly principals: Readonly<Record<string, readonly string[]>>;
  readonly conditions: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;
}

export type PolicyReading =
  | { readonly statements: readonly ReadStatement[]; readonly problem?: undefined }
  | { readonly statements?: undefined; readonly problem: string };

const STATEMENT_ELEMENTS = new Set(["Effect", "Action", "NotAction", "Resource", "NotResource", "Principal", "Condition"]);
const PRINCIPAL_KINDS = new Set(["RAM", "Service", "Federated"]);
/** RAM's condition operators. */
export const CONDITION_OPERATORS: ReadonlySet<string> = new Set(
  [
    "StringEquals StringNotEquals StringEqualsIgnoreCase StringNotEqualsIgnoreCase StringLike StringNotLike",
    "NumericEquals NumericNotEquals NumericLessThan NumericLessThanEquals NumericGreaterThan NumericGreaterThanEquals",
    "DateEquals DateNotEquals DateLessThan DateLessThanEquals DateGreaterThan DateGreaterThanEquals",
    "Bool IpAddress NotIpAddress",
  ].flatMap((s) => s.split(" ")),
);

class Refused extends Error {}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

function strings(v: unknown, where: string, scalars = false): string[] {
  const one = (x: unknown): string => {
    if (typeof x === "string") return x;
    if (scalars && (typeof x === "boolean" || typeof x === "number")) return String(x);
    throw new Refused(`${where}: expected ${scalars ? "a string, number or boolean" : "a string"}, got ${JSON.stringify(x)}`);
  };
  return Array.isArray(v) ? v.map(one) : [one(v)];
}

function statementOf(s: unknown, where: string): ReadStatement {
  if (!isObject(s)) throw new Refused(`${where}: a statement must be an object`);
  for (const key of Object.keys(s)) if (!STATEMENT_ELEMENTS.has(key)) throw new Refused(`${where}: unknown element ${key}`);
  if (s.Effect !== "Allow" && s.Effect !== "Deny") throw new Refused(`${where}.Effect: must be Allow or Deny`);
  if ((s.Action === undefined) === (s.NotAction === undefined))
    throw new Refused(`${where}: must have exactly one of Action and NotAction`);
  const list = (key: string) => (s[key] === undefined ? [] : strings(s[key], `${where}.${key}`));
  let principals: Record<string, string[]> = {};
  if (s.Principal === "*") principals = { "*": ["*"] };
  else if (isObject(s.Principal)) {
    for (const [kind, ids] of Object.entries(s.Principal)) {
      if (!PRINCIPAL_KINDS.has(kind)) throw new Refused(`${where}.Principal: unknown principal kind ${kind}`);
      principals[kind] = strings(ids, `${where}.Principal.${kind}`);
    }
  } else if (s.Principal !== undefined) throw new Refused(`${where}.Principal: must be an object or "*"`);
  const conditions: Record<string, Record<string, string[]>> = {};
  if (s.Condition !== undefined) {
    if (!isObject(s.Condition)) throw new Refused(`${where}.Condition: must be an object`);
    for (const [op, keys] of Object.entries(s.Condition)) {
      if (!CONDITION_OPERATORS.has(op)) throw new Refused(`${where}.Condition: unknown operator ${op}`);
      if (!isObject(keys)) throw new Refused(`${where}.Condition.${op}: must be an object`);
      conditions[op] = Object.fromEntries(
        Object.entries(keys).map(([k, v]) => [k, strings(v, `${where}.Condition.${op}.${k}`, true)]),
      );
    }
  }
  return {
    effect: s.Effect,
    actions: list("Action"),
    resources: list("Resource"),
    notActions: list("NotAction"),
    notResources: list("NotResource"),
    principals,
    conditions,
  };
}

/** Reads a policy document (its JSON text, or the parsed value), or says why it cannot. */
export function readPolicyDocument(document: unknown): PolicyReading {
  try {
    let doc = document;
    if (typeof document === "string") {
      try {
        doc = parseJsonStrict(document);
      } catch (e) {
        throw new Refused((e as Error).message);
      }
    }
    if (!isObject(doc)) throw new Refused("a policy document must be a JSON object");
    for (const key of Object.keys(doc)) if (key !== "Version" && key !== "Statement") throw new Refused(`unknown element ${key}`);
    if (doc.Version !== "1") throw new Refused(`Version: must be "1"`);
    // RAM accepts a single statement object where a list is expected
    const raw = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
    return { statements: raw.map((s, i) => statementOf(s, `Statement[${i}]`)) };
  } catch (e) {
    if (e instanceof Refused) return { problem: e.message };
    throw e;
  }
}

/** The statements of a policy document, or undefined when it cannot be read completely. */
export function readPolicy(text: string | undefined): ReadStatement[] | undefined {
  return text === undefined ? undefined : (readPolicyDocument(text).statements as ReadStatement[] | undefined);
}

const sortedLower = (xs: readonly string[]) => [...new Set(xs.map((x) => x.toLowerCase()))].sort();
const sortedSet = (xs: readonly string[]) => [...new Set(xs)].sort();
const sortedMap = <T>(m: Readonly<Record<string, T>>, f: (v: T) => unknown) =>
  Object.fromEntries(
    Object.keys(m)
      .sort()
      .map((k) => [k, f(m[k])]),
  );

/**
 * One canonical text per meaning: lists sorted and without repeats, action names lower-cased (RAM
 * matches them case-insensitively), statements in sorted order. Two documents with the same
 * canonical text grant the same.
 */
export function canonicalStatements(statements: readonly ReadStatement[]): string {
  return JSON.stringify(
    statements
      .map((s) =>
        JSON.stringify({
          effect: s.effect,
          actions: sortedLower(s.actions),
          notActions: sortedLower(s.notActions),
          resources: sortedSet(s.resources),
          notResources: sortedSet(s.notResources),
          principals: sortedMap(s.principals, sortedSet),
          conditions: sortedMap(s.conditions, (keys) => sortedMap(keys, sortedSet)),
        }),
      )
      .sort(),
  );
}

/** Whether two documents say the same; a document that cannot be read is the same as none. */
export function samePolicy(a: string, b: string): boolean {
  const x = readPolicy(a);
  const y = readPolicy(b);
  return x !== undefined && y !== undefined && canonicalStatements(x) === canonicalStatements(y);
}

/** Whether an action name in a document is `action` (RAM compares them case-insensitively). */
export function sameAction(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
