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
 * System policies never attached to a delegated role: account-wide administration, any full
 * access policy, and anything over RAM or STS (which would let the partner widen its own access).
 * Policy names compare case-insensitively in RAM.
 */
export const REFUSED_SYSTEM_POLICIES: readonly { readonly pattern: RegExp; readonly why: string }[] = [
  { pattern: /^AdministratorAccess$/i, why: "grants every action on every resource" },
  { pattern: /FullAccess$/i, why: "full access policies grant every action of a service" },
  { pattern: /^AliyunRAM/i, why: "RAM policies would let the partner change its own permissions" },
  { pattern: /^AliyunSTS/i, why: "STS policies would let the partner assume further roles" },
];

/**
 * RAM account limits (default quotas; some can be raised by a quota request).
 * Source: RAM "Limits" page, 2021 copy (AlibabaCloudDocs/ram), https://www.alibabacloud.com/help/doc-detail/28753.htm
 */
export const RAM_ACCOUNT_LIMITS = {
  roles: 1000,
  users: 1000,
  groups: 50,
  customPolicies: 1500,
  groupsPerUser: 5,
} as const;

/** Policies attachable to one role (same source as RAM_ACCOUNT_LIMITS). */
export const ROLE_ATTACHMENT_LIMITS = { custom: 5, system: 20 } as const;

/**
 * `rotate_strategy` of alicloud_ram_policy that deletes the oldest non-default version when a
 * policy already has RAM's maximum of 5 versions, so that updates keep working.
 */
export const ROTATE_OLDEST_POLICY_VERSION = "DeleteOldestNonDefaultVersionWhenLimitExceeded";

/** Warn when a delegation ends within this many days. */
export const EXPIRY_WARNING_DAYS = 30;

/** Tags a RAM resource may carry. @see https://www.alibabacloud.com/help/en/resource-management/tag/ */
export const MAX_TAGS_PER_RESOURCE = 20;
