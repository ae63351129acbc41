/**
 * RAM policy documents as plain immutable data, and the one renderer that turns them into the
 * JSON RAM receives. The renderer fixes key order and sorts lists, so that the same policy
 * always renders to the same bytes and a review diff shows only real changes.
 * @see https://www.alibabacloud.com/help/en/ram/user-guide/policy-structure-and-syntax
 */

/** `{ Operator: { key: [values] } }`; several values are ORed, several keys and operators ANDed. */
export type Conditions = Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;

export interface Principal {
  readonly RAM?: readonly string[];
  readonly Service?: readonly string[];
  readonly Federated?: readonly string[];
}

export interface Statement {
  readonly effect: "Allow" | "Deny";
  readonly principal?: Principal;
  readonly actions: readonly string[];
  readonly resources?: readonly string[];
  readonly conditions?: Conditions;
}

export interface PolicyDocument {
  readonly statements: readonly Statement[];
}

const sorted = (xs: readonly string[]) => [...new Set(xs)].sort();

function renderConditions(c: Conditions): Record<string, Record<string, string[]>> {
  const out: Record<string, Record<string, string[]>> = {};
  for (const op of Object.keys(c).sort()) {
    const keys: Record<string, string[]> = {};
    for (const key of Object.keys(c[op]).sort()) keys[key] = sorted(c[op][key]);
    out[op] = keys;
  }
  return out;
}

/** The document as RAM's JSON object, keys in a fixed order. */
export function policyJson(doc: PolicyDocument): object {
  return {
    Version: "1",
    Statement: doc.statements.map((s) => {
      const out: Record<string, unknown> = { Effect: s.effect };
      if (s.principal) {
        const p: Record<string, string[]> = {};
        for (const kind of ["RAM", "Service", "Federated"] as const) {
          const ids = s.principal[kind];
          if (ids && ids.length > 0) p[kind] = sorted(ids);
        }
        out.Principal = p;
      }
      out.Action = sorted(s.actions);
      if (s.resources) out.Resource = sorted(s.resources);
      if (s.conditions && Object.keys(s.conditions).length > 0) out.Condition = renderConditions(s.conditions);
      return out;
    }),
  };
}

/** Compact JSON, exactly what Terraform sends to RAM; its length counts against RAM's limit. */
export function renderPolicy(doc: PolicyDocument): string {
  return JSON.stringify(policyJson(doc));
}
