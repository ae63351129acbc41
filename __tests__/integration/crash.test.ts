/**
 * The run contract under SIGKILL: a real synth process is killed at every file system change it
 * makes (writing the staging tree, carrying Terraform's working files, each rename of the swap,
 * removing the old tree, the lock). Whatever it left, the next synth recovers it, even one whose
 * own config is bad: the output is then the previous one or the new one, whole, with every stack's
 * `.terraform` and `.terraform.lock.hcl`, and nothing else is left beside it.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { EXAMPLE_FILE, ROOT } from "../helpers";

/** Every file below a directory, by relative path, with its content. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = path.join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out[path.relative(dir, p)] = readFileSync(p, "utf8");
    }
  };
  walk(dir);
  return out;
}

describe("a synth killed at any moment", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "crash-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const project = path.join(dir, "project");
  mkdirSync(project);
  const target = path.join(project, "cdktf.out");
  const example = readFileSync(EXAMPLE_FILE, "utf8");
  const config = (name: string, text: string) => {
    writeFileSync(path.join(project, name), text);
    return path.join(project, name);
  };
  const before = config("before.yaml", example);
  const after = config("after.yaml", example.replace("permissions: [publish]", "permissions: [publish, read]"));
  const bad = config("bad.yaml", example.replace("maxSessionDuration: 3600", "maxSessionDuration: 1"));
  const synth = (file: string, killAt?: number) =>
    spawnSync(
      process.execPath,
      [
        ...(killAt === undefined ? [] : ["--require", path.join(__dirname, "crash-preload.cjs")]),
        path.join(ROOT, "scripts", "synth.cjs"),
      ],
      {
        cwd: project,
        encoding: "utf8",
        env: { ...process.env, DELEGATION_CONFIG: file, CDKTF_OUTDIR: target, KILL_TARGET: target, KILL_AT: String(killAt) },
      },
    );
  const restore = (tree: Record<string, string>) => {
    for (const name of readdirSync(project))
      if (name.startsWith("cdktf.out")) rmSync(path.join(project, name), { recursive: true, force: true });
    for (const [file, content] of Object.entries(tree)) {
      mkdirSync(path.dirname(path.join(target, file)), { recursive: true });
      writeFileSync(path.join(target, file), content);
    }
  };
  const leftovers = () => readdirSync(project).filter((name) => name.startsWith("cdktf.out") && name !== "cdktf.out");

  it("leaves nothing the next synth cannot recover: previous or new output, whole, with Terraform's working files", () => {
    // the previous output, as `terraform init` left it
    expect(synth(before).status).toBe(0);
    for (const stack of readdirSync(path.join(target, "stacks"))) {
      mkdirSync(path.join(target, "stacks", stack, ".terraform", "providers"), { recursive: true });
      writeFileSync(path.join(target, "stacks", stack, ".terraform", "providers", "alicloud"), `provider of ${stack}`);
      writeFileSync(path.join(target, "stacks", stack, ".terraform.lock.hcl"), `lock of ${stack}`);
    }
    const previous = snapshot(target);
    expect(synth(after).status).toBe(0);
    const next = snapshot(target);
    expect(next).not.toEqual(previous);

    let point = 0;
    let killed = 0;
    for (;;) {
      point++;
      restore(previous);
      const run = synth(after, point);
      if (run.signal !== "SIGKILL") {
        expect(run.status, run.stderr).toBe(0); // past the last change: the synth finished
        break;
      }
      killed++;
      // a synth with a bad config still puts things right, and writes nothing of its own
      const refused = synth(bad);
      expect(refused.status, `killed at ${point}`).toBe(1);
      expect(leftovers(), `killed at ${point}`).toEqual([]);
      const now = snapshot(target);
      expect(
        [previous, next].some((tree) => JSON.stringify(tree) === JSON.stringify(now)),
        `killed at ${point}`,
      ).toBe(true);
      // and the next good synth gives the new output
      expect(synth(after).status, `killed at ${point}`).toBe(0);
      expect(snapshot(target), `killed at ${point}`).toEqual(next);
      expect(leftovers()).toEqual([]);
    }
    expect(killed).toBeGreaterThanOrEqual(15);
  });
});
