/**
 * The EventBridge RAM action catalog: every action the product can grant, its access level and
 * the resource ARN patterns RAM checks it against. The data comes from Alibaba Cloud's current
 * per-API "RAM authorization" tables; each row's `source` names the page and quotes the table
 * row. Rows whose source does not start with `VERIFIED` were not confirmed and are never granted,
 * except the named facts in `ACCEPTED_UNVERIFIED_ACTIONS`. Correcting a row here corrects every
 * policy built from it: the permission levels take their resources from this file.
 * @see https://www.alibabacloud.com/help/en/eventbridge/developer-reference/api-eventbridge-2020-04-01-ram
 */
import { ACCEPTED_UNVERIFIED_ACTIONS } from "../facts";
import rawCatalog from "./eventbridge-actions.json";

export interface CatalogAction {
  /** `eventbridge:<Name>` */
  readonly action: string;
  /** Whether the action only reads (get/list); everything else counts as a write. */
  readonly readOnly: boolean;
  /** ARN patterns, narrowest first, in RAM notation (`{#regionId}`, `{#accountId}`, ...). */
  readonly arnPatterns: readonly string[];
  /** Whether the row was read from a current authorization table (`source` starts with VERIFIED). */
  readonly verified: boolean;
  readonly source: string;
}

interface RawEntry {
  action: string;
  accessLevel: string;
  arnPatterns: string[];
  source: string;
}

const ACTIONS: ReadonlyMap<string, CatalogAction> = new Map(
  (rawCatalog as RawEntry[])
    .filter((e) => !/[*?]/.test(e.action))
    .map((e) => [
      e.action,
      Object.freeze({
        action: e.action,
        readOnly: /^(get|list)\b/i.test(e.accessLevel),
        arnPatterns: Object.freeze([...e.arnPatterns]),
        verified: /^VERIFIED\b/.test(e.source),
        source: e.source,
      }),
    ]),
);

/** The catalog entry for an exact action name, or undefined. */
export function catalogAction(action: string): CatalogAction | undefined {
  return ACTIONS.get(action);
}

/** Every concrete action name in the catalog, sorted. */
export function catalogActionNames(): readonly string[] {
  return [...ACTIONS.keys()].sort();
}

/**
 * Whether the product may put an action in a policy: its catalog row is verified, or it is one of
 * the named unverified facts the product relies on (`ACCEPTED_UNVERIFIED_ACTIONS`).
 */
export function isGrantable(action: string): boolean {
  const entry = ACTIONS.get(action);
  return entry !== undefined && (entry.verified || ACCEPTED_UNVERIFIED_ACTIONS.includes(action));
}

/** Whether RAM checks an action against the grant's bus or something inside it (rules, event sources). */
export function scopedToBus(action: string): boolean {
  return ACTIONS.get(action)?.arnPatterns[0].includes("{#EventBusName}") ?? false;
}

/**
 * Whether an action may be granted as an extra action of a grant: a grantable action that RAM
 * checks against the grant's bus or something inside it (its rules, its event sources). Reads of
 * connections, API destinations or event streams are refused: they are not the bus, and a
 * connection holds the credentials of its targets.
 */
export function grantableOnBus(action: string): boolean {
  return isGrantable(action) && scopedToBus(action);
}

/** Whether RAM checks an action against rule ARNs (`…/rule/{#RuleName}`). */
export function isRuleAction(action: string): boolean {
  return ACTIONS.get(action)?.arnPatterns[0].includes("{#RuleName}") ?? false;
}

/**
 * Whether an action only reads. Unknown actions and wildcards count as writes, so that checks
 * built on this err on the safe side.
 */
export function isReadOnlyAction(action: string): boolean {
  return ACTIONS.get(action)?.readOnly ?? false;
}
