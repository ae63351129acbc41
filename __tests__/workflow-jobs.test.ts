/**
 * The pull-request workflow's two jobs that hold a token able to see or change the pull request,
 * run here as they run on GitHub: the gate's shell script with a stand-in `gh`, and the comment
 * job's github-script with stand-ins for the objects github-script passes it.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { ROOT } from "./helpers";

const workflow = parse(readFileSync(path.join(ROOT, ".github", "workflows", "delegation.yml"), "utf8"));
type Step = { name?: string; run?: string; uses?: string; with?: Record<string, string>; env?: Record<string, string> };
const step = (job: string, pick: (s: Step) => boolean): Step => (workflow.jobs[job].steps as Step[]).find(pick)!;
const work = mkdtempSync(path.join(tmpdir(), "workflow-"));

describe("the gate job", () => {
  const script = step("gate", (s) => s.run !== undefined).run!;
  const bin = path.join(work, "bin");
  mkdirSync(bin, { recursive: true });
  // a stand-in for the GitHub CLI: logs its arguments, prints $FAKE_LABELS, or fails
  writeFileSync(
    path.join(bin, "gh"),
    '#!/bin/sh\necho "$*" >> "$GH_LOG"\n[ -n "$FAKE_GH_FAIL" ] && exit 1\nprintf "%s\\n" "$FAKE_LABELS"\n',
  );
  chmodSync(path.join(bin, "gh"), 0o755);

  const gate = (env: Record<string, string>) => {
    const log = path.join(work, `gh-${Math.random().toString(36).slice(2)}.log`);
    writeFileSync(log, "");
    // GitHub runs `run:` scripts with bash --noprofile --norc -eo pipefail
    const r = spawnSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", script], {
      encoding: "utf8",
      env: {
        PATH: `${bin}:${process.env.PATH}`,
        GH_LOG: log,
        GH_TOKEN: "t",
        REPO: "a/b",
        PR: "7",
        DIFF_RESULT: "success",
        ...env,
      },
    });
    return { status: r.status, out: r.stdout, gh: readFileSync(log, "utf8") };
  };

  it("passes a change that broadens nothing without asking for labels", () => {
    expect(gate({ DIFF_EXIT: "0" })).toMatchObject({ status: 0, gh: "" });
  });

  it("reads the labels the pull request has when it runs", () => {
    const refused = gate({ DIFF_EXIT: "2", FAKE_LABELS: "bug\nneeds-review" });
    expect(refused.status).toBe(1);
    expect(refused.out).toContain("::error::this change broadens who may do what");
    expect(refused.gh).toBe("api repos/a/b/issues/7/labels --paginate --jq .[].name\n");
    const approved = gate({ DIFF_EXIT: "2", FAKE_LABELS: "bug\naccess-broadening-approved" });
    expect(approved).toMatchObject({ status: 0 });
    expect(approved.out).toContain("Approved by the access-broadening-approved label");
    // a label that merely contains the name does not count
    expect(gate({ DIFF_EXIT: "2", FAKE_LABELS: "not-access-broadening-approved" }).status).toBe(1);
  });

  it("fails closed: no diff, unreadable inputs or unreadable labels", () => {
    expect(gate({ DIFF_RESULT: "skipped", FAKE_LABELS: "access-broadening-approved" }).status).toBe(1);
    expect(gate({ DIFF_RESULT: "failure", DIFF_EXIT: "0" }).status).toBe(1);
    expect(gate({ DIFF_EXIT: "3", FAKE_LABELS: "access-broadening-approved" }).status).toBe(1);
    expect(gate({ DIFF_EXIT: "2", FAKE_GH_FAIL: "1", FAKE_LABELS: "access-broadening-approved" }).status).toBe(1);
    // an unknown effect (the base could not be synthesized) may be approved once reviewed
    expect(gate({ DIFF_EXIT: "unknown", FAKE_LABELS: "access-broadening-approved" }).status).toBe(0);
    expect(gate({ DIFF_EXIT: "unknown", FAKE_LABELS: "" }).status).toBe(1);
  });
});

describe("the comment job", () => {
  const post = step("comment", (s) => s.uses?.startsWith("actions/github-script@") === true);
  const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor;
  const marker = "<!-- eventbridge-delegation -->";

  /** Runs the script as github-script does, with stand-ins; returns what it did. */
  async function comment(parts: Record<string, string>, opts: { fork?: boolean; previous?: object[] } = {}) {
    const dir = mkdtempSync(path.join(work, "parts-"));
    for (const [name, text] of Object.entries(parts)) writeFileSync(path.join(dir, name), text);
    const calls: [string, Record<string, unknown>][] = [];
    const summaries: string[] = [];
    const notices: string[] = [];
    const core = {
      notice: (m: string) => notices.push(m),
      summary: { addRaw: (t: string) => ({ write: async () => summaries.push(t) }) },
    };
    const api = (name: string) => async (args: Record<string, unknown>) => calls.push([name, args]);
    const github = {
      paginate: async () => opts.previous ?? [],
      rest: {
        issues: { listComments: api("list"), createComment: api("create"), updateComment: api("update") },
      },
    };
    const context = { repo: { owner: "a", repo: "b" }, issue: { number: 7 } };
    const env = { PARTS: dir, FORK: opts.fork ? "true" : "false" };
    const saved = { ...process.env };
    Object.assign(process.env, env);
    try {
      await new AsyncFunction("require", "github", "context", "core", post.with!.script)(
        createRequire(__filename),
        github,
        context,
        core,
      );
    } finally {
      for (const k of Object.keys(env)) if (saved[k] === undefined) delete process.env[k];
    }
    return { calls, summaries, notices };
  }

  const PARTS = {
    "90-access-report.md": "<details><summary>Access report</summary>\n\nreport\n</details>\n",
    "10-access-diff.md": "# Access changes\n",
    "20-rehearsal.md": "plan lines\n",
    "notes.txt": "not a part",
  };

  it("joins the parts in file-name order and comments once", async () => {
    const { calls, summaries } = await comment(PARTS);
    expect(calls).toEqual([["create", expect.objectContaining({ owner: "a", repo: "b", issue_number: 7 })]]);
    const body = calls[0][1].body as string;
    expect(body).toBe(`${marker}\n# Access changes\n\nplan lines\n\n${PARTS["90-access-report.md"]}`);
    expect(summaries).toEqual([body]);
  });

  it("updates its own earlier comment, never someone else's", async () => {
    const mine = { id: 1, user: { login: "github-actions[bot]" }, body: `${marker}\nold` };
    const theirs = { id: 2, user: { login: "mallory" }, body: `${marker}\nlooks official` };
    expect((await comment(PARTS, { previous: [theirs, mine] })).calls).toEqual([
      ["update", expect.objectContaining({ comment_id: 1 })],
    ]);
    expect((await comment(PARTS, { previous: [theirs] })).calls.map(([name]) => name)).toEqual(["create"]);
  });

  it("gives a fork's pull request the report in the job summary instead of failing", async () => {
    const { calls, summaries, notices } = await comment(PARTS, { fork: true });
    expect(calls).toEqual([]);
    expect(summaries[0]).toContain("# Access changes");
    expect(notices.join()).toContain("fork");
  });

  it("posts nothing when the jobs before wrote nothing", async () => {
    expect(await comment({})).toMatchObject({ calls: [], summaries: [] });
  });
});
