/**
 * The delegation model: plain, frozen data derived once from a validated config. Every name,
 * ARN, default and normalized value is decided here; policies and constructs only read it.
 * This file holds the types; lib/model/build.ts derives them from a config, and
 * lib/describe/model.ts assembles the whole model with each partner's handoff.
 */
import type { BackendConfig, PermissionLevel } from "../config/schema";
import type { Handoff } from "../handoff/handoff";

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
  readonly owner: AccountRef;
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

/**
 * An account as the product names it: the company's name in the config, its UID and its RAM alias
 * once set. The owner of a delegation, the partner-form config's own account, a stack's owner.
 */
export interface AccountRef {
  readonly name: string;
  readonly accountId: string;
  readonly accountAlias?: string;
}

/** The account a partner-form config is about (B's). */
export type PartnerAccountModel = AccountRef;

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
