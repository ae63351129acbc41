/**
 * Two companies, two repositories: the owner's example synthesizes its stack and the handoffs,
 * the partner's example builds its stack from the handoff alone, and the partner's checks refuse
 * or warn about every handoff that does not fit.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Ajv from "ajv";
import { parse, stringify } from "yaml";
import { beforeAll, describe, expect, it } from "vitest";
import { ConfigError } from "../lib/config/issues";
import { HANDOFF_SCHEMA_FILE, handoffJsonSchema } from "../lib/config/json-schema";
import { canonicalJson, handoffDigest, renderHandoff, type Handoff } from "../lib/handoff/handoff";
import { readHandoff } from "../lib/handoff/read";
import { accessReport } from "../lib/review/access";
import { auditDelegations } from "../lib/audit/state";
import { diffAccess } from "../lib/review/diff";
import { readSynthOutput } from "../lib/readers/files";
import { readState } from "../lib/readers/terraform";
import { synthesize } from "../lib/synth/synth";
import { loadModel } from "../lib/describe/model";
import { NOW, ROOT } from "./helpers";
import { stateFromStack } from "./state";
import { tree } from "./tree";

const EXAMPLES = path.join(ROOT, "examples", "two-companies");
const A_CONFIG = path.join(EXAMPLES, "enterprise-a", "delegation.yaml");
const B_DIR = path.join(EXAMPLES, "enterprise-b");
const B_HANDOFF = path.join(B_DIR, "handoffs", "northwind.json");
const A_ACCOUNT = "1122334455667788";
const B_ACCOUNT = "8877665544332211";
const STACK = "partner-contoso-logistics";

const work = mkdtempSync(path.join(tmpdir(), "two-companies-"));
let n = 0;
const fresh = (name: string) => path.join(work, `${name}-${++n}`);

/** A's output, synthesized once. */
const aOut = fresh("a-out");
let aResult: Awaited<ReturnType<typeof synthesize>>;
beforeAll(async () => {
  aResult = await synthesize({ configFile: A_CONFIG, outdir: aOut, now: NOW });
});
const aHandoff = (partner: string) => readFileSync(path.join(aOut, "handoffs", `${partner}.json`), "utf8");

/** B's repository in a scratch directory: its config (edited), and handoff files as given. */
function bRepo(edit: (c: any) => void = () => {}, handoffs: Record<string, string> = {}): string {
  const dir = fresh("b-repo");
  cpSync(B_DIR, dir, { recursive: true });
  const config = parse(readFileSync(path.join(B_DIR, "delegation.yaml"), "utf8"));
  edit(config);
  writeFileSync(path.join(dir, "delegation.yaml"), stringify(config));
  for (const [name, text] of Object.entries(handoffs)) writeFileSync(path.join(dir, "handoffs", name), text);
  return path.join(dir, "delegation.yaml");
}

/** A handoff as A would write it for a changed partner entry of A's example. */
async function handoffFor(edit: (a: any) => void, partner = "contoso-logistics"): Promise<string> {
  const dir = fresh("a-edit");
  const config = parse(readFileSync(A_CONFIG, "utf8"));
  edit(config);
  const file = path.join(path.dirname(dir), `${path.basename(dir)}.yaml`);
  writeFileSync(file, stringify(config));
  await synthesize({ configFile: file, outdir: dir, now: NOW });
  return readFileSync(path.join(dir, "handoffs", `${partner}.json`), "utf8");
}

/** The issues of a config that must be refused, as `path: message` lines. */
async function refusal(configFile: string): Promise<string[]> {
  try {
    await synthesize({ configFile, outdir: fresh("refused"), now: NOW });
  } catch (e) {
    if (e instanceof ConfigError) return e.message.split("\n");
    throw e;
  }
  throw new Error("the config was accepted");
}

/** A handoff with `edit` applied to its JSON (the digest left as it was). */
const tampered = (edit: (h: any) => void): string => {
  const h = JSON.parse(aHandoff("contoso-logistics"));
  edit(h);
  return JSON.stringify(h, null, 2);
};

/** The same edit, with the digest made to match again (as someone who knows the format would). */
const resealed = (edit: (h: any) => void): string => {
  const h = JSON.parse(aHandoff("contoso-logistics"));
  edit(h);
  return renderHandoff({ ...h, digest: handoffDigest(h) });
};

