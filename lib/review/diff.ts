/**
 * What a change does to who may do what: the grants added, removed and changed between two
 * access reports, each marked broadening (more principals, actions, resources, time or places
 * than before) or narrowing. Wildcards are compared by what they match, so a resource that
 * becomes `rule/*` is wider, and one that becomes a named rule is narrower.
 */
import { shortDigest } from "../handoff/handoff";
import { blockCovers } from "../net/ipv4";
import { patternCovers } from "../policy/patterns";
import { principalCovers } from "../ram/arn";
import { sameRamName } from "../ram/names";
import { formatUnaccounted } from "../readers/unaccounted";
import {
  describeDeny,
  type AccessReport,
  type LoginAccess,
  type Conditions,
  type Deny,
  type Grant,
  type PartnerAccess,
} from "./access";

export type Effect = "broadening" | "narrowing" | "neutral";

export interface Change {
  readonly partner: string;
  readonly kind: string;
  readonly effect: Effect;
  readonly description: string;
}

export interface AccessDiff {
  /** Changes that broaden access, those that cannot be accounted for included. */
  readonly broadening: number;
  /** What the head holds that its readers cannot account for and the base did not hold. */
  readonly unaccounted: number;
  readonly narrowing: number;
  readonly changes: readonly Change[];
}

/** Actions compared as RAM compares them, case-insensitively. */
const grantCovers = (a: Grant, b: Grant) =>
  patternCovers(a.action.toLowerCase(), b.action.toLowerCase()) && patternCovers(a.resource, b.resource);

