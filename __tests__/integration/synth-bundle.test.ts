/**
 * The bundled synth command (scripts/synth.cjs runs main.ts as a cached bundle) as whole processes:
 * sharded synthesis on its worker threads gives the same bytes as one thread, and the bundle is
 * rebuilt when a source file changes, and only then.
 */
import { spawnSync } from "node:child_process";
import fs, { cpSync, mkdtempSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { benchConfig } from "../../scripts/bench-config.mjs";
import { PARALLEL_MIN_PARTNERS, synthesize } from "../../lib/synth/synth";
import { EXAMPLE_FILE, NOW, ROOT } from "../helpers";
import { tree } from "../tree";
import { runSynth } from "./cli";

describe("sharding", () => {
  it("worker threads write exactly what one thread writes", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "shards-"));
    // a worker thread runs the bundle its main thread built: here the main thread is the test's,
    // which runs the synth in-process, so the synth command builds the bundle first
    expect(runSynth(dir, { DELEGATION_CONFIG: EXAMPLE_FILE, CDKTF_OUTDIR: path.join(dir, "example") }).status).toBe(0);
    const config = path.join(dir, "delegation.json");
    writeFileSync(config, JSON.stringify(benchConfig(PARALLEL_MIN_PARTNERS)));
    const one = await synthesize({ configFile: config, outdir: path.join(dir, "one"), now: NOW });
    const two = await synthesize({
      configFile: config,
      outdir: path.join(dir, "two"),
      now: NOW,
      workerEntry: path.join(ROOT, "scripts", "synth.cjs"),
      threads: 2,
    });
    expect([one.threads, two.threads]).toEqual([1, 2]);
    expect(two.stacks).toEqual(one.stacks);
    expect(tree(path.join(dir, "two"))).toEqual(tree(path.join(dir, "one")));
  });
});

describe("the bundled synth command", () => {
  it("rebuilds its bundle when a source file changes, and only then", () => {
    const project = mkdtempSync(path.join(tmpdir(), "project-"));
    for (const f of ["main.ts", "lib", ".gen", "scripts", "package.json", "package-lock.json"]) {
      cpSync(path.join(ROOT, f), path.join(project, f), { recursive: true });
    }
    cpSync(EXAMPLE_FILE, path.join(project, "delegation.yaml"));
    symlinkSync(path.join(ROOT, "node_modules"), path.join(project, "node_modules"), "dir");
    const synth = () => spawnSync(process.execPath, ["scripts/synth.cjs"], { cwd: project, encoding: "utf8" });
    const owner = () => readFileSync(path.join(project, "cdktf.out", "stacks", "owner", "cdk.tf.json"), "utf8");
    const bundle = path.join(project, "dist", "synth.js");

    expect(synth().status).toBe(0);
    expect(owner()).toContain('"configuration_source": "eventbridge-delegation/owner"');
    const built = statSync(bundle).mtimeMs;
    expect(synth().status).toBe(0);
    expect(statSync(bundle).mtimeMs).toBe(built);

    const account = path.join(project, "lib", "constructs", "account.ts");
    writeFileSync(
      account,
      readFileSync(account, "utf8").replace("`eventbridge-delegation/${target.stackId}`", "`edited/${target.stackId}`"),
    );
    expect(synth().status).toBe(0);
    expect(owner()).toContain('"configuration_source": "edited/owner"');

    // a worker thread never builds: it runs what its main thread checked (here: nothing built yet)
    const worker = spawnSync(
      process.execPath,
      [
        "-e",
        `new (require("node:worker_threads").Worker)(${JSON.stringify(path.join(project, "scripts", "launch.cjs"))}, { argv: ["schema"] }).on("error", (e) => { console.error(e.code); process.exitCode = 1; })`,
      ],
      { cwd: project, encoding: "utf8" },
    );
    expect(worker.stderr.trim()).toBe("ENOENT");
    expect(fs.existsSync(path.join(project, "dist", "schema.js"))).toBe(false);
  });
});
