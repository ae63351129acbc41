#!/usr/bin/env node
/**
 * Synth benchmark: median wall time and peak memory of the synth commands, against the floor of
 * loading cdktf at all (each run paired with a run of the floor; "× floor" is the median of the
 * pairs' ratios). Plain Node, no test runner; prints a Markdown table and the targets.
 *
 *   npm run bench [-- --runs 5] [-- --skip-tests]
 *
 * Peak memory is the largest resident set of any Node.js process of the command (npm, the
 * synth, the cdktf CLI), reported by a preloaded probe at each process's exit.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { benchConfig } from "./bench-config.mjs";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const args = process.argv.slice(2);
const runs = Math.max(5, Number(args[args.indexOf("--runs") + 1]) || 5);
const skipTests = args.includes("--skip-tests");

const work = mkdtempSync(path.join(os.tmpdir(), "bench-"));
const probe = path.join(work, "rss-probe.cjs");
writeFileSync(
  probe,
  `process.on("exit", () => { try { require("fs").writeFileSync(require("path").join(process.env.BENCH_RSS_DIR, String(process.pid)), String(process.resourceUsage().maxRSS)); } catch {} });\n`,
);

function measureOnce(command, argv, env) {
  const rssDir = mkdtempSync(path.join(work, "rss-"));
  const start = process.hrtime.bigint();
  const result = spawnSync(command, argv, {
    cwd: root,
    encoding: "utf8",
    env: {
      ...process.env,
      ...env,
      BENCH_RSS_DIR: rssDir,
      NODE_OPTIONS: `--require ${probe} --max-old-space-size=4096`,
      CHECKPOINT_DISABLE: "1",
    },
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) {
    throw new Error(`${command} ${argv.join(" ")} exited ${result.status}\n${result.stdout}\n${result.stderr}`);
  }
  const rssKb = Math.max(0, ...readdirSync(rssDir).map((f) => Number(readFileSync(path.join(rssDir, f), "utf8"))));
  return { ms, rssMb: rssKb / 1024 };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const FLOOR = [process.execPath, ["-e", "require('cdktf')"]];

/**
 * One warm-up run (builds the bundle and its code cache, warms the file cache), then `n` timed
 * runs, each right after a run of the floor: the "× floor" figure is the median of those pairs'
 * ratios, which holds when a shared machine's speed drifts between one command and the next.
 */
function measure(label, command, argv, env = {}, n = runs) {
  process.stderr.write(`${label} …`);
  measureOnce(command, argv, env);
  const samples = Array.from({ length: n }, () => {
    const floorRun = measureOnce(...FLOOR, {});
    const run = measureOnce(command, argv, env);
    return { ...run, ratio: run.ms / floorRun.ms };
  });
  process.stderr.write(" done\n");
  return {
    label,
    runs: n,
    ms: median(samples.map((s) => s.ms)),
    ratio: median(samples.map((s) => s.ratio)),
    rssMb: Math.max(...samples.map((s) => s.rssMb)),
  };
}

/** The floor itself: `n` runs after a warm-up. */
function measureFloor(label, n = runs) {
  process.stderr.write(`${label} …`);
  measureOnce(...FLOOR, {});
  const samples = Array.from({ length: n }, () => measureOnce(...FLOOR, {}));
  process.stderr.write(" done\n");
  return { label, runs: n, ms: median(samples.map((s) => s.ms)), ratio: 1, rssMb: Math.max(...samples.map((s) => s.rssMb)) };
}

const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const npx = process.platform === "win32" ? "npx.cmd" : "npx";
const outdir = (name) => path.join(work, `out-${name}`);

const rows = [];
const floor = measureFloor(`floor: node -e "require('cdktf')"`);
rows.push(floor);
// the synth itself, started with bare node as the floor is; then through npm, as users run it
const bare = measure("node scripts/synth.cjs (example)", process.execPath, [path.join("scripts", "synth.cjs")], {
  CDKTF_OUTDIR: outdir("bare"),
});
rows.push(bare);
const example = measure("npm run synth (example)", npm, ["run", "--silent", "synth"], { CDKTF_OUTDIR: outdir("example") });
rows.push(example);