function compareSets<T>(
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

function conditionChanges(where: string, a: Conditions, b: Conditions): Omit<Change, "partner">[] {
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
  const later = (x: string, y: string) => Date.parse(x) > Date.parse(y);
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
function denyChanges(before: readonly Deny[], after: readonly Deny[], guarding: boolean): Omit<Change, "partner">[] {
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
    const effect = x.when.length === 1 ? denyEffect(x.when[0], y.when[0]) : "neutral";
    out.push({ kind: "deny", effect, description: `deny changed: ${describeDeny(y)} (was ${describeDeny(x)})` });
  }
  return out;
}

/** Whether a one-condition deny denies less after a change of its values. */
function denyEffect(x: Deny["when"][number], y: Deny["when"][number]): Effect {
  const time = (c: typeof x) => Date.parse(c.values[0] ?? "");
  switch (x.operator) {
    case "DateGreaterThan": // denied after: later is broader
      return time(y) > time(x) ? "broadening" : "narrowing";
    case "DateLessThan": // denied before: earlier is broader
      return time(y) < time(x) ? "broadening" : "narrowing";
    case "NotIpAddress": // denied outside the list: a wider list is broader
      return y.values.some((v) => !x.values.some((w) => blockCovers(w, v))) ? "broadening" : "narrowing";
    default:
      return "neutral";
  }
}

/** Console logins: a new one, or one that no longer requires a new password or MFA, broadens. */
function loginChanges(before: readonly LoginAccess[], after: readonly LoginAccess[]): Omit<Change, "partner">[] {
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

/** What differs in access between two views of one partner. */
export function partnerChanges(a: PartnerAccess, b: PartnerAccess): Omit<Change, "partner">[] {
  // the file both companies compare: any change to it is shown, also one that changes no access
  const handoff: Omit<Change, "partner">[] =
    a.handoffDigest && b.handoffDigest && a.handoffDigest !== b.handoffDigest
      ? [
          {
            kind: "handoff",
            effect: "neutral",
            description: `handoff changed: digest ${shortDigest(b.handoffDigest)} (was ${shortDigest(a.handoffDigest)})`,
          },
        ]
      : [];
  if (!a.revoked && b.revoked)
    return [{ kind: "partner", effect: "narrowing", description: "revoked: the role and its grants are removed" }, ...handoff];
  if (a.revoked && !b.revoked)
    return [{ kind: "partner", effect: "broadening", description: "reinstated: the partner gets a role again" }, ...handoff];
  const out: Omit<Change, "partner">[] = [...handoff];
  if (a.roleArn !== b.roleArn)
    out.push({ kind: "role", effect: "neutral", description: `role ${b.roleArn ?? "none"} (was ${a.roleArn ?? "none"})` });
  out.push(
    ...compareSets(
      a.trustedPrincipals,
      b.trustedPrincipals,
      principalCovers,
      (p) => ({ kind: "principal", effect: "broadening", description: `new trusted principal ${p}` }),
      (p) => ({ kind: "principal", effect: "narrowing", description: `principal no longer trusted: ${p}` }),
    ),
    ...conditionChanges("trust", a.conditions, b.conditions),
    ...compareSets(
      a.grants,
      b.grants,
      grantCovers,
      (g) => ({ kind: "grant", effect: "broadening", description: `${g.action} on ${g.resource}` }),
      (g) => ({ kind: "grant", effect: "narrowing", description: `no longer ${g.action} on ${g.resource}` }),
    ),
    ...(a.grants.length > 0 && b.grants.length > 0
      ? conditionChanges("grants", a.permissionConditions, b.permissionConditions)
      : []),
    ...denyChanges(a.denies, b.denies, b.systemPolicies.length > 0),
    ...compareSets(
      a.systemPolicies,
      b.systemPolicies,
      sameRamName,
      (s) => ({ kind: "system policy", effect: "broadening", description: `system policy ${s} attached` }),
      (s) => ({ kind: "system policy", effect: "narrowing", description: `system policy ${s} detached` }),
    ),
  );
  if (a.maxSessionDuration !== b.maxSessionDuration && a.maxSessionDuration !== undefined && b.maxSessionDuration !== undefined) {
    out.push({
      kind: "session",
      effect: b.maxSessionDuration > a.maxSessionDuration ? "broadening" : "narrowing",
      description: `sessions up to ${b.maxSessionDuration} s (was ${a.maxSessionDuration} s)`,
    });
  }
  const sa = a.partnerSide;
  const sb = b.partnerSide;
  if (sa && sb) {
    const scope = (s: typeof sa) =>
      s.assume.scope === "role" ? `role ${s.assume.roles.join(", ")}` : s.assume.scope === "any-role" ? "any role" : "nothing";
    if (scope(sa) !== scope(sb)) {
      const rank = { none: 0, role: 1, "any-role": 2 } as const;
      const effect: Effect =
        rank[sb.assume.scope] > rank[sa.assume.scope]
          ? "broadening"
          : rank[sb.assume.scope] < rank[sa.assume.scope]
            ? "narrowing"
            : "neutral";
      out.push({ kind: "assume", effect, description: `partner users may assume ${scope(sb)} (was ${scope(sa)})` });
    }
    out.push(
      ...compareSets(
        sa.members,
        sb.members,
        sameRamName,
        (m) => ({ kind: "member", effect: "broadening", description: `user ${m} added to group ${sb.groupName}` }),
        (m) => ({ kind: "member", effect: "narrowing", description: `user ${m} removed from group ${sa.groupName}` }),
      ),
      ...compareSets(
        sa.users,
        sb.users,
        sameRamName,
        (u) => ({ kind: "user", effect: "neutral", description: `user ${u} created in the partner account` }),
        (u) => ({ kind: "user", effect: "neutral", description: `user ${u} no longer created` }),
      ),
      ...loginChanges(sa.logins, sb.logins),
    );
  }
  return out;
}

const EFFECT_ORDER: Record<Effect, number> = { broadening: 0, narrowing: 1, neutral: 2 };

export function diffAccess(base: AccessReport, head: AccessReport): AccessDiff {
  const changes: Change[] = [];
  const before = new Map(base.partners.map((p) => [p.name, p]));
  const after = new Map(head.partners.map((p) => [p.name, p]));
  for (const name of [...new Set([...before.keys(), ...after.keys()])].sort()) {
    const a = before.get(name);
    const b = after.get(name);
    if (!a && b) {
      if (!b.revoked)
        changes.push({
          partner: name,
          kind: "partner",
          effect: "broadening",
          description: `new partner (account ${b.accountId}) with ${b.grants.length} grants`,
        });
    } else if (a && !b) {
      if (!a.revoked) changes.push({ partner: name, kind: "partner", effect: "narrowing", description: "partner removed" });
    } else if (a && b) {
      changes.push(...partnerChanges(a, b).map((c) => ({ partner: name, ...c })));
    }
  }
  // whatever the head holds that no reader can place is never "no change" and never narrowing
  const key = (u: AccessReport["unaccounted"][number]) => `${u.stack}\u0000${u.address}\u0000${u.why}`;
  const known = new Set(base.unaccounted.map(key));
  const unaccounted = head.unaccounted.filter((u) => !known.has(key(u)));
  for (const u of unaccounted)
    changes.push({
      partner: u.stack,
      kind: "unaccounted",
      effect: "broadening",
      description: `cannot account for ${formatUnaccounted(u)}`,
    });
  changes.sort((x, y) =>
    x.partner !== y.partner
      ? x.partner < y.partner
        ? -1
        : 1
      : EFFECT_ORDER[x.effect] - EFFECT_ORDER[y.effect] ||
        (x.description < y.description ? -1 : x.description > y.description ? 1 : 0),
  );
  return {
    broadening: changes.filter((c) => c.effect === "broadening").length,
    unaccounted: unaccounted.length,
    narrowing: changes.filter((c) => c.effect === "narrowing").length,
    changes,
  };
}

export function renderDiff(diff: AccessDiff, base: string, head: string): string {
  const lines = [
    "# Access changes",
    "",
    `${diff.broadening} broadening, ${diff.narrowing} narrowing, ${diff.changes.length - diff.broadening - diff.narrowing} other (from \`${base}\` to \`${head}\`).`,
    ...(diff.unaccounted > 0
      ? [
          "",
          `**${diff.unaccounted} change${diff.unaccounted === 1 ? "" : "s"} this tool cannot account for**, each counted as broadening: read them before approving.`,
        ]
      : []),
    "",
  ];
  if (diff.changes.length === 0) return [...lines, "No change to who may do what.", ""].join("\n");
  lines.push("| Partner | Change | Effect |", "|---|---|---|");
  for (const c of diff.changes) {
    lines.push(
      `| ${c.partner} | ${c.description.replace(/\|/g, "\\|")} | ${c.effect === "broadening" ? "**broadening**" : c.effect} |`,
    );
  }
  return [...lines, ""].join("\n");
}
