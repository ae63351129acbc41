/**
 * The three policy documents of a delegation, as pure functions of the model:
 * - trust: who may assume the owner's role (Step 1)
 * - permission: what the role may do on the owner's buses (Step 2)
 * - assume: which role the partner's users may assume (Step 5)
 */
import { catalogAction, isGrantable } from "../catalog/actions";
import type { PermissionLevel } from "../config/schema";
import { expandArnPattern } from "../ram/arn";
import type { GrantModel, PartnerModel } from "../model/model";
import { CONDITION_KEYS, POLICY_DOCUMENT_MAX_CHARS } from "../facts";
import { accessConditions, trustConditions } from "./conditions";
import type { PolicyDocument, Statement } from "./document";
import { withoutCovered } from "./patterns";
import { splitPolicy } from "./split";

/**
 * The actions behind each permission level. Resources come from the action catalog: each action
 * gets the narrowest ARN pattern RAM documents for it (its first pattern), so a corrected catalog
 * row corrects every level that uses it. Only verified rows, and the named unverified facts of
 * `ACCEPTED_UNVERIFIED_ACTIONS`, may appear here (a test checks it).
 */
export const PERMISSION_ACTIONS: Readonly<Record<PermissionLevel, readonly string[]>> = {
  publish: ["eventbridge:PutEvents"],
  read: [
    "eventbridge:GetEventBus",
    "eventbridge:ListEventBuses",
    "eventbridge:ListRules",
    "eventbridge:GetRule",
    "eventbridge:ListTargets",
  ],
  "manage-rules": [
    "eventbridge:CreateRule",
    "eventbridge:UpdateRule",
    "eventbridge:DeleteRule",
    "eventbridge:EnableRule",
    "eventbridge:DisableRule",
    "eventbridge:GetRule",
    "eventbridge:PutTargets",
    "eventbridge:DeleteTargets",
    "eventbridge:ListTargets",
  ],
};

/** Step 1: the role trusts the partner's account (or the listed principals in it), on conditions. */
export function trustPolicy(p: PartnerModel): PolicyDocument {
  return {
    statements: [
      {
        effect: "Allow",
        principal: { RAM: p.role.trustedPrincipals },
        actions: ["sts:AssumeRole"],
        conditions: trustConditions(p),
      },
    ],
  };
}

function resourcesFor(action: string, grant: GrantModel, ownerAccountId: string, rules: readonly string[]): string[] {
  const entry = catalogAction(action);
  if (!entry || !isGrantable(action)) throw new Error(`internal: ${action} is not a grantable row of the action catalog`);
  const pattern = entry.arnPatterns[0];
  const base = { regionId: grant.region, accountId: ownerAccountId, EventBusName: grant.eventBus };
  if (!pattern.includes("{#RuleName}")) return [expandArnPattern(pattern, base)];
  return rules.map((rule) => expandArnPattern(pattern, { ...base, RuleName: rule }));
}

/** The (action, resource) pairs one grant allows. */
function grantPairs(grant: GrantModel, ownerAccountId: string): [string, string][] {
  const pairs: [string, string][] = [];
  for (const level of grant.permissions) {
    // read covers every rule of the bus; manage-rules only the listed ones
    const rules = level === "manage-rules" ? grant.rules : ["*"];
    for (const action of PERMISSION_ACTIONS[level]) {
      for (const resource of resourcesFor(action, grant, ownerAccountId, rules)) pairs.push([action, resource]);
    }
  }
  for (const action of grant.actions) {
    for (const resource of resourcesFor(action, grant, ownerAccountId, grant.rules)) pairs.push([action, resource]);
  }
  return pairs;
}

/** What one grant allows, for people: its bus, levels, and the actions allowed on each set of resources. */
export interface GrantSummary {
  readonly eventBus: string;
  readonly region: string;
  readonly permissions: readonly PermissionLevel[];
  /** Actions that share the same (narrowest) resources, ordered by resources. */
  readonly allow: readonly { readonly actions: readonly string[]; readonly resources: readonly string[] }[];
}

/** Groups (action, resource) pairs: each action's resources without the covered ones, actions sharing them together. */
function groupPairs(pairs: readonly [string, string][]): { resources: string[]; actions: string[] }[] {
  const byAction = new Map<string, Set<string>>();
  for (const [action, resource] of pairs) byAction.set(action, (byAction.get(action) ?? new Set()).add(resource));
  const byResources = new Map<string, { resources: string[]; actions: string[] }>();
  for (const [action, set] of byAction) {
    const resources = withoutCovered([...set]).sort();
    const key = resources.join("\n");
    const group = byResources.get(key) ?? { resources, actions: [] };
    group.actions.push(action);
    byResources.set(key, group);
  }
  return [...byResources.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, g]) => ({ resources: g.resources, actions: g.actions.sort() }));
}

/** The grants of a partner as the permission policy allows them, one summary per grant. */
export function grantSummaries(p: PartnerModel): GrantSummary[] {
  return p.grants.map((grant) => ({
    eventBus: grant.eventBus,
    region: grant.region,
    permissions: [...grant.permissions],
    allow: groupPairs(grantPairs(grant, p.owner.accountId)).map((g) => ({ actions: g.actions, resources: g.resources })),
  }));
}

/**
 * Step 2: the custom permission policy, or undefined when the partner has no grants. Actions
 * with the same set of resources share one statement; statements are ordered by resources, so
 * the document does not change when grants are reordered.
 */
export function permissionPolicy(p: PartnerModel): PolicyDocument | undefined {
  const pairs = p.grants.flatMap((grant) => grantPairs(grant, p.owner.accountId));
  const guards = systemPolicyGuards(p);
  if (pairs.length === 0 && guards.length === 0) return undefined;
  const conditions = accessConditions(p);
  const statements: Statement[] = groupPairs(pairs).map((g) => ({
    effect: "Allow",
    actions: g.actions,
    resources: g.resources,
    conditions,
  }));
  return { statements: [...statements, ...guards] };
}

/**
 * Deny statements that hold the validity window and the source addresses for everything the
 * role may do, system policies included (their statements carry no such conditions). One
 * statement per condition, because the conditions of one statement must all hold at once.
 * Only needed when system policies are attached: custom statements carry the conditions.
 */
export function systemPolicyGuards(p: PartnerModel): Statement[] {
  if (p.systemPolicies.length === 0) return [];
  const deny = (operator: string, key: string, values: readonly string[]): Statement => ({
    effect: "Deny",
    actions: ["*"],
    resources: ["*"],
    conditions: { [operator]: { [key]: values } },
  });
  return [
    ...(p.validFrom ? [deny("DateLessThan", CONDITION_KEYS.currentTime, [p.validFrom])] : []),
    ...(p.validUntil ? [deny("DateGreaterThan", CONDITION_KEYS.currentTime, [p.validUntil])] : []),
    ...(p.role.sourceIps.length > 0 ? [deny("NotIpAddress", CONDITION_KEYS.sourceIp, p.role.sourceIps)] : []),
  ];
}

/**
 * The permission policy as RAM can store it: one document, or several numbered ones when it is
 * longer than RAM's limit for a custom policy. Empty when the partner has no grants.
 */
export function permissionPolicies(p: PartnerModel): PolicyDocument[] {
  const doc = permissionPolicy(p);
  return doc ? splitPolicy(doc, POLICY_DOCUMENT_MAX_CHARS) : [];
}

/** Step 5: the partner's users may assume exactly the owner's role. */
export function assumePolicy(roleArn: string): PolicyDocument {
  return { statements: [{ effect: "Allow", actions: ["sts:AssumeRole"], resources: [roleArn] }] };
}