describe("the owner's repository", () => {
  it("synthesizes the owner stack and one handoff per partner, and no partner stack", () => {
    expect(aResult.stacks).toEqual(["owner"]);
    expect(Object.keys(tree(aOut)).sort()).toEqual([
      "handoffs/contoso-logistics.json",
      "handoffs/fabrikam.json",
      "manifest.json",
      "stacks/owner/cdk.tf.json",
    ]);
  });

  it("gives each partner only its own delegation: no other partner, no profile, backend or tag of A's", () => {
    const text = aHandoff("contoso-logistics");
    for (const secret of ["fabrikam", "5566778899001122", "fabrikam-0c93aa", "invoices", "CostCenter", "4711"])
      expect(text).not.toContain(secret);
    const h = JSON.parse(text);
    expect(Object.keys(h).sort()).toEqual(
      [
        "access",
        "digest",
        "format",
        "formatVersion",
        "owner",
        "partner",
        "revoked",
        "role",
        "switchRoleUrl",
        "validUntil",
      ].sort(),
    );
    expect(h.owner).toEqual({ name: "northwind", accountId: A_ACCOUNT, accountAlias: "northwind" });
    expect(h.switchRoleUrl).toBe(
      "https://signin.aliyun.com/switchRole.htm?parentAlias=northwind.onaliyun.com&roleName=contoso-shipment-publisher",
    );
  });

  it("changes a partner's handoff only when something that partner must know changes", async () => {
    const same = await handoffFor((a) => {
      a.partners[1].grants[0].permissions = ["manage-rules"];
      a.partners[1].role.externalId = "fabrikam-rotated";
      a.owner.profile = "another-profile";
      a.owner.backend = { type: "oss", bucket: "northwind-state", region: "cn-hangzhou" };
      a.owner.tags = { CostCenter: "9999" };
      a.partners[0].role.description = "reworded";
    });
    expect(same).toBe(aHandoff("contoso-logistics"));
    const digestAfter = async (edit: (a: any) => void) => JSON.parse(await handoffFor(edit)).digest;
    const before = JSON.parse(aHandoff("contoso-logistics")).digest;
    for (const edit of [
      (a: any) => (a.partners[0].role.maxSessionDuration = 7200),
      (a: any) => (a.partners[0].role.sourceIps = ["203.0.113.0/24"]),
      (a: any) => (a.partners[0].grants[0].permissions = ["publish", "read"]),
      (a: any) => (a.owner.accountAlias = "northwind-trading"),
    ])
      expect(await digestAfter(edit)).not.toBe(before);
  });

  it("writes handoffs that match the committed JSON Schema, with a digest over every other field", () => {
    expect(readFileSync(path.join(ROOT, HANDOFF_SCHEMA_FILE), "utf8")).toBe(handoffJsonSchema());
    const validate = new Ajv({ strict: true, allErrors: true }).compile(JSON.parse(handoffJsonSchema()));
    for (const partner of ["contoso-logistics", "fabrikam"]) {
      const h = JSON.parse(aHandoff(partner)) as Handoff;
      expect(validate(h), JSON.stringify(validate.errors)).toBe(true);
      const { digest, ...body } = h;
      expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(handoffDigest(body)).toBe(digest);
      // key order does not change the digest; any value does
      expect(canonicalJson({ b: 1, a: [{ d: 2, c: 3 }] })).toBe('{"a":[{"c":3,"d":2}],"b":1}');
      expect(handoffDigest({ ...body, revoked: !body.revoked })).not.toBe(digest);
    }
    expect(validate({ ...JSON.parse(aHandoff("fabrikam")), extra: 1 })).toBe(false);
  });

  it("the partner's example commits exactly the handoff the owner's example writes", () => {
    expect(readFileSync(B_HANDOFF, "utf8")).toBe(aHandoff("contoso-logistics"));
  });
});