const sizes = [1, 10, 100, 1000];
const generated = new Map();
for (const n of sizes) {
  const file = path.join(work, `partners-${n}.json`);
  writeFileSync(file, JSON.stringify(benchConfig(n)));
  const row = measure(`npm run synth (${n} partner${n === 1 ? "" : "s"})`, npm, ["run", "--silent", "synth"], {
    DELEGATION_CONFIG: file,
    CDKTF_OUTDIR: outdir(`p${n}`),
  });
  row.partners = n;
  generated.set(n, row);
  rows.push(row);
}
// marginal time per partner, from the previous size
for (let i = 1; i < sizes.length; i++) {
  const [a, b] = [generated.get(sizes[i - 1]), generated.get(sizes[i])];
  b.perPartnerMs = (b.ms - a.ms) / (sizes[i] - sizes[i - 1]);
}

mkdirSync(outdir("cli"), { recursive: true });
rows.push(measure("npx cdktf synth (example)", npx, ["cdktf", "synth", "--output", outdir("cli")]));
// the unit, snapshot and property tests (the target), then the whole suite, which also runs
// Terraform and whole processes (no target: it is reported)
const tests = skipTests
  ? undefined
  : measure("unit tests (npm test -- --project unit)", npm, ["test", "--silent", "--", "--project", "unit"], {}, 1);
const allTests = skipTests ? undefined : measure("npm test (unit + integration)", npm, ["test", "--silent"], {}, 1);
if (tests) rows.push(tests, allTests);

const fmt = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`);
const cpu = os.cpus();
console.log(
  `\nMachine: ${cpu.length} × ${cpu[0]?.model.trim() ?? "cpu"}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()}; median of ${runs} runs after one warm-up (tests: 1 run)\n`,
);
console.log("| command | median | × floor | ms / partner (marginal) | peak memory |");
console.log("|---|---:|---:|---:|---:|");
for (const r of rows) {
  const perPartner = r.perPartnerMs === undefined ? "" : r.perPartnerMs.toFixed(2);
  console.log(`| ${r.label} | ${fmt(r.ms)} | ${r.ratio.toFixed(2)} | ${perPartner} | ${Math.round(r.rssMb)} MB |`);
}

const p10 = generated.get(10),
  p100 = generated.get(100),
  p1000 = generated.get(1000);
const flatness = p1000.perPartnerMs / p100.perPartnerMs;
const targets = [
  [`example with bare node ≤ 1× floor`, bare.ratio <= 1, `${bare.ratio.toFixed(2)}×`],
  [`example through npm ≤ 2× floor`, example.ratio <= 2, `${example.ratio.toFixed(2)}×`],
  [`1,000 partners ≤ 15× floor`, p1000.ratio <= 15, `${p1000.ratio.toFixed(2)}×`],
  [`1,000 partners ≤ 600 MB`, p1000.rssMb <= 600, `${Math.round(p1000.rssMb)} MB`],
  [
    `time per partner flat from 10 to 1,000 (100→1,000 within 1.5× of 10→100)`,
    flatness <= 1.5,
    `10→100: ${p100.perPartnerMs.toFixed(2)} ms, 100→1,000: ${p1000.perPartnerMs.toFixed(2)} ms (1→10: ${p10.perPartnerMs.toFixed(2)} ms)`,
  ],
  ...(tests ? [[`unit tests < 20 s`, tests.ms < 20_000, fmt(tests.ms)]] : []),
];
console.log("");
for (const [name, ok, figure] of targets) console.log(`${ok ? "met    " : "MISSED "} ${name}: ${figure}`);
rmSync(work, { recursive: true, force: true });
