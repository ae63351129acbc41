/**
 * The mechanisms behind fast synth (not their speed: `npm run bench` measures that): sharded
 * synthesis on worker threads gives the same bytes as one thread, and the bundled synth command
 * never runs stale code.
 */
import { spawnSync } from "node:child_process";
import fs, { cpSync, mkdtempSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { benchConfig } from "../scripts/bench-config.mjs";
import { shardOf } from "../lib/synth/shard";
import { PARALLEL_MIN_PARTNERS, synthesize } from "../lib/synth/synth";
import { EXAMPLE_FILE, NOW, ROOT } from "./helpers";
import { tree } from "./tree";

describe("sharding", () => {
  it("splits partners into contiguous blocks, the owner's shard taking fewer", () => {
    const shards = Array.from({ length: 1000 }, (_, i) => shardOf(i, 1000, 2));
    expect(shards).toEqual([...shards].sort());
    const first = shards.filter((s) => s === 0).length;
    expect(first).toBeGreaterThan(300);
    expect(first).toBeLessThan(500);
    expect(new Set(Array.from({ length: 10 }, (_, i) => shardOf(i, 10, 4)))).toEqual(new Set([0, 1, 2, 3]));
    expect(shardOf(0, 1, 1)).toBe(0);
  });

  it("worker threads write exactly what one thread writes", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "shards-"));
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
