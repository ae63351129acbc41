/**
 * Audit: the delegations really deployed against the config, as a comparison of descriptions.
 * The config describes each side (`describeOwnerSide`, `describePartnerSide`); the readers turn
 * each state into the same descriptions plus everything they cannot account for. Differences are
 * findings; what no delegation explains is a finding (`UNACCOUNTED`); what cannot be read at all
 * (a value of the wrong type, an unknown mode, an expression, a document the policy reader
 * refuses) makes the audit say it could not see (`unreadable`, exit code 3), never "clean".
 */
import type { DelegationModel, PartnerSideModel } from "../model/model";
import {
  describeOwnerSide,
  describePartnerSide,
  type OwnerSideDescription,
  type PartnerSideDescription,
} from "../describe/sides";
import { roleOfGroupComments } from "../names/names";
import { readPolicy } from "../policy/read";
import { parsePrincipal } from "../ram/arn";
import { ramNameKey, sameRamName } from "../ram/names";
import { readOwnerSide } from "../readers/owner";
import { readPartnerSide } from "../readers/partner";
import type { TfRead } from "../readers/terraform";
import { formatUnaccounted, InputError, sortUnaccounted, type Unaccounted } from "../readers/unaccounted";
import { broadGrants, compareOwnerSide, comparePartnerSide, type AuditFinding } from "./compare";

export type { AuditFinding };

export interface StateFile {
  readonly file: string;
  readonly read: TfRead;
}

export interface AuditResult {
  readonly findings: readonly AuditFinding[];
  /** What could not be read at all, per file: the audit could not see, so it is not clean. */
  readonly unreadable: readonly (Unaccounted & { readonly file: string })[];
  /** Whether an owner stack's state was given (roles, policies, attachments were audited). */
  readonly ownerAudited: boolean;
  /** Partners whose partner side was audited (a state file was given for them). */
  readonly partnerSidesAudited: readonly string[];
}

/**
 * Which config partner a partner-side state belongs to: by its assume policy's name, else by
 * the role its group's comments name, else by its group name when only one partner uses it.
 */
function partnerOf(model: DelegationModel, side: PartnerSideDescription): PartnerSideModel | undefined {
  const assumeName = side.assume?.policy?.name;
  const byPolicy = model.partnerSides.find(
    (p) => p.assumePolicy === "scoped" && assumeName !== undefined && sameRamName(p.assumePolicyName, assumeName),
  );
  if (byPolicy) return byPolicy;
  const role = roleOfGroupComments(side.group.comments);
  const byRole = role === undefined ? undefined : model.partnerSides.filter((p) => sameRamName(p.handoff.role.name, role));
  if (byRole?.length === 1) return byRole[0];
  const byGroup = model.partnerSides.filter((p) => sameRamName(p.groupName, side.group.name));
  return byGroup.length === 1 ? byGroup[0] : undefined;
}

const finding = (check: string, message: string, partner = "?"): AuditFinding => ({ severity: "error", partner, check, message });