describe("the partner's repository", () => {
  it("builds its stack from the handoff, byte-identical to the single-file form", async () => {
    const bOut = fresh("b-out");
    const result = await synthesize({ configFile: path.join(B_DIR, "delegation.yaml"), outdir: bOut, now: NOW });
    expect(result.stacks).toEqual([STACK]);
    expect(Object.keys(tree(bOut)).sort()).toEqual(["manifest.json", `stacks/${STACK}/cdk.tf.json`]);

    // the same delegation in one file: A's config with the partner side written in
    const b = parse(readFileSync(path.join(B_DIR, "delegation.yaml"), "utf8"));
    const single = parse(readFileSync(A_CONFIG, "utf8"));
    const { handoff: _h, ownerAccountId: _o, ...side } = b.delegations[0];
    Object.assign(single.partners[0], {
      region: b.partner.region,
      profile: b.partner.profile,
      backend: b.partner.backend,
      partnerSide: side,
    });
    const singleFile = `${fresh("single")}.yaml`;
    writeFileSync(singleFile, stringify(single));
    const singleOut = fresh("single-out");
    await synthesize({ configFile: singleFile, outdir: singleOut, now: NOW });
    const stackOf = (out: string) => readFileSync(path.join(out, "stacks", STACK, "cdk.tf.json"), "utf8");
    expect(stackOf(bOut)).toBe(stackOf(singleOut));
    // and the owner stack of the single file is the owner's example, the handoff too
    expect(readFileSync(path.join(singleOut, "handoffs", "contoso-logistics.json"), "utf8")).toBe(aHandoff("contoso-logistics"));
    const resources = (out: string) =>
      JSON.parse(readFileSync(path.join(out, "stacks", "owner", "cdk.tf.json"), "utf8")).resource;
    expect(resources(singleOut)).toEqual(resources(aOut));
  });

  it.each<[string, () => Promise<string> | string, RegExp]>([
    [
      "a handoff made for another partner account",
      () => bRepo((c) => (c.partner.accountId = "8877665544332299")),
      /^delegations\[0\]\.handoff: handoffs\/northwind\.json was made for partner account 8877665544332211, not for partner\.accountId 8877665544332299$/,
    ],
    [
      "a handoff from another owner account than the pin",
      () => bRepo((c) => (c.delegations[0].ownerAccountId = "1122334455667799")),
      /^delegations\[0\]\.ownerAccountId: handoffs\/northwind\.json comes from owner account 1122334455667788, not from the pinned 1122334455667799/,
    ],
    [
      "a missing handoff",
      () => bRepo((c) => (c.delegations[0].handoff = "handoffs/missing.json")),
      /^delegations\[0\]\.handoff: handoffs\/missing\.json: file not found$/,
    ],
    [
      "a handoff that is not JSON",
      () => bRepo(() => {}, { "northwind.json": "{ not json" }),
      /^delegations\[0\]\.handoff: handoffs\/northwind\.json: not valid JSON: /,
    ],
    [
      "a handoff with a key twice",
      () =>
        bRepo(() => {}, {
          "northwind.json": aHandoff("contoso-logistics").replace('"revoked": false', '"revoked": true, "revoked": false'),
        }),
      /^delegations\[0\]\.handoff: handoffs\/northwind\.json: not valid JSON: a key appears twice/,
    ],
    [
      "a handoff of an unknown format version",
      () => bRepo(() => {}, { "northwind.json": tampered((h) => (h.formatVersion = 2)) }),
      /^delegations\[0\]\.handoff: handoffs\/northwind\.json: unknown handoff format version "2"; this product reads version 1/,
    ],
    [
      "a handoff that fails its schema",
      () => bRepo(() => {}, { "northwind.json": resealed((h) => (h.role.externalId = '${file("/etc/passwd")}')) }),
      /^delegations\[0\]\.handoff: handoffs\/northwind\.json: role\.externalId: must be an ExternalId, got/,
    ],
    [
      "a handoff edited after the owner wrote it",
      () => bRepo(() => {}, { "northwind.json": tampered((h) => (h.role.externalId = "guessed-one")) }),
      /^delegations\[0\]\.handoff: handoffs\/northwind\.json: digest: does not match the content/,
    ],
    [
      "a resealed handoff whose role is not in the owner's account",
      () =>
        bRepo(() => {}, {
          "northwind.json": resealed((h) => (h.role.arn = "acs:ram::9999999999999999:role/contoso-shipment-publisher")),
        }),
      /^delegations\[0\]\.handoff: handoffs\/northwind\.json: role\.arn: must be acs:ram::1122334455667788:role\/contoso-shipment-publisher/,
    ],
    [
      "two delegations with the same stack name",
      () => bRepo((c) => c.delegations.push({ ...c.delegations[0], groupName: "second-group", users: [] })),
      /^delegations\[1\]\.name: stack partner-contoso-logistics is already made by delegations\[0\]; set name to tell the two apart$/,
    ],
  ])("refuses %s, naming the field", async (_name, setup, expected) => {
    const lines = await refusal(await setup());
    expect(lines).toEqual([expect.stringMatching(expected)]);
  });

  it("exits 1 with one line naming the field, and leaves the previous output as it was", () => {
    const config = bRepo();
    const dir = path.dirname(config);
    const synth = () =>
      spawnSync(process.execPath, [path.join(ROOT, "scripts", "synth.cjs")], {
        cwd: dir,
        encoding: "utf8",
        env: { ...process.env, DELEGATION_CONFIG: "delegation.yaml", CDKTF_OUTDIR: "" },
      });
    expect(synth().status).toBe(0);
    const before = tree(path.join(dir, "cdktf.out"));
    writeFileSync(
      path.join(dir, "handoffs", "northwind.json"),
      tampered((h) => (h.partner.accountId = "8877665544332299")),
    );
    const out = synth();
    expect(out.status).toBe(1);
    expect(out.stderr.trim().split("\n")).toEqual([
      "delegation.yaml: 1 problem; nothing was written",
      expect.stringMatching(/^delegations\[0\]\.handoff: handoffs\/northwind\.json: digest: does not match the content/),
    ]);
    expect(tree(path.join(dir, "cdktf.out"))).toEqual(before);
  });

  it("warns about trusted users and roles it does not know, MFA without console logins, and the end", async () => {
    const handoff = await handoffFor((a) => {
      Object.assign(a.partners[0].role, {
        trustedPrincipals: ["user/shipment-bot", "user/erin", "role/deployer"],
        requireMfa: true,
      });
      a.partners[0].validUntil = "2026-12-10T00:00:00Z";
    });
    const result = await synthesize({
      configFile: bRepo(() => {}, { "northwind.json": handoff }),
      outdir: fresh("warned"),
      now: NOW,
    });
    expect(result.warnings.map((w) => `${w.configPath} ${w.ruleId} ${w.message}`)).toEqual([
      "delegations[0] TRUST-PRINCIPAL-UNKNOWN [Principal::acs:ram::8877665544332211:role/deployer] the role trusts role deployer of this account, which this config does not manage; make sure it exists and who may use it",
      "delegations[0] TRUST-PRINCIPAL-UNKNOWN [Principal::acs:ram::8877665544332211:user/erin] the role trusts user erin, which this config neither creates nor lists under existingUsers",
      "delegations[0] MFA-BLOCKS-API [Condition::acs:MFAPresent] requireMfa lets only console sign-ins with MFA assume the role; user shipment-bot (no console login), role/deployer cannot",
      "delegations[0] VALIDITY-ENDING [ValidUntil::2026-12-10T00:00:00Z] the delegation ends in 17 days (2026-12-10T00:00:00Z)",
    ]);
    // acknowledged with a reason, as in the owner's config
    const acknowledged = await synthesize({
      configFile: bRepo(
        (c) =>
          (c.delegations[0].acknowledge = [
            { rule: "VALIDITY-ENDING", reason: "Northwind renews the contract in December" },
            { rule: "TRUST-PRINCIPAL-UNKNOWN", reason: "erin and the deployer role are managed in our IAM repository" },
            { rule: "MFA-BLOCKS-API", reason: "the bot waits for a role without MFA" },
          ]),
        { "northwind.json": handoff },
      ),
      outdir: fresh("acknowledged"),
      now: NOW,
    });
    expect(acknowledged.warnings).toEqual([]);
    expect(acknowledged.acknowledged.map((a) => a.ruleId).sort()).toEqual([
      "MFA-BLOCKS-API",
      "TRUST-PRINCIPAL-UNKNOWN",
      "TRUST-PRINCIPAL-UNKNOWN",
      "VALIDITY-ENDING",
    ]);
  });

  it("keeps the group and users of a revoked handoff, without the assume permission", async () => {
    const handoff = await handoffFor((a) => (a.partners[0].revoked = true));
    expect(JSON.parse(handoff)).toMatchObject({ revoked: true, access: { grants: [], systemPolicies: [] } });
    expect(JSON.parse(handoff).role.externalId).toBeUndefined();
    const out = fresh("revoked");
    const result = await synthesize({ configFile: bRepo(() => {}, { "northwind.json": handoff }), outdir: out, now: NOW });
    expect(result.warnings.map((w) => w.ruleId)).toEqual(["HANDOFF-REVOKED"]);
    const stack = JSON.parse(readFileSync(path.join(out, "stacks", STACK, "cdk.tf.json"), "utf8"));
    expect(Object.keys(stack.resource).sort()).toEqual([
      "alicloud_ram_group",
      "alicloud_ram_login_profile",
      "alicloud_ram_user",
      "alicloud_ram_user_group_attachment",
    ]);
    expect(stack.output.delegation.value).toMatchObject({ role_arn: "", external_id: "", switch_role_url: "" });
  });
});

