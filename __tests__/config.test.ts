/** The config: valid forms, account aliases, rule-name prefixes, free text, and the helpers behind its messages. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig, parseAnyConfig, parseConfig } from "../lib/config/load";
import { formatPath } from "../lib/config/issues";
import { checkIpv4OrCidr } from "../lib/fields/cidr";
import { isIsoDateTimeWithZone } from "../lib/fields/dates";
import { closest } from "../lib/config/suggest";
import { EXAMPLE_FILE, MULTI_FILE, ROOT as ROOT_DIR, edited, rawConfig } from "./helpers";
import { example, multi, problems, problemsOf } from "./config-problems";

describe("valid configs", () => {
  it("accepts the example and the multi-partner fixture", () => {
    expect(problems(rawConfig(EXAMPLE_FILE))).toEqual([]);
    expect(problems(rawConfig(MULTI_FILE))).toEqual([]);
  });

  it("fills defaults", () => {
    const c = parseConfig(edited(EXAMPLE_FILE, (c) => delete c.owner.backend));
    expect(c.owner.backend).toEqual({ type: "local" });
    expect(c.partners[0].role.trustedPrincipals).toEqual(["root"]);
    expect(c.partners[0].role.requireMfa).toBe(false);
    expect(c.partners[0].revoked).toBe(false);
    expect(c.partners[0].grants[0].actions).toEqual([]);
  });

  it("reads JSON as well as YAML", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "cfg-"));
    const file = path.join(dir, "delegation.json");
    writeFileSync(file, JSON.stringify(rawConfig(EXAMPLE_FILE)));
    expect(loadConfig(file).partners[0].name).toBe("enterprise-b");
  });
});
describe("account aliases", () => {
  it("accepts RAM's alias form on the owner and on partners", () => {
    expect(multi((c) => ((c.owner.accountAlias = "northwind"), (c.partners[0].accountAlias = "contoso-2")))).toEqual([]);
  });

  it.each(["ab", "-contoso", "contoso-", "con--toso", "Contoso", "contoso_x", "a".repeat(33)])(
    "refuses %s, naming the field",
    (bad) => {
      expect(multi((c) => (c.partners[1].accountAlias = bad))).toEqual([
        `partners[1].accountAlias: must be an account alias: 3-32 lowercase letters, digits and inner hyphens, no --, got "${bad}"`,
      ]);
    },
  );
});

describe("rule-name prefixes", () => {
  const rules = (list: unknown[]) => multi((c) => (c.partners[0].grants[0].rules = list));

  it("accepts a name, a prefix ending in * and *", () => {
    expect(rules(["orders-*", "orders-audit", "*"])).toEqual([]);
  });

  it.each(["*orders", "or*ders", "orders-**", "orders-?", "orders/*"])("refuses %s, naming the field", (bad) => {
    expect(rules(["orders-audit", bad])).toEqual([
      `partners[0].grants[0].rules[1]: must be a rule name, a prefix ending in * (orders-*), or *, got "${bad}"`,
    ]);
  });
});
describe("helpers", () => {
  it("formats paths like code", () => {
    expect(formatPath(["partners", 1, "role", "name"])).toBe("partners[1].role.name");
    expect(formatPath(["owner", "tags", "acs:x"])).toBe('owner.tags["acs:x"]');
  });

  it("suggests only plausible names", () => {
    expect(closest("pubish", ["publish", "read"])).toBe("publish");
    expect(closest("xyz", ["publish", "read"])).toBeUndefined();
  });

  it("checks dates and addresses", () => {
    expect(isIsoDateTimeWithZone("2027-12-31T23:59:59+08:00")).toBe(true);
    expect(isIsoDateTimeWithZone("2027-12-31T24:00:00Z")).toBe(false);
    expect(isIsoDateTimeWithZone("2027-12-31")).toBe(false);
    expect(checkIpv4OrCidr("10.0.0.0/8")).toBeUndefined();
    expect(checkIpv4OrCidr("10.0.0.1")).toBeUndefined();
    expect(checkIpv4OrCidr("10.0.0.0/33")).toMatch(/must be an IPv4 address/);
  });
});
describe("free text is data: control characters and bidirectional overrides are refused, the field named", () => {
  const PARTNER_FILE = path.join(ROOT_DIR, "examples", "two-companies", "enterprise-b", "delegation.yaml");
  const partnerForm = (edit: (c: any) => void): string[] =>
    problemsOf(() => parseAnyConfig(edited(PARTNER_FILE, edit), PARTNER_FILE));
  const ack = (reason: string) => [{ rule: "TRUST-ROOT-UNCONDITIONED", reason }];

  it.each<[string, (c: any) => void, RegExp]>([
    [
      "a display name",
      (c) => (c.partners[0].partnerSide.users[0].displayName = "CI\x1b[2J"),
      /^partners\[0\]\.partnerSide\.users\[0\]\.displayName: must not contain control characters.*U\+001B at character 3$/,
    ],
    [
      "a role description",
      (c) => (c.partners[0].role.description = "publishes \u202Esredro"),
      /^partners\[0\]\.role\.description: must not contain .*U\+202E/,
    ],
    [
      "an acknowledgement reason",
      (c) => (c.partners[0].acknowledge = ack("accepted because\x9b2J of the contract")),
      /^partners\[0\]\.acknowledge\[0\]\.reason: must not contain .*U\+009B/,
    ],
    [
      "a reason over two lines",
      (c) => (c.partners[0].acknowledge = ack("accepted because\n# 0 broadening")),
      /^partners\[0\]\.acknowledge\[0\]\.reason: must not contain .*line breaks.*U\+000A/,
    ],
    ["a tag value", (c) => (c.owner.tags = { CostCenter: "12\x0734" }), /^owner\.tags\.CostCenter: must not contain .*U\+0007/],
    [
      "a tag key",
      (c) => (c.owner.tags = { "Cost\u2066Center": "1234" }),
      /^owner\.tags\["Cost\\u2066Center"\]: tag key must not contain .*U\+2066/,
    ],
  ])("in %s", (_what, edit, expected) => {
    const lines = example(edit);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(expected);
    // eslint-disable-next-line no-control-regex -- matching control characters is the point
    expect(lines[0]).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
  });

  it("in the partner form too", () => {
    expect(partnerForm((c) => (c.delegations[0].users[0].displayName = "Shipment\x1b]0;owned\x07"))).toEqual([
      expect.stringMatching(/^delegations\[0\]\.users\[0\]\.displayName: must not contain .*U\+001B/),
    ]);
    expect(partnerForm((c) => (c.delegations[0].acknowledge = ack("because we said so\u202E")))).toEqual([
      expect.stringMatching(/^delegations\[0\]\.acknowledge\[0\]\.reason: must not contain .*U\+202E/),
    ]);
  });

  it("accepts what people write, in any script", () => {
    expect(example((c) => (c.partners[0].role.description = "Enterprise B 发布订单事件 — Zoë's team (#12)"))).toEqual([]);
  });
});
