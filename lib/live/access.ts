/**
 * What a policy read from the account lets someone do, as the live audit judges it: who a trust
 * policy admits from outside the account, what a role's policies allow on EventBridge, and where a
 * user's or group's policies let it assume roles. RAM matches actions case-insensitively, with `*`
 * and `?` wildcards (alibaba-ram facts 2.1); whatever cannot be read counts as admitting everything.
 */
import { parseArn } from "../ram/arn";
import { readPolicy, type ReadStatement } from "../policy/read";

/** RAM's action matching: case-insensitive, `*` any run of characters, `?` one character. */
export function actionMatches(pattern: string, action: string): boolean {
  const re = new RegExp(
    `^${pattern
      .split("")
      .map((c) => (c === "*" ? ".*" : c === "?" ? "." : c.replace(/[.+^${}()|[\]\\]/g, "\\$&")))
      .join("")}$`,
    "i",
  );
  return re.test(action);
}

/** Whether an Allow statement allows the action (NotAction: everything it does not list). */
function statementAllows(s: ReadStatement, action: string): boolean {
  if (s.effect !== "Allow") return false;
  if (s.notActions.length > 0) return !s.notActions.some((p) => actionMatches(p, action));
  return s.actions.some((p) => actionMatches(p, action));
}

export interface TrustReading {
  /** Principals outside the account that may assume the role (`*` included). */
  readonly external: readonly string[];
  /** Cloud services trusted (counted, not reported). */
  readonly services: readonly string[];
  /** Conditions on the statements that admit outsiders, as written. */
  readonly conditions: readonly string[];
  /** The document could not be read: treated as admitting anyone. */
  readonly unreadable: boolean;
}

/** Who a trust policy admits from outside `accountId`. */
export function readTrust(document: string, accountId: string): TrustReading {
  const statements = readPolicy(document);
  if (!statements) return { external: ["(unreadable trust policy)"], services: [], conditions: [], unreadable: true };
  const external = new Set<string>();
  const services = new Set<string>();
  const conditions = new Set<string>();
  for (const s of statements) {
    if (!statementAllows(s, "sts:AssumeRole")) continue;
    let outsider = false;
    for (const [kind, ids] of Object.entries(s.principals)) {
      for (const id of ids) {
        if (kind === "Service") {
          services.add(id);
          continue;
        }
        const arn = parseArn(id);
        const inside = kind !== "*" && (id === accountId || (arn !== undefined && arn.accountId === accountId));
        if (!inside) {
          external.add(kind === "*" ? "* (anyone)" : kind === "RAM" || kind === "Federated" ? id : `${kind}:${id}`);
          outsider = true;
        }
      }
    }
    if (outsider && Object.keys(s.conditions).length > 0) conditions.add(JSON.stringify(s.conditions));
  }
  return { external: [...external].sort(), services: [...services].sort(), conditions: [...conditions], unreadable: false };
}

/** What Allow statements grant on EventBridge: `action on resource`, one line each (undefined: unreadable). */
export function eventBridgeGrants(document: string): string[] | undefined {
  const statements = readPolicy(document);
  if (!statements) return undefined;
  const out = new Set<string>();
  for (const s of statements) {
    if (s.effect !== "Allow") continue;
    const actions =
      s.notActions.length > 0
        ? statementAllows(s, "eventbridge:PutEvents") || statementAllows(s, "eventbridge:DeleteEventBus")
          ? [`everything but ${s.notActions.join(", ")}`]
          : []
        : s.actions.filter((a) => /^eventbridge:/i.test(a) || /^\*$/.test(a) || (!a.includes(":") && a.includes("*")));
    const resources = s.notResources.length > 0 ? [`everything but ${s.notResources.join(", ")}`] : s.resources;
    for (const a of actions) for (const r of resources.length > 0 ? resources : ["*"]) out.add(`${a} on ${r}`);
  }
  return [...out].sort();
}

/** Resources outside `accountId` on which the document allows sts:AssumeRole (undefined: unreadable). */
export function assumeTargets(document: string, accountId: string): string[] | undefined {
  const statements = readPolicy(document);
  if (!statements) return undefined;
  const out = new Set<string>();
  for (const s of statements) {
    if (!statementAllows(s, "sts:AssumeRole")) continue;
    if (s.notResources.length > 0) out.add(`everything but ${s.notResources.join(", ")}`);
    for (const r of s.resources.length > 0 ? s.resources : ["*"]) {
      const arn = parseArn(r);
      if (!arn || arn.accountId !== accountId) out.add(r);
    }
  }
  return [...out].sort();
}

/** Whether an assume target can reach a role in `accountId` (`*` wildcards included). */
export function reaches(target: string, accountId: string): boolean {
  if (target.startsWith("everything but")) return true;
  const arn = parseArn(target);
  if (!arn) return target === "*" || target.includes("*");
  return actionMatches(arn.accountId, accountId);
}
