/**
 * The delegation model: plain, frozen data derived once from a validated config. Every name,
 * ARN, default and normalized value is decided here; policies and constructs only read it.
 */
import type {
  BackendConfig,
  DelegationConfig,
  OwnerConfig,
  PartnerConfig,
  PartnerFormConfig,
  PartnerSideConfig,
  PermissionLevel,
} from "../config/schema";
import { MANAGED_TAG_KEYS } from "../config/schema";
import { STS_ASSUME_ROLE_SYSTEM_POLICY } from "../facts";
import { handoffOf, type Handoff } from "../handoff/handoff";
import { eventBusArn, ramPrincipalArn, roleArn } from "../ram/arn";
import { assumePolicyName, logonDomain, OWNER_STACK_ID, partnerStackId, switchRoleUrl } from "./names";

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

/** What the owner decides for one partner: the role, its grants and conditions (A's side). */
export interface PartnerModel {
  readonly name: string;
  /** Where the partner is in the config, for messages: `partners[0]`. */
  readonly configPath: string;
  readonly accountId: string;
  readonly revoked: boolean;
  readonly owner: { readonly name: string; readonly accountId: string; readonly accountAlias?: string };
  readonly role: RoleModel;
  /** Validity window, normalized to UTC (`2027-12-31T15:59:59Z`). */
  readonly validFrom?: string;
  readonly validUntil?: string;
  readonly grants: readonly GrantModel[];
  readonly systemPolicies: readonly string[];
  /** Tags on the partner's resources in the owner account. */
  readonly tags: Readonly<Record<string, string>>;
  readonly switchRoleUrl: string;
  /** Warnings the config acknowledges for this partner: rule id → written reason. */
  readonly acknowledgements: Readonly<Record<string, string>>;
  /**
   * The partner side, when this config holds it too (single-file form): its stack id and the
   * users it creates, for the owner-side checks that depend on them.
   */
  readonly partnerSide?: { readonly stackId: string; readonly users: readonly string[] };
}

/**
 * One partner stack: B's group, users and assume permission, computed from the handoff and B's
 * own settings only. In the single-file form the handoff is derived in memory from the owner's
 * side, so both forms give the same stack.
 */
export interface PartnerSideModel extends AccountTarget {
  /** Stack name suffix: `partner-<name>`. */
  readonly name: string;
  /** Where the partner side is in the config, for messages: `partners[0]` or `delegations[0]`. */
  readonly configPath: string;
  /** RAM account alias of the partner's account, if set: its users sign in with it. */
  readonly accountAlias?: string;
  readonly handoff: Handoff;
  /** The handoff file as the config names it (partner form); absent when derived in memory. */
  readonly handoffFile?: string;
  readonly groupName: string;
  readonly users: readonly PartnerUserModel[];
  readonly existingUsers: readonly string[];
  readonly assumePolicy: "scoped" | "system";
  /** Custom policy name (scoped) or the system policy (system). */
  readonly assumePolicyName: string;
  /** `<user>@<partner alias or account id>.onaliyun.com`: how B's users sign in. */
  readonly logonNameFormat: string;
  readonly acknowledgements: Readonly<Record<string, string>>;
}

/** The account a partner-form config is about (B's). */
export interface PartnerAccountModel {
  readonly name: string;
  readonly accountId: string;
  readonly accountAlias?: string;
}

export interface DelegationModel {
  /** The owner (owner and single-file forms); absent in a partner-form config. */
  readonly owner?: OwnerModel;
  /** The owner's partners, one delegated role each (empty in a partner-form config). */
  readonly partners: readonly PartnerModel[];
  /** What the owner gives each partner, in the order of `partners` (empty in a partner-form config). */
  readonly handoffs: readonly Handoff[];
  /** The partner stacks this config synthesizes, in config order. */
  readonly partnerSides: readonly PartnerSideModel[];
  /** The partner-form config's own account. */
  readonly account?: PartnerAccountModel;
}

/** A model with an owner: the owner and single-file forms. */
export type OwnerDelegationModel = DelegationModel & { readonly owner: OwnerModel };

