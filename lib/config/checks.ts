/**
 * Checks that span several fields or several partners. They run on the parts of the config that
 * passed the field checks, so that one run reports every problem it can.
 */
import { isRuleAction } from "../catalog/actions";
import { parsePrincipal } from "../ram/arn";
import { MAX_TAGS_PER_RESOURCE, RAM_ACCOUNT_LIMITS } from "../facts";
import type { ConfigIssue, ConfigPath } from "./issues";
import { epochSeconds } from "../fields/dates";
import { MANAGED_TAG_KEYS, type BackendConfig, type OwnerConfig, type PartnerConfig, type PartnerSideConfig } from "./schema";

export interface IndexedPartner {
  readonly index: number;
  readonly partner: PartnerConfig;
}

/** Reports the second and later occurrences of each key (compared case-insensitively). */
function duplicates<T>(items: readonly T[], key: (item: T) => string, report: (item: T, first: T) => void): void {
  const seen = new Map<string, T>();
  for (const item of items) {
    const k = key(item).toLowerCase();
    const first = seen.get(k);
    if (first === undefined) seen.set(k, item);
    else report(item, first);
  }
}

export function checkAssumeRoleArn(
  arn: string | undefined,
  accountId: string,
  path: ConfigPath,
  who: string,
  out: ConfigIssue[],
) {
  const account = arn === undefined ? undefined : parsePrincipal(arn)?.accountId;
  if (account !== undefined && account !== accountId) {
    out.push({
      path,
      message: `must be a role in the ${who} account ${accountId} (Terraform would act in account ${account}), got "${arn}"`,
    });
  }
}

export function checkBackend(backend: BackendConfig, path: ConfigPath, out: ConfigIssue[]) {
  if (backend.type === "oss" && (backend.tablestoreEndpoint === undefined) !== (backend.tablestoreTable === undefined)) {
    const missing = backend.tablestoreEndpoint === undefined ? "tablestoreEndpoint" : "tablestoreTable";
    out.push({
      path: [...path, missing],
      message: "required with the other Tablestore setting: state locking needs both the endpoint and the table",
    });
  }
}

function checkPartner(owner: OwnerConfig | undefined, { index, partner: p }: IndexedPartner, out: ConfigIssue[]) {
  const at = (...rest: (string | number)[]): ConfigPath => ["partners", index, ...rest];

  if (owner && p.accountId === owner.accountId) {
    out.push({
      path: at("accountId"),
      message: `must differ from owner.accountId: a partner is another account, got "${p.accountId}"`,
    });
  }
  checkAssumeRoleArn(p.assumeRoleArn, p.accountId, at("assumeRoleArn"), "partner's", out);
  checkBackend(p.backend, at("backend"), out);

  if (p.validFrom !== undefined && p.validUntil !== undefined && epochSeconds(p.validFrom) >= epochSeconds(p.validUntil)) {
    out.push({ path: at("validUntil"), message: `must be later than validFrom (${p.validFrom}), got "${p.validUntil}"` });
  }

  if (p.grants.length === 0 && p.systemPolicies.length === 0) {
    out.push({ path: at("grants"), message: "the partner is granted nothing: add a grant or a system policy" });
  }
  duplicates(
    p.grants.map((g, i) => ({ g, i, region: g.region ?? owner?.region ?? "" })),
    ({ g, region }) => `${region}\u0000${g.eventBus}`,
    ({ g, i, region }, first) =>
      out.push({
        path: at("grants", i, "eventBus"),
        message: `duplicate grant for bus "${g.eventBus}" in ${region || "the same region"} (also at grants[${first.i}]); merge them into one grant`,
      }),
  );
  p.grants.forEach((g, i) => {
    if (g.rules !== undefined && !g.permissions.includes("manage-rules") && !g.actions.some(isRuleAction)) {
      out.push({
        path: at("grants", i, "rules"),
        message: "rules only apply to manage-rules and to extra actions on rules; add one or remove rules",
      });
    }
  });

  if (p.partnerSide) checkPartnerSide(p.partnerSide, at("partnerSide"), out);
}

/** A partner side as the account-wide checks see it: where it is, and in which account. */
export interface IndexedSide {
  /** Path of the side's fields: `partners[0].partnerSide` or `delegations[0]`. */
  readonly path: ConfigPath;
  /** How messages name the entry: `partners[0]`, `delegations[0]`. */
  readonly label: string;
  readonly accountId: string;
  readonly side: PartnerSideConfig;
}

/** Checks within one partner side: users listed once, and either created or existing. */
export function checkPartnerSide(side: PartnerSideConfig, path: ConfigPath, out: ConfigIssue[]) {
  const users = side.users.map((u, i) => ({ name: u.name, i }));
  duplicates(
    users,
    (u) => u.name,
    (u, first) =>
      out.push({ path: [...path, "users", u.i, "name"], message: `duplicate user "${u.name}" (also at users[${first.i}])` }),
  );
  const created = new Set(users.map((u) => u.name.toLowerCase()));
  side.existingUsers.forEach((name, i) => {
    if (created.has(name.toLowerCase())) {
      out.push({
        path: [...path, "existingUsers", i],
        message: `"${name}" is also in users; list a user either as created (users) or as existing, not both`,
      });
    }
  });
}

