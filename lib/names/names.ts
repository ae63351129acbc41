/**
 * Names the product gives to things. Terraform addresses and output names are API: renaming one
 * destroys and recreates the resource, so every name here is derived only from config names.
 */
import { createHash } from "node:crypto";
import { DEFAULT_LOGON_DOMAIN_SUFFIX, SWITCH_ROLE_URL } from "../facts";

/**
 * A Terraform identifier for a config name. Names that already are valid identifiers are kept as
 * they are (`enterprise-b`); others (`1st`, `ci.bot`) get their invalid characters replaced and a
 * short hash of the original appended, so that two names never map to one address.
 */
export function tfName(name: string): string {
  if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(name)) return name;
  const hash = createHash("sha256").update(name).digest("hex").slice(0, 6);
  return `_${name.replace(/[^A-Za-z0-9_-]/g, "_")}_${hash}`;
}

/** Output names use underscores only: `enterprise-b` + `role_arn` → `enterprise_b_role_arn`. */
export function outputName(...parts: string[]): string {
  return tfName(parts.join("_").replace(/-/g, "_"));
}

export const OWNER_STACK_ID = "owner";

export function partnerStackId(partnerName: string): string {
  return `partner-${partnerName}`;
}

/**
 * The custom permission policies in the owner's account: `eventbridge-delegation-<partner>-1`,
 * `-2`, ... The number is always there: a partner's name ends in a letter or digit, so the last
 * `-<number>` tells the policies of `b` apart from those of a partner named `b-2`.
 */
export function permissionPolicyName(partnerName: string, index = 0): string {
  return `eventbridge-delegation-${partnerName}-${index + 1}`;
}

/**
 * Terraform addresses of a partner's resources in the owner stack: the role is `<partner>`,
 * everything else `<partner>_<what>`. Partner names and RAM policy names never contain `_`, so
 * no two partners' addresses can meet.
 */
export const ownerAddresses = {
  role: (partner: string) => tfName(partner),
  policy: (partner: string, index: number) => `${tfName(partner)}_permissions_${index + 1}`,
  customAttachment: (partner: string, index: number) => `${tfName(partner)}_permissions_${index + 1}`,
  systemAttachment: (partner: string, policy: string) => `${tfName(partner)}_system_${policy}`,
};

/** The custom sts:AssumeRole policy in the partner's account. */
export function assumePolicyName(ownerName: string, partnerName: string): string {
  return `eventbridge-assume-${ownerName}-${partnerName}`;
}

/** Comments of a partner's group: they name the role, which tells the audit whose group it is. */
export function groupComments(roleName: string, ownerName: string): string {
  return `May assume ${roleName} in ${ownerName}`;
}

/** The role named by a partner group's comments, if they are ours. */
export function roleOfGroupComments(comments: string | undefined): string | undefined {
  return /^May assume (\S+) in \S+$/.exec(comments ?? "")?.[1];
}

/** Session name the providers use when they assume a deployment role (`assumeRoleArn`). */
export const PROVIDER_SESSION_NAME = "eventbridge-delegation";

/** The sensitive Terraform variable that holds console passwords, keyed by RAM user name. */
export const CONSOLE_PASSWORDS_VARIABLE = "console_passwords";

/** The expression a login profile's password is: the user's entry of the sensitive variable. */
export function consolePasswordOf(userName: string): string {
  return `${"$"}{var.${CONSOLE_PASSWORDS_VARIABLE}[${JSON.stringify(userName)}]}`;
}

/**
 * An account's default logon domain: `<alias>.onaliyun.com` once the account has an alias,
 * `<account id>.onaliyun.com` until then (RAM: "View and modify the default domain name").
 */
export function logonDomain(aliasOrAccountId: string): string {
  return `${aliasOrAccountId}${DEFAULT_LOGON_DOMAIN_SUFFIX}`;
}

/** The console Switch Role link to a role of the owner's account (its alias once set). */
export function switchRoleUrl(ownerAliasOrAccountId: string, roleName: string): string {
  return `${SWITCH_ROLE_URL}?parentAlias=${logonDomain(ownerAliasOrAccountId)}&roleName=${encodeURIComponent(roleName)}`;
}