export function auditDelegations(model: DelegationModel, states: readonly StateFile[], now: Date): AuditResult {
  const findings: AuditFinding[] = [];
  const unreadable: (Unaccounted & { file: string })[] = [];
  const deployed: OwnerSideDescription[] = [];
  const sides: { file: string; side: PartnerSideDescription; unaccounted: readonly Unaccounted[] }[] = [];
  const note = (file: string, xs: readonly Unaccounted[], partner?: string) => {
    for (const u of sortUnaccounted(xs)) {
      if (u.kind === "unreadable") unreadable.push({ file, ...u });
      else findings.push(finding("UNACCOUNTED", `${file}: ${formatUnaccounted(u)}`, partner));
    }
  };
  for (const { file, read } of states) {
    const types = new Set(read.resources.map((r) => r.type));
    if (read.resources.length === 0)
      throw new InputError(
        `${file}: holds no resources (no managed resource of the root module); it cannot be told which stack it is, so nothing in it can be audited`,
      );
    if (types.has("alicloud_ram_role") && types.has("alicloud_ram_group"))
      throw new InputError(
        `${file}: holds both roles (an owner stack) and a group (a partner stack); give each stack's state separately`,
      );
    if (types.has("alicloud_ram_role")) {
      if (!model.owner)
        throw new InputError(
          `${file}: holds roles (an owner stack), but this is a partner config; the owner audits its own state`,
        );
      const r = readOwnerSide(read, model.owner.accountId);
      deployed.push(...r.sides);
      note(file, r.unaccounted);
    } else if (types.has("alicloud_ram_group")) {
      const r = readPartnerSide(read, file);
      sides.push({ file, side: r.side!, unaccounted: r.unaccounted });
    } else throw new InputError(`${file}: holds neither an owner stack (RAM roles) nor a partner stack (a RAM group)`);
  }

  // Every deployed role is accounted for by its name: a partner's role, or an extra one. Tags are
  // labels anyone can set, so they identify nothing.
  const byName = new Map<string, OwnerSideDescription>();
  for (const d of deployed) if (!byName.has(ramNameKey(d.role.name))) byName.set(ramNameKey(d.role.name), d);
  const ownerAudited = states.some((s) => s.read.resources.some((r) => r.type === "alicloud_ram_role"));
  const accounted = new Set<OwnerSideDescription>();
  for (const p of model.partners) {
    const d = byName.get(ramNameKey(p.role.name));
    if (d) accounted.add(d);
    const e = describeOwnerSide(p);
    if (d) findings.push(...broadGrants(p.name, d));
    if (!ownerAudited) continue;
    if (!e && d) findings.push(finding("REVOKED-PRESENT", `the partner is revoked but role ${d.role.name} still exists`, p.name));
    else if (e && !d) findings.push(finding("MISSING-ROLE", `role ${e.role.name} is not deployed`, p.name));
    else if (e && d) findings.push(...compareOwnerSide(p, e, d, now));
  }
  for (const d of deployed.filter((x) => !accounted.has(x))) {
    const trusted = (readPolicy(d.role.trustDocument) ?? []).flatMap((st) => Object.values(st.principals).flat());
    const accounts = new Set(trusted.map((t) => parsePrincipal(t)?.accountId));
    const partners = model.partners.filter((p) => accounts.has(p.accountId)).map((p) => p.name);
    const claim = d.role.tags.DelegationPartner ? `, is tagged for partner ${d.role.tags.DelegationPartner}` : "";
    findings.push(
      finding(
        "EXTRA-ROLE",
        `role ${d.role.name} is deployed but no partner in the config has it; it trusts ${trusted.join(", ") || "nobody readable"}${partners.length > 0 ? ` (account of ${partners.join(", ")})` : ""}${claim}`,
        partners[0],
      ),
      ...broadGrants(partners[0] ?? "?", d),
    );
  }

  const audited: string[] = [];
  for (const { file, side, unaccounted } of sides) {
    const p = partnerOf(model, side);
    note(file, unaccounted, p?.name);
    if (!p) {
      findings.push(finding("UNKNOWN-PARTNER", `${file}: group ${side.group.name} belongs to no partner in the config`));
      continue;
    }
    audited.push(p.name);
    findings.push(...comparePartnerSide(p, describePartnerSide(p), side));
  }
  const order = new Map(
    (model.owner ? model.partners.map((p) => p.name) : model.partnerSides.map((p) => p.name)).map((name, i) => [name, i]),
  );
  findings.sort((a, b) => (order.get(a.partner) ?? 1e9) - (order.get(b.partner) ?? 1e9));
  return { findings, unreadable, ownerAudited, partnerSidesAudited: audited.sort() };
}

export function renderAudit(result: AuditResult, model: DelegationModel, files: readonly string[]): string {
  const errors = result.findings.filter((f) => f.severity === "error").length;
  const sidesMissing = model.partnerSides.map((p) => p.name).filter((p) => !result.partnerSidesAudited.includes(p));
  const counted = model.owner
    ? `${model.partners.length} partner${model.partners.length === 1 ? "" : "s"} in the config`
    : `${model.partnerSides.length} delegation${model.partnerSides.length === 1 ? "" : "s"} in the partner config`;
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
  if (result.unreadable.length > 0)
    lines.push(
      `**Could not see**: ${result.unreadable.length} value${result.unreadable.length === 1 ? "" : "s"} in the state cannot be read, so this audit is not clean:`,
      "",
      ...result.unreadable.map((u) => `- \`${u.file}\`: ${formatUnaccounted(u).replace(/[\r\n|]+/g, " ")}`),
      "",
    );
  if (result.findings.length === 0)
    return [
      ...lines,
      result.unreadable.length === 0 ? "No findings in what was audited." : "Nothing else found in what could be read.",
      "",
    ].join("\n");
  lines.push("| Severity | Partner | Check | Finding |", "|---|---|---|---|");
  for (const f of result.findings)
    lines.push(`| ${f.severity} | ${f.partner} | ${f.check} | ${f.message.replace(/\|/g, "\\|")} |`);
  return [...lines, ""].join("\n");
}
