/**
 * The pull-request workflow's comment job, which holds a token able to change the pull request,
 * run here as it runs on GitHub: its github-script with stand-ins for the objects github-script
 * passes it (integration/workflow-gate.test.ts: the gate job's shell script).
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { step } from "./workflow-file";

const work = mkdtempSync(path.join(tmpdir(), "workflow-"));

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
