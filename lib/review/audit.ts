/**
 * Audit: the delegations really deployed (Terraform state) against the config. Reports roles
 * missing or extra, trust and permission documents that differ (compared as parsed documents,
 * and explained as access changes), attachments that differ, partners past their end whose role
 * still exists, revoked partners still present and broad grants.
 */
import { systemPolicyRefusal } from "../facts";
import type { DelegationModel, PartnerModel, PartnerSideModel } from "../model/model";
import { describeOwnerSide, describePartnerSide } from "../model/sides";
import { roleOfGroupComments } from "../model/names";
import { readPolicy } from "../policy/read";
import { broadAllows } from "../rules/policy-wildcard";
import { partnerAccess } from "./access";
import {
  expectedOwnerSide,
  expectedPartnerSide,
  ownerSides,
  partnerSide,
  type OwnerSideRecord,
  type PartnerSideRecord,
} from "./delegation";
import { partnerChanges } from "./diff";
import { InputError, type Resource } from "./resources";

export interface AuditFinding {
  readonly severity: "error" | "warning";
  readonly partner: string;
  /** A stable id for the kind of finding. */
  readonly check: string;
  readonly message: string;
}

export interface StateFile {
  readonly file: string;
  readonly resources: readonly Resource[];
}

export interface AuditResult {
  readonly findings: readonly AuditFinding[];
  /** Whether an owner stack's state was given (roles, policies, attachments were audited). */
  readonly ownerAudited: boolean;
  /** Partners whose partner side was audited (a state file was given for them). */
  readonly partnerSidesAudited: readonly string[];
}

/** A policy document in a canonical form: statements with sorted lists, in sorted order. */
function canonical(text: string): string {
  const statements = readPolicy(text);
  if (!statements) return `invalid:${text}`;
  return JSON.stringify(
    statements
      .map((s) => ({
        effect: s.effect,
        actions: [...s.actions].sort(),
        resources: [...s.resources].sort(),
        principals: Object.fromEntries(
          Object.entries(s.principals)
            .sort()
            .map(([k, v]) => [k, [...v].sort()]),
        ),
        conditions: Object.fromEntries(
          Object.entries(s.conditions)
            .sort()
            .map(([op, keys]) => [
              op,
              Object.fromEntries(
                Object.entries(keys)
                  .sort()
                  .map(([k, v]) => [k, [...v].sort()]),
              ),
            ]),
        ),
      }))
      .map((s) => JSON.stringify(s))
      .sort(),
  );
}

const sameDocument = (a: string, b: string) => canonical(a) === canonical(b);

/**
 * What a deployed role may do that no delegation should: broad custom grants, system policies off
 * the allow list, and documents that cannot be read at all (which the audit will not call clean).
 */
function broadGrants(partner: string, deployed: OwnerSideRecord): AuditFinding[] {
  const out: AuditFinding[] = [];
  for (const policy of deployed.customPolicies) {
    const statements = readPolicy(policy.document);
    if (!statements) {
      out.push({
        severity: "error",
        partner,
        check: "UNREADABLE-POLICY",
        message: policy.document
          ? `the document of policy ${policy.name} is not a policy document; what it grants cannot be judged`
          : `policy ${policy.name} is attached to role ${deployed.roleName} but not in the state; what it grants cannot be judged`,
      });
      continue;
    }
    for (const b of broadAllows(statements)) {
      const what =
        b.kind === "all-but"
          ? "everything but a list (NotAction/NotResource)"
          : b.kind === "wildcard-action"
            ? `wildcard action ${b.action}`
            : `write action ${b.action} on ${b.resource === "*" ? "every resource" : `${b.resource}, beyond any one bus`}`;
      out.push({ severity: "error", partner, check: "BROAD-GRANT", message: `policy ${policy.name} allows ${what}` });
    }
  }
  for (const name of deployed.systemPolicies) {
    const refusal = systemPolicyRefusal(name);
    if (refusal)
      out.push({
        severity: "error",
        partner,
        check: "BROAD-GRANT",
        message: `system policy ${name} is attached: ${refusal}`,
      });
  }
  return out;
}

/** Tag changes, one message each (tags can carry access: RAM policies may condition on them). */
function tagChanges(expected: Readonly<Record<string, string>>, deployed: Readonly<Record<string, string>>): string[] {
  const keys = [...new Set([...Object.keys(expected), ...Object.keys(deployed)])].sort();
  return keys.flatMap((k) =>
    !(k in deployed)
      ? [`tag ${k} is missing (the config sets ${JSON.stringify(expected[k])})`]
      : !(k in expected)
        ? [`tag ${k}=${JSON.stringify(deployed[k])} is deployed but not in the config`]
        : expected[k] !== deployed[k]
          ? [`tag ${k} is ${JSON.stringify(deployed[k])}; the config says ${JSON.stringify(expected[k])}`]
          : [],
  );
}

