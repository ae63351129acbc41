/**
 * Who may do what, read from the synthesized stacks (what will be applied, not the config):
 * per partner, the trusted principals and every condition, the actions and resources, the
 * system policies, the partner side, and the findings of the synth checks.
 */
import type { Handoff } from "../handoff/handoff";
import type { OwnerSideDescription, PartnerSideDescription } from "../describe/sides";
import type { AccountRef } from "../model/model";
import { NO_CONDITIONS, readConditions, type ConditionSummary } from "../policy/conditions";
import { readPolicy, sameAction } from "../policy/read";
import type { Unaccounted } from "../readers/unaccounted";

export type Conditions = ConditionSummary;

export interface Grant {
  readonly action: string;
  readonly resource: string;
}

/** A deny statement: these actions on these resources are denied when every condition holds. */
export interface Deny {
  readonly actions: readonly string[];
  readonly resources: readonly string[];
  readonly when: readonly { readonly operator: string; readonly key: string; readonly values: readonly string[] }[];
}

export function describeDeny(d: Deny): string {
  const when = d.when.map((c) => `${c.operator} ${c.key} ${c.values.join(",")}`);
  return `${d.actions.join(",") || "*"} on ${d.resources.join(",") || "*"}${when.length > 0 ? ` when ${when.join(" and ")}` : ""}`;
}

export interface FindingNote {
  readonly rule: string;
  readonly level: "error" | "warning" | "acknowledged";
  readonly message: string;
  readonly reason?: string;
}

export interface LoginAccess {
  readonly user: string;
  readonly passwordResetRequired: boolean;
  readonly mfaBindRequired: boolean;
}

export interface PartnerSideAccess {
  readonly stack: string;
  /** How the partner's users sign in (`<user>@<alias or account id>.onaliyun.com`), from the stack's output. */
  readonly logonNameFormat?: string;
  readonly groupName: string;
  readonly users: readonly string[];
  readonly members: readonly string[];
  /** Users with a console login, and what it requires at first logon. */
  readonly logins: readonly LoginAccess[];
  /** `role`: sts:AssumeRole on the listed roles; `any-role`: a system policy that allows every role; `none`: revoked. */
  readonly assume:
    | { readonly scope: "role"; readonly roles: readonly string[] }
    | { readonly scope: "any-role"; readonly policy: string }
    | { readonly scope: "none" };
}

export interface PartnerAccess {
  readonly name: string;
  readonly accountId: string;
  /** The owner whose role this is. */
  readonly owner?: AccountRef;
  readonly revoked: boolean;
  readonly roleName?: string;
  readonly roleArn?: string;
  /** The console Switch Role link (it names the owner's alias once set), from the owner stack's output. */
  readonly switchRoleUrl?: string;
  readonly maxSessionDuration?: number;
  readonly trustedPrincipals: readonly string[];
  /** Conditions of the trust policy (who may assume the role, and when). */
  readonly conditions: Conditions;
  /** Conditions on the permission statements (when and from where the role's grants work). */
  readonly permissionConditions: Conditions;
  readonly validFrom?: string;
  readonly validUntil?: string;
  readonly grants: readonly Grant[];
  /** Deny statements of the custom policies (they hold the window and addresses for system policies too). */
  readonly denies: readonly Deny[];
  readonly actions: readonly string[];
  readonly resources: readonly string[];
  readonly customPolicies: readonly string[];
  readonly systemPolicies: readonly string[];
  readonly partnerSide?: PartnerSideAccess;
  readonly findings: readonly FindingNote[];
  /** The digest of the handoff between owner and partner, for comparing out of band. */
  readonly handoffDigest?: string;
  /** Where the grants come from: the owner stack's policies, or (in a partner's output) the handoff. */
  readonly source?: "owner-stack" | "handoff";
}

export interface AccessReport {
  /** The owner, when the output holds its stack; a partner's output may name several owners, per partner. */
  readonly owner?: AccountRef;
  readonly partners: readonly PartnerAccess[];
  /** What the readers could not account for, per stack: never "no change". */
  readonly unaccounted: readonly (Unaccounted & { readonly stack: string })[];
}

const unique = (xs: Iterable<string>) => [...new Set(xs)].sort();

