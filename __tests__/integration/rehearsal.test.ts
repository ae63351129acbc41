/**
 * Deploy paths through real Terraform and the stand-in provider (rehearsal/): what the stacks
 * apply, re-plan, revoke and drift to. Skipped, with one line saying so, where no terraform binary
 * is on PATH; CI requires one.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { stringify } from "yaml";
import { afterAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../lib/config/load";
import { ALICLOUD_PROVIDER } from "../../lib/facts";
import { buildModel } from "../../lib/describe/model";
import { auditDelegations } from "../../lib/audit/state";
import { readStateFile } from "../../lib/readers/files";
import { rehearse } from "../../rehearsal/run";
import { terraformOnPath } from "./terraform";
import { EXAMPLE_FILE, MULTI_FILE, NOW, edited, rawConfig } from "../helpers";

describe("the rehearsal provider", () => {
  it("installs as the provider version the stacks pin", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS test component
    const { VERSION } = require("../../rehearsal/mirror.cjs");
    expect(VERSION).toBe(ALICLOUD_PROVIDER.version);
  });
});

const terraform = terraformOnPath("deploy-path tests");

describe.runIf(terraform)("rehearsals with real Terraform", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "rehearse-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let n = 0;
  /** A fresh project directory with a config; returns what rehearse needs. */
  const project = (config: object) => {
    const home = path.join(dir, `p${++n}`);
    const keep = { dir: path.join(home, ".rehearsal") };
    const file = path.join(home, "delegation.yaml");
    mkdirSync(home, { recursive: true });
    writeFileSync(file, stringify(config));
    return {
      home,
      file,
      ...keep,
      write: (next: object) => writeFileSync(file, stringify(next)),
      run: () => rehearse({ configFile: file, outdir: path.join(home, "cdktf.out"), now: NOW, ...keep }),
      ram: (account: string) => JSON.parse(readFileSync(path.join(keep.dir, "ram", `${account}.json`), "utf8")),
    };
  };
  const cwd = process.cwd();
  const inProject = async <T>(home: string, fn: () => Promise<T>) => {
    process.chdir(home);
    try {
      return await fn();
    } finally {
      process.chdir(cwd);
    }
  };

  it("the example applies, re-plans empty and audits clean; nothing reaches the user's stacks or state", async () => {
    const p = project(rawConfig(EXAMPLE_FILE));
    const result = await inProject(p.home, p.run);
    expect(result.stacks.map((s) => [s.stack, s.resources, s.applyErrors, s.replanDiff, s.auditErrors])).toEqual([
      ["owner", 3, undefined, undefined, []],
      ["partner-enterprise-b", 8, undefined, undefined, []],
    ]);
    expect(result.ok).toBe(true);
    // computed attributes as the provider sets them
    const owner = JSON.parse(readFileSync(result.stacks[0].stateFile, "utf8"));
    const role = owner.values.root_module.resources.find((r: any) => r.type === "alicloud_ram_role").values;
    expect(role.arn).toBe("acs:ram::1000000000000001:role/eventbridge-publisher-b");
    expect(role.name).toBe(role.role_name);
    expect(role.document).toBe(role.assume_role_policy_document);
    // the user's stack directories hold no lock file, and no state was written beside the project
    for (const stack of ["owner", "partner-enterprise-b"])
      expect(readdirSync(path.join(p.home, "cdktf.out", "stacks", stack))).toEqual(["cdk.tf.json"]);
    expect(readdirSync(p.home).filter((f) => f.endsWith(".tfstate"))).toEqual([]);
  });

  it("a rich config (several partners, MFA, source IPs, validity, system policy, rules, a revoked partner, OSS state) applies and re-plans empty", async () => {
    const config = edited(MULTI_FILE, (c) => {
      c.owner.backend = { type: "oss", bucket: "a-tf-state", region: "cn-hangzhou" };
      c.partners[0].grants[0].rules = ["orders-*"];
    });
    const p = project(config);
    const result = await inProject(p.home, p.run);
    for (const s of result.stacks) {
      expect(s.applyErrors, s.stack).toBeUndefined();
      expect(s.replanDiff, s.stack).toBeUndefined();
      expect(s.auditErrors, s.stack).toEqual([]);
    }
    const a = p.ram("1000000000000001");
    expect(Object.keys(a.roles).sort()).toEqual(["eventbridge-publisher-b", "eventbridge-reader-b", "eventbridge-readonly-c"]);
    expect(a.roleAttachments.filter((x: any) => x.type === "System").map((x: any) => x.policy)).toContain(
      "AliyunEventBridgeReadOnlyAccess",
    );
    // the revoked partner's side keeps its group and users but no assume permission
    const d = p.ram("4000000000000004");
    expect(Object.keys(d.groups)).toEqual(["eventbridge-publishers"]);
    expect(d.groupAttachments).toEqual([]);
  });

  it("revoking a partner removes its role, policies and attachments, and B's next apply removes the assume permission", async () => {
    const p = project(rawConfig(EXAMPLE_FILE));
    await inProject(p.home, p.run);
    expect(Object.keys(p.ram("1000000000000001").roles)).toEqual(["eventbridge-publisher-b"]);
    expect(p.ram("2000000000000002").groupAttachments).toHaveLength(1);
    p.write(edited(EXAMPLE_FILE, (c) => (c.partners[0].revoked = true)));
    const result = await inProject(p.home, p.run);
    expect(result.ok).toBe(true);
    const a = p.ram("1000000000000001");
    expect([a.roles, a.policies, a.roleAttachments]).toEqual([{}, {}, []]);
    const b = p.ram("2000000000000002");
    expect(b.groupAttachments).toEqual([]);
    expect(Object.keys(b.users).sort()).toEqual(["alice", "orders-ci"]);
  });

  it("a user B adds appears in RAM and the re-plan is empty", async () => {
    const p = project(rawConfig(EXAMPLE_FILE));
    await inProject(p.home, p.run);
    p.write(edited(EXAMPLE_FILE, (c) => c.partners[0].partnerSide.users.push({ name: "bob" })));
    const result = await inProject(p.home, p.run);
    expect(result.ok).toBe(true);
    const b = p.ram("2000000000000002");
    expect(Object.keys(b.users)).toContain("bob");
    expect(b.members).toContainEqual({ group: "eventbridge-publishers-a", user: "bob" });
  });

  it("drift made in RAM (an added action, a detached policy) is reported by the audit after a refresh", async () => {
    const p = project(rawConfig(EXAMPLE_FILE));
    const result = await inProject(p.home, p.run);
    const file = path.join(p.dir, "ram", "1000000000000001.json");
    const ram = JSON.parse(readFileSync(file, "utf8"));
    const policy = ram.policies["eventbridge-delegation-enterprise-b-1"];
    const doc = JSON.parse(policy.versions[0].document);
    doc.Statement[0].Action.push("eventbridge:DeleteEventBus");
    policy.versions[0].document = JSON.stringify(doc);
    writeFileSync(file, JSON.stringify(ram));
    const audit = () => {
      const refresh = result.terraform("owner", "apply", "-refresh-only", "-auto-approve", "-no-color");
      expect(refresh.status, refresh.stderr + refresh.stdout).toBe(0);
      const state = path.join(p.home, "owner.json");
      writeFileSync(state, result.terraform("owner", "show", "-json").stdout);
      const model = buildModel(loadConfig(p.file));
      return auditDelegations(model, [{ file: state, read: readStateFile(state) }], NOW).findings.map((f) => f.check);
    };
    expect(audit()).toEqual(expect.arrayContaining(["POLICY-DRIFT", "ACCESS-DRIFT"]));
    // detached: the refreshed state loses the attachment, and the audit says what is missing
    const again = JSON.parse(readFileSync(file, "utf8"));
    again.roleAttachments = [];
    writeFileSync(file, JSON.stringify(again));
    expect(audit()).toContain("POLICY-DRIFT");
  });

  it("config text holding ${...} or %{...} reaches RAM literally", async () => {
    const description = '${file("/etc/hostname")} %{ if true }x%{ endif }';
    const displayName = '${var.console_passwords["alice"]}';
    const p = project(
      edited(EXAMPLE_FILE, (c) => {
        c.partners[0].role.description = description;
        c.partners[0].partnerSide.users[0].displayName = displayName;
      }),
    );
    const result = await inProject(p.home, p.run);
    expect(result.ok).toBe(true);
    expect(p.ram("1000000000000001").roles["eventbridge-publisher-b"].description).toBe(description);
    const users = Object.values<any>(p.ram("2000000000000002").users);
    expect(users.map((u) => u.displayName)).toContain(displayName);
    expect(existsSync(path.join(p.dir, "owner.json"))).toBe(true);
  });
});
