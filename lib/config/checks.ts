/**
 * Checks that span several fields or several partners. They run on the parts of the config that
 * passed the field checks, so that one run reports every problem it can.
 */
import { isRuleAction } from "../catalog/actions";
import { MAX_TAGS_PER_RESOURCE, RAM_ACCOUNT_LIMITS } from "../facts";
import type { ConfigIssue, ConfigPath } from "./issues";
import { epochSeconds, MANAGED_TAG_KEYS, ROLE_ARN, type BackendConfig, type OwnerConfig, type PartnerConfig } from "./schema";

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

function checkAssumeRoleArn(arn: string | undefined, accountId: string, path: ConfigPath, who: string, out: ConfigIssue[]) {
  const account = arn === undefined ? undefined : ROLE_ARN.exec(arn)?.[1];
  if (account !== undefined && account !== accountId) {
    out.push({
      path,
      message: `must be a role in the ${who} account ${accountId} (Terraform would act in account ${account}), got "${arn}"`,
    });
  }
}

function checkBackend(backend: BackendConfig, path: ConfigPath, out: ConfigIssue[]) {
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

  const users = p.partnerSide.users.map((u, i) => ({ name: u.name, i }));
  duplicates(
    users,
    (u) => u.name,
    (u, first) =>
      out.push({
        path: at("partnerSide", "users", u.i, "name"),
        message: `duplicate user "${u.name}" (also at users[${first.i}])`,
      }),
  );
  const created = new Set(users.map((u) => u.name.toLowerCase()));
  p.partnerSide.existingUsers.forEach((name, i) => {
    if (created.has(name.toLowerCase())) {
      out.push({
        path: at("partnerSide", "existingUsers", i),
        message: `"${name}" is also in users; list a user either as created (users) or as existing, not both`,
      });
    }
  });
}

const LIMITS_SOURCE = "RAM's default account limits";

/** RAM's limits for what the partner stacks create in one partner account. */
function checkPartnerAccountLimits(account: string, group: readonly IndexedPartner[], out: ConfigIssue[]) {
  const at = (ip: IndexedPartner, ...rest: (string | number)[]) => ["partners", ip.index, ...rest];
  const last = group[group.length - 1];
  const groups = group.length;
  if (groups > RAM_ACCOUNT_LIMITS.groups) {
    out.push({
      path: at(last, "partnerSide", "groupName"),
      message: `${groups} groups in account ${account}; ${LIMITS_SOURCE} allow ${RAM_ACCOUNT_LIMITS.groups}`,
    });
  }
  const users = group.reduce((n, ip) => n + ip.partner.partnerSide.users.length, 0);
  if (users > RAM_ACCOUNT_LIMITS.users) {
    out.push({
      path: at(last, "partnerSide", "users"),
      message: `${users} users in account ${account}; ${LIMITS_SOURCE} allow ${RAM_ACCOUNT_LIMITS.users}`,
    });
  }
  const memberships = new Map<string, { count: number; ip: IndexedPartner }>();
  for (const ip of group) {
    for (const name of [...ip.partner.partnerSide.users.map((u) => u.name), ...ip.partner.partnerSide.existingUsers]) {
      const key = name.toLowerCase();
      memberships.set(key, { count: (memberships.get(key)?.count ?? 0) + 1, ip });
    }
  }
  for (const [name, { count, ip }] of memberships) {
    if (count > RAM_ACCOUNT_LIMITS.groupsPerUser) {
      out.push({
        path: at(ip, "partnerSide"),
        message: `user "${name}" would be in ${count} groups in account ${account}; ${LIMITS_SOURCE} allow ${RAM_ACCOUNT_LIMITS.groupsPerUser} per user`,
      });
    }
  }
}

/** Names that must be unique within one account, and limits, across every partner that shares it. */
function checkAccountWideNames(partners: readonly IndexedPartner[], out: ConfigIssue[]) {
  const byAccount = new Map<string, IndexedPartner[]>();
  for (const ip of partners) {
    const group = byAccount.get(ip.partner.accountId);
    if (group) group.push(ip);
    else byAccount.set(ip.partner.accountId, [ip]);
  }
  for (const [account, group] of byAccount) {
    checkPartnerAccountLimits(account, group, out);
    if (group.length < 2) continue;
    duplicates(
      group,
      (ip) => ip.partner.partnerSide.groupName,
      (ip, first) =>
        out.push({
          path: ["partners", ip.index, "partnerSide", "groupName"],
          message: `group "${ip.partner.partnerSide.groupName}" is already created in account ${account} by partners[${first.index}]; group names are unique per account`,
        }),
    );
    const users = group.flatMap((ip) => ip.partner.partnerSide.users.map((u, i) => ({ ip, u, i })));
    duplicates(
      users,
      ({ u }) => u.name,
      ({ ip, u, i }, first) => {
        if (first.ip === ip) return; // reported by the per-partner check
        out.push({
          path: ["partners", ip.index, "partnerSide", "users", i, "name"],
          message: `user "${u.name}" is already created in account ${account} by partners[${first.ip.index}]; list it under existingUsers here`,
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
  checkAccountWideNames(partners, out);
  const roles = partners.filter((ip) => !ip.partner.revoked).length;
  if (roles > RAM_ACCOUNT_LIMITS.roles) {
    out.push({
      path: ["partners"],
      message: `${roles} active partners need ${roles} roles in the owner account; ${LIMITS_SOURCE} allow ${RAM_ACCOUNT_LIMITS.roles}`,
    });
  }
  return out;
}
