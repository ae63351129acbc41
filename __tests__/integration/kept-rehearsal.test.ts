/**
 * `npm run rehearse` rehearses the change, not only the end state: the fake accounts and the
 * states the previous rehearsal left are kept in .rehearsal/ (no synth removes them), and each
 * rehearsal prints the plan of the change in Terraform's terms before applying it. Driven through
 * the real commands and real Terraform from a copy of the example: a grant changed (in place), the
 * role renamed (replaced), the partner revoked (destroyed), an apply RAM refuses half-way, a
 * partner side removed from the config (its deployed stack left behind).
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parse, stringify } from "yaml";
import { afterAll, describe, expect, it } from "vitest";
import { EXAMPLE_FILE, ROOT } from "../helpers";
import { terraformOnPath } from "./terraform";

const A = "1000000000000001";

describe.runIf(terraformOnPath("kept rehearsals"))("kept rehearsals of a change", () => {
  const project = mkdtempSync(path.join(tmpdir(), "kept-rehearsal-"));
  afterAll(() => rmSync(project, { recursive: true, force: true }));
  const config = path.join(project, "delegation.yaml");
  copyFileSync(EXAMPLE_FILE, config);
  const kept = path.join(project, ".rehearsal");
  const env: NodeJS.ProcessEnv = { ...process.env, CHECKPOINT_DISABLE: "1", DELEGATION_CONFIG: config };
  delete env.CDKTF_OUTDIR;
  const run = (script: string, ...args: string[]) => {
    const out = spawnSync(process.execPath, [path.join(ROOT, "scripts", script), ...args], {
      cwd: project,
      env,
      encoding: "utf8",
    });
    return { status: out.status, stdout: out.stdout, stderr: out.stderr };
  };
  const rehearse = (...args: string[]) => run("launch.cjs", "rehearse", ...args);
  const edit = (fn: (c: any) => void) => {
    const c = parse(readFileSync(config, "utf8"));
    fn(c);
    writeFileSync(config, stringify(c));
  };
  /** The plan lines of a rehearsal: counts, and the replaced or destroyed addresses. */
  const planLines = (stdout: string) => stdout.split("\n").filter((l) => / to destroy$/.test(l) || /^ {2}WARNING /.test(l));
  /** The audit of the kept states, as the README's audit section runs it. */
  const audit = () => run("launch.cjs", "audit", path.join(kept, "owner.json"), path.join(kept, "partner-enterprise-b.json"));
  const ram = (account: string) => JSON.parse(readFileSync(path.join(kept, "ram", `${account}.json`), "utf8"));

  it("rehearses the example from empty accounts, and the audit of the kept states is clean", () => {
    const out = rehearse();
    expect(out.status, out.stderr + out.stdout).toBe(0);
    expect(out.stdout).toContain("rehearsing from empty accounts");
    expect(planLines(out.stdout)).toEqual([
      "owner: 3 to add, 0 to change, 0 to replace, 0 to destroy",
      "partner-enterprise-b: 8 to add, 0 to change, 0 to replace, 0 to destroy",
    ]);
    expect(out.stdout).toContain("owner: 3 resources after the apply, re-plan empty, audit clean");
    expect(audit().status).toBe(0);
  });

  it("a synth leaves the kept accounts and states as they were", () => {
    const files = ["format-version", `ram/${A}.json`, "state/owner.tfstate", "owner.json", "partner-enterprise-b.json"];
    const before = files.map((f) => readFileSync(path.join(kept, f), "utf8"));
    const synth = run("synth.cjs");
    expect(synth.status, synth.stderr).toBe(0);
    expect(files.map((f) => readFileSync(path.join(kept, f), "utf8"))).toEqual(before);
  });

  it("a changed grant is an update in place of the permission policy", () => {
    edit((c) => (c.partners[0].grants[0].permissions = ["publish", "read"]));
    const out = rehearse();
    expect(out.status, out.stderr + out.stdout).toBe(0);
    expect(out.stdout).toContain("rehearsing the change to the accounts the previous rehearsal left");
    expect(planLines(out.stdout)).toEqual([
      "owner: 0 to add, 1 to change, 0 to replace, 0 to destroy",
      // B's side does not depend on the grants (its console password is the same every rehearsal)
      "partner-enterprise-b: 0 to add, 0 to change, 0 to replace, 0 to destroy",
    ]);
    // a new default version of the same policy (RAM keeps the old one)
    expect(ram(A).policies["eventbridge-delegation-enterprise-b-1"].versions.map((v: any) => v.id)).toEqual(["v1", "v2"]);
    expect(audit().status).toBe(0);
  });

  it("a renamed role is a replacement, named with the attribute that forces it and what it breaks", () => {
    edit((c) => (c.partners[0].role.name = "eventbridge-publisher-b2"));
    const out = rehearse();
    expect(out.status, out.stderr + out.stdout).toBe(0);
    const lines = planLines(out.stdout);
    expect(lines[0]).toBe("owner: 0 to add, 1 to change, 2 to replace, 0 to destroy");
    expect(lines[1]).toMatch(/^ {2}WARNING replaces alicloud_ram_role\.enterprise-b \(forced by role_name\): /);
    expect(lines[1]).toContain("open STS sessions lose the role's permissions");
    expect(lines[1]).toContain(`its ARN changes to acs:ram::${A}:role/eventbridge-publisher-b2`);
    expect(lines[2]).toMatch(
      /^ {2}WARNING replaces alicloud_ram_role_policy_attachment\.enterprise-b_permissions_1 \(forced by role_name\): /,
    );
    // B's side follows the new ARN in place
    expect(lines[3]).toMatch(/^partner-enterprise-b: 0 to add, \d+ to change, 0 to replace, 0 to destroy$/);
    expect(lines).toHaveLength(4);
    expect(Object.keys(ram(A).roles)).toEqual(["eventbridge-publisher-b2"]);
    expect(audit().status).toBe(0);
    // the same plan as the PR comment shows it, read from the kept plan files
    const md = run("launch.cjs", "rehearsal-plan");
    expect(md.status, md.stderr).toBe(0);
    expect(md.stdout).toContain("| <code>owner</code> | 0 | 1 | 2 | 0 |");
    // a finished rehearsal recorded which stacks it left behind: none
    expect(md.stdout).not.toContain("[!CAUTION]");
    expect(md.stdout).not.toContain("stops making");
    expect(md.stdout).toContain("> [!WARNING]\n> **This change replaces or destroys 2 resources of a deployed delegation.**");
    expect(md.stdout).toContain(
      "> - **replaces** <code>alicloud\\_ram\\_role.enterprise-b</code> in <code>owner</code> (forced by <code>role\\_name</code>)",
    );
  });

  it("a revoked partner is a destruction of its role, policy and assume permission", () => {
    edit((c) => (c.partners[0].revoked = true));
    const out = rehearse();
    expect(out.status, out.stderr + out.stdout).toBe(0);
    expect(planLines(out.stdout)).toEqual([
      "owner: 0 to add, 0 to change, 0 to replace, 3 to destroy",
      expect.stringMatching(/^ {2}WARNING destroys alicloud_ram_policy\.enterprise-b_permissions_1: /),
      expect.stringMatching(/^ {2}WARNING destroys alicloud_ram_role\.enterprise-b: role eventbridge-publisher-b2 is deleted/),
      expect.stringMatching(/^ {2}WARNING destroys alicloud_ram_role_policy_attachment\.enterprise-b_permissions_1: /),
      "partner-enterprise-b: 0 to add, 0 to change, 0 to replace, 2 to destroy",
      expect.stringMatching(
        /^ {2}WARNING destroys alicloud_ram_group_policy_attachment\.assume: group eventbridge-publishers-a loses/,
      ),
      expect.stringMatching(/^ {2}WARNING destroys alicloud_ram_policy\.assume: /),
    ]);
    // nothing is left in the owner's state to audit; B's state audits clean
    expect(out.stdout).toContain("owner: 0 resources after the apply, re-plan empty, nothing to audit");
    expect(run("launch.cjs", "audit", path.join(kept, "partner-enterprise-b.json")).status).toBe(0);
  });

  it("an apply RAM refuses half-way says where, keeps what it did, and the next rehearsal continues from there", () => {
    // reinstated under a name someone already gave a role in A's account by hand
    const intruder = ram(A);
    intruder.roles["eventbridge-publisher-b3"] = {
      name: "eventbridge-publisher-b3",
      id: "399999999999999999",
      arn: `acs:ram::${A}:role/eventbridge-publisher-b3`,
      document: '{"Version":"1","Statement":[]}',
      description: "",
      maxSessionDuration: 3600,
      tags: {},
      createTime: "2026-01-01T00:00:00Z",
    };
    writeFileSync(path.join(kept, "ram", `${A}.json`), JSON.stringify(intruder));
    edit((c) => {
      delete c.partners[0].revoked;
      c.partners[0].role.name = "eventbridge-publisher-b3";
    });
    const failed = rehearse();
    expect(failed.status).toBe(1);
    expect(failed.stdout).toContain(
      "owner: apply FAILED at alicloud_ram_role.enterprise-b: EntityAlreadyExists.Role: The role eventbridge-publisher-b3 already exists.",
    );
    // the policy was created before the role failed: it is in RAM and in the kept state
    expect(Object.keys(ram(A).policies)).toEqual(["eventbridge-delegation-enterprise-b-1"]);
    const state = JSON.parse(readFileSync(path.join(kept, "owner.json"), "utf8"));
    expect(state.values.root_module.resources.map((r: any) => r.address)).toEqual([
      "alicloud_ram_policy.enterprise-b_permissions_1",
    ]);

    // the role made by hand is removed; the next rehearsal adds only what is missing
    const cleared = ram(A);
    delete cleared.roles["eventbridge-publisher-b3"];
    writeFileSync(path.join(kept, "ram", `${A}.json`), JSON.stringify(cleared));
    const next = rehearse();
    expect(next.status, next.stderr + next.stdout).toBe(0);
    expect(planLines(next.stdout)[0]).toBe("owner: 2 to add, 0 to change, 0 to replace, 0 to destroy");
    expect(audit().status).toBe(0);
  });

  it("a partner side removed from the config is named: its deployed stack stays in the account", () => {
    const before = readFileSync(config, "utf8");
    edit((c) => delete c.partners[0].partnerSide);
    const out = rehearse();
    expect(out.status, out.stderr + out.stdout).toBe(0);
    expect(out.stdout).toMatch(
      /^WARNING partner-enterprise-b is no longer made by the config: the \d+ resources of its deployed state stay in the account, since cdktf deploy deploys only the stacks it synthesizes; destroy it \(npm run cdktf -- destroy partner-enterprise-b\)/m,
    );
    expect(JSON.parse(readFileSync(path.join(kept, "left-behind.json"), "utf8"))).toEqual([
      { stack: "partner-enterprise-b", resources: expect.any(Number) },
    ]);
    const md = run("launch.cjs", "rehearsal-plan");
    expect(md.status, md.stderr).toBe(0);
    expect(md.stdout).toContain("> **This change stops making 1 deployed stack: its resources stay in the account");
    expect(md.stdout).toMatch(/> - <code>partner-enterprise-b<\/code>: \d+ resources/);

    // made again, the stack is planned against its kept state: nothing is left behind
    writeFileSync(config, before);
    const again = rehearse();
    expect(again.status, again.stderr + again.stdout).toBe(0);
    expect(again.stdout).not.toContain("no longer made");
    expect(planLines(again.stdout)).toContain("partner-enterprise-b: 0 to add, 0 to change, 0 to replace, 0 to destroy");
    expect(JSON.parse(readFileSync(path.join(kept, "left-behind.json"), "utf8"))).toEqual([]);
  });

  it("--fresh starts from empty accounts; a folder of another format is refused in one line", () => {
    writeFileSync(path.join(kept, "format-version"), "eventbridge-delegation rehearsal folder, format 0\n");
    const refused = rehearse();
    expect(refused.status).toBe(3);
    expect(refused.stderr.trim().split("\n")).toEqual([
      expect.stringMatching(/^\.rehearsal was made by an incompatible version .*npm run rehearse -- --fresh/),
    ]);
    const fresh = rehearse("--fresh");
    expect(fresh.status, fresh.stderr + fresh.stdout).toBe(0);
    expect(planLines(fresh.stdout)[0]).toBe("owner: 3 to add, 0 to change, 0 to replace, 0 to destroy");
  });

  it("a folder that is not a rehearsal folder is refused, even with --fresh", () => {
    rmSync(path.join(kept, "format-version"));
    const refused = rehearse("--fresh");
    expect(refused.status).toBe(3);
    expect(refused.stderr).toMatch(/^\.rehearsal holds files but no format-version: it is not a rehearsal folder/);
    expect(readFileSync(path.join(kept, "state", "owner.tfstate"), "utf8")).toContain('"resources"');
  });
});
