/** npm run audit as a whole process: a table or JSON, its exit codes, and state it refuses to call clean. */
import { mkdtempSync, writeFileSync } from "node:fs";
import path from "node:path";
import { stringify } from "yaml";
import { beforeAll, describe, expect, it } from "vitest";
import { MULTI_FILE, edited } from "../helpers";
import { outputs } from "../outputs";
import { stateOf } from "../faithful";
import { MULTI_STACKS as ALL, resourceAt, statesOf as states } from "../state";
import { launch } from "./cli";

const { work, synth } = outputs("audit-cli-");
let multi: string;
beforeAll(async () => {
  multi = await synth(MULTI_FILE, "multi");
});

describe("audit, run as a process", () => {
  it("cannot be talked into clean: empty, shapeless and unreadable state is refused with exit 3", () => {
    const dir = mkdtempSync(path.join(work, "audit-hostile-"));
    const run = (content: unknown) => {
      const file = path.join(dir, "state.json");
      writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content));
      return launch("audit", [file], { cwd: dir, env: { ...process.env, DELEGATION_CONFIG: MULTI_FILE } });
    };
    const cases: [unknown, string][] = [
      [{ format_version: "1.0" }, "holds no state (no values)"],
      [{ format_version: "1.0", values: { root_module: {} } }, "holds no resources"],
      [{ format_version: "1.0", values: { root_module: { resources: {} } } }, "values.root_module.resources is not a list"],
      [
        { format_version: "1.0", values: { root_module: { resources: [42] } } },
        "values.root_module.resources[0] is not an object",
      ],
      [{ format_version: "1.0", values: [] }, "values.root_module is not an object"],
      ['{"format_version":"1.0","format_version":"1.0"}', "a key appears twice"],
      ["", "empty file (did terraform show fail? it writes nothing on error)"],
      ["\n", "empty file (did terraform show fail?"],
    ];
    for (const [content, why] of cases) {
      const out = run(content);
      expect(out.status, why).toBe(3);
      expect(out.stderr.trim().split("\n"), why).toHaveLength(1);
      expect(out.stderr, why).toContain(why);
      expect(out.stdout).not.toContain("No findings");
    }
  });

  it("npm run audit: a table or JSON, exit 1 on errors, 0 when clean, 3 on unreadable input", () => {
    const dir = mkdtempSync(path.join(work, "audit-"));
    const files = states(multi, ALL).map(({ id, state }) => {
      const file = path.join(dir, `${id}.json`);
      writeFileSync(file, JSON.stringify(state));
      return file;
    });
    const run = (env: Record<string, string>, ...args: string[]) =>
      launch("audit", args, { cwd: dir, env: { ...process.env, DELEGATION_CONFIG: MULTI_FILE, ...env } });
    const clean = run({}, ...files);
    expect(clean.status).toBe(0);
    expect(clean.stdout).toContain("0 errors, 0 warnings; 4 partners in the config");
    expect(clean.stdout).toContain("No findings in what was audited.");

    const revoked = path.join(dir, "revoked.yaml");
    writeFileSync(revoked, stringify(edited(MULTI_FILE, (c) => (c.partners[0].revoked = true))));
    const drift = run({ DELEGATION_CONFIG: revoked }, ...files);
    expect(drift.status).toBe(1);
    expect(drift.stdout).toContain(
      "| error | enterprise-b | REVOKED-PRESENT | the partner is revoked but role eventbridge-publisher-b still exists |",
    );
    const json = JSON.parse(run({ DELEGATION_CONFIG: revoked }, "--json", ...files).stdout);
    expect(json.findings.map((f: { check: string }) => f.check)).toEqual(["REVOKED-PRESENT", "REVOKED-PRESENT"]);

    const notState = path.join(dir, "not-state.json");
    writeFileSync(notState, JSON.stringify({ resources: [] }));
    const bad = run({}, notState);
    expect(bad.status).toBe(3);
    expect(bad.stderr.trim()).toBe(`${notState}: not Terraform JSON output (no format_version); use terraform show -json`);
    expect(run({}).status).toBe(3);
  });

  describe("on a changed state", () => {
    it("npm run audit exits 3 with one line naming the address for non-map tags", () => {
      const xs = states(multi, ALL);
      resourceAt(stateOf(xs, "owner"), "alicloud_ram_role.enterprise-b").values.tags = ["a", "b"];
      const file = path.join(work, "owner-tags.json");
      writeFileSync(file, JSON.stringify(stateOf(xs, "owner")));
      const out = launch("audit", [file], { cwd: work, env: { ...process.env, DELEGATION_CONFIG: MULTI_FILE } });
      expect(out.status).toBe(3);
      expect(out.stderr.trim().split("\n")).toEqual([
        `${file}: alicloud_ram_role.enterprise-b.tags: expected a map of strings, got ["a","b"]; cannot audit what it does`,
      ]);
      expect(out.stdout).toBe("");
    });
  });
});
