/**
 * Two companies, two repositories: the tools in the partner's repository (report, access-diff,
 * audit, the JSON Schema, the handoff reader) on its example.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import Ajv from "ajv";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
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
import { A_ACCOUNT, A_CONFIG, B_ACCOUNT, B_DIR, B_HANDOFF, STACK, twoCompanies } from "./two-companies";

const { fresh, aOut, aHandoff, bRepo, handoffFor } = twoCompanies("two-companies-tools-");

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
