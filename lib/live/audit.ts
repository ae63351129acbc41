/**
 * The live audit: each account of the config's own side read through RAM's API and compared with
 * the config. Roles and groups the config describes are compared as the state audit compares a
 * Terraform state (the same findings); what no config describes but opens a door across accounts
 * is a finding of its own: a role trusting outsiders (UNMANAGED-EXTERNAL-ACCESS) in the owner's
 * account, a user or group that may assume roles in other accounts (UNMANAGED-ASSUME-PATH) in the
 * partner's. Delegates' AccessKeys are listed (DELEGATE-ACCESS-KEY). Whatever cannot be read
 * stops the audit with a LiveReadError: it never reports clean for what it did not see.
 */
import type { DelegationModel, PartnerSideModel } from "../model/model";
import { describeOwnerSide, describePartnerSide } from "../describe/sides";
import { sameRamName } from "../ram/names";
import { formatUnaccounted, sortUnaccounted, type Unaccounted } from "../readers/unaccounted";
import { broadGrants, compareOwnerSide, comparePartnerSide, type AuditFinding } from "../audit/compare";
import { eventBridgeGrants, reaches } from "./access";
import { liveOwnerSide, livePartnerSide } from "./describe";
import { PolicyDocuments, readOwnerAccount, type LiveRole } from "./owner";
import { readPartnerAccount } from "./partner";
import { LiveRam, LiveReadError, type LiveOptions } from "./ram-api";

/**
 * What the live readers list: unexplained items are findings (UNACCOUNTED, as in the state
 * audit); anything unreadable stops the audit, which could not see.
 */
function accountFor(where: string, xs: readonly Unaccounted[], partner: string): AuditFinding[] {
  const unreadable = xs.filter((u) => u.kind === "unreadable");
  if (unreadable.length > 0)
    throw new LiveReadError(`${where}: ${unreadable.map(formatUnaccounted).join("; ")}; cannot audit what it does`);
  return sortUnaccounted(xs).map((u) => ({
    severity: "error" as const,
    partner,
    check: "UNACCOUNTED",
    message: `${where}: ${formatUnaccounted(u)}`,
  }));
}

export interface LiveAccountSummary {
  readonly side: "owner" | "partner";
  readonly accountId: string;
  /** Owner: roles read, those trusting only this account or a service, managed and unmanaged external ones. */
  readonly roles?: {
    readonly total: number;
    readonly internal: number;
    readonly managed: number;
    readonly unmanagedExternal: number;
  };
  /** Partner: users and groups read, those that may assume roles elsewhere, delegates. */
  readonly principals?: {
    readonly users: number;
    readonly groups: number;
    readonly mayAssumeOutside: number;
    readonly delegates: number;
  };
  /** RAM calls made, by action. */
  readonly calls: Readonly<Record<string, number>>;
}

export interface LiveAuditResult {
  readonly accounts: readonly LiveAccountSummary[];
  readonly findings: readonly AuditFinding[];
}

const lower = (s: string) => s.toLowerCase();
const error = (partner: string, check: string, message: string): AuditFinding => ({ severity: "error", partner, check, message });

/** Checks that the credentials belong to the account the config names, before reading anything. */
async function opened(
  model: { accountId: string; profile?: string; assumeRoleArn?: string },
  side: string,
  options: LiveOptions,
) {
  const api = new LiveRam(model, options);
  const caller = await api.callerAccount();
  if (caller !== model.accountId)
    throw new LiveReadError(
      `the credentials for the ${side} account ${model.accountId} belong to account ${caller || "(unknown)"}; nothing was read (check the profile, assumeRoleArn or ALIBABA_CLOUD_* variables)`,
      "GetCallerIdentity",
    );
  return api;
}

function describeAccess(role: LiveRole): string {
  const grants = (role.attachments ?? []).map((a) => {
    const g = a.document === undefined ? undefined : eventBridgeGrants(a.document);
    const what = g === undefined ? "unreadable: judged as anything" : g.length === 0 ? "nothing on EventBridge" : g.join("; ");
    return `${a.policyType} ${a.policyName} (${what})`;
  });
  return grants.length > 0 ? grants.join(", ") : "no policy attached yet";
}