function compareOwnerSide(p: PartnerModel, expected: OwnerSideRecord, deployed: OwnerSideRecord, now: Date): AuditFinding[] {
  const out: AuditFinding[] = [];
  const push = (check: string, message: string, severity: AuditFinding["severity"] = "error") =>
    out.push({ severity, partner: p.name, check, message });

  if (!sameDocument(expected.trustDocument, deployed.trustDocument))
    push("TRUST-DRIFT", "the deployed trust policy differs from the config");
  for (const change of tagChanges(expected.tags, deployed.tags)) push("TAG-DRIFT", `role ${deployed.roleName}: ${change}`);
  if (deployed.maxSessionDuration !== undefined && deployed.maxSessionDuration !== expected.maxSessionDuration) {
    push("ROLE-DRIFT", `sessions last up to ${deployed.maxSessionDuration} s; the config says ${expected.maxSessionDuration} s`);
  }
  const deployedPolicies = new Map(deployed.customPolicies.map((c) => [c.name, c.document]));
  for (const e of expected.customPolicies) {
    const d = deployedPolicies.get(e.name);
    if (d === undefined) push("POLICY-DRIFT", `custom policy ${e.name} is not attached`);
    else if (!sameDocument(e.document, d)) push("POLICY-DRIFT", `the deployed document of ${e.name} differs from the config`);
  }
  const expectedAttachments = new Set(expected.attachments.map((a) => `${a.policyType} ${a.policyName}`));
  const deployedAttachments = new Set(deployed.attachments.map((a) => `${a.policyType} ${a.policyName}`));
  for (const a of deployedAttachments)
    if (!expectedAttachments.has(a)) push("ATTACHMENT-DRIFT", `${a} policy is attached but not in the config`);
  for (const a of expectedAttachments)
    if (!deployedAttachments.has(a) && !a.startsWith("Custom ")) push("ATTACHMENT-DRIFT", `${a} policy is not attached`);
  if (p.validUntil !== undefined && Date.parse(p.validUntil) <= now.getTime()) {
    push(
      "EXPIRED-PRESENT",
      `the delegation ended at ${p.validUntil} but role ${deployed.roleName} still exists; set revoked: true and deploy`,
      "warning",
    );
  }
  return out;
}

function comparePartnerSide(side: PartnerSideModel, expected: PartnerSideRecord, deployed: PartnerSideRecord): AuditFinding[] {
  const out: AuditFinding[] = [];
  const p = { name: side.name, revoked: side.handoff.revoked };
  const push = (check: string, message: string) => out.push({ severity: "error", partner: p.name, check, message });
  if (deployed.groups.length > 1)
    push(
      "GROUP-DRIFT",
      `the state holds ${deployed.groups.length} groups (${deployed.groups.join(", ")}); the partner stack creates one`,
    );
  if (expected.groupName !== deployed.groupName)
    push("GROUP-DRIFT", `group ${deployed.groupName} is deployed; the config says ${expected.groupName}`);
  const diff = (check: string, kind: string, want: readonly string[], have: readonly string[]) => {
    for (const x of have) if (!want.includes(x)) push(check, `${kind} ${x} is deployed but not in the config`);
    for (const x of want) if (!have.includes(x)) push(check, `${kind} ${x} is in the config but not deployed`);
  };
  diff("MEMBER-DRIFT", "user", expected.users, deployed.users);
  diff("MEMBER-DRIFT", "group member", expected.members, deployed.members);
  diff("LOGIN-DRIFT", "console login of", expected.loginUsers, deployed.loginUsers);
  for (const a of deployed.userAttachments)
    push(
      "USER-ATTACHMENT",
      `${a.policyType} policy ${a.policyName} is attached to user ${a.userName} directly; the delegation grants only through its group`,
    );
  const e = expected.assume;
  const d = deployed.assume;
  const expectedAttachments = new Set(expected.attachments.map((a) => `${a.policyType} ${a.policyName}`));
  for (const a of deployed.attachments) {
    const key = `${a.policyType} ${a.policyName}`;
    if (p.revoked)
      push("REVOKED-PRESENT", `the partner is revoked but group ${deployed.groupName} still has ${key} policy attached`);
    else if (!expectedAttachments.has(key))
      push("ATTACHMENT-DRIFT", `group ${deployed.groupName} has ${key} policy attached, which the config does not grant`);
  }
  if (!p.revoked && e && !d) push("ASSUME-DRIFT", "the group has no assume permission");
  else if (!p.revoked && e && d) {
    if (e.type !== d.type) push("ASSUME-DRIFT", `the group's assume permission is a ${d.type} policy; the config says ${e.type}`);
    else if (e.type === "Custom" && d.type === "Custom" && !sameDocument(e.policy.document, d.policy.document)) {
      push("ASSUME-DRIFT", `the deployed document of ${d.policy.name} differs from the config`);
    }
  }
  return out;
}