export { logonDomain };

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
  const sortedUnique = (xs: readonly string[]) => [...new Set(xs)].sort();
  return {
    name: p.name,
    configPath: `partners[${index}]`,
    accountId: p.accountId,
    revoked: p.revoked,
    owner: {
      name: owner.name,
      accountId: owner.accountId,
      ...(owner.accountAlias === undefined ? {} : { accountAlias: owner.accountAlias }),
    },
    role: {
      name: p.role.name,
      arn: roleArn(owner.accountId, p.role.name),
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
    acknowledgements: acknowledgementsOf(p.acknowledge),
    switchRoleUrl: switchRoleUrl(owner.accountAlias ?? owner.accountId, p.role.name),
    ...(p.partnerSide ? { partnerSide: { stackId: partnerStackId(p.name), users: p.partnerSide.users.map((u) => u.name) } } : {}),
  };
}

const acknowledgementsOf = (acks: readonly { rule: string; reason: string }[]) =>
  Object.fromEntries(acks.map((a) => [a.rule, a.reason]));

/** Where a partner stack deploys, and what its config entry acknowledges. */
export interface SideTarget {
  readonly name: string;
  readonly configPath: string;
  readonly accountId: string;
  readonly accountAlias?: string;
  readonly region: string;
  readonly profile?: string;
  readonly assumeRoleArn?: string;
  readonly backend: BackendConfig;
  readonly acknowledge: readonly { rule: string; reason: string }[];
}

/** A partner stack from a handoff and the partner's own settings: nothing else goes in. */
export function partnerSideModel(
  handoff: Handoff,
  target: SideTarget,
  side: PartnerSideConfig,
  handoffFile?: string,
): PartnerSideModel {
  return {
    stackId: partnerStackId(target.name),
    name: target.name,
    configPath: target.configPath,
    accountId: target.accountId,
    ...(target.accountAlias === undefined ? {} : { accountAlias: target.accountAlias }),
    region: target.region,
    profile: target.profile,
    assumeRoleArn: target.assumeRoleArn,
    backend: target.backend,
    handoff,
    ...(handoffFile === undefined ? {} : { handoffFile }),
    groupName: side.groupName,
    users: side.users.map((u) => ({ name: u.name, displayName: u.displayName, consoleLogin: u.consoleLogin })),
    existingUsers: [...side.existingUsers],
    assumePolicy: side.assumePolicy,
    assumePolicyName:
      side.assumePolicy === "system" ? STS_ASSUME_ROLE_SYSTEM_POLICY : assumePolicyName(handoff.owner.name, target.name),
    logonNameFormat: `<user>@${logonDomain(target.accountAlias ?? target.accountId)}`,
    acknowledgements: acknowledgementsOf(target.acknowledge),
  };
}

/** Derives the frozen model from a validated owner-form (or single-file) config. */
export function buildModel(config: DelegationConfig): OwnerDelegationModel {
  const owner = ownerModel(config.owner);
  const partners = config.partners.map((p, i) => partnerModel(owner, p, i));
  // computed once: written to handoffs/ and, in the single-file form, the partner stacks' input
  const handoffs = partners.map(handoffOf);
  const partnerSides = config.partners.flatMap((p, i) =>
    p.partnerSide
      ? [
          partnerSideModel(
            handoffs[i],
            { ...p, configPath: partners[i].configPath, region: p.region ?? owner.region },
            p.partnerSide,
          ),
        ]
      : [],
  );
  return deepFreeze({ owner, partners, handoffs, partnerSides });
}

/** Derives the frozen model of a partner-form config from it and its validated handoffs (in order). */
export function buildPartnerModel(config: PartnerFormConfig, handoffs: readonly Handoff[]): DelegationModel {
  const a = config.partner;
  return deepFreeze({
    partners: [],
    handoffs: [],
    account: {
      name: a.name,
      accountId: a.accountId,
      ...(a.accountAlias === undefined ? {} : { accountAlias: a.accountAlias }),
    },
    partnerSides: config.delegations.map((d, i) =>
      partnerSideModel(
        handoffs[i],
        { ...a, name: d.name ?? handoffs[i].partner.name, configPath: `delegations[${i}]`, acknowledge: d.acknowledge },
        d,
        d.handoff,
      ),
    ),
  });
}
