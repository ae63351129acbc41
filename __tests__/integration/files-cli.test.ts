/**
 * Only regular files are read as config, handoff, state or manifest: the commands refuse a FIFO or
 * a directory before anything is read. Every command runs with a time limit, so that one that
 * blocks on a FIFO fails the test instead of hanging the suite.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { EXAMPLE_FILE, ROOT } from "../helpers";

const work = mkdtempSync(path.join(tmpdir(), "files-"));
const TWO = path.join(ROOT, "examples", "two-companies");
/** A reader that blocks is killed after this long; every reader here answers in a few seconds. */
const LIMIT_MS = 90_000;

function fifo(file: string): string {
  mkdirSync(path.dirname(file), { recursive: true });
  const made = spawnSync("mkfifo", [file]);
  if (made.status !== 0) throw new Error(`mkfifo ${file}: ${made.stderr}`);
  return file;
}

/** Runs one of the product's commands; `timedOut` when it had to be killed. */
function command(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, args, {
    cwd: work,
    encoding: "utf8",
    timeout: LIMIT_MS,
    killSignal: "SIGKILL",
    env: { ...process.env, ...env },
  });
  return { status: r.status, stderr: r.stderr, stdout: r.stdout, timedOut: r.signal === "SIGKILL" };
}
const launch = (...args: string[]) =>
  command([path.join(ROOT, "scripts", "launch.cjs"), ...args], { DELEGATION_CONFIG: EXAMPLE_FILE });
const synth = (config: string) =>
  command([path.join(ROOT, "scripts", "synth.cjs")], { DELEGATION_CONFIG: config, CDKTF_OUTDIR: path.join(work, "out") });

describe("only regular files are read by the commands", () => {
  it("a FIFO as the config: refused at once", () => {
    const file = fifo(path.join(work, "config-fifo", "delegation.yaml"));
    const r = synth(file);
    expect(r.timedOut).toBe(false);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain(`${file}: is a FIFO (named pipe), not a regular file; refusing to read it`);
  });

  it("a FIFO as a handoff: refused at once, naming the config field", () => {
    const dir = path.join(work, "partner");
    cpSync(path.join(TWO, "enterprise-b", "delegation.yaml"), path.join(dir, "delegation.yaml"));
    fifo(path.join(dir, "handoffs", "northwind.json"));
    const r = synth(path.join(dir, "delegation.yaml"));
    expect(r.timedOut).toBe(false);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(
      /delegations\[0\]\.handoff: handoffs\/northwind\.json: is a FIFO \(named pipe\), not a regular file/,
    );
  });

  it("a FIFO as a state file, a directory as a state file: refused at once", () => {
    const state = fifo(path.join(work, "state-fifo.json"));
    const r = launch("audit", state);
    expect(r.timedOut).toBe(false);
    expect(r.status).toBe(3);
    expect(r.stderr).toContain("is a FIFO (named pipe), not a regular file");
    const dir = path.join(work, "state-dir.json");
    mkdirSync(dir);
    expect(launch("audit", dir).stderr).toContain("is a directory, not a regular file");
  });

  it("a FIFO as a synth output's manifest: refused at once", () => {
    const out = path.join(work, "out-fifo");
    fifo(path.join(out, "manifest.json"));
    const r = launch("access-diff", out, out);
    expect(r.timedOut).toBe(false);
    expect(r.status).toBe(3);
    expect(r.stderr).toContain("manifest.json: is a FIFO (named pipe), not a regular file");
  });
});
