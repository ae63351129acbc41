/**
 * Two companies, two repositories: the owner's example synthesizes its stack and the handoffs,
 * the partner's example builds its stack from the handoff alone, and the partner's checks refuse
 * or warn about every handoff that does not fit.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import Ajv from "ajv";
import { parse, stringify } from "yaml";
import { describe, expect, it } from "vitest";
import { HANDOFF_SCHEMA_FILE, handoffJsonSchema } from "../lib/config/json-schema";
import { canonicalJson, handoffDigest, type Handoff } from "../lib/handoff/handoff";
import { synthesize } from "../lib/synth/synth";
import { NOW, ROOT } from "./helpers";
import { tree } from "./tree";
import { A_ACCOUNT, A_CONFIG, B_DIR, B_HANDOFF, STACK, twoCompanies } from "./two-companies";

const { fresh, aOut, aResult, aHandoff, bRepo, handoffFor, refusal, tampered, resealed } = twoCompanies("two-companies-");

describe("the owner's repository", () => {
  it("synthesizes the owner stack and one handoff per partner, and no partner stack", () => {
    expect(aResult().stacks).toEqual(["owner"]);
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
