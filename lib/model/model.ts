/**
 * The delegation model: plain, frozen data derived once from a validated config. Every name,
 * ARN, default and normalized value is decided here; policies and constructs only read it.
 */
import type { BackendConfig, DelegationConfig, OwnerConfig, PartnerConfig, PermissionLevel } from "../config/schema";
import { MANAGED_TAG_KEYS } from "../config/schema";
import { DEFAULT_LOGON_DOMAIN_SUFFIX, STS_ASSUME_ROLE_SYSTEM_POLICY, SWITCH_ROLE_URL } from "../facts";
import { eventBusArn, ramPrincipalArn, roleArn } from "./arn";
import { assumePolicyName, OWNER_STACK_ID, partnerStackId } from "./names";

/** Where a stack deploys: one account, with its own credentials and its own state. */
export interface AccountTarget {
  readonly stackId: string;
  readonly accountId: string;
  readonly region: string;
  readonly profile?: string;
  readonly assumeRoleArn?: string;
  readonly backend: BackendConfig;
}

export interface OwnerModel extends AccountTarget {
  readonly name: string;
  /** RAM account alias, if the owner set one. */
  readonly accountAlias?: string;
  /** Config tags; each owner resource adds the managed tags. */
  readonly tags: Readonly<Record<string, string>>;
}

export interface GrantModel {
  readonly eventBus: string;
  /** A region id, or `*` for every region. */
  readonly region: string;
  readonly busArn: string;
  readonly permissions: readonly PermissionLevel[];
  /** Extra actions from the config, checked against the catalog. */
  readonly actions: readonly string[];
  /** Rule names for manage-rules (`*` = every rule of the bus). */
  readonly rules: readonly string[];
}

export interface RoleModel {
  readonly name: string;
  readonly arn: string;
  readonly description: string;
  readonly maxSessionDuration: number;
  /** Principal ARNs in the partner's account. */
  readonly trustedPrincipals: readonly string[];
  readonly externalId?: string;
  readonly requireMfa: boolean;
  readonly sourceIps: readonly string[];
}

export interface PartnerUserModel {
  readonly name: string;
  readonly displayName?: string;
  readonly consoleLogin: boolean;
}

export interface PartnerSideModel {
  readonly groupName: string;
  readonly users: readonly PartnerUserModel[];
  readonly existingUsers: readonly string[];
  readonly assumePolicy: "scoped" | "system";
  /** Custom policy name (scoped) or the system policy (system). */
  readonly assumePolicyName: string;
  /** `<user>@<partner alias or account id>.onaliyun.com`: how B's users sign in. */
  readonly logonNameFormat: string;
}

export interface PartnerModel extends AccountTarget {
  readonly name: string;
  /** Where the partner is in the config, for messages: `partners[0]`. */
  readonly configPath: string;
  readonly revoked: boolean;
  /** RAM account alias of the partner's account, if set: B's users sign in with it. */
  readonly accountAlias?: string;
  readonly owner: { readonly name: string; readonly accountId: string; readonly accountAlias?: string };
  readonly role: RoleModel;
  /** Validity window, normalized to UTC (`2027-12-31T15:59:59Z`). */
  readonly validFrom?: string;
  readonly validUntil?: string;
  readonly grants: readonly GrantModel[];
  readonly systemPolicies: readonly string[];
  /** Tags on the partner's resources in the owner account. */
  readonly tags: Readonly<Record<string, string>>;
  readonly partnerSide: PartnerSideModel;
  readonly switchRoleUrl: string;
  /** Warnings the config acknowledges for this partner: rule id → written reason. */
  readonly acknowledgements: Readonly<Record<string, string>>;
}

export interface DelegationModel {
  readonly owner: OwnerModel;
  readonly partners: readonly PartnerModel[];
}

/**
 * An account's default logon domain: `<alias>.onaliyun.com` once the account has an alias,
 * `<account id>.onaliyun.com` until then (RAM: "View and modify the default domain name").
 */