const LIMITS_SOURCE = "RAM's default account limits";

/** RAM's limits for what the partner stacks create in one partner account. */
function checkPartnerAccountLimits(account: string, group: readonly IndexedSide[], out: ConfigIssue[]) {
  const last = group[group.length - 1];
  const groups = group.length;
  if (groups > RAM_ACCOUNT_LIMITS.groups) {
    out.push({
      path: [...last.path, "groupName"],
      message: `${groups} groups in account ${account}; ${LIMITS_SOURCE} allow ${RAM_ACCOUNT_LIMITS.groups}`,
    });
  }
  const users = group.reduce((n, s) => n + s.side.users.length, 0);
  if (users > RAM_ACCOUNT_LIMITS.users) {
    out.push({
      path: [...last.path, "users"],
      message: `${users} users in account ${account}; ${LIMITS_SOURCE} allow ${RAM_ACCOUNT_LIMITS.users}`,
    });
  }
  const memberships = new Map<string, { count: number; s: IndexedSide }>();
  for (const s of group) {
    for (const name of [...s.side.users.map((u) => u.name), ...s.side.existingUsers]) {
      const key = name.toLowerCase();
      memberships.set(key, { count: (memberships.get(key)?.count ?? 0) + 1, s });
    }
  }
  for (const [name, { count, s }] of memberships) {
    if (count > RAM_ACCOUNT_LIMITS.groupsPerUser) {
      out.push({
        path: s.path,
        message: `user "${name}" would be in ${count} groups in account ${account}; ${LIMITS_SOURCE} allow ${RAM_ACCOUNT_LIMITS.groupsPerUser} per user`,
      });
    }
  }
}

/** Names that must be unique within one account, and limits, across every partner side in it. */
export function checkAccountWideNames(sides: readonly IndexedSide[], out: ConfigIssue[]) {
  const byAccount = new Map<string, IndexedSide[]>();
  for (const s of sides) {
    const group = byAccount.get(s.accountId);
    if (group) group.push(s);
    else byAccount.set(s.accountId, [s]);
  }
  for (const [account, group] of byAccount) {
    checkPartnerAccountLimits(account, group, out);
    if (group.length < 2) continue;
    duplicates(
      group,
      (s) => s.side.groupName,
      (s, first) =>
        out.push({
          path: [...s.path, "groupName"],
          message: `group "${s.side.groupName}" is already created in account ${account} by ${first.label}; group names are unique per account`,
        }),
    );
    const users = group.flatMap((s) => s.side.users.map((u, i) => ({ s, u, i })));
    duplicates(
      users,
      ({ u }) => u.name,
      ({ s, u, i }, first) => {
        if (first.s === s) return; // reported by the per-side check
        out.push({
          path: [...s.path, "users", i, "name"],
          message: `user "${u.name}" is already created in account ${account} by ${first.s.label}; list it under existingUsers here`,
        });
      },
    );
  }
}

export function crossCheck(owner: OwnerConfig | undefined, partners: readonly IndexedPartner[]): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  if (owner) {
    checkAssumeRoleArn(owner.assumeRoleArn, owner.accountId, ["owner", "assumeRoleArn"], "owner", out);
    checkBackend(owner.backend, ["owner", "backend"], out);
    const userTags = Object.keys(owner.tags);
    const limit = MAX_TAGS_PER_RESOURCE - MANAGED_TAG_KEYS.length;
    if (userTags.length > limit) {
      out.push({
        path: ["owner", "tags"],
        message: `at most ${limit} tags (RAM allows ${MAX_TAGS_PER_RESOURCE}, ${MANAGED_TAG_KEYS.length} are set by the product), got ${userTags.length}`,
      });
    }
    for (const key of userTags) {
      if (MANAGED_TAG_KEYS.some((k) => k.toLowerCase() === key.toLowerCase())) {
        out.push({
          path: ["owner", "tags", key],
          message: `"${key}" is set by the product on every resource; choose another tag name`,
        });
      }
    }
  }
  for (const ip of partners) checkPartner(owner, ip, out);

  duplicates(
    partners,
    (ip) => ip.partner.name,
    (ip, first) =>
      out.push({
        path: ["partners", ip.index, "name"],
        message: `duplicate partner name "${ip.partner.name}" (also at partners[${first.index}])`,
      }),
  );
  duplicates(
    partners,
    (ip) => ip.partner.role.name,
    (ip, first) =>
      out.push({
        path: ["partners", ip.index, "role", "name"],
        message: `role "${ip.partner.role.name}" is already used by partners[${first.index}]; role names are unique in the owner account`,
      }),
  );
  checkAccountWideNames(
    partners.flatMap(({ index, partner: p }) =>
      p.partnerSide
        ? [{ path: ["partners", index, "partnerSide"], label: `partners[${index}]`, accountId: p.accountId, side: p.partnerSide }]
        : [],
    ),
    out,
  );
  const roles = partners.filter((ip) => !ip.partner.revoked).length;
  if (roles > RAM_ACCOUNT_LIMITS.roles) {
    out.push({
      path: ["partners"],
      message: `${roles} active partners need ${roles} roles in the owner account; ${LIMITS_SOURCE} allow ${RAM_ACCOUNT_LIMITS.roles}`,
    });
  }
  return out;
}