/**
 * Which config partner a partner-side state belongs to: by its assume policy's name, else by
 * the role its group's comments name, else by its group name when only one partner uses it.
 */
function partnerOf(model: DelegationModel, side: PartnerSideRecord): PartnerSideModel | undefined {
  const assumeName = side.assume?.type === "Custom" ? side.assume.policy.name : undefined;
  const byPolicy = model.partnerSides.find((p) => p.assumePolicy === "scoped" && p.assumePolicyName === assumeName);
  if (byPolicy) return byPolicy;
  const role = roleOfGroupComments(side.comments)?.toLowerCase();
  const byRole = role === undefined ? undefined : model.partnerSides.filter((p) => p.handoff.role.name.toLowerCase() === role);
  if (byRole?.length === 1) return byRole[0];
  const byGroup = model.partnerSides.filter((p) => p.groupName === side.groupName);
  return byGroup.length === 1 ? byGroup[0] : undefined;
}

/** The resource types each side of a delegation is made of; anything else in its state is not the product's. */
const OWNER_TYPES = new Set(["alicloud_ram_role", "alicloud_ram_policy", "alicloud_ram_role_policy_attachment"]);
const PARTNER_TYPES = new Set([
  "alicloud_ram_group",
  "alicloud_ram_user",
  "alicloud_ram_user_group_attachment",
  "alicloud_ram_login_profile",
  "alicloud_ram_policy",
  "alicloud_ram_group_policy_attachment",
  "alicloud_ram_user_policy_attachment", // reported as USER-ATTACHMENT
]);

function unexpectedResources(file: string, resources: readonly Resource[], types: ReadonlySet<string>): AuditFinding[] {
  return resources
    .filter((r) => !types.has(r.type))
    .map((r) => ({
      severity: "error" as const,
      partner: "?",
      check: "UNEXPECTED-RESOURCE",
      message: `${file}: ${r.type}.${r.name} is not something a delegation creates`,
    }));
}

const lower = (s: string) => s.toLowerCase();

