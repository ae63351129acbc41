/**
 * Identifiers that the config and the handoff both carry, one definition each, so that the two
 * readers accept the same values.
 */

/** An account UID: 16 digits. */
export const ACCOUNT_ID = /^[0-9]{16}$/;
/** RAM role name (CreateRole API): 1-64 letters, digits, `.` and `-`. */
export const ROLE_NAME = /^[A-Za-z0-9.-]{1,64}$/;
/** RAM user and group names: 1-64 letters, digits, `.`, `_` and `-`. */
export const USER_NAME = /^[A-Za-z0-9._-]{1,64}$/;
export const GROUP_NAME = USER_NAME;
/** RAM policy names (custom and system): 1-128 letters, digits and `-`. */
export const POLICY_NAME = /^[A-Za-z0-9-]{1,128}$/;

/** The product's slugs (owner, partner, delegation names): 1-32 lowercase letters, digits and inner hyphens. */
export const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$/;
/**
 * A RAM account alias: 3-32 of lowercase letters, digits and `-`, not starting or ending with `-`,
 * no `--` (SetAccountAlias). @see https://help.aliyun.com/zh/ram/developer-reference/api-ram-2015-05-01-setaccountalias
 */
export const ACCOUNT_ALIAS = /^(?!.*--)[a-z0-9][a-z0-9-]{1,30}[a-z0-9]$/;
/** AssumeRole ExternalId: 2-1224 of `[\w+=,.@:/-]`. */
export const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;
/** A region id such as cn-hangzhou or ap-southeast-1. */
export const REGION = /^[a-z]{2,}(?:-[a-z0-9]+)+$/;
/** EventBridge bus names: letters, digits, `-` and `_`, up to 127 characters. */
export const EVENT_BUS = /^[A-Za-z0-9_-]{1,127}$/;
/** A rule name, a prefix ending in `*` (`orders-*`: every rule whose name starts so), or `*`. */
export const RULE_NAME = /^(?:\*|[A-Za-z0-9_.-]{1,127}\*?)$/;
