/**
 * npm run rehearse
 *
 * Synthesizes (same config and output rules as npm run synth), then applies every stack with the
 * real Terraform CLI against the local stand-in provider and a fresh fake RAM, plans again (must
 * be empty), writes <outdir>/rehearsal/<stack>.json (terraform show -json) and audits it. One line
 * per stack; exit 0 only when every stack applied, re-planned empty and audited clean. It is a
 * rehearsal of Terraform's handling of our JSON and of our model of RAM, not a deploy.
 */
import path from "node:path";
import { rehearse, RehearsalError } from "./run";
import { runSynthCli } from "../lib/synth/synth";
import { defaultOutdir } from "../lib/cli/common";

async function main(): Promise<number> {
  // the synth's own messages and exit code for bad input
  const synth = await runSynthCli({});
  if (synth !== 0) return synth;
  try {
    const result = await rehearse({ outdir: defaultOutdir() });
    const where = path.relative(process.cwd(), path.join(result.outdir, "rehearsal")) || ".";
    for (const s of result.stacks) {
      const verdict = [
        s.applyError ? "apply FAILED" : `${s.resources} resources created`,
        s.applyError ? "" : s.replanDiff ? "re-plan NOT empty" : "re-plan empty",
        s.auditErrors.length === 0
          ? "audit clean"
          : `audit: ${s.auditErrors.length} error${s.auditErrors.length === 1 ? "" : "s"}`,
      ].filter(Boolean);
      console.log(`${s.stack}: ${verdict.join(", ")} (account ${s.accountId})`);
      if (s.applyError) console.error(s.applyError);
      if (s.replanDiff) console.error(s.replanDiff);
      for (const f of s.auditErrors) console.error(`  ${f.check}: ${f.message}`);
    }
    console.log(
      result.ok
        ? `rehearsed ${result.stacks.length} stack${result.stacks.length === 1 ? "" : "s"} with Terraform against the stand-in provider; states in ${where}/ (not a deploy: no Alibaba Cloud API was called)`
        : "the rehearsal failed",
    );
    return result.ok ? 0 : 1;
  } catch (e) {
    if (e instanceof RehearsalError) {
      console.error(e.message);
      return 1;
    }
    throw e;
  }
}

main().then((code) => (process.exitCode = code));
