/**
 * Stacks a change stops making while they are deployed (lib/plan/left-behind.ts): the rehearsal
 * records them, the plan comment warns about them, and a record that is not what the rehearsal
 * writes is refused, never read as "none". The rehearsal finds them through real Terraform
 * states (integration/kept-rehearsal.test.ts).
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { leftBehindLine, readLeftBehindFile } from "../lib/plan/left-behind";
import { renderPlanMarkdown } from "../lib/plan/markdown";
import { InputError } from "../lib/readers/files";

const dir = mkdtempSync(path.join(tmpdir(), "left-behind-"));
let n = 0;
const file = (content: string) => {
  const f = path.join(dir, `left-behind-${n++}.json`);
  writeFileSync(f, content);
  return f;
};

describe("stacks left behind", () => {
  it("reads what the rehearsal writes; no file is not known, never none", () => {
    const f = file(
      JSON.stringify([
        { stack: "partner-enterprise-b", resources: 8 },
        { stack: "partner-c", resources: null },
      ]),
    );
    expect(readLeftBehindFile(f)).toEqual([
      { stack: "partner-enterprise-b", resources: 8 },
      { stack: "partner-c", resources: null },
    ]);
    expect(readLeftBehindFile(path.join(dir, "missing.json"))).toBeUndefined();
  });

  it.each([
    ["not JSON", "{"],
    ["not a list", JSON.stringify({ stack: "owner", resources: 1 })],
    ["an unknown key", JSON.stringify([{ stack: "owner", resources: 1, note: "x" }])],
    ["a missing count", JSON.stringify([{ stack: "owner" }])],
    ["no resources (never recorded)", JSON.stringify([{ stack: "owner", resources: 0 }])],
    ["a count that is not a whole number", JSON.stringify([{ stack: "owner", resources: "8" }])],
    ["a stack id with a path in it", JSON.stringify([{ stack: "../owner", resources: 1 }])],
    ["a stack id with control characters", JSON.stringify([{ stack: "owner\u001b[2J", resources: 1 }])],
  ])("refuses a record with %s", (_why, content) => {
    expect(() => readLeftBehindFile(file(content))).toThrow(InputError);
  });

  it("says what stays in the account and what to do instead", () => {
    expect(leftBehindLine({ stack: "partner-enterprise-b", resources: 8 })).toBe(
      "WARNING partner-enterprise-b is no longer made by the config: the 8 resources of its deployed state stay in the account, since cdktf deploy deploys only the stacks it synthesizes; destroy it (npm run cdktf -- destroy partner-enterprise-b) before removing it from the config, or revoke the delegation instead",
    );
    expect(leftBehindLine({ stack: "partner-c", resources: null })).toContain(
      "WARNING partner-c is no longer made by the config: whatever its deployed state holds (it cannot be read) stays in the account,",
    );
    expect(leftBehindLine({ stack: "partner-c", resources: 1 })).toContain(
      "the 1 resource of its deployed state stays in the account,",
    );
  });

  it("is a warning of its own in the plan comment, with each stack escaped", () => {
    const md = renderPlanMarkdown([], { onBase: true, leftBehind: [{ stack: "partner-b_c", resources: 1 }] });
    expect(md).toContain(
      "> [!WARNING]\n> **This change stops making 1 deployed stack: its resources stay in the account, managed by no one**",
    );
    expect(md).toContain("> - <code>partner-b\\_c</code>: 1 resource\n");
    expect(renderPlanMarkdown([], { onBase: true, leftBehind: [] })).not.toContain("stops making");
  });

  it("says in the plan comment when no list was recorded: a rehearsal that did not finish", () => {
    const plan = { stack: "owner", add: 1, change: 0, replace: 0, destroy: 0, losses: [], notUnderstood: [] };
    expect(renderPlanMarkdown([plan], { onBase: true, leftBehind: undefined })).toContain(
      "> [!CAUTION]\n> **Whether this change leaves a deployed stack behind is not known**",
    );
    expect(renderPlanMarkdown([plan], { onBase: true, leftBehind: [] })).not.toContain("CAUTION");
  });
});
