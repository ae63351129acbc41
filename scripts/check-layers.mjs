#!/usr/bin/env node
/**
 * The import-layer check of `npm run lint`: dependency-cruiser with the rules of
 * .dependency-cruiser.cjs (layers bottom first, no circle in lib/, lib/ never imports the
 * rehearsal, the rehearsal's fake never imports lib/). Prints one line per wrong import and
 * exits 1 when there is any.
 *
 *   node scripts/check-layers.mjs
 *
 * It calls dependency-cruiser's `cruise` API, so that tests can run the same check on trees of
 * their own. dependency-cruiser is pinned to 17.x: 18.x asks for Node 22 or later, and this
 * project supports Node 20.19.
 */
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { cruise } from "dependency-cruiser";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const require = createRequire(import.meta.url);
export const config = require(path.join(root, ".dependency-cruiser.cjs"));

/** What the check looks at, relative to the repository root. */
export const CHECKED = ["lib", "rehearsal", "main.ts"];

/**
 * The wrong imports in `dirs` under `baseDir` (default: this repository), each as
 * `{ rule, from, to }` with paths relative to `baseDir`.
 */
export async function layerViolations(dirs = CHECKED, baseDir = root) {
  const result = await cruise(
    dirs,
    {
      ...config.options,
      tsConfig: undefined,
      baseDir,
      validate: true,
      ruleSet: { forbidden: config.forbidden },
      outputType: "json",
    },
    { extensions: [".ts", ".cjs", ".mjs", ".js", ".json"] },
  );
  const output = typeof result.output === "string" ? JSON.parse(result.output) : result.output;
  return output.summary.violations.map((v) => ({
    rule: v.rule.name,
    from: v.from,
    to: v.cycle ? v.cycle.map((c) => (typeof c === "string" ? c : c.name)).join(" -> ") : v.to,
  }));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const violations = await layerViolations();
  const rules = new Map(config.forbidden.map((r) => [r.name, r.comment]));
  for (const v of violations) console.error(`${v.from} -> ${v.to}: ${v.rule} (${rules.get(v.rule)})`);
  if (violations.length > 0) {
    console.error(
      `${violations.length} import${violations.length === 1 ? "" : "s"} against the layers of .dependency-cruiser.cjs`,
    );
    process.exitCode = 1;
  } else {
    console.log("import layers: no violation");
  }
}
