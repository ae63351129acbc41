/**
 * The parts of an access diff that compare conditions, denies and console logins, each change
 * marked broadening, narrowing or neutral.
 */
import { blockCovers } from "../net/ipv4";
import { sameRamName } from "../ram/names";
import { describeDeny, type Conditions, type Deny, type LoginAccess } from "./access";

export type Effect = "broadening" | "narrowing" | "neutral";

export interface Change {
  readonly partner: string;
  readonly kind: string;
  readonly effect: Effect;
  readonly description: string;
}

export function compareSets<T>(
  before: readonly T[],
  after: readonly T[],
  covers: (a: T, b: T) => boolean,
  added: (x: T) => Omit<Change, "partner">,
  removed: (x: T) => Omit<Change, "partner">,
): Omit<Change, "partner">[] {
  return [
    ...after.filter((x) => !before.some((y) => covers(y, x))).map(added),
    ...before.filter((x) => !after.some((y) => covers(y, x))).map(removed),
  ];
}

export function conditionChanges(where: string, a: Conditions, b: Conditions): Omit<Change, "partner">[] {
  const out: Omit<Change, "partner">[] = [];
  const kind = `${where} condition`;
  if (a.externalId && !b.externalId)
    out.push({ kind, effect: "broadening", description: `${where}: ExternalId no longer required` });
  if (!a.externalId && b.externalId) out.push({ kind, effect: "narrowing", description: `${where}: ExternalId now required` });
  if (a.externalId && b.externalId && a.externalIdValue !== b.externalIdValue) {
    out.push({ kind, effect: "neutral", description: `${where}: ExternalId changed` });
  }
  if (a.mfa && !b.mfa) out.push({ kind, effect: "broadening", description: `${where}: MFA no longer required` });
  if (!a.mfa && b.mfa) out.push({ kind, effect: "narrowing", description: `${where}: MFA now required` });
  if (a.sourceIps.length > 0 && b.sourceIps.length === 0) {
    out.push({
      kind,
      effect: "broadening",
      description: `${where}: source IP restriction removed (was ${a.sourceIps.join(", ")})`,
    });
  } else if (a.sourceIps.length === 0 && b.sourceIps.length > 0) {
    out.push({ kind, effect: "narrowing", description: `${where}: restricted to source IPs ${b.sourceIps.join(", ")}` });
  } else {
    out.push(
      ...compareSets(
        a.sourceIps,
        b.sourceIps,
        blockCovers,
        (ip) => ({ kind, effect: "broadening", description: `${where}: source IPs now include ${ip}` }),
        (ip) => ({ kind, effect: "narrowing", description: `${where}: source IPs no longer include ${ip}` }),
      ),
    );
  }
  // a date that cannot be read cannot be judged narrower: it counts as broader
  const later = (x: string, y: string) => !(Date.parse(x) <= Date.parse(y));
  if (a.validUntil !== b.validUntil) {
    const broader = b.validUntil === undefined || (a.validUntil !== undefined && later(b.validUntil, a.validUntil));
    out.push({
      kind,
      effect: broader ? "broadening" : "narrowing",
      description: `${where}: valid until ${b.validUntil ?? "no end"} (was ${a.validUntil ?? "no end"})`,
    });
  }
  if (a.validFrom !== b.validFrom) {
    const broader = b.validFrom === undefined || (a.validFrom !== undefined && later(a.validFrom, b.validFrom));
    out.push({
      kind,
      effect: broader ? "broadening" : "narrowing",
      description: `${where}: valid from ${b.validFrom ?? "any time"} (was ${a.validFrom ?? "any time"})`,
    });
  }
  out.push(
    ...compareSets(
      a.other,
      b.other,
      (x, y) => x === y,
      (c) => ({ kind, effect: "narrowing", description: `${where}: condition added: ${c}` }),
      (c) => ({ kind, effect: "broadening", description: `${where}: condition removed: ${c}` }),
    ),
  );
  return out;
}

/**
 * Deny statements compared by what they deny: a deny that goes away broadens, a new one narrows;
 * one that stays but moves its date or address list broadens if it now denies less.
 */
export function denyChanges(before: readonly Deny[], after: readonly Deny[], guarding: boolean): Omit<Change, "partner">[] {
  // the same deny is the same actions, resources, operators and keys; the values may move
  const shape = (d: Deny) =>
    `${d.actions.join(",")} ${d.resources.join(",")} ${d.when.map((c) => `${c.operator} ${c.key}`).join(" ")}`;
  const out: Omit<Change, "partner">[] = [];
  const b = new Map(after.map((d) => [shape(d), d]));
  const a = new Map(before.map((d) => [shape(d), d]));
  // without system policies every allow carries the deny's condition itself: nothing is freed
  for (const [k, d] of a) {
    if (!b.has(k))
      out.push({ kind: "deny", effect: guarding ? "broadening" : "neutral", description: `deny removed: ${describeDeny(d)}` });
  }
  for (const [k, d] of b)
    if (!a.has(k)) out.push({ kind: "deny", effect: "narrowing", description: `deny added: ${describeDeny(d)}` });
  for (const [k, x] of a) {
    const y = b.get(k);
    if (!y || describeDeny(x) === describeDeny(y)) continue;
    // a deny of several conditions whose values move cannot be judged: it counts as broadening
    const effect = x.when.length === 1 && y.when.length === 1 ? denyEffect(x.when[0], y.when[0]) : "broadening";
    out.push({ kind: "deny", effect, description: `deny changed: ${describeDeny(y)} (was ${describeDeny(x)})` });
  }
  return out;
}

/**
 * Whether a one-condition deny denies less after a change of its values; what cannot be judged
 * (an unreadable date, another operator) counts as broadening.
 */
function denyEffect(x: Deny["when"][number], y: Deny["when"][number]): Effect {
  const time = (c: typeof x) => Date.parse(c.values[0] ?? "");
  switch (x.operator) {
    case "DateGreaterThan": // denied after: later is broader
      return time(y) <= time(x) ? "narrowing" : "broadening";
    case "DateLessThan": // denied before: earlier is broader
      return time(y) >= time(x) ? "narrowing" : "broadening";
    case "NotIpAddress": // denied outside the list: a wider list is broader
      return y.values.some((v) => !x.values.some((w) => blockCovers(w, v))) ? "broadening" : "narrowing";
    default:
      return "broadening";
  }
}

/** Console logins: a new one, or one that no longer requires a new password or MFA, broadens. */
export function loginChanges(before: readonly LoginAccess[], after: readonly LoginAccess[]): Omit<Change, "partner">[] {
  const out: Omit<Change, "partner">[] = [];
  for (const b of after) {
    const a = before.find((x) => sameRamName(x.user, b.user));
    if (!a) out.push({ kind: "login", effect: "broadening", description: `user ${b.user} may sign in to the console` });
    else
      for (const [key, what] of [
        ["mfaBindRequired", "an MFA device at first logon"],
        ["passwordResetRequired", "a new password at first logon"],
      ] as const)
        if (a[key] !== b[key])
          out.push({
            kind: "login",
            effect: b[key] ? "narrowing" : "broadening",
            description: `user ${b.user} ${b[key] ? "now needs" : "no longer needs"} ${what}`,
          });
  }
  for (const a of before)
    if (!after.some((x) => sameRamName(x.user, a.user)))
      out.push({ kind: "login", effect: "narrowing", description: `user ${a.user} may no longer sign in to the console` });
  return out;
}
