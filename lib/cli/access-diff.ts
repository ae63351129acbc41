/**
 * npm run access-diff -- <base-outdir> [<head-outdir>] [--json]
 *
 * Compares two synth outputs (head defaults to $CDKTF_OUTDIR or cdktf.out) and lists the grants
 * added, removed and changed, each marked broadening or narrowing, through the readers. Exit code 2
 * when anything broadens or the head holds something its readers cannot account for that the base
 * did not (a CI gate: a person approves it), 0 otherwise, 3 when an input cannot be read.
 */
import { accessReport } from "../review/access";
import { diffAccess, renderDiff } from "../review/diff";
import { readSynthOutput } from "../readers/files";
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
