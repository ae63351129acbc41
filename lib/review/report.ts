/** The access report as Markdown (ACCESS.md) and as JSON. */
import { parseEventBusArn } from "../ram/arn";
import { SWITCH_ROLE_URL } from "../facts";
import { markdownCode, markdownLink, markdownText } from "../text/markdown";
import { describeDeny, type AccessReport, type Conditions, type PartnerAccess } from "./access";

// every value goes through the one Markdown escaper: names in a monospace font, the rest as text
const code = markdownCode;
const t = markdownText;
const list = (xs: readonly string[], none = "none") => (xs.length === 0 ? none : xs.map(code).join(", "));

function duration(seconds: number | undefined): string {
  if (seconds === undefined) return "default";
  return seconds % 3600 === 0 ? `${seconds / 3600} h` : `${seconds} s`;
}

function window(c: Conditions, open = "open-ended"): string {
  if (c.validFrom && c.validUntil) return `from ${t(c.validFrom)} until ${t(c.validUntil)}`;
  if (c.validUntil) return `until ${t(c.validUntil)}`;
  if (c.validFrom) return `from ${t(c.validFrom)}, open-ended`;
  return open;
}

function conditionRows(c: Conditions): string[] {
  return [
    `| ExternalId | ${c.externalId ? `required (${code(c.externalIdValue ?? "")})` : "**not required**"} |`,
    `| MFA | ${c.mfa ? "required" : "not required"} |`,
    `| Source IPs | ${c.sourceIps.length > 0 ? list(c.sourceIps) : "any"} |`,
    `| Valid | ${window(c)} |`,
    ...c.other.map((o) => `| Other | ${code(o)} |`),
  ];
}

/** The bus an EventBridge ARN belongs to (`orders in cn-hangzhou`), or the resource itself. */
function busOf(resource: string): string {
  const bus = parseEventBusArn(resource);
  return bus ? `${bus.bus} (${bus.region || "?"})` : resource === "*" ? "* (every resource)" : resource;
}

