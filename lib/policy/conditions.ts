/** Condition blocks built from a partner's settings. */
import { CONDITION_KEYS, EXTERNAL_ID_CONDITION_KEY } from "../facts";
import type { PartnerModel } from "../model/model";
import type { Conditions } from "./document";

type Mutable = Record<string, Record<string, readonly string[]>>;

function add(c: Mutable, operator: string, key: string, values: readonly string[]): void {
  c[operator] = { ...c[operator], [key]: values };
}

/**
 * Conditions on every permission statement: the validity window and the source addresses.
 * They are evaluated on each request, so access ends at `validUntil` even for STS sessions
 * issued before it.
 */
export function accessConditions(p: PartnerModel): Conditions {
  const c: Mutable = {};
  if (p.validFrom) add(c, "DateGreaterThan", CONDITION_KEYS.currentTime, [p.validFrom]);
  if (p.validUntil) add(c, "DateLessThan", CONDITION_KEYS.currentTime, [p.validUntil]);
  if (p.role.sourceIps.length > 0) add(c, "IpAddress", CONDITION_KEYS.sourceIp, p.role.sourceIps);
  return c;
}

/** Conditions on the trust statement: the access conditions plus ExternalId and MFA. */
export function trustConditions(p: PartnerModel): Conditions {
  const c: Mutable = { ...accessConditions(p) };
  if (p.role.externalId !== undefined) add(c, "StringEquals", EXTERNAL_ID_CONDITION_KEY, [p.role.externalId]);
  if (p.role.requireMfa) add(c, "Bool", CONDITION_KEYS.mfaPresent, ["true"]);
  return c;
}

/** The conditions of a set of statements, read back: what `trustConditions` and `accessConditions` build. */
export interface ConditionSummary {
  /** Whether an ExternalId is required (its value is in `externalIdValue`). */
  readonly externalId: boolean;
  readonly externalIdValue?: string;
  readonly mfa: boolean;
  readonly sourceIps: readonly string[];
  readonly validFrom?: string;
  readonly validUntil?: string;
  /** Any other condition, as `Operator key=value,value`. */
  readonly other: readonly string[];
}

export const NO_CONDITIONS: ConditionSummary = { externalId: false, mfa: false, sourceIps: [], other: [] };

const unique = (xs: Iterable<string>) => [...new Set(xs)].sort();

/** The operator and key of each setting the builders above write. */
const KNOWN = {
  externalId: ["StringEquals", EXTERNAL_ID_CONDITION_KEY],
  mfa: ["Bool", CONDITION_KEYS.mfaPresent],
  sourceIps: ["IpAddress", CONDITION_KEYS.sourceIp],
  validFrom: ["DateGreaterThan", CONDITION_KEYS.currentTime],
  validUntil: ["DateLessThan", CONDITION_KEYS.currentTime],
} as const;

/**
 * The reading direction: the settings a set of statements' conditions express. Anything the
 * builders never write is kept in `other`, never dropped; when statements disagree the
 * narrowest window is kept.
 */
export function readConditions(statements: readonly { readonly conditions: Conditions }[]): ConditionSummary {
  const values = ([op, key]: readonly [string, string]) => unique(statements.flatMap((s) => s.conditions[op]?.[key] ?? []));
  const known = new Set(Object.values(KNOWN).map(([op, key]) => `${op} ${key}`));
  const other = unique(
    statements.flatMap((s) =>
      Object.entries(s.conditions).flatMap(([op, keys]) =>
        Object.entries(keys)
          .filter(([key]) => !known.has(`${op} ${key}`))
          .map(([key, vs]) => `${op} ${key}=${vs.join(",")}`),
      ),
    ),
  );
  const externalIds = values(KNOWN.externalId);
  const from = values(KNOWN.validFrom);
  const until = values(KNOWN.validUntil);
  const mfa = values(KNOWN.mfa);
  return {
    externalId: externalIds.length > 0,
    ...(externalIds.length > 0 ? { externalIdValue: externalIds.join(",") } : {}),
    mfa: mfa.includes("true"),
    sourceIps: values(KNOWN.sourceIps),
    ...(from.length > 0 ? { validFrom: from[from.length - 1] } : {}),
    ...(until.length > 0 ? { validUntil: until[0] } : {}),
    // an MFA condition that is not "true" is kept as it is
    other: [...other, ...mfa.filter((v) => v !== "true").map((v) => `${KNOWN.mfa[0]} ${KNOWN.mfa[1]}=${v}`)],
  };
}
