/** The access diff between two synth outputs: what broadens and what narrows. */
import { beforeAll, describe, expect, it } from "vitest";
import type { AccessReport } from "../lib/review/access";
import { diffAccess } from "../lib/review/diff";
import { patternCovers, patternMatches } from "../lib/policy/patterns";
import { MULTI_FILE, edited } from "./helpers";
import { outputs } from "./outputs";

const { report } = outputs("access-diff-");

let multiReport: AccessReport;
beforeAll(async () => {
  multiReport = await report(MULTI_FILE, "multi");
});

describe("access diff", () => {
  const changed = async (edit: (c: any) => void, name: string) =>
    diffAccess(multiReport, await report(edited(MULTI_FILE, edit), name));

  it("finds nothing between identical outputs", () => {
    expect(diffAccess(multiReport, multiReport)).toEqual({ broadening: 0, narrowing: 0, unaccounted: 0, changes: [] });
  });

  it.each<[string, (c: any) => void, string[], number?]>([
    [
      "new partner",
      (c) =>
        c.partners.push({
          name: "enterprise-e",
          accountId: "5000000000000005",
          role: { name: "r-e", externalId: "e-1234" },
          grants: [{ eventBus: "orders", permissions: ["publish"] }],
          partnerSide: { groupName: "g-e" },
        }),
      ["enterprise-e: new partner (account 5000000000000005) with 1 grants"],
    ],
    [
      "new action",
      (c) => (c.partners[1].grants[0].permissions = ["read", "publish"]),
      ["enterprise-b-audit: eventbridge:PutEvents on acs:eventbridge:cn-hangzhou:1000000000000001:eventbus/orders"],
    ],
    [
      "wider resource",
      (c) => (c.partners[0].grants[0].rules = ["*"]),
      ["enterprise-b: eventbridge:CreateRule on acs:eventbridge:cn-hangzhou:1000000000000001:eventbus/orders/rule/*"],
      7,
    ],
    [
      "removed ExternalId",
      (c) => delete c.partners[1].role.externalId,
      ["enterprise-b-audit: trust: ExternalId no longer required"],
    ],
    ["MFA off", (c) => (c.partners[0].role.requireMfa = false), ["enterprise-b: trust: MFA no longer required"]],
    [
      "wider source IPs",
      (c) => (c.partners[0].role.sourceIps = ["203.0.0.0/16", "198.51.100.7"]),
      [
        "enterprise-b: deny changed: * on * when NotIpAddress acs:SourceIp 198.51.100.7,203.0.0.0/16 (was * on * when NotIpAddress acs:SourceIp 198.51.100.7,203.0.113.0/24)",
        "enterprise-b: grants: source IPs now include 203.0.0.0/16",
        "enterprise-b: trust: source IPs now include 203.0.0.0/16",
      ],
    ],
    [
      "later validUntil",
      (c) => (c.partners[0].validUntil = "2028-06-30T00:00:00Z"),
      [
        "enterprise-b: deny changed: * on * when DateGreaterThan acs:CurrentTime 2028-06-30T00:00:00Z (was * on * when DateGreaterThan acs:CurrentTime 2027-12-31T15:59:59Z)",
        "enterprise-b: grants: valid until 2028-06-30T00:00:00Z (was 2027-12-31T15:59:59Z)",
        "enterprise-b: trust: valid until 2028-06-30T00:00:00Z (was 2027-12-31T15:59:59Z)",
      ],
    ],
    [
      "system assume policy",
      (c) => (c.partners[2].partnerSide.assumePolicy = "system"),
      ["enterprise-c: partner users may assume any role (was role acs:ram::1000000000000001:role/eventbridge-readonly-c)"],
    ],
    [
      "longer sessions",
      (c) => (c.partners[2].role.maxSessionDuration = 7200),
      ["enterprise-c: sessions up to 7200 s (was 3600 s)"],
    ],
    [
      "new group member",
      (c) => c.partners[2].partnerSide.users.push({ name: "mallory" }),
      ["enterprise-c: user mallory added to group eventbridge-readers"],
    ],
    ["reinstated partner", (c) => (c.partners[3].revoked = false), ["enterprise-d: reinstated: the partner gets a role again"]],
  ])("broadening: %s", async (name, edit, expected, count) => {
    const diff = await changed(edit, name.replace(/\W+/g, "-"));
    const broad = diff.changes.filter((c) => c.effect === "broadening").map((c) => `${c.partner}: ${c.description}`);
    expect(broad).toEqual(expect.arrayContaining(expected));
    expect(broad).toHaveLength(count ?? expected.length);
    expect(diff.broadening).toBe(broad.length);
  });

  it("detaching the last system policy narrows: its deny guards go, but every allow keeps the conditions", async () => {
    const without = await report(
      edited(MULTI_FILE, (c) => (c.partners[0].systemPolicies = [])),
      "no-system",
    );
    const diff = diffAccess(multiReport, without);
    expect(diff.broadening).toBe(0);
    expect(diff.changes.filter((c) => c.kind === "system policy").map((c) => c.effect)).toEqual(["narrowing"]);
    expect(diff.changes.filter((c) => c.kind === "deny").map((c) => c.effect)).toEqual(["neutral", "neutral", "neutral"]);
  });

  it("a new principal broadens unless the whole account was trusted already", async () => {
    const named = (principals: string[]) => edited(MULTI_FILE, (c) => (c.partners[1].role.trustedPrincipals = principals));
    const base = await report(named(["user/ci-publisher"]), "p-base");
    const more = diffAccess(base, await report(named(["user/ci-publisher", "user/new-bot"]), "p-more"));
    expect(more.changes.map((c) => [c.effect, c.description])).toEqual([
      ["broadening", "new trusted principal acs:ram::2000000000000002:user/new-bot"],
      // the partner gets a new handoff, which both sides compare by digest
      ["neutral", expect.stringMatching(/^handoff changed: digest [0-9a-f]{12} \(was [0-9a-f]{12}\)$/)],
    ]);
    const underRoot = diffAccess(multiReport, await report(named(["root", "user/new-bot"]), "p-root"));
    expect(underRoot.changes.map((c) => c.kind)).toEqual(["handoff"]);
  });

  it.each<[string, (c: any) => void, string[]]>([
    ["revoked", (c) => (c.partners[2].revoked = true), ["enterprise-c: revoked: the role and its grants are removed"]],
    ["fewer actions", (c) => (c.partners[0].grants[0].permissions = ["publish", "manage-rules"]), []],
    ["narrower resource", (c) => (c.partners[0].grants[0].rules = ["orders-audit"]), []],
    [
      "earlier validUntil",
      (c) => (c.partners[0].validUntil = "2027-06-30T00:00:00Z"),
      [
        "enterprise-b: deny changed: * on * when DateGreaterThan acs:CurrentTime 2027-06-30T00:00:00Z (was * on * when DateGreaterThan acs:CurrentTime 2027-12-31T15:59:59Z)",
        "enterprise-b: grants: valid until 2027-06-30T00:00:00Z (was 2027-12-31T15:59:59Z)",
        "enterprise-b: trust: valid until 2027-06-30T00:00:00Z (was 2027-12-31T15:59:59Z)",
      ],
    ],
    ["partner removed", (c) => c.partners.splice(2, 1), ["enterprise-c: partner removed"]],
  ])("narrowing: %s", async (name, edit, expected) => {
    const diff = await changed(edit, `n-${name.replace(/\W+/g, "-")}`);
    expect(diff.changes.filter((c) => c.effect === "broadening")).toEqual([]);
    const narrow = diff.changes.filter((c) => c.effect === "narrowing").map((c) => `${c.partner}: ${c.description}`);
    expect(narrow.length).toBeGreaterThan(0);
    if (expected.length > 0) expect(narrow).toEqual(expected);
  });

  it("matches RAM wildcards by what they cover", () => {
    expect(patternMatches("acs:eventbridge:*:1:eventbus/orders", "acs:eventbridge:cn-hangzhou:1:eventbus/orders")).toBe(true);
    expect(patternMatches("eventbridge:Get?vent*", "eventbridge:GetEventBus")).toBe(true);
    expect(patternCovers("a/rule/*", "a/rule/r1")).toBe(true);
    expect(patternCovers("a/rule/r1", "a/rule/*")).toBe(false);
    // rule-name prefixes: covered by rule/*, covering the rules they name
    expect(patternCovers("a/rule/orders-*", "a/rule/orders-audit")).toBe(true);
    expect(patternCovers("a/rule/*", "a/rule/orders-*")).toBe(true);
    expect(patternCovers("a/rule/orders-*", "a/rule/*")).toBe(false);
    expect(patternCovers("a/rule/o*", "a/rule/orders-*")).toBe(true);
    expect(patternCovers("a/rule/orders-*", "a/rule/o*")).toBe(false);
    expect(patternCovers("a/rule/orders-*", "a/rule/billing-x")).toBe(false);
    // a `?` stands for one character, never for the run a `*` matches
    expect(patternCovers("a/rule/r?", "a/rule/r*")).toBe(false);
    expect(patternCovers("a/rule/r?", "a/rule/r?")).toBe(true);
    expect(patternCovers("a/rule/r*", "a/rule/r?")).toBe(true);
  });

  it("a rule-name prefix is wider than the rules it names and narrower than every rule", async () => {
    const rules = (list: string[]) => edited(MULTI_FILE, (c) => (c.partners[0].grants[0].rules = list));
    const prefix = await report(rules(["orders-*"]), "r-prefix");
    const effects = (d: ReturnType<typeof diffAccess>) => [
      ...new Set(d.changes.filter((c) => c.kind !== "handoff").map((c) => c.effect)),
    ];
    const named = diffAccess(multiReport, prefix);
    expect(effects(named)).toEqual(["broadening"]);
    expect(named.changes.every((c) => c.kind === "handoff" || c.description.includes("/rule/orders-*"))).toBe(true);
    expect(effects(diffAccess(prefix, multiReport))).toEqual(["narrowing"]);
    const every = await report(rules(["*"]), "r-every");
    expect(effects(diffAccess(prefix, every))).toEqual(["broadening"]);
    expect(effects(diffAccess(every, prefix))).toEqual(["narrowing"]);
  });
});
