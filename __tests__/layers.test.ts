/**
 * The import-layer rules of .dependency-cruiser.cjs (run by `npm run lint` through
 * scripts/check-layers.mjs): the repository keeps them, and each rule reports a wrong import in
 * a small tree built here, so a rule that stopped biting would fail this test.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
// @ts-expect-error: a plain JavaScript module without type declarations
import { config, layerViolations } from "../scripts/check-layers.mjs";

interface Layer {
  readonly name: string;
  readonly paths: readonly string[];
}
interface Violation {
  readonly rule: string;
  readonly from: string;
  readonly to: string;
}

const LAYERS: readonly Layer[] = config.LAYERS;
const check = layerViolations as (dirs?: string[], baseDir?: string) => Promise<Violation[]>;

/** The first folder of a layer, from its path pattern: `^lib/io/` → `lib/io`. */
const folderOf = (l: Layer) =>
  l.paths
    .find((p) => p.endsWith("/"))!
    .replace(/^\^/, "")
    .replace(/\/$/, "");

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A tree of files (path → content) in a fresh directory. */
function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), "layers-"));
  dirs.push(dir);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

const importOf = (from: string, to: string) => {
  const rel = path.relative(path.dirname(from), to).replace(/\.ts$/, "");
  return `import { x } from "${rel.startsWith(".") ? rel : `./${rel}`}";\nexport const y = x;\n`;
};

describe("import layers", () => {
  it("the repository has no import against its layers, no circle, no import between lib/ and the fake", async () => {
    expect(await check()).toEqual([]);
  }, 120_000);

  it("every import against the layer order is reported, every import down or within a layer is not", async () => {
    const files: Record<string, string> = {};
    const expected: Violation[] = [];
    LAYERS.forEach((l) => (files[`${folderOf(l)}/target.ts`] = "export const x = 1;\n"));
    LAYERS.forEach((low, i) =>
      LAYERS.forEach((high, j) => {
        if (i === j) return;
        const from = `${folderOf(low)}/to-${high.name}.ts`;
        const to = `${folderOf(high)}/target.ts`;
        files[from] = importOf(from, to);
        if (j > i) expected.push({ rule: `layer-${low.name}`, from, to });
      }),
    );
    // siblings of one layer import one another
    const consumers = LAYERS.find((l) => l.paths.length > 2)!;
    const [a, b] = consumers.paths.map((p) => p.replace(/^\^/, "").replace(/\/$/, ""));
    files[`${a}/sibling.ts`] = importOf(`${a}/sibling.ts`, `${b}/target.ts`);
    files[`${b}/target.ts`] = "export const x = 1;\n";

    const found = await check(["lib"], tree(files));
    const key = (v: Violation) => `${v.rule} ${v.from} -> ${v.to}`;
    expect(found.map(key).sort()).toEqual(expected.map(key).sort());
    expect(expected).toHaveLength((LAYERS.length * (LAYERS.length - 1)) / 2);
  }, 120_000);

  it("a circle in lib/ (reported once), a file in no layer, lib/ importing the rehearsal, the fake importing lib/ and a deep import of cdktf are reported", async () => {
    const dir = tree({
      "lib/model/a.ts": importOf("lib/model/a.ts", "lib/model/b.ts"),
      "lib/model/b.ts": importOf("lib/model/b.ts", "lib/model/a.ts"),
      "lib/elsewhere/c.ts": importOf("lib/elsewhere/c.ts", "lib/io/d.ts"),
      "lib/io/d.ts": "export const x = 1;\n",
      "lib/io/e.ts": importOf("lib/io/e.ts", "lib/elsewhere/c.ts"),
      "lib/cli/f.ts": importOf("lib/cli/f.ts", "rehearsal/run.ts"),
      "rehearsal/run.ts": importOf("rehearsal/run.ts", "lib/io/d.ts"),
      "rehearsal/provider.cjs": `const { x } = require("../lib/io/d");\nmodule.exports = { x };\n`,
      "main.ts": importOf("main.ts", "lib/cli/f.ts"),
      "lib/synth/g.ts": `import { StackSynthesizer } from "cdktf/lib/synthesize/synthesizer";\nexport const y = StackSynthesizer;\n`,
    });
    const rules = (await check(["lib", "rehearsal", "main.ts"], dir)).map((v) => `${v.rule} ${v.from}`).sort();
    expect(rules).toEqual(
      [
        "no-circular lib/model/a.ts",
        "lib-in-a-layer lib/elsewhere/c.ts",
        "lib-imports-layered lib/io/e.ts",
        "lib-not-rehearsal lib/cli/f.ts",
        "fake-not-lib rehearsal/provider.cjs",
        "main-is-wiring main.ts",
        "cdktf-deep-imports lib/synth/g.ts",
      ].sort(),
    );
  }, 120_000);
});