/** Summarizes one partner's delegation from its owner side and partner side. */
export function partnerAccess(
  name: string,
  accountId: string,
  owner: OwnerSideDescription | undefined,
  side: { stack: string; description: PartnerSideDescription; revoked: boolean } | undefined,
  findings: readonly FindingNote[],
): PartnerAccess {
  const trust = readPolicy(owner?.role.trustDocument) ?? [];
  const permission = (owner?.policies ?? []).flatMap((p) => readPolicy(p.document) ?? []);
  const allow = permission.filter((s) => s.effect === "Allow");
  // NotAction / NotResource allow everything but a list: counted as `*`
  const grants = allow.flatMap((s) =>
    (s.notActions.length > 0 ? ["*"] : s.actions).flatMap((action) =>
      (s.notResources.length > 0 || s.resources.length === 0 ? ["*"] : s.resources).map((resource) => ({ action, resource })),
    ),
  );
  const denies: Deny[] = permission
    .filter((s) => s.effect === "Deny")
    .map((s) => ({
      actions: s.notActions.length > 0 ? [`all but ${[...s.notActions].sort().join(",")}`] : [...s.actions].sort(),
      resources: s.notResources.length > 0 ? [`all but ${[...s.notResources].sort().join(",")}`] : [...s.resources].sort(),
      when: Object.entries(s.conditions)
        .flatMap(([operator, keys]) =>
          Object.entries(keys).map(([key, values]) => ({ operator, key, values: [...values].sort() })),
        )
        .sort((a, b) => (`${a.operator} ${a.key}` < `${b.operator} ${b.key}` ? -1 : 1)),
    }))
    .sort((a, b) => (describeDeny(a) < describeDeny(b) ? -1 : 1));
  const uniqueGrants = [...new Map(grants.map((g) => [`${g.action} ${g.resource}`, g])).values()].sort((a, b) =>
    a.action === b.action ? (a.resource < b.resource ? -1 : 1) : a.action < b.action ? -1 : 1,
  );
  const conditions = trust.length > 0 ? readConditions(trust) : NO_CONDITIONS;
  const d = side?.description;
  const assume: PartnerSideAccess["assume"] = !d?.assume
    ? { scope: "none" }
    : !d.assume.policy
      ? { scope: "any-role", policy: d.assume.attachment.policyName }
      : {
          scope: "role",
          roles: unique(
            (readPolicy(d.assume.policy.document) ?? [])
              .filter((s) => s.effect === "Allow" && s.actions.some((a) => sameAction(a, "sts:AssumeRole")))
              .flatMap((s) => (s.resources.length === 0 || s.notResources.length > 0 ? ["*"] : s.resources)),
          ),
        };
  return {
    name,
    accountId,
    revoked: owner === undefined && (side?.revoked ?? true),
    ...(owner ? { roleName: owner.role.name, roleArn: owner.role.arn, maxSessionDuration: owner.role.maxSessionDuration } : {}),
    trustedPrincipals: unique(trust.flatMap((s) => Object.values(s.principals).flat())),
    conditions,
    permissionConditions: allow.length > 0 ? readConditions(allow) : NO_CONDITIONS,
    denies,
    ...(conditions.validFrom ? { validFrom: conditions.validFrom } : {}),
    ...(conditions.validUntil ? { validUntil: conditions.validUntil } : {}),
    grants: uniqueGrants,
    actions: unique(uniqueGrants.map((g) => g.action)),
    resources: unique(uniqueGrants.map((g) => g.resource)),
    customPolicies: (owner?.policies ?? []).map((p) => p.name).sort(),
    systemPolicies: (owner?.attachments ?? [])
      .filter((a) => a.policyType === "System")
      .map((a) => a.policyName)
      .sort(),
    ...(d && side
      ? {
          partnerSide: {
            stack: side.stack,
            groupName: d.group.name,
            users: unique(d.users.map((u) => u.name)),
            members: unique(d.members.map((m) => m.userName)),
            logins: d.users
              .flatMap((u) =>
                u.login
                  ? [
                      {
                        user: u.name,
                        passwordResetRequired: u.login.passwordResetRequired,
                        mfaBindRequired: u.login.mfaBindRequired,
                      },
                    ]
                  : [],
              )
              .sort((a, b) => (a.user < b.user ? -1 : 1)),
            assume,
          },
        }
      : {}),
    findings,
  };
}

/**
 * What a partner's users may do, from the handoff alone: how a partner's repository, which holds
 * no owner stack, knows the role its users assume.
 */
export function handoffAccess(h: Handoff): Omit<PartnerAccess, "name" | "partnerSide" | "findings"> {
  const window = { ...(h.validFrom ? { validFrom: h.validFrom } : {}), ...(h.validUntil ? { validUntil: h.validUntil } : {}) };
  const grants = h.access.grants
    .flatMap((g) => g.allow.flatMap((a) => a.actions.flatMap((action) => a.resources.map((resource) => ({ action, resource })))))
    .sort((a, b) => (a.action === b.action ? (a.resource < b.resource ? -1 : 1) : a.action < b.action ? -1 : 1));
  return {
    accountId: h.partner.accountId,
    owner: h.owner,
    revoked: h.revoked,
    ...(h.revoked ? {} : { roleName: h.role.name, roleArn: h.role.arn, maxSessionDuration: h.role.maxSessionDuration }),
    ...(h.switchRoleUrl ? { switchRoleUrl: h.switchRoleUrl } : {}),
    trustedPrincipals: h.revoked ? [] : [...h.role.trustedPrincipals].sort(),
    conditions: h.revoked
      ? NO_CONDITIONS
      : {
          externalId: h.role.externalId !== undefined,
          ...(h.role.externalId === undefined ? {} : { externalIdValue: h.role.externalId }),
          mfa: h.role.requireMfa,
          sourceIps: [...h.role.sourceIps],
          ...window,
          other: [],
        },
    permissionConditions:
      grants.length > 0
        ? { externalId: false, mfa: false, sourceIps: [...h.role.sourceIps], ...window, other: [] }
        : NO_CONDITIONS,
    ...window,
    grants: [...new Map(grants.map((g) => [`${g.action} ${g.resource}`, g])).values()],
    denies: [],
    actions: unique(grants.map((g) => g.action)),
    resources: unique(grants.map((g) => g.resource)),
    customPolicies: [],
    systemPolicies: [...h.access.systemPolicies].sort(),
    handoffDigest: h.digest,
    source: "handoff",
  };
}