function partnerSection(p: PartnerAccess, ownerOutput: boolean): string[] {
  const out = [`## ${t(p.name)} (account ${t(p.accountId || "unknown")})`, ""];
  if (!ownerOutput && p.owner)
    out.push(
      `Delegated by ${code(p.owner.name)} (account ${t(p.owner.accountId)}${p.owner.accountAlias ? `, alias ${code(p.owner.accountAlias)}` : ""}); what the role may do is read from the handoff.`,
      "",
    );
  if (p.handoffDigest) out.push(`Handoff digest: ${code(p.handoffDigest)} (compare it with the other side's report).`, "");
  if (p.revoked)
    out.push(
      ownerOutput
        ? "**Revoked**: the owner stack keeps no role for this partner."
        : "**Revoked** by the owner: the group may assume nothing.",
      "",
    );
  if (p.roleName) {
    out.push(`Role ${code(p.roleName)}: ${code(p.roleArn ?? "")}, sessions up to ${duration(p.maxSessionDuration)}.`, "");
    // a link to Alibaba's Switch Role page is clickable; any other address is shown, not linked
    if (p.switchRoleUrl) out.push(`Console Switch Role link: ${markdownLink(p.switchRoleUrl, `${SWITCH_ROLE_URL}?`)}`, "");
    out.push(
      "| Who may assume it | |",
      "|---|---|",
      `| Trusted principals | ${list(p.trustedPrincipals)} |`,
      ...conditionRows(p.conditions),
      "",
    );
  }
  if (p.grants.length > 0) {
    // rows: per bus, the actions that share the same resources
    const resourcesOf = new Map<string, string[]>();
    for (const g of p.grants)
      resourcesOf.set(`${busOf(g.resource)}\u0000${g.action}`, [
        ...(resourcesOf.get(`${busOf(g.resource)}\u0000${g.action}`) ?? []),
        g.resource,
      ]);
    const rows = new Map<string, { bus: string; actions: string[]; resources: string[] }>();
    for (const [key, resources] of resourcesOf) {
      const [bus, action] = key.split("\u0000");
      const rowKey = `${bus}\u0000${resources.join(" ")}`;
      const row = rows.get(rowKey) ?? { bus, actions: [], resources };
      row.actions.push(action);
      rows.set(rowKey, row);
    }
    out.push("| Bus | Actions | Resources |", "|---|---|---|");
    for (const row of [...rows.values()].sort((a, b) =>
      a.bus === b.bus ? (a.actions[0] < b.actions[0] ? -1 : 1) : a.bus < b.bus ? -1 : 1,
    )) {
      out.push(`| ${t(row.bus)} | ${list(row.actions.sort())} | ${list(row.resources)} |`);
    }
    const pc = p.permissionConditions;
    out.push(
      "",
      `Every grant applies ${window(pc, "at any time")}${pc.sourceIps.length > 0 ? `, from ${list(pc.sourceIps)}` : ", from any address"}.`,
      "",
    );
  } else if (!p.revoked) {
    out.push("No custom grants.", "");
  }
  if (p.denies.length > 0) {
    out.push(
      "Denied for everything the role may do, system policies included:",
      ...p.denies.map((d) => `- ${code(describeDeny(d))}`),
      "",
    );
  }
  if (p.customPolicies.length > 0) out.push(`Custom policies: ${list(p.customPolicies)}.`, "");
  out.push(`System policies: ${list(p.systemPolicies)}.`, "");
  const side = p.partnerSide;
  if (side) {
    const scope =
      side.assume.scope === "role"
        ? `may assume ${list(side.assume.roles)} only`
        : side.assume.scope === "any-role"
          ? `may assume **any role that trusts the partner account** (${code(side.assume.policy)})`
          : "may assume nothing";
    out.push(
      `Partner side (stack ${code(side.stack)}): group ${code(side.groupName)}, ${scope}. Users created: ${list(side.users)}; members: ${list(side.members)}.` +
        (side.logonNameFormat ? ` They sign in as ${code(side.logonNameFormat)}.` : ""),
      "",
    );
  }
  const open = p.findings.filter((f) => f.level !== "acknowledged");
  const acknowledged = p.findings.filter((f) => f.level === "acknowledged");
  out.push(
    open.length === 0 ? "Warnings: none." : "Warnings:",
    ...open.map((f) => `- ${f.level === "error" ? "**error** " : ""}${code(f.rule)} ${t(f.message)}`),
  );
  if (acknowledged.length > 0)
    out.push("", "Acknowledged:", ...acknowledged.map((f) => `- ${code(f.rule)} ${t(f.message)} — ${t(f.reason ?? "")}`));
  out.push("");
  return out;
}

export function renderReport(report: AccessReport, source: string): string {
  const active = report.partners.filter((p) => !p.revoked).length;
  const revoked = report.partners.length > active ? ` (${report.partners.length - active} revoked)` : "";
  const o = report.owner;
  const summary = o
    ? `Owner ${code(o.name)} (account ${t(o.accountId)}${o.accountAlias ? `, alias ${code(o.accountAlias)}` : ""}) delegates EventBridge access to ${active} partner${active === 1 ? "" : "s"}${revoked}, as synthesized in ${code(source)}.`
    : `Partner stacks: ${active} delegation${active === 1 ? "" : "s"} this account's users may use${revoked}, as synthesized in ${code(source)} from the owners' handoffs.`;
  const unaccounted =
    report.unaccounted.length === 0
      ? []
      : [
          "## Not accounted for",
          "",
          "What the stacks hold that no delegation explains, or that cannot be read; none of it is reflected above:",
          "",
          ...report.unaccounted.map((u) => `- ${code(u.stack)}: ${code(u.address)}: ${t(u.why)}`),
          "",
        ];
  return [
    "# Access report",
    "",
    summary,
    "",
    ...unaccounted,
    ...report.partners.flatMap((p) => partnerSection(p, o !== undefined)),
  ].join("\n");
}

/** The report as JSON: `partners[]` with name, accountId, roleArn, actions, resources, conditions, validFrom, validUntil, revoked and the rest. */
export function reportJson(report: AccessReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
