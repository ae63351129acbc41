/** Derived RAM names: unique per account across every stack a config makes, or the config is refused. */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import fc from "fast-check";
import { parse, stringify } from "yaml";
import { describe, expect, it } from "vitest";
import { loadModel } from "../lib/describe/model";
import { ConfigError } from "../lib/config/issues";
import { SLUG } from "../lib/fields/identifiers";
import { handoffDigest, renderHandoff } from "../lib/handoff/handoff";
import { nameClaims, nameCollisions } from "../lib/model/collisions";
import { assumePolicyName, permissionPolicyName } from "../lib/names/names";
import { EXAMPLE_FILE, MULTI_FILE, ROOT, model } from "./helpers";

const B_DIR = path.join(ROOT, "examples", "two-companies", "enterprise-b");
const HANDOFF = JSON.parse(readFileSync(path.join(B_DIR, "handoffs", "northwind.json"), "utf8"));

/** B's repository with two handoffs, from owners named `owners[0]` and `owners[1]`, and their delegations. */
function partnerRepo(owners: [string, string], delegations: object[]): string {
  const dir = mkdtempSync(path.join(tmpdir(), "collide-"));
  cpSync(B_DIR, dir, { recursive: true });
  owners.forEach((owner, i) => {
    const h = structuredClone(HANDOFF);
    h.owner.name = owner;
    writeFileSync(path.join(dir, "handoffs", `h${i}.json`), renderHandoff({ ...h, digest: handoffDigest(h) }));
  });
  const config = parse(readFileSync(path.join(B_DIR, "delegation.yaml"), "utf8"));
  config.delegations = delegations;
  writeFileSync(path.join(dir, "delegation.yaml"), stringify(config));
  return path.join(dir, "delegation.yaml");
}

const delegation = (i: number, name: string, more: object = {}) => ({
  handoff: `handoffs/h${i}.json`,
  ownerAccountId: HANDOFF.owner.accountId,
  name,
  groupName: `group-${i}`,
  users: [{ name: `user-${i}` }],
  ...more,
});

function problems(file: string): string[] {
  try {
    loadModel(file);
  } catch (e) {
    if (e instanceof ConfigError) return e.message.split("\n");
    throw e;
  }
  return [];
}

describe("derived RAM names", () => {
  it("two delegations deriving one assume policy name in B's account are refused, naming both", () => {
    // eventbridge-assume-northwind-east-contoso, both ways
    const file = partnerRepo(["northwind-east", "northwind"], [delegation(0, "contoso"), delegation(1, "east-contoso")]);
    expect(assumePolicyName("northwind-east", "contoso")).toBe(assumePolicyName("northwind", "east-contoso"));
    expect(problems(file)).toEqual([
      'delegations[1].name: makes the RAM policy "eventbridge-assume-northwind-east-contoso" in account 8877665544332211, which delegations[0] (from owner northwind-east and stack name contoso) makes too: the second would fail with EntityAlreadyExists; set name on one of them to tell them apart (this one: delegations[1] (from owner northwind and stack name east-contoso))',
    ]);
    // another stack name tells them apart; the system policy derives no name
    expect(
      problems(partnerRepo(["northwind-east", "northwind"], [delegation(0, "contoso"), delegation(1, "contoso-east")])),
    ).toEqual([]);
    expect(
      problems(
        partnerRepo(
          ["northwind-east", "northwind"],
          [delegation(0, "contoso"), delegation(1, "east-contoso", { assumePolicy: "system" })],
        ),
      ),
    ).toEqual([]);
  });

  it("the owner's permission policy names never meet: partner and number can be told apart", () => {
    const slug = fc.stringMatching(SLUG);
    fc.assert(
      fc.property(slug, slug, fc.nat(99), fc.nat(99), (a, b, i, j) => {
        fc.pre(a !== b || i !== j);
        expect(permissionPolicyName(a, i)).not.toBe(permissionPolicyName(b, j));
      }),
      { numRuns: 5000 },
    );
  });

  it("covers roles, groups and users too, per account, without case", () => {
    const m = model(MULTI_FILE);
    expect(nameCollisions(m)).toEqual([]);
    const kinds = new Set(nameClaims(m).map((c) => c.kind));
    expect([...kinds].sort()).toEqual(["group", "policy", "role", "user"]);
    // a model the config checks would not let through: two partner sides, one account, one group
    const sides = m.partnerSides.filter((s) => s.accountId === m.partnerSides[0].accountId);
    expect(sides.length).toBeGreaterThan(1);
    const clash = { ...m, partnerSides: [sides[0], { ...sides[1], groupName: sides[0].groupName.toUpperCase() }] };
    expect(nameCollisions(clash)).toEqual([
      expect.objectContaining({
        path: ["partners", Number(/\d+/.exec(sides[1].configPath)![0]), "partnerSide", "groupName"],
        message: expect.stringContaining(`which ${sides[0].configPath} makes too`),
      }),
    ]);
  });

  it("the examples and fixtures derive no name twice", () => {
    for (const file of [
      EXAMPLE_FILE,
      MULTI_FILE,
      path.join(ROOT, "examples", "two-companies", "enterprise-a", "delegation.yaml"),
    ])
      expect(nameCollisions(model(file))).toEqual([]);
    expect(problems(path.join(B_DIR, "delegation.yaml"))).toEqual([]);
  });
});
