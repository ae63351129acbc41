import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
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
  it("calls only npm scripts that exist", () => {
    const called = [...JSON.stringify(workflow).matchAll(/npm (?:run (?:--silent )?([\w:-]+)|(test)\b)/g)].map(
      (m) => m[1] ?? m[2],
    );
    expect(called.length).toBeGreaterThan(8);
    for (const script of called) expect(scripts, `npm script ${script}`).toContain(script);
  });

  it("on pull requests: installs, tests, synthesizes, reports and diffs against the base branch, and comments", () => {
    expect(workflow.on.pull_request).toBeDefined();
    for (const job of ["head", "comment", "gate"]) expect(workflow.jobs[job].if ?? "").toContain("pull_request");
    const script = runs("head");
    for (const command of ["npm ci", "npm test", "npm run synth", "npm run report"]) expect(script).toContain(command);
    // the verdict comes from the base branch's own access-diff, run on the change's synth output
    const diff = workflow.jobs.diff;
    expect(diff.needs).toBe("head");
    expect(steps("diff")[0].with).toEqual({ ref: "${{ github.event.pull_request.base.sha }}", "persist-credentials": false });
    expect(runs("diff")).toContain('npm run --silent access-diff -- "$RUNNER_TEMP/base.out" "$RUNNER_TEMP/head.out"');
    const download = steps("diff").find((s) => s.uses?.startsWith("actions/download-artifact@"));
    expect(download?.with).toEqual({ name: "head-synth", path: "${{ runner.temp }}/head.out" });
    const upload = steps("head").find((s) => s.uses?.startsWith("actions/upload-artifact@") && s.with?.name === "head-synth");
    expect(upload?.with?.path).toBe("cdktf.out/");
  });

  describe("trust boundaries", () => {
    const jobs = Object.entries(workflow.jobs as Record<string, { permissions?: Record<string, string>; steps: Step[] }>);
    const writes = (job: { permissions?: Record<string, string> }) =>
      Object.values(job.permissions ?? {}).some((level) => level === "write");

    it("the pull request's code runs only with a read-only token and no persisted git credentials", () => {
      expect(workflow.permissions).toEqual({ contents: "read" });
      for (const [name, job] of jobs) {
        if (name === "deploy") continue; // pushes to main only: the repository's own code
        const runsCode = job.steps.some((s) => s.run !== undefined || s.uses?.startsWith("./"));
        const checksOut = job.steps.some((s) => s.uses?.startsWith("actions/checkout@"));
        if (writes(job)) expect([name, runsCode, checksOut]).toEqual([name, false, false]);
        for (const s of job.steps.filter((s) => s.uses?.startsWith("actions/checkout@")))
          expect([name, s.with?.["persist-credentials"]]).toEqual([name, false]);
      }
      expect(writes(workflow.jobs.head)).toBe(false);
      expect(writes(workflow.jobs.diff)).toBe(false);
    });

    it("the comment is posted by a job that runs none of the pull request's code, from artifacts it reads as text", () => {
      const comment = workflow.jobs.comment;
      expect(comment.permissions).toEqual({ "pull-requests": "write" });
      expect(comment.needs).toEqual(expect.arrayContaining(["head", "diff"]));
      expect(steps("comment").map((s) => s.uses?.replace(/@.*/, ""))).toEqual([
        "actions/download-artifact",
        "actions/github-script",
      ]);
      expect(steps("comment")[0].with).toMatchObject({ pattern: "comment-*", "merge-multiple": true });
      // every job that writes a part uploads it as comment-<name>
      for (const job of ["head", "diff"])
        expect(
          steps(job).some((s) => s.uses?.startsWith("actions/upload-artifact@") && /^comment-/.test(String(s.with?.name))),
        ).toBe(true);
    });

    it("the gate runs again when a label is added or removed, and reads the labels the pull request has then", () => {
      expect(workflow.on.pull_request.types).toEqual(
        expect.arrayContaining(["opened", "synchronize", "reopened", "labeled", "unlabeled"]),
      );
      // no job decides on the labels an event carried (a re-run replays an old event)
      expect(workflowText).not.toMatch(/pull_request\.labels/);
      expect(workflow.jobs.gate.permissions).toEqual({ "pull-requests": "read" });
      expect(steps("gate").some((s) => s.uses?.startsWith("actions/checkout@"))).toBe(false);
    });
  });

  it("on pull requests: rehearses the base branch, then the change on the accounts the base left, and comments the plan", () => {
    const plan = workflow.jobs.plan;
    expect(plan.permissions).toEqual({ contents: "read" });
    // offline: no secret reaches the rehearsal
    expect(JSON.stringify(plan)).not.toMatch(/secrets\./);
    const names = steps("plan").map((s) => s.name ?? s.uses);
    const base = names.indexOf("Rehearse the base branch");
    const head = names.indexOf("Rehearse the change on the accounts the base branch left");
    expect(base).toBeGreaterThan(-1);
    expect(head).toBeGreaterThan(base);
    expect(steps("plan")[base]).toMatchObject({ "working-directory": "base" });
    const rehearse = String(steps("plan")[head].run);
    expect(rehearse).toContain("cp -R ../base/.rehearsal .rehearsal");
    expect(rehearse).toContain("npm run --silent rehearsal-plan -- .rehearsal");
    expect(rehearse).toContain('"$RUNNER_TEMP/comment/20-rehearsal.md"');
    expect(
      steps("plan").some((s) => s.uses?.startsWith("actions/upload-artifact@") && s.with?.name === "comment-rehearsal"),
    ).toBe(true);
    expect(workflow.jobs.comment.needs).toContain("plan");
  });

  it("on main: deploys this repository's side with OSS state and credentials from repository secrets", () => {
    expect(workflow.on.push.branches).toEqual(["main"]);
    const job = workflow.jobs.deploy;
    expect(job.if).toContain("refs/heads/main");
    expect(job.env.ALIBABA_CLOUD_ACCESS_KEY_ID).toBe("${{ secrets.ALIBABA_CLOUD_ACCESS_KEY_ID }}");
    expect(job.env.ALICLOUD_ACCESS_KEY).toBe("${{ secrets.ALIBABA_CLOUD_ACCESS_KEY_ID }}");
    const script = runs("deploy");
    expect(script).toContain('node scripts/ci-deploy.cjs >> "$GITHUB_OUTPUT"');
    expect(script).toMatch(/npx cdktf deploy \$STACKS --auto-approve/);
    const deploy = steps("deploy").find((s) => s.name === "Deploy") as Step & { env: Record<string, string> };
    expect(deploy.env.STACKS).toBe("${{ steps.side.outputs.stacks }}");
  });
});
