/**
 * The live audit's report, in Markdown like the state audit's. Role names, principals, policy
 * names and resources come from the account and are hostile: every one goes through the one
 * Markdown escaper (lib/text) before it is printed.
 */
import { markdownText } from "../text/markdown";
import type { LiveAuditResult } from "./audit";

export function renderLiveAudit(result: LiveAuditResult, endpoint: string): string {
  const errors = result.findings.filter((f) => f.severity === "error").length;
  const warnings = result.findings.length - errors;
  const lines = [
    "# Live audit of RAM",
    "",
    `${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"}; read through ${markdownText(endpoint)}.`,
    "",
  ];
  for (const a of result.accounts) {
    const calls = Object.values(a.calls).reduce((x, y) => x + y, 0);
    if (a.roles)
      lines.push(
        `- Owner account ${a.accountId}: ${a.roles.total} roles read; ${a.roles.internal} trust only this account or a cloud service (counted, not reported); ` +
          `${a.roles.managed} described by the config (compared); ${a.roles.unmanagedExternal} trust outsiders and are not in the config. ${calls} RAM calls.`,
      );
    if (a.principals)
      lines.push(
        `- Partner account ${a.accountId}: ${a.principals.users} users and ${a.principals.groups} groups read; ${a.principals.mayAssumeOutside} may assume roles in other accounts; ` +
          `${a.principals.delegates} delegates (AccessKeys, console logins and groups read). ${calls} RAM calls.`,
      );
  }
  lines.push("");
  if (result.findings.length === 0) return [...lines, "No findings in what was read.", ""].join("\n");
  lines.push("| Severity | Partner | Check | Finding |", "|---|---|---|---|");
  for (const f of result.findings)
    lines.push(`| ${f.severity} | ${markdownText(f.partner)} | ${f.check} | ${markdownText(f.message)} |`);
  return [...lines, ""].join("\n");
}
