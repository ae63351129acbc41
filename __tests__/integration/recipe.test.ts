/**
 * The README's access-diff recipe, run line by line as a reader would, in a fresh clone of this
 * repository (so it compares the committed `main` with a change in the clone's working tree).
 * The one substitution: `npm ci` becomes a link to this checkout's node_modules, which holds
 * exactly what `npm ci` installs from the same lock file, without minutes of installing.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { EXAMPLE_FILE, ROOT } from "../helpers";

const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");

/** The recipe's command lines, comments removed. */
function recipe(): string[] {
  const block = readme.split("<!-- access-diff recipe")[1].split("```sh\n")[1].split("```")[0];
  return block
    .split("\n")
    .map((line) => line.replace(/\s+#.*$/, "").trim())
    .filter(Boolean);
}

describe("the README's access-diff recipe", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "recipe-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("compares a change with main as written, and exits 2 when access broadens", () => {
    const work = path.join(dir, "work");
    const git = (...args: string[]) => spawnSync("git", args, { cwd: work, encoding: "utf8" });
    expect(spawnSync("git", ["clone", "-q", ROOT, work], { encoding: "utf8" }).status).toBe(0);
    // a clone of a checkout on another branch has no local main
    if (git("rev-parse", "--verify", "-q", "refs/heads/main").status !== 0) git("branch", "main", "HEAD");
    symlinkSync(path.join(ROOT, "node_modules"), path.join(work, "node_modules"));
    // main holds the product's example as the company's config (whatever this checkout's own is)
    const config = path.join(work, "delegation.yaml");
    writeFileSync(config, readFileSync(EXAMPLE_FILE, "utf8"));
    const commit = git(
      "-c",
      "user.name=test",
      "-c",
      "user.email=test@example.invalid",
      "commit",
      "-q",
      "--allow-empty",
      "-m",
      "example",
      "delegation.yaml",
    );
    expect(commit.status, commit.stderr).toBe(0);
    git("branch", "-f", "main", "HEAD"); // refused (and not needed) when main is the branch checked out
    // the change under review: the example partner may now also read the bus
    writeFileSync(config, readFileSync(config, "utf8").replace("permissions: [publish]", "permissions: [publish, read]"));

    const lines = recipe();
    expect(lines).toHaveLength(4);
    const env: NodeJS.ProcessEnv = { ...process.env, CHECKPOINT_DISABLE: "1" };
    delete env.DELEGATION_CONFIG;
    delete env.CDKTF_OUTDIR;
    const results = lines.map((line) => {
      const command = line.replace("npm ci", `ln -s ${JSON.stringify(path.join(ROOT, "node_modules"))} node_modules`);
      return { line, ...spawnSync("sh", ["-c", command], { cwd: work, env, encoding: "utf8" }) };
    });
    const [add, base, diff, remove] = results;
    expect(add.status, add.stderr).toBe(0);
    expect(base.status, base.stderr).toBe(0);
    expect(diff.status, diff.stderr).toBe(2);
    expect(diff.stdout).toContain("eventbridge:GetEventBus");
    expect(diff.stdout).toMatch(/broadening/i);
    expect(remove.status, remove.stderr).toBe(0);
    expect(existsSync(path.join(dir, "base"))).toBe(false);
  });
});
