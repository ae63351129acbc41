/**
 * RAM's names beyond the single fields (`lib/fields/identifiers.ts`): the principal and role ARNs
 * built from them, and how RAM compares names.
 * @see https://www.alibabacloud.com/help/en/ram/product-overview/limits
 */

import { ACCOUNT_ID, ROLE_NAME, USER_NAME } from "../fields/identifiers";

const source = (re: RegExp) => re.source.slice(1, -1);

/** A RAM principal of one account: `acs:ram::<uid>:root`, `…:user/<name>`, `…:role/<name>`. */
export const PRINCIPAL_ARN = new RegExp(
  `^acs:ram::${source(ACCOUNT_ID)}:(?:root|user/${source(USER_NAME)}|role/${source(ROLE_NAME)})$`,
);
/** A RAM role ARN: `acs:ram::<uid>:role/<name>`. */
export const ROLE_ARN = new RegExp(`^acs:ram::${source(ACCOUNT_ID)}:role/${source(ROLE_NAME)}$`);

/**
 * Whether two RAM names (of roles, users, groups or policies) name the same thing. RAM treats
 * policy names case-insensitively (`AliyunOssFullAccess` is `AliyunOSSFullAccess`, and the
 * provider compares attachment names lower-cased) and shows role names lower-cased inside ARNs;
 * for users and groups no source says either way, so they are compared the same way: a reader
 * that compared them exactly could be shown `Delegates` and judge it another group than
 * `delegates`.
 */
export function sameRamName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** The key under which a RAM name is looked up, so that names differing only in case meet. */
export function ramNameKey(name: string): string {
  return name.toLowerCase();
}
