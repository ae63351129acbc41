/**
 * What a change does to who may do what: the grants added, removed and changed between two
 * access reports, each marked broadening (more principals, actions, resources, time or places
 * than before) or narrowing. Wildcards are compared by what they match, so a resource that
 * becomes `rule/*` is wider, and one that becomes a named rule is narrower.
 */
import { markdownCode, markdownText } from "../text/markdown";
import { shortDigest } from "../handoff/handoff";
import { patternCovers } from "../policy/patterns";
import { principalCovers } from "../ram/arn";
import { sameRamName } from "../ram/names";
import { formatUnaccounted } from "../readers/unaccounted";
import type { AccessReport, Grant, PartnerAccess } from "./access";
import { compareSets, conditionChanges, denyChanges, loginChanges, type Change, type Effect } from "./diff-parts";

export type { Change, Effect };

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
  if (a.maxSessionDuration !== b.maxSessionDuration) {
    // a length on one side only cannot be compared: it counts as broadening
    const narrower =
      a.maxSessionDuration !== undefined && b.maxSessionDuration !== undefined && b.maxSessionDuration < a.maxSessionDuration;
    out.push({
      kind: "session",
      effect: narrower ? "narrowing" : "broadening",
      description: `sessions up to ${b.maxSessionDuration ?? "?"} s (was ${a.maxSessionDuration ?? "?"} s)`,
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
    `${diff.broadening} broadening, ${diff.narrowing} narrowing, ${diff.changes.length - diff.broadening - diff.narrowing} other (from ${markdownCode(base)} to ${markdownCode(head)}).`,
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
      `| ${markdownText(c.partner)} | ${markdownText(c.description)} | ${c.effect === "broadening" ? "**broadening**" : c.effect} |`,
    );
  }
  return [...lines, ""].join("\n");
}
