/**
 * The README's first steps for a company's repository, run line by line in a fresh clone, for
 * each seat: `npm run init` writes the config and its policy snapshots, the company's test passes
 * with them, fails once a grant changes, and passes again after `npm run snapshots`.
 * Substitutions: `npm ci` becomes a link to this checkout's node_modules (what `npm ci` installs
 * from the same lock file), and `npm test` runs only the company's project, under CI=true (the
 * product's own tests are the rest of this suite).
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { EXAMPLE_FILE as EXAMPLE, ROOT } from "../helpers";

const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");

/** The first steps' command lines, comments removed. */
function firstSteps(): string[] {
  const block = readme.split("<!-- first steps")[1].split("```sh\n")[1].split("```")[0];
  return block
    .split("\n")
    .map((line) => line.replace(/\s+#.*$/, "").trim())
    .filter(Boolean);
}

const env: NodeJS.ProcessEnv = {
  ...process.env,
  CI: "true",
  GIT_AUTHOR_NAME: "test",
  GIT_AUTHOR_EMAIL: "test@example.invalid",
  GIT_COMMITTER_NAME: "test",
  GIT_COMMITTER_EMAIL: "test@example.invalid",
};
delete env.DELEGATION_CONFIG;
delete env.CDKTF_OUTDIR;

function files(dir: string, prefix = ""): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`]))
    .sort();
}

describe("a company's first steps (README, Your own repository)", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "init-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** A fresh clone of this repository, and a shell in it. */
  function clone(name: string) {
    const work = path.join(dir, name);
    expect(spawnSync("git", ["clone", "-q", ROOT, work], { encoding: "utf8" }).status).toBe(0);
    // the product as it comes, whatever config and snapshots this repository's company committed
    cpSync(EXAMPLE, path.join(work, "delegation.yaml"));
    rmSync(path.join(work, "policies"), { recursive: true, force: true });
    const sh = (command: string) => spawnSync("sh", ["-c", command], { cwd: work, env, encoding: "utf8" });
    const node = JSON.stringify(path.join(ROOT, "node_modules"));
    /** Runs a README line with the two substitutions. */
    const line = (l: string, seat = "--owner") =>
      sh(
        l
          .replace("npm ci", `ln -s ${node} node_modules`)
          .replace("--owner", seat)
          .replace(/^npm test$/, "npm test -- --project company"),
      );
    return { work, sh, line };
  }

  it("owner: init writes a valid owner config and its snapshots; a changed grant fails CI until npm run snapshots", () => {
    const { work, sh, line } = clone("owner");
    const [install, init, test, commit] = firstSteps();
    expect(firstSteps()).toHaveLength(4);
    expect(line(install).status).toBe(0);

    const made = line(init);
    expect(made.status, made.stderr).toBe(0);
    expect(made.stdout).toContain("wrote delegation.yaml (owner form: owner + partners[])");
    expect(made.stdout).toMatch(/wrote policies\/ \(3 snapshot files/);
    expect(made.stdout).toContain("git add delegation.yaml policies");
    const config = readFileSync(path.join(work, "delegation.yaml"), "utf8");
    expect(config.split("\n")[0]).toBe("# yaml-language-server: $schema=./delegation.schema.json");
    expect(files(path.join(work, "policies"))).toEqual([
      "owner/attachments.json",
      "owner/first-partner.trust.json",
      "owner/first-partner_permissions_1.policy.json",
    ]);
    // the product's fixtures stay where its tests need them
    expect(existsSync(path.join(work, "__tests__", "fixtures", "example.yaml"))).toBe(true);
    expect(existsSync(path.join(work, "examples", "two-companies"))).toBe(true);

    const tested = line(test);
    expect(tested.status, tested.stdout + tested.stderr).toBe(0);
    expect(line(commit).status).toBe(0);
    expect(sh("git status --porcelain").stdout).toBe("");

    // a second init does not overwrite the company's config
    const again = line(init, "--partner");
    expect(again.status).toBe(3);
    expect(again.stderr.trim()).toBe("delegation.yaml: already holds a config; edit it, or pass --force to replace it");
    expect(readFileSync(path.join(work, "delegation.yaml"), "utf8")).toBe(config);

    // a pull request that widens a grant: CI fails on that policy's snapshot
    writeFileSync(path.join(work, "delegation.yaml"), config.replace("permissions: [publish]", "permissions: [publish, read]"));
    const widened = line(test);
    expect(widened.status).not.toBe(0);
    expect(widened.stdout).toMatch(/policies\/owner\/first-partner_permissions_1\.policy\.json/);
    expect(widened.stdout).not.toMatch(/×.*first-partner\.trust\.json/);
    const updated = sh("npm run snapshots");
    expect(updated.status, updated.stderr).toBe(0);
    expect(sh("git diff --stat -- policies").stdout).toContain("owner/first-partner_permissions_1.policy.json");
    expect(sh("git diff -- policies").stdout).toMatch(/^\+\s+"eventbridge:GetEventBus"/m);
    expect(line(test).status).toBe(0);
  });

  it("partner: init writes a partner config with no delegation yet; adding one from a handoff adds its snapshots", () => {
    const { work, sh, line } = clone("partner");
    const [install, init, test] = firstSteps();
    expect(line(install).status).toBe(0);
    // bad settings are refused before anything is written
    const bad = sh("npm run -s init -- --partner --account-id 12");
    expect(bad.status).toBe(3);
    expect(bad.stderr).toContain("partner.accountId");
    expect(readFileSync(path.join(work, "delegation.yaml"), "utf8")).toBe(readFileSync(EXAMPLE, "utf8"));

    const made = line(`${init} --name contoso-logistics --account-id 8877665544332211 --region cn-shanghai`, "--partner");
    expect(made.status, made.stderr).toBe(0);
    expect(made.stdout).toContain("wrote delegation.yaml (partner form: partner + delegations[])");
    expect(made.stdout).toContain("no policy snapshots yet: the config makes no stack until a delegation is added");
    expect(files(path.join(work, "policies"))).toEqual([]);
    expect(line(test).status).toBe(0);

    // the owner's handoff arrives: B commits it and adds the delegation (the two-company example's)
    const example = path.join(work, "examples", "two-companies", "enterprise-b");
    cpSync(path.join(example, "handoffs"), path.join(work, "handoffs"), { recursive: true });
    const text = readFileSync(path.join(example, "delegation.yaml"), "utf8").replace(
      "../../../delegation.schema.json",
      "./delegation.schema.json",
    );
    writeFileSync(path.join(work, "delegation.yaml"), text);
    const stale = line(test);
    expect(stale.status).not.toBe(0);
    expect(stale.stdout).toContain("policies/partner-contoso-logistics/assume.policy.json");
    expect(sh("npm run snapshots").status).toBe(0);
    expect(files(path.join(work, "policies"))).toEqual([
      "partner-contoso-logistics/assume.policy.json",
      "partner-contoso-logistics/attachments.json",
    ]);
    expect(line(test).status).toBe(0);
  });
});
