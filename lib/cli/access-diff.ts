/**
 * npm run access-diff -- <base-outdir> [<head-outdir>] [--json]
 *
 * Compares two synth outputs (head defaults to $CDKTF_OUTDIR or cdktf.out) and lists the grants
 * added, removed and changed, each marked broadening or narrowing. Exit code 2 when anything
 * broadens (a CI gate), 0 otherwise.
 */
import { accessReport } from "../review/access";
import { diffAccess, renderDiff } from "../review/diff";
import { readSynthOutput } from "../review/resources";
import { args, defaultOutdir, run, UsageError } from "./common";

export const EXIT_BROADENING = 2;

run(() => {
  const usage = "npm run access-diff -- <base-outdir> [<head-outdir>] [--json]";
  const { values, positionals } = args(process.argv.slice(2), { json: { type: "boolean" } }, usage);
  if (positionals.length < 1 || positionals.length > 2)
    throw new UsageError(`expected a base and an optional head synth output\nusage: ${usage}`);
  const [base, head = defaultOutdir()] = positionals;
  const diff = diffAccess(accessReport(readSynthOutput(base)), accessReport(readSynthOutput(head)));
  process.stdout.write(values.json ? `${JSON.stringify({ base, head, ...diff }, null, 2)}\n` : renderDiff(diff, base, head));
  return diff.broadening > 0 ? EXIT_BROADENING : 0;
});
