/**
 * The pull-request workflow's gate job, which reads the pull request's labels with a token, run
 * here as it runs on GitHub: its shell script under bash, with a stand-in `gh`.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { step } from "../workflow-file";

const work = mkdtempSync(path.join(tmpdir(), "workflow-gate-"));

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
