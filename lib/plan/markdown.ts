/**
 * The plan of a rehearsed change as Markdown for the pull request's comment: a table of the counts
 * per stack and, where the change replaces or destroys anything, a GitHub warning block listing
 * every address with the attributes that force it and what it does to the delegation. Every value
 * from the plan (stack ids, addresses, attribute paths, names inside the meanings) goes through the
 * one Markdown escaper.
 */
import { markdownCode, markdownText } from "../text/markdown";
import type { LeftBehind } from "./left-behind";
import type { StackPlan } from "./read";

export interface PlanContext {
  /** Whether the change was planned against accounts the base branch's rehearsal left (else: empty accounts). */
  readonly onBase: boolean;
  /** Stacks the change stops making while their resources are deployed; undefined: not known. */
  readonly leftBehind: readonly LeftBehind[] | undefined;
}

export function renderPlanMarkdown(plans: readonly StackPlan[], context: PlanContext): string {
  const out: string[] = ["### Terraform plan of this change (rehearsed)", ""];
  out.push(
    context.onBase
      ? "Planned by Terraform against the fake accounts the base branch's rehearsal left, with the stand-in provider: not Alibaba Cloud, not a deploy."
      : "The base branch left no rehearsal accounts, so this is the plan against **empty** accounts (Terraform with the stand-in provider: not Alibaba Cloud, not a deploy).",
    "",
  );
  const leftBehind = context.leftBehind ?? [];
  if (context.leftBehind === undefined && plans.length > 0) {
    out.push(
      "> [!CAUTION]",
      "> **Whether this change leaves a deployed stack behind is not known**: the rehearsal recorded no list of the stacks it no longer makes (`left-behind.json`), so it did not finish.",
      "",
    );
  }
  if (leftBehind.length > 0) {
    out.push(
      "> [!WARNING]",
      `> **This change stops making ${leftBehind.length} deployed stack${leftBehind.length === 1 ? "" : "s"}: ${leftBehind.length === 1 ? "its" : "their"} resources stay in the account, managed by no one** (\`cdktf deploy\` deploys only the stacks it synthesizes; destroy a stack before removing it from the config, or revoke the delegation instead):`,
    );
    for (const s of leftBehind) {
      const held = s.resources === null ? "its state cannot be read" : `${s.resources} resource${s.resources === 1 ? "" : "s"}`;
      out.push(`> - ${markdownCode(s.stack)}: ${held}`);
    }
    out.push("");
  }
  if (plans.length === 0) return [...out, "_No stack was rehearsed._", ""].join("\n");
  out.push("| stack | to add | to change | to replace | to destroy |", "|---|---:|---:|---:|---:|");
  for (const p of plans) out.push(`| ${markdownCode(p.stack)} | ${p.add} | ${p.change} | ${p.replace} | ${p.destroy} |`);
  out.push("");
  const losses = plans.flatMap((p) => p.losses.map((l) => ({ stack: p.stack, ...l })));
  const unknown = plans.flatMap((p) => p.notUnderstood.map((a) => ({ stack: p.stack, change: a })));
  if (losses.length > 0) {
    out.push(
      "> [!WARNING]",
      `> **This change replaces or destroys ${losses.length} resource${losses.length === 1 ? "" : "s"} of a deployed delegation.**`,
    );
    for (const l of losses) {
      const forced = l.forcedBy.length > 0 ? ` (forced by ${l.forcedBy.map(markdownCode).join(", ")})` : "";
      out.push(
        `> - **${l.action === "replace" ? "replaces" : "destroys"}** ${markdownCode(l.address)} in ${markdownCode(l.stack)}${forced}: ${markdownText(l.meaning)}`,
      );
    }
    out.push("");
  }
  if (unknown.length > 0) {
    out.push("> [!CAUTION]", "> **Changes this review does not understand** (read the plan with `terraform show`):");
    for (const u of unknown) out.push(`> - ${markdownCode(u.change)} in ${markdownCode(u.stack)}`);
    out.push("");
  }
  return out.join("\n");
}
