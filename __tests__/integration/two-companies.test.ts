/**
 * The two-repository flow end to end, through the commands each company runs and real Terraform
 * against the stand-in provider: Northwind (A) synthesizes and deploys its owner stack and sends a
 * handoff; Contoso (B) commits it, deploys its own stack and assumes the role. Then A rotates the
 * ExternalId and later revokes the partner, and B follows each change. Each company has its own
 * directory, state and fake RAM account; only the handoff file passes between them. Skipped, with
 * one line saying so, where no terraform binary is on PATH; CI requires one.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parse, stringify } from "yaml";
import { afterAll, describe, expect, it } from "vitest";
import { rehearse } from "../../rehearsal/run";
import { terraformOnPath } from "./terraform";
import { NOW } from "../helpers";

const ROOT = path.resolve(__dirname, "..", "..");
const EXAMPLES = path.join(ROOT, "examples", "two-companies");
const A_ACCOUNT = "1122334455667788";
const B_ACCOUNT = "8877665544332211";
const ROLE_ARN = `acs:ram::${A_ACCOUNT}:role/contoso-shipment-publisher`;

const terraform = terraformOnPath("the two-company flow");

interface Ram {
  roles: Record<string, { arn: string; document: string }>;
  policies: Record<string, { defaultVersion: string; versions: { id: string; document: string }[] }>;
  groups: Record<string, unknown>;
  users: Record<string, unknown>;
  members: { group: string; user: string }[];
  groupAttachments: { group: string; policy: string; type: string }[];
}

interface Statement {
  Effect: string;
  Action: string[] | string;
  Resource?: string[] | string;
  Principal?: { RAM?: string[] | string };
  Condition?: Record<string, Record<string, string[]>>;
}
const list = (v: string[] | string | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const statements = (document: string): Statement[] => (JSON.parse(document) as { Statement: Statement[] }).Statement;

/**
 * Whether `user` of B's account may assume the role `roleArn` of A's account with `externalId`,
 * read from the two accounts' RAM after the applies: a cross-account AssumeRole needs both the
 * role's trust policy (trusting B's account, the ExternalId condition matching) and an identity
 * policy of the caller that allows sts:AssumeRole on that role (rehearsal/FACTS.md, RAM 4-5). Only
 * the statement shapes this product writes are read; anything else is "no".
 */
function mayAssume(a: Ram, b: Ram, user: string, roleArn: string, externalId: string): boolean {
  const role = Object.values(a.roles).find((r) => r.arn === roleArn);
  const trusted = role
    ? statements(role.document).some(
        (s) =>
          s.Effect === "Allow" &&
          list(s.Action).includes("sts:AssumeRole") &&
          list(s.Principal?.RAM).includes(`acs:ram::${B_ACCOUNT}:root`) &&
          list(s.Condition?.StringEquals?.["sts:ExternalId"]).includes(externalId),
      )
    : false;
  const groups = b.members.filter((m) => m.user === user).map((m) => m.group);
  const permitted = b.groupAttachments
    .filter((x) => groups.includes(x.group) && x.type === "Custom")
    .some((x) => {
      const policy = b.policies[x.policy];
      const version = policy?.versions.find((v) => v.id === policy.defaultVersion);
      return statements(version!.document).some(
        (s) => s.Effect === "Allow" && list(s.Action).includes("sts:AssumeRole") && list(s.Resource).includes(roleArn),
      );
    });
  return trusted && permitted;
}

