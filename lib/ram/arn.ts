/**
 * Alibaba Cloud Resource Names: the one place that builds and parses them.
 * `acs:<service>:<region>:<account>:<resource>`; RAM ARNs leave the region empty.
 * @see https://www.alibabacloud.com/help/en/ram/user-guide/policy-elements (Resource)
 */

/** `acs:ram::<account>:role/<name>`. */
export function roleArn(accountId: string, roleName: string): string {
  return `acs:ram::${accountId}:role/${roleName}`;
}

/**
 * A RAM principal of an account, as written in a trust policy:
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

/** A RAM identity named by an ARN: a whole account (`root`), or one of its users or roles. */
export type RamPrincipal =
  | { readonly accountId: string; readonly kind: "root" }
  | { readonly accountId: string; readonly kind: "user" | "role"; readonly name: string };

/**
 * `acs:ram::<account>:root`, `…:user/<name>` or `…:role/<name>`; undefined for anything else
 * (a service, a provider, a wildcard, another service's ARN).
 */
export function parsePrincipal(arn: string): RamPrincipal | undefined {
  const a = parseArn(arn);
  if (!a || a.service !== "ram" || a.region !== "" || !/^\d+$/.test(a.accountId)) return undefined;
  if (a.resource === "root") return { accountId: a.accountId, kind: "root" };
  const m = /^(user|role)\/([^/*?]+)$/.exec(a.resource);
  return m ? { accountId: a.accountId, kind: m[1] as "user" | "role", name: m[2] } : undefined;
}

/** Whether principal `wide` includes `narrow`: the same identity, or the root of its account. */
export function principalCovers(wide: string, narrow: string): boolean {
  if (wide === narrow) return true;
  const w = parsePrincipal(wide);
  const n = parsePrincipal(narrow);
  if (!w || !n || w.accountId !== n.accountId) return false;
  if (w.kind === "root") return true;
  return n.kind === w.kind && w.name.toLowerCase() === n.name.toLowerCase();
}

/** An EventBridge bus ARN's region and bus name (`…:eventbus/<bus>[/…]`), if it is one. */
export function parseEventBusArn(arn: string): { readonly region: string; readonly bus: string } | undefined {
  const a = parseArn(arn);
  const m = a?.service === "eventbridge" ? /^eventbus\/([^/]+)/.exec(a.resource) : null;
  return a && m ? { region: a.region, bus: m[1] } : undefined;
}
