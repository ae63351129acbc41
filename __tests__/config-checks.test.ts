/** Checks across fields and partners, and RAM's account limits. */
import { describe, expect, it } from "vitest";
import { EXAMPLE_FILE, edited } from "./helpers";
import { example, multi, problems } from "./config-problems";

describe("checks across fields and partners", () => {
  it.each<[string, (c: any) => void, string]>([
    [
      "partner is the owner",
      (c) => (c.partners[0].accountId = c.owner.accountId),
      'partners[0].accountId: must differ from owner.accountId: a partner is another account, got "1000000000000001"',
    ],
    [
      "deployer role in another account",
      (c) => (c.owner.assumeRoleArn = "acs:ram::9000000000000009:role/deployer"),
      'owner.assumeRoleArn: must be a role in the owner account 1000000000000001 (Terraform would act in account 9000000000000009), got "acs:ram::9000000000000009:role/deployer"',
    ],
    [
      "validity window backwards",
      (c) => (c.partners[0].validFrom = "2028-01-01T00:00:00Z"),
      'partners[0].validUntil: must be later than validFrom (2028-01-01T00:00:00Z), got "2027-12-31T23:59:59+08:00"',
    ],
    [
      "nothing granted",
      (c) => (c.partners[0].grants = []),
      "partners[0].grants: the partner is granted nothing: add a grant or a system policy",
    ],
    [
      "rules without manage-rules",
      (c) => (c.partners[0].grants[0].rules = ["r1"]),
      "partners[0].grants[0].rules: rules only apply to manage-rules and to extra actions on rules; add one or remove rules",
    ],
    [
      "duplicate grant",
      (c) => c.partners[0].grants.push({ eventBus: "orders", permissions: ["read"] }),
      'partners[0].grants[1].eventBus: duplicate grant for bus "orders" in cn-hangzhou (also at grants[0]); merge them into one grant',
    ],
    [
      "duplicate user, any case",
      (c) => c.partners[0].partnerSide.users.push({ name: "Alice" }),
      'partners[0].partnerSide.users[2].name: duplicate user "Alice" (also at users[1])',
    ],
    [
      "created and existing",
      (c) => (c.partners[0].partnerSide.existingUsers = ["alice"]),
      'partners[0].partnerSide.existingUsers[0]: "alice" is also in users; list a user either as created (users) or as existing, not both',
    ],
    [
      "too many tags",
      (c) => (c.owner.tags = Object.fromEntries(Array.from({ length: 19 }, (_, i) => [`t${i}`, "v"]))),
      "owner.tags: at most 18 tags (RAM allows 20, 2 are set by the product), got 19",
    ],
    [
      "lock table without endpoint",
      (c) => (c.owner.backend = { type: "oss", bucket: "a-state", region: "cn-hangzhou", tablestoreTable: "lock" }),
      "owner.backend.tablestoreEndpoint: required with the other Tablestore setting: state locking needs both the endpoint and the table",
    ],
    [
      "acknowledge unknown rule",
      (c) => (c.partners[0].acknowledge = [{ rule: "TRUST-ROOT", reason: "because we said so" }]),
      'partners[0].acknowledge[0].rule: unknown check "TRUST-ROOT"',
    ],
    [
      "acknowledge misspelt rule",
      (c) => (c.partners[0].acknowledge = [{ rule: "VALIDITY-ENDNG", reason: "because we said so" }]),
      'partners[0].acknowledge[0].rule: unknown check "VALIDITY-ENDNG" (did you mean "VALIDITY-ENDING"?)',
    ],
    [
      "acknowledge an error",
      (c) => (c.partners[0].acknowledge = [{ rule: "POLICY-WILDCARD", reason: "because we said so" }]),
      "partners[0].acknowledge[0].rule: POLICY-WILDCARD is an error and cannot be acknowledged; fix the config instead",
    ],
    [
      "acknowledge the acknowledgement check",
      (c) => (c.partners[0].acknowledge = [{ rule: "ACK-UNUSED", reason: "because we said so" }]),
      "partners[0].acknowledge[0].rule: ACK-UNUSED cannot be acknowledged; remove the unused acknowledgement instead",
    ],
    [
      "acknowledge without a reason",
      (c) => (c.partners[0].acknowledge = [{ rule: "VALIDITY-ENDING", reason: "ok" }]),
      'partners[0].acknowledge[0].reason: must say why, in at least 10 characters, got "ok"',
    ],
    [
      "acknowledge without reason key",
      (c) => (c.partners[0].acknowledge = [{ rule: "VALIDITY-ENDING" }]),
      "partners[0].acknowledge[0].reason: required: a written reason",
    ],
    [
      "acknowledge twice",
      (c) =>
        (c.partners[0].acknowledge = [
          { rule: "VALIDITY-ENDING", reason: "renewal is signed" },
          { rule: "VALIDITY-ENDING", reason: "renewal is signed" },
        ]),
      "partners[0].acknowledge[1].rule: VALIDITY-ENDING is already acknowledged at [0]",
    ],
    [
      "managed tag",
      (c) => (c.owner.tags = { managedby: "me" }),
      'owner.tags.managedby: "managedby" is set by the product on every resource; choose another tag name',
    ],
  ])("%s", (_name, edit, expected) => {
    expect(example(edit)).toEqual([expected]);
  });

  it("compares the validity window to the second, as the policies carry it", () => {
    expect(
      example((c) => {
        c.partners[0].validFrom = "2027-01-01T00:00:00.1Z";
        c.partners[0].validUntil = "2027-01-01T00:00:00.9Z";
      }),
    ).toEqual(['partners[0].validUntil: must be later than validFrom (2027-01-01T00:00:00.1Z), got "2027-01-01T00:00:00.9Z"']);
  });

  it("tells grants apart by the region they resolve to (default: owner.region)", () => {
    const grants = (gs: object[]) =>
      example((c) => {
        c.partners[0].region = "cn-shanghai";
        c.partners[0].grants = gs;
      });
    expect(
      grants([
        { eventBus: "orders", permissions: ["publish"] },
        { eventBus: "orders", region: "cn-shanghai", permissions: ["read"] },
      ]),
    ).toEqual([]);
    expect(
      grants([
        { eventBus: "orders", permissions: ["publish"] },
        { eventBus: "orders", region: "cn-hangzhou", permissions: ["read"] },
      ]),
    ).toEqual([
      'partners[0].grants[1].eventBus: duplicate grant for bus "orders" in cn-hangzhou (also at grants[0]); merge them into one grant',
    ]);
  });

  it("lets rules narrow extra actions on rules, and accepts offsets from -12:00 to +14:00", () => {
    expect(
      example(
        (c) =>
          (c.partners[0].grants[0] = {
            eventBus: "orders",
            permissions: ["publish"],
            actions: ["eventbridge:DeleteRule"],
            rules: ["r1"],
          }),
      ),
    ).toEqual([]);
    expect(example((c) => (c.partners[0].validUntil = "2027-12-31T23:59:59-12:00"))).toEqual([]);
    expect(example((c) => (c.partners[0].validUntil = "2027-12-31T23:59:59+14:00"))).toEqual([]);
  });

  it("keeps partner names and role names unique", () => {
    const lines = example((c) => c.partners.push({ ...structuredClone(c.partners[0]), accountId: "3000000000000003" }));
    expect(lines).toEqual([
      'partners[1].name: duplicate partner name "enterprise-b" (also at partners[0])',
      'partners[1].role.name: role "eventbridge-publisher-b" is already used by partners[0]; role names are unique in the owner account',
    ]);
  });

  it("keeps group and user names unique per partner account", () => {
    const lines = multi((c) => {
      c.partners[1].partnerSide.groupName = "eventbridge-delegates";
      c.partners[1].partnerSide.users = [{ name: "alice" }];
    });
    expect(lines).toEqual([
      'partners[1].partnerSide.groupName: group "eventbridge-delegates" is already created in account 2000000000000002 by partners[0]; group names are unique per account',
      'partners[1].partnerSide.users[0].name: user "alice" is already created in account 2000000000000002 by partners[0]; list it under existingUsers here',
    ]);
  });

  it("allows the same group name in different accounts", () => {
    expect(multi((c) => (c.partners[2].partnerSide.groupName = "eventbridge-delegates"))).toEqual([]);
  });
});
describe("RAM's account limits", () => {
  /** n partners of the example's shape, all in partner account 2000000000000002 unless told. */
  const partners = (n: number, edit: (p: any, i: number) => void = () => {}) =>
    edited(EXAMPLE_FILE, (c) => {
      const base = c.partners[0];
      c.partners = Array.from({ length: n }, (_, i) => {
        const p = structuredClone(base);
        p.name = `p${i}`;
        p.role.name = `role-${i}`;
        p.partnerSide.groupName = `group-${i}`;
        p.partnerSide.users = [];
        p.partnerSide.existingUsers = [];
        edit(p, i);
        return p;
      });
    });

  it("at most 300 groups in one partner account", () => {
    expect(problems(partners(300))).toEqual([]);
    expect(problems(partners(301))).toEqual([
      "partners[300].partnerSide.groupName: 301 groups in account 2000000000000002; RAM's default account limits allow 300",
    ]);
  });

  it("at most 5000 users in one partner account", () => {
    const users = (last: number) => (p: any, i: number) =>
      (p.partnerSide.users = Array.from({ length: i < 50 ? 100 : last }, (_, j) => ({ name: `u${i}-${j}` })));
    expect(problems(partners(50, users(0)))).toEqual([]);
    expect(problems(partners(51, users(1)))).toEqual([
      "partners[50].partnerSide.users: 5001 users in account 2000000000000002; RAM's default account limits allow 5000",
    ]);
  });

  it("at most 10 groups per user", () => {
    const shared = (p: any, i: number) =>
      i === 0 ? (p.partnerSide.users = [{ name: "ops" }]) : (p.partnerSide.existingUsers = ["ops"]);
    expect(problems(partners(10, shared))).toEqual([]);
    expect(problems(partners(11, shared))).toEqual([
      'partners[10].partnerSide: user "ops" would be in 11 groups in account 2000000000000002; RAM\'s default account limits allow 10 per user',
    ]);
  });

  it("at most 1000 roles in the owner account; revoked partners have none", () => {
    const spread = (p: any, i: number) => (p.accountId = String(3_000_000_000_000_000 + i));
    expect(problems(partners(1001, spread))).toEqual([
      "partners: 1001 active partners need 1001 roles in the owner account; RAM's default account limits allow 1000",
    ]);
    expect(problems(partners(1001, (p, i) => (spread(p, i), (p.revoked = i === 0))))).toEqual([]);
  });
});