describe.runIf(terraform)("two companies, two repositories, one handoff", () => {
  const work = mkdtempSync(path.join(tmpdir(), "two-companies-e2e-"));
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  // the cloud: one fake RAM file per account, shared by both companies' rehearsals
  const ramDir = path.join(work, "cloud");
  const ram = (account: string): Ram => JSON.parse(readFileSync(path.join(ramDir, `${account}.json`), "utf8"));

  /** A company's repository: a copy of its example, with its own state. */
  const repository = (name: string) => {
    const dir = path.join(work, name);
    cpSync(path.join(EXAMPLES, name), dir, { recursive: true });
    const config = path.join(dir, "delegation.yaml");
    const cli = (command: string, ...args: string[]) =>
      spawnSync(process.execPath, [path.join(ROOT, "scripts", "launch.cjs"), command, ...args], {
        cwd: dir,
        encoding: "utf8",
        env: { ...process.env, DELEGATION_CONFIG: "", CDKTF_OUTDIR: "" },
      });
    return {
      dir,
      edit(fn: (c: any) => void) {
        const c = parse(readFileSync(config, "utf8"));
        fn(c);
        writeFileSync(config, stringify(c));
      },
      /** `npm run rehearse` with this repository's state and the shared cloud kept across runs. */
      deploy: (outdir = path.join(dir, "cdktf.out")) =>
        rehearse({ configFile: config, outdir, now: NOW, ramDir, dir: path.join(dir, ".rehearsal") }),
      cli,
    };
  };
  const a = repository("enterprise-a");
  const b = repository("enterprise-b");
  /** A sends the handoff of contoso-logistics; B commits it where its config points. */
  const send = () =>
    copyFileSync(
      path.join(a.dir, "cdktf.out", "handoffs", "contoso-logistics.json"),
      path.join(b.dir, "handoffs", "northwind.json"),
    );

  it("A deploys its owner stack only, and writes one handoff per partner", async () => {
    const result = await a.deploy();
    expect(result.stacks.map((s) => [s.stack, s.accountId, s.applyErrors, s.replanDiff, s.auditErrors])).toEqual([
      ["owner", A_ACCOUNT, undefined, undefined, []],
    ]);
    expect(Object.keys(ram(A_ACCOUNT).roles).sort()).toEqual(["contoso-shipment-publisher", "fabrikam-rules"]);
    const handoff = JSON.parse(readFileSync(path.join(a.dir, "cdktf.out", "handoffs", "contoso-logistics.json"), "utf8"));
    expect(handoff.role.arn).toBe(ram(A_ACCOUNT).roles["contoso-shipment-publisher"].arn);
  });

  it("B deploys from the handoff alone; its users may then assume A's role, and assume tells them how", async () => {
    // B's repository starts from its own copy of the handoff; the one A just wrote replaces it
    send();
    const result = await b.deploy();
    expect(result.stacks.map((s) => [s.stack, s.accountId, s.applyErrors, s.replanDiff, s.auditErrors])).toEqual([
      ["partner-contoso-logistics", B_ACCOUNT, undefined, undefined, []],
    ]);
    expect(Object.keys(ram(B_ACCOUNT).users).sort()).toEqual(["dana", "shipment-bot"]);
    for (const user of ["dana", "shipment-bot"])
      expect(mayAssume(ram(A_ACCOUNT), ram(B_ACCOUNT), user, ROLE_ARN, "contoso-7d41be")).toBe(true);
    // a wrong ExternalId, or a user outside the group, is not let in
    expect(mayAssume(ram(A_ACCOUNT), ram(B_ACCOUNT), "dana", ROLE_ARN, "guess")).toBe(false);
    expect(mayAssume(ram(A_ACCOUNT), ram(B_ACCOUNT), "mallory", ROLE_ARN, "contoso-7d41be")).toBe(false);

    const assume = b.cli("assume", "--partner", "contoso-logistics");
    expect(assume.stderr).toBe("");
    expect(assume.status).toBe(0);
    expect(assume.stdout).toContain(`Role to assume:  ${ROLE_ARN}`);
    expect(assume.stdout).toContain("ExternalId:      contoso-7d41be");
    // both companies' reports print the same digest
    const digest = JSON.parse(readFileSync(path.join(b.dir, "handoffs", "northwind.json"), "utf8")).digest;
    expect(assume.stdout).toContain(`Handoff digest:  ${digest}`);
    const [aReport, bReport] = [a.cli("report"), b.cli("report")];
    expect([aReport.status, bReport.status]).toEqual([0, 0]);
    const short = digest.slice("sha256:".length, "sha256:".length + 12);
    expect(aReport.stdout).toContain(short);
    expect(bReport.stdout).toContain(short);
  });

  it("A rotates the ExternalId: B's access-diff shows the new handoff, and after B's deploy assume prints the new value", async () => {
    cpSync(path.join(b.dir, "cdktf.out"), path.join(work, "b-before"), { recursive: true });
    a.edit((c) => (c.partners[0].role.externalId = "contoso-2b90e4"));
    expect((await a.deploy()).ok).toBe(true);
    // until B takes the new handoff, the old ExternalId no longer opens the role
    expect(mayAssume(ram(A_ACCOUNT), ram(B_ACCOUNT), "dana", ROLE_ARN, "contoso-7d41be")).toBe(false);
    expect(mayAssume(ram(A_ACCOUNT), ram(B_ACCOUNT), "dana", ROLE_ARN, "contoso-2b90e4")).toBe(true);

    send();
    const before = ram(B_ACCOUNT);
    const result = await b.deploy();
    expect(result.ok).toBe(true);
    // B's resources stay as they were: the ExternalId is A's condition and B's callers' setting
    expect(ram(B_ACCOUNT)).toEqual(before);
    const diff = b.cli("access-diff", path.join(work, "b-before"));
    expect(diff.status).toBe(0); // nothing broadens
    // the Markdown escapes the parentheses
    expect(diff.stdout).toMatch(/handoff changed: digest [0-9a-f]{12} \\\(was [0-9a-f]{12}\\\)/);
    expect(diff.stdout).toContain("trust: ExternalId changed");
    expect(b.cli("assume", "--partner", "contoso-logistics").stdout).toContain("ExternalId:      contoso-2b90e4");
  });

  it("A revokes: the role is gone, and B's next deploy removes the assume permission but keeps its people", async () => {
    a.edit((c) => (c.partners[0].revoked = true));
    expect((await a.deploy()).ok).toBe(true);
    expect(Object.keys(ram(A_ACCOUNT).roles)).toEqual(["fabrikam-rules"]);
    expect(mayAssume(ram(A_ACCOUNT), ram(B_ACCOUNT), "dana", ROLE_ARN, "contoso-2b90e4")).toBe(false);

    send();
    const synth = spawnSync(process.execPath, [path.join(ROOT, "scripts", "synth.cjs")], {
      cwd: b.dir,
      encoding: "utf8",
      env: { ...process.env, DELEGATION_CONFIG: "", CDKTF_OUTDIR: "" },
    });
    expect(synth.status).toBe(0);
    expect(synth.stdout + synth.stderr).toContain("HANDOFF-REVOKED");
    const result = await b.deploy();
    expect(result.ok).toBe(true);
    const bRam = ram(B_ACCOUNT);
    expect(bRam.groupAttachments).toEqual([]);
    expect(Object.keys(bRam.users).sort()).toEqual(["dana", "shipment-bot"]);
    expect(Object.keys(bRam.groups)).toEqual(["northwind-publishers"]);
    const assume = b.cli("assume", "--partner", "contoso-logistics");
    expect(assume.status).toBe(3); // the review commands' exit code for input they cannot use
    expect(assume.stderr.trim()).toBe("--partner: contoso-logistics is revoked; there is no role to assume");
  });
});
