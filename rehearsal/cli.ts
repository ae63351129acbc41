/**
 * npm run rehearse [-- --fresh]
 *
 * Synthesizes (same config and output rules as npm run synth), then rehearses the change with the
 * real Terraform CLI against the local stand-in provider and the fake accounts the previous
 * rehearsal left in .rehearsal/ (--fresh: empty accounts): per stack the plan of the change in
 * Terraform's terms and every replaced or destroyed address, then the apply, a re-plan (must be
 * empty), .rehearsal/<stack>.json (terraform show -json) and its audit. Exit 0 only when every
 * stack applied, re-planned empty and audited clean. It is a rehearsal of Terraform's handling of
 * our JSON and of our model of RAM, not a deploy.
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { KeptFolderError } from "./kept";
import { rehearse, RehearsalError, type StackRehearsal } from "./run";
import { leftBehindLine } from "../lib/plan/left-behind";
import { planCountsLine, planLossLines } from "../lib/plan/read";
import { terminalLines, terminalText } from "../lib/text/terminal";
import { runSynthCli } from "../lib/synth/synth";
import { defaultOutdir, EXIT_BAD_INPUT } from "../lib/cli/common";

const USAGE = "npm run rehearse [-- --fresh]   (--fresh: start from empty accounts)";
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** The lines of one stack: the plan of the change, its losses, and the verdict. */
function report(s: StackRehearsal): void {
  if (s.plan) {
    // addresses, names and RAM's messages are shown, never obeyed, by the terminal
    console.log(terminalText(planCountsLine(s.plan)));
    for (const line of planLossLines(s.plan)) console.log(`  ${terminalText(line)}`);
  }
  if (s.planError) {
    console.log(`${s.stack}: plan FAILED (account ${s.accountId})`);
    console.error(terminalLines(s.planError));
    return;
  }
  if (s.applyErrors) {
    for (const e of s.applyErrors)
      console.log(terminalLines(`${s.stack}: apply FAILED${e.address ? ` at ${e.address}` : ""}: ${e.message}`));
    console.log(
      `  the kept accounts and state hold what the apply did before it failed (${plural(s.resources, "resource")}); the next rehearsal continues from there`,
    );
    return;
  }
  const verdict = [
    `${plural(s.resources, "resource")} after the apply`,
    s.replanDiff ? "re-plan NOT empty" : "re-plan empty",
    !s.audited
      ? "nothing to audit"
      : s.auditErrors.length === 0
        ? "audit clean"
        : `audit: ${plural(s.auditErrors.length, "error")}`,
  ];
  console.log(`${s.stack}: ${verdict.join(", ")} (account ${s.accountId})`);
  if (s.replanDiff) console.error(terminalLines(s.replanDiff));
  for (const f of s.auditErrors) console.error(`  ${f.check}: ${terminalText(f.message)}`);
}

async function main(): Promise<number> {
  let fresh: boolean;
  try {
    fresh = !!parseArgs({ args: process.argv.slice(2), options: { fresh: { type: "boolean" } }, strict: true }).values.fresh;
  } catch (e) {
    console.error(`${(e as Error).message}\nusage: ${USAGE}`);
    return EXIT_BAD_INPUT;
  }
  // the synth's own messages and exit code for bad input
  const synth = await runSynthCli({});
  if (synth !== 0) return synth;
  try {
    const result = await rehearse({ outdir: defaultOutdir(), fresh });
    const where = path.relative(process.cwd(), result.dir) || ".";
    console.log(
      result.fresh
        ? `rehearsing from empty accounts (kept in ${where}/)`
        : `rehearsing the change to the accounts the previous rehearsal left in ${where}/`,
    );
    for (const s of result.stacks) report(s);
    for (const s of result.leftBehind) console.log(terminalText(leftBehindLine(s)));
    console.log(
      result.ok
        ? `rehearsed ${plural(result.stacks.length, "stack")} with Terraform against the stand-in provider; states in ${where}/ (not a deploy: no Alibaba Cloud API was called)`
        : "the rehearsal failed",
    );
    return result.ok ? 0 : 1;
  } catch (e) {
    if (e instanceof KeptFolderError) {
      console.error(e.message);
      return EXIT_BAD_INPUT;
    }
    if (e instanceof RehearsalError) {
      console.error(e.message);
      return 1;
    }
    throw e;
  }
}

main().then((code) => (process.exitCode = code));