export function auditDelegations(model: DelegationModel, states: readonly StateFile[], now: Date): AuditResult {
  const findings: AuditFinding[] = [];
  const ownerResources: Resource[] = [];
  const sides: { file: string; resources: readonly Resource[]; record: PartnerSideRecord }[] = [];
  for (const s of states) {
    const types = new Set(s.resources.map((r) => r.type));
    if (s.resources.length === 0)
      throw new InputError(`${s.file}: holds no resources; it cannot be told which stack it is, so nothing in it can be audited`);
    if (types.has("alicloud_ram_role") && types.has("alicloud_ram_group"))
      throw new InputError(
        `${s.file}: holds both roles (an owner stack) and a group (a partner stack); give each stack's state separately`,
      );
    if (types.has("alicloud_ram_role")) {
      if (!model.owner)
        throw new InputError(
          `${s.file}: holds roles (an owner stack), but this is a partner config; the owner audits its own state`,
        );
      ownerResources.push(...s.resources);
      findings.push(...unexpectedResources(s.file, s.resources, OWNER_TYPES));
    } else if (types.has("alicloud_ram_group")) {
      sides.push({ file: s.file, resources: s.resources, record: partnerSide(s.resources)! });
      findings.push(...unexpectedResources(s.file, s.resources, PARTNER_TYPES));
    } else throw new InputError(`${s.file}: holds neither an owner stack (RAM roles) nor a partner stack (a RAM group)`);
  }

  // Every deployed role is accounted for by its name: a partner's role, or an extra one. Tags are
  // labels anyone can set, so they identify nothing.
  const deployed = ownerSides(ownerResources);
  const byName = new Map<string, OwnerSideRecord[]>();
  for (const d of deployed) byName.set(lower(d.roleName), [...(byName.get(lower(d.roleName)) ?? []), d]);
  for (const [, same] of byName)
    if (same.length > 1)
      findings.push({
        severity: "error",
        partner: "?",
        check: "EXTRA-ROLE",
        message: `role ${same[0].roleName} appears ${same.length} times in the state; RAM role names are unique`,
      });
  const ownerAudited = ownerResources.length > 0;
  const accounted = new Set<OwnerSideRecord>();
  for (const p of model.partners) {
    const d = byName.get(lower(p.role.name))?.[0];
    if (d) accounted.add(d);
    const described = describeOwnerSide(p);
    const e = described && expectedOwnerSide(described);
    if (d) findings.push(...broadGrants(p.name, d));
    if (!ownerAudited) continue;
    if (!e && d)
      findings.push({
        severity: "error",
        partner: p.name,
        check: "REVOKED-PRESENT",
        message: `the partner is revoked but role ${d.roleName} still exists`,
      });
    else if (e && !d)
      findings.push({ severity: "error", partner: p.name, check: "MISSING-ROLE", message: `role ${e.roleName} is not deployed` });
    else if (e && d) {
      findings.push(...compareOwnerSide(p, e, d, now));
      // explain a difference as the access it changes, the way access-diff does
      const access = (o: OwnerSideRecord) => partnerAccess(p.name, p.accountId, p.owner.accountId, o, undefined, []);
      for (const c of partnerChanges(access(e), access(d))) {
        if (c.effect !== "neutral")
          findings.push({
            severity: "error",
            partner: p.name,
            check: "ACCESS-DRIFT",
            message: `deployed ${c.effect === "broadening" ? "broader" : "narrower"} than the config: ${c.description}`,
          });
      }
    }
  }
  for (const d of deployed.filter((x) => !accounted.has(x))) {
    const trusted = (readPolicy(d.trustDocument) ?? []).flatMap((st) => Object.values(st.principals).flat());
    const partners = model.partners.filter((p) => trusted.some((t) => t.includes(`::${p.accountId}:`))).map((p) => p.name);
    const claim = d.tags.DelegationPartner ? `, is tagged for partner ${d.tags.DelegationPartner}` : "";
    findings.push({
      severity: "error",
      partner: partners[0] ?? "?",
      check: "EXTRA-ROLE",
      message: `role ${d.roleName} is deployed but no partner in the config has it; it trusts ${trusted.join(", ") || "nobody readable"}${partners.length > 0 ? ` (account of ${partners.join(", ")})` : ""}${claim}`,
    });
    findings.push(...broadGrants(partners[0] ?? "?", d));
  }
  // attachments to roles the state does not hold grant something to someone the audit cannot see
  const roleNames = new Set(deployed.map((d) => d.roleName));
  for (const a of ownerResources.filter((r) => r.type === "alicloud_ram_role_policy_attachment")) {
    const role = String(a.values.role_name ?? "");
    if (!roleNames.has(role))
      findings.push({
        severity: "error",
        partner: "?",
        check: "EXTRA-ROLE",
        message: `policy ${String(a.values.policy_name ?? "?")} is attached to role ${role}, which the state does not hold`,
      });
  }

  const audited: string[] = [];
  for (const side of sides) {
    const p = partnerOf(model, side.record);
    if (!p) {
      findings.push({
        severity: "error",
        partner: "?",
        check: "UNKNOWN-PARTNER",
        message: `${side.file}: group ${side.record.groupName} belongs to no partner in the config`,
      });
      continue;
    }
    audited.push(p.name);
    findings.push(...comparePartnerSide(p, expectedPartnerSide(describePartnerSide(p)), side.record));
  }
  const order = new Map(
    (model.owner ? model.partners.map((p) => p.name) : model.partnerSides.map((p) => p.name)).map((name, i) => [name, i]),
  );
  findings.sort((a, b) => (order.get(a.partner) ?? 1e9) - (order.get(b.partner) ?? 1e9));
  return { findings, ownerAudited, partnerSidesAudited: audited.sort() };
}

export function renderAudit(result: AuditResult, model: DelegationModel, files: readonly string[]): string {
  const errors = result.findings.filter((f) => f.severity === "error").length;
  const sidesMissing = model.partnerSides.map((p) => p.name).filter((p) => !result.partnerSidesAudited.includes(p));
  const counted = model.owner
    ? `${model.partners.length} partners in the config`
    : `${model.partnerSides.length} delegations in the partner config`;
  const ownerLine = !model.owner
    ? "not this config's: a partner config audits its own account; the owner audits the roles in its state"
    : result.ownerAudited
      ? "audited"
      : "**not audited**: no owner stack state was given";
  const lines = [
    "# Audit of deployed delegations",
    "",
    `${errors} error${errors === 1 ? "" : "s"}, ${result.findings.length - errors} warning${result.findings.length - errors === 1 ? "" : "s"}; ` +
      `${counted}; state: ${files.map((f) => `\`${f}\``).join(", ")}.`,
    "",
    `- Owner side (roles, policies, attachments): ${ownerLine}.`,
    `- Partner sides audited: ${result.partnerSidesAudited.length > 0 ? result.partnerSidesAudited.join(", ") : "none"}` +
      (sidesMissing.length > 0 ? `; not audited (no state given): ${sidesMissing.join(", ")}.` : "."),
    "",
  ];
  if (result.findings.length === 0) return [...lines, "No findings in what was audited.", ""].join("\n");
  lines.push("| Severity | Partner | Check | Finding |", "|---|---|---|---|");
  for (const f of result.findings)
    lines.push(`| ${f.severity} | ${f.partner} | ${f.check} | ${f.message.replace(/\|/g, "\\|")} |`);
  return [...lines, ""].join("\n");
}
