/**
 * Audit: the delegations really deployed (Terraform state) against the config. Reports roles
 * missing or extra, trust and permission documents that differ (compared as parsed documents,
 * and explained as access changes), attachments that differ, partners past their end whose role
 * still exists, revoked partners still present and broad grants.
 */
import { systemPolicyRefusal } from "../facts";
import type { DelegationModel, PartnerModel } from "../model/model";
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

function broadGrants(partner: string, deployed: OwnerSideRecord): AuditFinding[] {
  const out: AuditFinding[] = [];
  for (const policy of deployed.customPolicies) {
    for (const b of broadAllows(readPolicy(policy.document) ?? [])) {
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

function compareOwnerSide(p: PartnerModel, expected: OwnerSideRecord, deployed: OwnerSideRecord, now: Date): AuditFinding[] {
  const out: AuditFinding[] = [];
  const push = (check: string, message: string, severity: AuditFinding["severity"] = "error") =>
    out.push({ severity, partner: p.name, check, message });

  if (!sameDocument(expected.trustDocument, deployed.trustDocument))
    push("TRUST-DRIFT", "the deployed trust policy differs from the config");
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

function comparePartnerSide(p: PartnerModel, expected: PartnerSideRecord, deployed: PartnerSideRecord): AuditFinding[] {
  const out: AuditFinding[] = [];
  const push = (check: string, message: string) => out.push({ severity: "error", partner: p.name, check, message });
  if (expected.groupName !== deployed.groupName)
    push("GROUP-DRIFT", `group ${deployed.groupName} is deployed; the config says ${expected.groupName}`);
  const diff = (kind: string, want: readonly string[], have: readonly string[]) => {
    for (const x of have) if (!want.includes(x)) push("MEMBER-DRIFT", `${kind} ${x} is deployed but not in the config`);
    for (const x of want) if (!have.includes(x)) push("MEMBER-DRIFT", `${kind} ${x} is in the config but not deployed`);
  };
  diff("user", expected.users, deployed.users);
  diff("group member", expected.members, deployed.members);
  const e = expected.assume;
  const d = deployed.assume;
  if (p.revoked && d)
    push(
      "REVOKED-PRESENT",
      `the partner is revoked but group ${deployed.groupName} may still assume roles (${d.type === "System" ? d.name : d.policy.name})`,
    );
  else if (e && !d) push("ASSUME-DRIFT", "the group has no assume permission");
  else if (e && d) {
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
function partnerOf(model: DelegationModel, side: PartnerSideRecord): PartnerModel | undefined {
  const assumeName = side.assume?.type === "Custom" ? side.assume.policy.name : undefined;
  const byPolicy = model.partners.find(
    (p) => p.partnerSide.assumePolicy === "scoped" && p.partnerSide.assumePolicyName === assumeName,
  );
  if (byPolicy) return byPolicy;
  const role = roleOfGroupComments(side.comments)?.toLowerCase();
  const byRole = role === undefined ? undefined : model.partners.find((p) => p.role.name.toLowerCase() === role);
  if (byRole) return byRole;
  const byGroup = model.partners.filter((p) => p.partnerSide.groupName === side.groupName);
  return byGroup.length === 1 ? byGroup[0] : undefined;
}

export function auditDelegations(model: DelegationModel, states: readonly StateFile[], now: Date): AuditResult {
  const findings: AuditFinding[] = [];
  const ownerResources: Resource[] = [];
  const sides: { file: string; record: PartnerSideRecord }[] = [];
  for (const s of states) {
    const types = new Set(s.resources.map((r) => r.type));
    if (types.has("alicloud_ram_role")) ownerResources.push(...s.resources);
    else if (types.has("alicloud_ram_group")) sides.push({ file: s.file, record: partnerSide(s.resources)! });
    else if (s.resources.length > 0)
      throw new InputError(`${s.file}: holds neither an owner stack (RAM roles) nor a partner stack (a RAM group)`);
  }

  const deployed = ownerSides(ownerResources);
  const owned = new Map(deployed.map((d) => [d.partner, d]));
  const ownerAudited = ownerResources.length > 0;
  for (const p of model.partners) {
    const d = owned.get(p.name) ?? deployed.find((x) => x.roleName === p.role.name);
    const e = expectedOwnerSide(p);
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
  const known = new Set(model.partners.flatMap((p) => [p.name, p.role.name]));
  for (const d of deployed) {
    if (!known.has(d.partner) && !known.has(d.roleName)) {
      findings.push({
        severity: "error",
        partner: d.partner,
        check: "EXTRA-ROLE",
        message: `role ${d.roleName} is deployed but no partner in the config has it`,
      });
      findings.push(...broadGrants(d.partner, d));
    }
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
    findings.push(...comparePartnerSide(p, expectedPartnerSide(p), side.record));
  }
  const order = new Map(model.partners.map((p, i) => [p.name, i]));
  findings.sort((a, b) => (order.get(a.partner) ?? 1e9) - (order.get(b.partner) ?? 1e9));
  return { findings, partnerSidesAudited: audited.sort() };
}

export function renderAudit(result: AuditResult, model: DelegationModel, files: readonly string[]): string {
  const errors = result.findings.filter((f) => f.severity === "error").length;
  const lines = [
    "# Audit of deployed delegations",
    "",
    `${errors} error${errors === 1 ? "" : "s"}, ${result.findings.length - errors} warning${result.findings.length - errors === 1 ? "" : "s"}; ` +
      `${model.partners.length} partners in the config; state: ${files.map((f) => `\`${f}\``).join(", ")}; ` +
      `partner sides audited: ${result.partnerSidesAudited.length > 0 ? result.partnerSidesAudited.join(", ") : "none"}.`,
    "",
  ];
  if (result.findings.length === 0) return [...lines, "Everything deployed matches the config.", ""].join("\n");
  lines.push("| Severity | Partner | Check | Finding |", "|---|---|---|---|");
  for (const f of result.findings)
    lines.push(`| ${f.severity} | ${f.partner} | ${f.check} | ${f.message.replace(/\|/g, "\\|")} |`);
  return [...lines, ""].join("\n");
}