export function logonDomain(aliasOrAccountId: string): string {
  return `${aliasOrAccountId}${DEFAULT_LOGON_DOMAIN_SUFFIX}`;
}

/** Normalizes an ISO 8601 date-time with a zone to UTC with second precision. */
export function toUtc(iso: string): string {
  return new Date(iso).toISOString().replace(/\.\d{3}Z$/, "Z");
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

function ownerModel(o: OwnerConfig): OwnerModel {
  return {
    stackId: OWNER_STACK_ID,
    name: o.name,
    accountId: o.accountId,
    ...(o.accountAlias === undefined ? {} : { accountAlias: o.accountAlias }),
    region: o.region,
    profile: o.profile,
    assumeRoleArn: o.assumeRoleArn,
    backend: o.backend,
    tags: o.tags,
  };
}

function partnerModel(owner: OwnerModel, p: PartnerConfig, index: number): PartnerModel {
  const arn = roleArn(owner.accountId, p.role.name);
  const side = p.partnerSide;
  const sortedUnique = (xs: readonly string[]) => [...new Set(xs)].sort();
  return {
    stackId: partnerStackId(p.name),
    name: p.name,
    configPath: `partners[${index}]`,
    accountId: p.accountId,
    region: p.region ?? owner.region,
    profile: p.profile,
    assumeRoleArn: p.assumeRoleArn,
    backend: p.backend,
    revoked: p.revoked,
    ...(p.accountAlias === undefined ? {} : { accountAlias: p.accountAlias }),
    owner: {
      name: owner.name,
      accountId: owner.accountId,
      ...(owner.accountAlias === undefined ? {} : { accountAlias: owner.accountAlias }),
    },
    role: {
      name: p.role.name,
      arn,
      description: p.role.description ?? `EventBridge access delegated to ${p.name} (account ${p.accountId})`,
      maxSessionDuration: p.role.maxSessionDuration,
      trustedPrincipals: sortedUnique(p.role.trustedPrincipals.map((tp) => ramPrincipalArn(p.accountId, tp))),
      externalId: p.role.externalId,
      requireMfa: p.role.requireMfa,
      sourceIps: sortedUnique(p.role.sourceIps),
    },
    validFrom: p.validFrom === undefined ? undefined : toUtc(p.validFrom),
    validUntil: p.validUntil === undefined ? undefined : toUtc(p.validUntil),
    grants: p.grants.map((g) => {
      const region = g.region ?? owner.region;
      return {
        eventBus: g.eventBus,
        region,
        busArn: eventBusArn(region, owner.accountId, g.eventBus),
        permissions: [...g.permissions],
        actions: sortedUnique(g.actions),
        rules: sortedUnique(g.rules ?? ["*"]),
      };
    }),
    systemPolicies: [...p.systemPolicies],
    tags: { ...owner.tags, [MANAGED_TAG_KEYS[0]]: "eventbridge-delegation", [MANAGED_TAG_KEYS[1]]: p.name },
    partnerSide: {
      groupName: side.groupName,
      users: side.users.map((u) => ({ name: u.name, displayName: u.displayName, consoleLogin: u.consoleLogin })),
      existingUsers: [...side.existingUsers],
      assumePolicy: side.assumePolicy,
      assumePolicyName: side.assumePolicy === "system" ? STS_ASSUME_ROLE_SYSTEM_POLICY : assumePolicyName(owner.name, p.name),
      logonNameFormat: `<user>@${logonDomain(p.accountAlias ?? p.accountId)}`,
    },
    acknowledgements: Object.fromEntries(p.acknowledge.map((a) => [a.rule, a.reason])),
    switchRoleUrl: `${SWITCH_ROLE_URL}?parentAlias=${logonDomain(owner.accountAlias ?? owner.accountId)}&roleName=${encodeURIComponent(p.role.name)}`,
  };
}

/** Derives the frozen model from a validated config. */
export function buildModel(config: DelegationConfig): DelegationModel {
  const owner = ownerModel(config.owner);
  return deepFreeze({
    owner,
    partners: config.partners.map((p, i) => partnerModel(owner, p, i)),
  });
}
