/**
 * npm run report [-- --json] [-- --outdir <dir>]
 *
 * Reads the synthesized stacks (what will be applied), writes <outdir>/ACCESS.md and prints it,
 * or prints the same as JSON with --json.
 */
import fs from "node:fs";
import path from "node:path";
import { accessReport } from "../review/access";
import { renderReport, reportJson } from "../review/report";
import { readSynthOutput } from "../readers/files";
import { args, defaultOutdir, run } from "./common";

run(() => {
  const { values } = args(
    process.argv.slice(2),
    { json: { type: "boolean" }, outdir: { type: "string" } },
    "npm run report -- [--json] [--outdir <synth output dir>]",
  );
  const outdir = values.outdir ?? defaultOutdir();
  const report = accessReport(readSynthOutput(outdir));
  const markdown = renderReport(report, path.relative(process.cwd(), path.resolve(outdir)) || ".");
  fs.writeFileSync(path.join(outdir, "ACCESS.md"), markdown);
  process.stdout.write(values.json ? reportJson(report) : markdown);
  return 0;
});
