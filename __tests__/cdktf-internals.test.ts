/**
 * The overrides of cdktf's synthesis in lib/cdktf-internals/ (a hand-run App.synth(), a skipped
 * preparing pass, comments added after resolving, token creation stacks switched off, a deep
 * import): the output they give equals cdktf's own App.synth() on every fixture, and the
 * installed cdktf is the version they were written against.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { speedOverrides } from "../lib/cdktf-internals/stack";
import { CDKTF_OVERRIDES, CDKTF_VERSION } from "../lib/cdktf-internals/version";
import { loadModel } from "../lib/describe/model";
import { buildApp } from "../lib/synth/app";
import { synthShard } from "../lib/synth/shard";
import { synthesize } from "../lib/synth/synth";
import { EXAMPLE_FILE, MULTI_FILE, NOW, ROOT } from "./helpers";

const FIXTURES = [
  EXAMPLE_FILE,
  MULTI_FILE,
  path.join(ROOT, "examples", "two-companies", "enterprise-a", "delegation.yaml"),
  path.join(ROOT, "examples", "two-companies", "enterprise-b", "delegation.yaml"),
];

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Two sibling output directories, so that relative state paths come out alike. */
function outdirs(): [string, string] {
  const dir = mkdtempSync(path.join(tmpdir(), "cdktf-internals-"));
  dirs.push(dir);
  const pair: [string, string] = [path.join(dir, "a", "out"), path.join(dir, "b", "out")];
  pair.forEach((d) => mkdirSync(path.dirname(d)));
  return pair;
}

/** Every file under `dir`, relative path → text, but for the handoffs (the synth's own files). */
function files(dir: string, under = ""): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(path.join(dir, under)).sort()) {
    const rel = path.join(under, name);
    if (rel === "handoffs") continue;
    if (statSync(path.join(dir, rel)).isDirectory()) Object.assign(out, files(dir, rel));
    else out[rel] = readFileSync(path.join(dir, rel), "utf8");
  }
  return out;
}

/** cdktf's own App.synth() of the model of `file`, without the speed overrides. */
function cdktfSynth(file: string, outdir: string): Record<string, string> {
  speedOverrides.enabled = false;
  try {
    mkdirSync(outdir);
    buildApp(loadModel(file), { outdir, now: NOW }).app.synth();
  } finally {
    speedOverrides.enabled = true;
  }
  return files(outdir);
}

describe("cdktf internals", () => {
  it.each(FIXTURES.map((f) => [path.relative(ROOT, f), f]))(
    "%s: the synth writes byte for byte what cdktf's own App.synth() writes",
    async (_name, file) => {
      const [ours, theirs] = outdirs();
      await synthesize({ configFile: file, outdir: ours, now: NOW });
      const expected = cdktfSynth(file, theirs);
      expect(Object.keys(expected)).toContain("manifest.json");
      expect(Object.keys(expected).filter((f) => f.endsWith("cdk.tf.json")).length).toBeGreaterThan(0);
      expect(files(ours)).toEqual(expected);
    },
    120_000,
  );

  it("split into shards, the stacks are those of App.synth() too", () => {
    const model = loadModel(MULTI_FILE);
    const [ours, theirs] = outdirs();
    mkdirSync(path.join(ours, "stacks"), { recursive: true });
    mkdirSync(path.join(ours, "handoffs"));
    const shards = model.partnerSides.length;
    expect(shards).toBeGreaterThan(1);
    for (let shard = 0; shard < shards; shard++) synthShard({ model, outdir: ours, finalOutdir: ours, now: NOW, shard, shards });
    const expected = cdktfSynth(MULTI_FILE, theirs);
    const stacksOf = (all: Record<string, string>) =>
      Object.fromEntries(Object.entries(all).filter(([f]) => f.startsWith(`stacks${path.sep}`)));
    expect(stacksOf(files(ours))).toEqual(stacksOf(expected));
  }, 120_000);

  it("the installed cdktf is the version the overrides were written for", () => {
    const installed = JSON.parse(readFileSync(path.join(ROOT, "node_modules", "cdktf", "package.json"), "utf8")).version;
    const pinned = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")).dependencies.cdktf;
    const recheck = `the overrides of cdktf's synthesis were written for cdktf ${CDKTF_VERSION}; with cdktf ${installed}, re-check each of them, then set CDKTF_VERSION in lib/cdktf-internals/version.ts:\n${CDKTF_OVERRIDES.join("\n")}`;
    expect(installed, recheck).toBe(CDKTF_VERSION);
    expect(pinned, recheck).toBe(CDKTF_VERSION);
  });
});