describe("the tools in the partner's repository", () => {
  const bConfig = path.join(B_DIR, "delegation.yaml");

  it("report: the users and group, the role in the owner's account, its conditions and grants, and the digest A's report prints", async () => {
    const bOut = fresh("b-report");
    await synthesize({ configFile: bConfig, outdir: bOut, now: NOW });
    const report = accessReport(readSynthOutput(bOut));
    expect(report.owner).toBeUndefined();
    const [p] = report.partners;
    const digest = JSON.parse(aHandoff("contoso-logistics")).digest;
    expect(p).toMatchObject({
      name: "contoso-logistics",
      accountId: B_ACCOUNT,
      owner: { name: "northwind", accountId: A_ACCOUNT },
      roleArn: `acs:ram::${A_ACCOUNT}:role/contoso-shipment-publisher`,
      conditions: { externalId: true, externalIdValue: "contoso-7d41be", mfa: false, validUntil: "2028-06-30T15:59:59Z" },
      actions: [
        "eventbridge:GetEventBus",
        "eventbridge:GetRule",
        "eventbridge:ListEventBuses",
        "eventbridge:ListRules",
        "eventbridge:ListTargets",
        "eventbridge:PutEvents",
      ],
      handoffDigest: digest,
      source: "handoff",
      partnerSide: { groupName: "northwind-publishers", members: ["dana", "shipment-bot"], assume: { scope: "role" } },
    });
    // the owner's report prints the same digest for this partner
    const ownerView = accessReport(readSynthOutput(aOut)).partners.find((x) => x.name === "contoso-logistics");
    expect(ownerView?.handoffDigest).toBe(digest);
    expect(ownerView?.actions).toEqual(p.actions);
    expect(ownerView?.resources).toEqual(p.resources);
  });

  it("access-diff: a new member and a changed handoff are changes B reviews", async () => {
    const outOf = async (configFile: string) => {
      const out = fresh("b-diff");
      await synthesize({ configFile, outdir: out, now: NOW });
      return accessReport(readSynthOutput(out));
    };
    const base = await outOf(bConfig);
    const member = diffAccess(base, await outOf(bRepo((c) => (c.delegations[0].existingUsers = ["frank"]))));
    expect(member.changes.map((c) => [c.effect, c.description])).toEqual([
      ["broadening", "user frank added to group northwind-publishers"],
    ]);
    const rotated = await handoffFor((a) => (a.partners[0].role.externalId = "contoso-new-91f0"));
    const changed = diffAccess(base, await outOf(bRepo(() => {}, { "northwind.json": rotated })));
    expect(changed.changes.map((c) => [c.effect, c.kind, c.description])).toEqual([
      ["neutral", "handoff", expect.stringMatching(/^handoff changed: digest [0-9a-f]{12} \(was [0-9a-f]{12}\)$/)],
      ["neutral", "trust condition", "trust: ExternalId changed"],
    ]);
    const revoked = await handoffFor((a) => (a.partners[0].revoked = true));
    const gone = diffAccess(base, await outOf(bRepo(() => {}, { "northwind.json": revoked })));
    expect(gone.changes.map((c) => [c.effect, c.kind, c.description])).toEqual([
      ["narrowing", "partner", "revoked: the role and its grants are removed"],
      ["neutral", "handoff", expect.stringMatching(/^handoff changed: digest [0-9a-f]{12} \(was [0-9a-f]{12}\)$/)],
    ]);
  });

  it("assume prints Step 6 from the handoff", () => {
    const out = spawnSync(
      process.execPath,
      [path.join(ROOT, "scripts", "launch.cjs"), "assume", "--partner", "contoso-logistics", "--session-name", "dana"],
      {
        encoding: "utf8",
        env: { ...process.env, DELEGATION_CONFIG: bConfig },
      },
    );
    expect(out.stderr).toBe("");
    expect(out.status).toBe(0);
    expect(out.stdout).toContain(`Role to assume:  acs:ram::${A_ACCOUNT}:role/contoso-shipment-publisher`);
    expect(out.stdout).toContain("ExternalId:      contoso-7d41be");
    expect(out.stdout).toContain(`Handoff digest:  ${JSON.parse(aHandoff("contoso-logistics")).digest}`);
    expect(out.stdout).toContain("Sign in as a RAM user of group northwind-publishers: <user>@8877665544332211.onaliyun.com");
    expect(out.stdout).toContain("parentAlias=northwind.onaliyun.com&roleName=contoso-shipment-publisher");
    expect(out.stdout).toContain("--region cn-hangzhou");
    expect(out.stdout).toContain("Buses:           shipments (cn-hangzhou), shipments (cn-shanghai)");
    expect(out.stdout).toContain(
      "The profile's region is cn-hangzhou; for the buses in cn-shanghai, pass --region <that region> to each aliyun command.",
    );
  });

  it("audit: B's state against B's config, and the owner's state refused", async () => {
    const bOut = fresh("b-audit");
    await synthesize({ configFile: bConfig, outdir: bOut, now: NOW });
    const stack = JSON.parse(readFileSync(path.join(bOut, "stacks", STACK, "cdk.tf.json"), "utf8"));
    const model = loadModel(bConfig);
    const state = stateFromStack(stack, A_ACCOUNT);
    const clean = auditDelegations(model, [{ file: "b.json", read: readState(state, "b.json") }], NOW);
    expect(clean.findings).toEqual([]);
    expect(clean.partnerSidesAudited).toEqual(["contoso-logistics"]);
    // a member added outside Terraform
    const drifted = structuredClone(state);
    drifted.values!.root_module.resources.push({
      address: "alicloud_ram_user_group_attachment.eve",
      mode: "managed",
      type: "alicloud_ram_user_group_attachment",
      name: "eve",
      values: { group_name: "northwind-publishers", user_name: "eve" },
    } as never);
    const found = auditDelegations(model, [{ file: "b.json", read: readState(drifted, "b.json") }], NOW);
    expect(found.findings.map((f) => `${f.partner} ${f.check}: ${f.message}`)).toEqual([
      "contoso-logistics MEMBER-DRIFT: group member eve is deployed but not in the config",
    ]);
    const owner = JSON.parse(readFileSync(path.join(aOut, "stacks", "owner", "cdk.tf.json"), "utf8"));
    expect(() =>
      auditDelegations(model, [{ file: "a.json", read: readState(stateFromStack(owner, A_ACCOUNT), "a.json") }], NOW),
    ).toThrow(/holds roles \(an owner stack\), but this is a partner config/);
  });

  it("the config JSON Schema covers both forms", () => {
    const validate = new Ajv({ strict: true, allErrors: true, validateFormats: false }).compile(
      JSON.parse(readFileSync(path.join(ROOT, "delegation.schema.json"), "utf8")),
    );
    for (const file of [A_CONFIG, bConfig]) expect(validate(parse(readFileSync(file, "utf8"))), file).toBe(true);
    expect(
      validate({ partner: { name: "x", accountId: B_ACCOUNT, region: "cn-shanghai" }, delegations: [{ handoff: "h.json" }] }),
    ).toBe(false);
  });

  it("reads a handoff only after its version, schema, digest and fields agree", () => {
    expect(readHandoff(B_HANDOFF).digest).toBe(JSON.parse(aHandoff("contoso-logistics")).digest);
  });
});
