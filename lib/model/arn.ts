/**
 * Alibaba Cloud Resource Names.
 * @see https://www.alibabacloud.com/help/en/ram/user-guide/policy-elements (Resource)
 */

/** `acs:ram::<account>:role/<name>`: the region field of RAM ARNs is empty. */
export function roleArn(accountId: string, roleName: string): string {
  return `acs:ram::${accountId}:role/${roleName}`;
}

/**
 * A RAM principal of the partner's account, as written in a trust policy:
 * `root` → `acs:ram::<account>:root`, `user/alice` → `acs:ram::<account>:user/alice`.
 */
export function ramPrincipalArn(accountId: string, principal: string): string {
  return `acs:ram::${accountId}:${principal}`;
}

export function eventBusArn(region: string, accountId: string, bus: string): string {
  return `acs:eventbridge:${region}:${accountId}:eventbus/${bus}`;
}

/**
 * Fills a catalog ARN pattern (`acs:eventbridge:{#regionId}:{#accountId}:eventbus/{#EventBusName}`).
 * Placeholders without a value become `*`, the narrowest form RAM accepts for them.
 */
export function expandArnPattern(pattern: string, values: Readonly<Record<string, string>>): string {
  return pattern.replace(/\{#(\w+)\}/g, (_, name: string) => values[name] ?? "*");
}

export interface ParsedArn {
  readonly service: string;
  readonly region: string;
  readonly accountId: string;
  readonly resource: string;
}

/** Splits `acs:<service>:<region>:<account>:<resource>`; undefined for `*` or anything else. */
export function parseArn(arn: string): ParsedArn | undefined {
  const m = /^acs:([^:]*):([^:]*):([^:]*):(.*)$/.exec(arn);
  return m ? { service: m[1], region: m[2], accountId: m[3], resource: m[4] } : undefined;
}
