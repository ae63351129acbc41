/**
 * npm run rehearsal-plan -- [<dir>] [--on-empty]
 *
 * The plan of the last rehearsal as Markdown, for a pull request's comment: every
 * `<dir>/<stack>.plan.json` (`terraform show -json` of the plan each stack applied; default
 * `.rehearsal`), as counts per stack and a warning listing every replaced or destroyed address.
 * `--on-empty` says the plan was made against empty accounts (the base branch left none).
 * The stacks the change stops making while they are deployed (`<dir>/left-behind.json`) are a
 * warning of their own. Exit code 3 when a plan file or that list cannot be read.
 */
import fs from "node:fs";
import path from "node:path";
import { renderPlanMarkdown } from "../plan/markdown";
import { LEFT_BEHIND_FILE, readLeftBehindFile } from "../plan/left-behind";
import { readPlanFile } from "../plan/read";
import { InputError } from "../readers/files";
import { args, run, UsageError } from "./common";

run(() => {
  const usage = "npm run rehearsal-plan -- [<rehearsal dir>] [--on-empty]";
  const { values, positionals } = args(process.argv.slice(2), { "on-empty": { type: "boolean" } }, usage);
  if (positionals.length > 1) throw new UsageError(`expected at most one directory\nusage: ${usage}`);
  const dir = positionals[0] ?? ".rehearsal";
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter((f) => f.endsWith(".plan.json"));
  } catch (e) {
    throw new InputError(
      `${dir}: cannot be read as a rehearsal folder (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
    );
  }
  const plans = names.sort().map((f) => readPlanFile(path.join(dir, f), f.slice(0, -".plan.json".length)));
  const leftBehind = readLeftBehindFile(path.join(dir, LEFT_BEHIND_FILE));
  process.stdout.write(renderPlanMarkdown(plans, { onBase: !values["on-empty"], leftBehind }));
  return 0;
});
