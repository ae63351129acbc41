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
