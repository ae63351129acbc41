/**
 * Derives the model's parts from a validated config: the owner, each partner's role and grants,
 * and each partner stack from its handoff and the partner's own settings. What the owner writes
 * into each handoff is derived one layer up (lib/describe/handoff.ts).
 */
import type {
  BackendConfig,
  DelegationConfig,
  OwnerConfig,
  PartnerConfig,
  PartnerFormConfig,
  PartnerSideConfig,
} from "../config/schema";
import { MANAGED_TAG_KEYS } from "../config/schema";
import { STS_ASSUME_ROLE_SYSTEM_POLICY } from "../facts";
import type { Handoff } from "../handoff/handoff";
import { eventBusArn, ramPrincipalArn, roleArn } from "../ram/arn";
import { assumePolicyName, logonDomain, OWNER_STACK_ID, partnerStackId, switchRoleUrl } from "../names/names";
import type { DelegationModel, OwnerModel, PartnerModel, PartnerSideModel } from "./model";

/** Normalizes an ISO 8601 date-time with a zone to UTC with second precision. */
export function toUtc(iso: string): string {
  return new Date(iso).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** Freezes a model and everything in it. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

export function ownerModel(o: OwnerConfig): OwnerModel {
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

export function partnerModel(owner: OwnerModel, p: PartnerConfig, index: number): PartnerModel {
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

/** The partner stacks of a single-file config: each from its handoff (in the order of `partners`). */
export function singleFileSides(
  config: DelegationConfig,
  owner: OwnerModel,
  partners: readonly PartnerModel[],
  handoffs: readonly Handoff[],
): PartnerSideModel[] {
  return config.partners.flatMap((p, i) =>
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
