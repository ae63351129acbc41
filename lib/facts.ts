/**
 * Alibaba Cloud facts the product depends on, in one place.
 *
 * Each constant names its public source. Those marked UNVERIFIED were inferred from partial or
 * older documentation; if Alibaba Cloud behaves differently, change them here and nowhere else
 * (the README lists them under "Facts we could not verify").
 */

/** The Terraform provider the bindings are generated from and the stacks pin. */
export const ALICLOUD_PROVIDER = {
  source: "aliyun/alicloud",
  version: "1.289.0",
} as const;

/**
 * Maximum length of a custom RAM policy document, in characters.
 * @see https://www.alibabacloud.com/help/en/resource-management/api-createpolicy
 * (older pages say 2,048 or 4,096; the current API and the provider say 6,144)
 */
export const POLICY_DOCUMENT_MAX_CHARS = 6144;

/**
 * Maximum length of a role's trust policy. UNVERIFIED: the CreateRole API documents no limit for
 * AssumeRolePolicyDocument; the custom policy limit is assumed.
 */
export const TRUST_POLICY_MAX_CHARS = POLICY_DOCUMENT_MAX_CHARS;

/**
 * Condition key that carries the ExternalId of an AssumeRole call inside a trust policy.
 * UNVERIFIED: the AssumeRole API has an ExternalId parameter and Alibaba documents its use in
 * trust policies, but the JSON example with the key name was not readable.
 * @see https://www.alibabacloud.com/help/en/ram/use-cases/use-externalid-to-prevent-the-confused-deputy-problem
 */
export const EXTERNAL_ID_CONDITION_KEY = "sts:ExternalId";

/**
 * Actions the product grants although their RAM authorization row is not verified (the action
 * catalog marks them NOT VERIFIED). UNVERIFIED: eventbridge:PutEvents, the one action the
 * `publish` level exists for. Its current API page publishes no authorization table, and the
 * system policy AliyunEventBridgePutEventsPolicy grants it on `*`; the product scopes it to the
 * bus ARN (the catalog's first pattern). If RAM denies that form, correct the catalog row.
 * @see https://www.alibabacloud.com/help/en/eventbridge/developer-reference/api-eventbridge-2020-04-01-putevents
 */
export const ACCEPTED_UNVERIFIED_ACTIONS: readonly string[] = ["eventbridge:PutEvents"];

/** Global condition keys. @see https://www.alibabacloud.com/help/en/ram/user-guide/policy-elements */
export const CONDITION_KEYS = {
  currentTime: "acs:CurrentTime",
  sourceIp: "acs:SourceIp",
  mfaPresent: "acs:MFAPresent",
} as const;

/**
 * Console Switch Role page (China site, verified from an Alibaba SDK model comment). The
 * international site is assumed to be https://signin.alibabacloud.com/switchRole.htm (UNVERIFIED).
 */
export const SWITCH_ROLE_URL = "https://signin.aliyun.com/switchRole.htm";

/** Default logon domain of an account: `<alias or uid>.onaliyun.com`. */
export const DEFAULT_LOGON_DOMAIN_SUFFIX = ".onaliyun.com";

/**
 * System policy that allows sts:AssumeRole on any role (`Resource: "*"`).
 * @see https://www.alibabacloud.com/help/en/ram/developer-reference/aliyunstsassumeroleaccess
 */
export const STS_ASSUME_ROLE_SYSTEM_POLICY = "AliyunSTSAssumeRoleAccess";

/**
 * The system policies a delegated role may carry: an allow list, because least privilege cannot
 * be had by refusing known dangers (ReadOnlyAccess alone reads every service of the account).
 * Of EventBridge's six system policies, only these two neither grant full access nor write on
 * every resource of the account; names compare case-insensitively, as in RAM.
 * @see https://help.aliyun.com/zh/eventbridge/eventbridge (EventBridge's system policies)
 */
export const ALLOWED_SYSTEM_POLICIES: Readonly<Record<string, string>> = {
  // Get*, List* and three EventCenter reads on `*`
  // https://www.alibabacloud.com/help/en/ram/developer-reference/aliyuneventbridgereadonlyaccess
  AliyunEventBridgeReadOnlyAccess: "reads every EventBridge resource of the owner account",
  // PutEvents on `*` https://alibabacloud.com/help/en/ram/developer-reference/aliyuneventbridgeputeventspolicy
  AliyunEventBridgePutEventsPolicy: "publishes to every bus of the owner account",
};

/** Why the best-known other policies are refused, for messages; the rest are simply not allowed. */
const REFUSED_SYSTEM_POLICY_REASONS: Readonly<Record<string, string>> = {
  administratoraccess: "it grants every action on every resource",
  aliyuneventbridgefullaccess: "it grants every EventBridge action (eventbridge:*) and creates RAM service-linked roles",
  aliyuneventbridgeresourcecreatepolicy:
    "it creates buses, rules, connections and API destinations anywhere in the account (*) and RAM service-linked roles",
  aliyuneventbridgeresourceupdatepolicy:
    "it changes every bus, rule, target and connection of the account (*) and creates RAM service-linked roles",
  aliyuneventbridgeresourcedeletepolicy: "it deletes any bus, rule, connection or API destination of the account (*)",
};

/** The allowed system policy a name denotes (case-insensitively), if any. */
export function allowedSystemPolicy(name: string): string | undefined {
  return Object.keys(ALLOWED_SYSTEM_POLICIES).find((allowed) => allowed.toLowerCase() === name.toLowerCase());
}

/** Why a system policy may not be attached to a delegated role; undefined when it may. */
export function systemPolicyRefusal(name: string): string | undefined {
  if (allowedSystemPolicy(name) !== undefined) return undefined;
  const why =
    REFUSED_SYSTEM_POLICY_REASONS[name.toLowerCase()] ??
    "it is not one of the EventBridge system policies that grant neither full access nor writes on every resource";
  return `${why}; allowed: ${Object.keys(ALLOWED_SYSTEM_POLICIES).join(", ")}`;
}

/**
 * RAM's default quotas, all in one place (several can be raised by a quota request, after which
 * these checks are stricter than the account needs: raise the figure here).
 * Source: RAM "Limits" page as current in December 2025,
 * https://www.alibabacloud.com/help/en/ram/product-overview/limits (an older 2021 copy said
 * 1,000 users, 50 groups, 5 groups per user and 5 custom policies per role).
 */
export const RAM_LIMITS = {
  /** Per account. */
  account: { roles: 1000, users: 5000, groups: 300, customPolicies: 1500, groupsPerUser: 10 },
  /** Policies attachable to one role. */
  role: { custom: 10, system: 20 },
} as const;

export const RAM_ACCOUNT_LIMITS = RAM_LIMITS.account;
export const ROLE_ATTACHMENT_LIMITS = RAM_LIMITS.role;

/**
 * `rotate_strategy` of alicloud_ram_policy that deletes the oldest non-default version when a
 * policy already has RAM's maximum of 5 versions, so that updates keep working.
 */
export const ROTATE_OLDEST_POLICY_VERSION = "DeleteOldestNonDefaultVersionWhenLimitExceeded";

/** Warn when a delegation ends within this many days. */
export const EXPIRY_WARNING_DAYS = 30;

/** Tags a RAM resource may carry. @see https://www.alibabacloud.com/help/en/resource-management/tag/ */
export const MAX_TAGS_PER_RESOURCE = 20;