async function auditOwner(model: DelegationModel, options: LiveOptions, now: Date) {
  const owner = model.owner!;
  const api = await opened(owner, "owner", options);
  const names = new Set(model.partners.map((p) => lower(p.role.name)));
  const managed = (name: string) => names.has(lower(name));
  const reading = await readOwnerAccount(api, owner.accountId, new PolicyDocuments(api), managed);
  const findings: AuditFinding[] = [];
  const mine = reading.roles.filter((r) => managed(r.name));
  const where = `account ${owner.accountId}`;
  for (const p of model.partners) {
    const role = mine.find((r) => sameRamName(r.name, p.role.name));
    const out: Unaccounted[] = [];
    const d = role && liveOwnerSide(role, out);
    findings.push(...accountFor(where, out, p.name));
    const e = describeOwnerSide(p);
    if (d) findings.push(...broadGrants(p.name, d));
    if (!e && d) findings.push(error(p.name, "REVOKED-PRESENT", `the partner is revoked but role ${d.role.name} still exists`));
    else if (e && !d) findings.push(error(p.name, "MISSING-ROLE", `role ${e.role.name} is not in the account`));
    else if (e && d) findings.push(...compareOwnerSide(p, e, d, now));
  }
  const unmanaged = reading.roles.filter((r) => !managed(r.name) && r.trust.external.length > 0);
  for (const r of unmanaged) {
    const partners = model.partners
      .filter((p) => r.trust.external.some((t) => t.includes(`::${p.accountId}:`)))
      .map((p) => p.name);
    const conditions =
      r.trust.conditions.length > 0 ? ` under the conditions ${r.trust.conditions.join(" or ")}` : " with no condition";
    findings.push({
      severity: "error",
      partner: partners[0] ?? "?",
      check: "UNMANAGED-EXTERNAL-ACCESS",
      message: `role ${r.name}, which no partner in the config has, lets ${r.trust.external.join(", ")} assume it${conditions}; it may do: ${describeAccess(r)}`,
    });
  }
  const summary: LiveAccountSummary = {
    side: "owner",
    accountId: owner.accountId,
    roles: { total: reading.roles.length, internal: reading.internal, managed: mine.length, unmanagedExternal: unmanaged.length },
    calls: api.counts,
  };
  return { summary, findings };
}

async function auditPartner(sides: readonly PartnerSideModel[], options: LiveOptions) {
  const target = sides[0];
  const api = await opened(target, "partner", options);
  const groups = new Set(sides.map((s) => s.groupName));
  const users = new Set(sides.flatMap((s) => [...s.users.map((u) => u.name), ...s.existingUsers]));
  const reading = await readPartnerAccount(api, target.accountId, new PolicyDocuments(api), groups, users);
  const findings: AuditFinding[] = [];
  for (const s of sides) {
    const out: Unaccounted[] = [];
    const d = livePartnerSide(reading, s, out);
    findings.push(...accountFor(`account ${target.accountId}`, out, s.name));
    if (d) findings.push(...comparePartnerSide(s, describePartnerSide(s), d));
    else findings.push(error(s.name, "MISSING-GROUP", `group ${s.groupName} is not in the account`));
  }

  const owners = [...new Set(sides.map((s) => s.handoff.owner.accountId))];
  const delegates = new Set(reading.delegates.map((d) => d.name));
  const paths = [
    ...reading.groups.filter((g) => !groups.has(g.name)),
    ...reading.users.filter((u) => !delegates.has(u.name)),
  ].filter((p) => p.assumeTargets.length > 0);
  for (const p of paths) {
    const intoOwner = owners.filter((o) => p.assumeTargets.some((t) => reaches(t, o)));
    const side = sides.find((s) => intoOwner.includes(s.handoff.owner.accountId));
    const who = p.kind === "group" ? `group ${p.name} (members: ${(p.members ?? []).join(", ") || "none"})` : `user ${p.name}`;
    const via = p.attachments.map((a) => `${a.policyType} ${a.policyName}`).join(", ");
    findings.push({
      severity: intoOwner.length > 0 ? "error" : "warning",
      partner: side?.name ?? "?",
      check: "UNMANAGED-ASSUME-PATH",
      message: `${who}, which no delegation in the config has, may assume roles outside this account: ${p.assumeTargets.join(", ")} (through ${via})${intoOwner.length > 0 ? `; that reaches the owner account ${intoOwner.join(", ")}` : ""}`,
    });
  }
  for (const d of reading.delegates) {
    const of = sides.filter(
      (s) => d.groups.includes(s.groupName) || s.users.some((u) => u.name === d.name) || s.existingUsers.includes(d.name),
    );
    for (const k of d.accessKeys)
      findings.push({
        severity: "warning",
        partner: of[0]?.name ?? "?",
        check: "DELEGATE-ACCESS-KEY",
        message: `delegate ${d.name} has AccessKey ${k.id} (${k.status}, created ${k.created}): whoever holds it may assume the delegated role; keep it only if its use is known`,
      });
  }
  const summary: LiveAccountSummary = {
    side: "partner",
    accountId: target.accountId,
    principals: {
      users: reading.users.length,
      groups: reading.groups.length,
      mayAssumeOutside: [...reading.users, ...reading.groups].filter((p) => p.assumeTargets.length > 0).length,
      delegates: reading.delegates.length,
    },
    calls: api.counts,
  };
  return { summary, findings };
}

/** Reads every account of the config's own side: the owner's, and each partner account its partner sides live in. */
export async function liveAudit(model: DelegationModel, options: LiveOptions, now: Date): Promise<LiveAuditResult> {
  const accounts: LiveAccountSummary[] = [];
  const findings: AuditFinding[] = [];
  if (model.owner) {
    const r = await auditOwner(model, options, now);
    accounts.push(r.summary);
    findings.push(...r.findings);
  }
  const byAccount = new Map<string, PartnerSideModel[]>();
  for (const s of model.partnerSides) byAccount.set(s.accountId, [...(byAccount.get(s.accountId) ?? []), s]);
  for (const sides of byAccount.values()) {
    const r = await auditPartner(sides, options);
    accounts.push(r.summary);
    findings.push(...r.findings);
  }
  return { accounts, findings };
}
