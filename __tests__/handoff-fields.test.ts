/**
 * One definition of each field for the config and the handoff: a value one reader refuses, the
 * other refuses too (dates, CIDRs, ExternalId, names, session bounds, regions), and a key the
 * handoff does not know is named by its path.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../lib/config/load";
import { ConfigError } from "../lib/config/issues";
import { handoffDigest } from "../lib/handoff/handoff";
import { HandoffError, parseHandoff } from "../lib/handoff/read";
import { EXAMPLE_FILE, ROOT, edited } from "./helpers";

const HANDOFF = JSON.parse(
  readFileSync(path.join(ROOT, "examples", "two-companies", "enterprise-b", "handoffs", "northwind.json"), "utf8"),
);

/** The problems the handoff reader reports for the example handoff after `edit`, digest recomputed. */
function handoffProblems(edit: (h: any) => void): string[] {
  const h = structuredClone(HANDOFF);
  edit(h);
  try {
    parseHandoff({ ...h, digest: handoffDigest(h) });
  } catch (e) {
    // problems are joined with "; ", and each starts with its path
    if (e instanceof HandoffError) return e.problem.split(/; (?=[\w.[\]"]+: )/);
    throw e;
  }
  return [];
}

/** The problems the config reader reports for the example config after `edit`. */
function configProblems(edit: (c: any) => void): string[] {
  try {
    parseConfig(edited(EXAMPLE_FILE, edit));
  } catch (e) {
    if (e instanceof ConfigError) return e.message.split("\n");
    throw e;
  }
  return [];
}

describe("the same field, the same verdict in the config and in the handoff", () => {
  it("accepts the examples", () => {
    expect(handoffProblems(() => {})).toEqual([]);
    expect(configProblems(() => {})).toEqual([]);
  });

  it.each([
    ["a 30th of February", "2027-02-30T00:00:00Z"],
    ["hour 24", "2027-12-31T24:00:00Z"],
    ["month 13", "2027-13-01T00:00:00Z"],
    ["minute 60", "2027-12-31T23:60:00Z"],
  ])("refuses an impossible date: %s", (_what, date) => {
    expect(handoffProblems((h) => (h.validUntil = date))).toEqual([
      `validUntil: must be a real UTC date-time such as 2027-12-31T15:59:59Z, got "${date}"`,
    ]);
    expect(configProblems((c) => (c.partners[0].validUntil = date))).toEqual([
      expect.stringMatching(/^partners\[0\]\.validUntil: must be an ISO 8601 date-time/),
    ]);
  });

  it("agrees on every date-time in UTC, possible or not", () => {
    const two = (max: number) => fc.integer({ min: 0, max }).map((n) => String(n).padStart(2, "0"));
    fc.assert(
      fc.property(fc.integer({ min: 1970, max: 2999 }), two(14), two(33), two(25), two(61), two(61), (y, mo, d, h, mi, s) => {
        const date = `${y}-${mo}-${d}T${h}:${mi}:${s}Z`;
        const inHandoff = handoffProblems((x) => (x.validUntil = date)).length === 0;
        const inConfig = configProblems((c) => (c.partners[0].validUntil = date)).length === 0;
        expect([date, inHandoff]).toEqual([date, inConfig]);
      }),
      { numRuns: 150 },
    );
  });

  it.each([
    ["not an address", "999.0.113.0/24"],
    ["host bits set", "203.0.113.7/24"],
    ["every address", "0.0.0.0/0"],
    ["a prefix over 32", "203.0.113.0/33"],
  ])("refuses a source address that is %s", (_what, ip) => {
    expect(handoffProblems((h) => (h.role.sourceIps = [ip]))).toEqual([expect.stringMatching(/^role\.sourceIps\[0\]: /)]);
    expect(configProblems((c) => (c.partners[0].role.sourceIps = [ip]))).toEqual([
      expect.stringMatching(/^partners\[0\]\.role\.sourceIps\[0\]: /),
    ]);
  });

  it("refuses source addresses that together cover every address", () => {
    const halves = ["0.0.0.0/1", "128.0.0.0/1"];
    expect(handoffProblems((h) => (h.role.sourceIps = halves))).toEqual([
      "role.sourceIps: together these cover every address; leave sourceIps out instead",
    ]);
    expect(configProblems((c) => (c.partners[0].role.sourceIps = halves))).toEqual([
      "partners[0].role.sourceIps: together these cover every address; leave sourceIps out instead",
    ]);
  });

  it.each([3599, 43201, 3600.5])("refuses a session of %s seconds", (seconds) => {
    expect(handoffProblems((h) => (h.role.maxSessionDuration = seconds))).toEqual([
      `role.maxSessionDuration: must be between 3600 and 43200, got ${seconds}`,
    ]);
    expect(configProblems((c) => (c.partners[0].role.maxSessionDuration = seconds))).toEqual([
      `partners[0].role.maxSessionDuration: must be between 3600 and 43200, got ${seconds}`,
    ]);
  });

  it.each<[string, (h: any) => void, (c: any) => void]>([
    ["an ExternalId of one character", (h) => (h.role.externalId = "x"), (c) => (c.partners[0].role.externalId = "x")],
    [
      "a region id in capitals",
      (h) => (h.access.grants[0].region = "CN-HANGZHOU"),
      (c) => (c.partners[0].grants[0].region = "CN-HANGZHOU"),
    ],
    [
      "a bus name with a space",
      (h) => (h.access.grants[0].eventBus = "my bus"),
      (c) => (c.partners[0].grants[0].eventBus = "my bus"),
    ],
    ["a partner name in capitals", (h) => (h.partner.name = "Contoso"), (c) => (c.partners[0].name = "Contoso")],
  ])("refuses %s", (_what, inHandoff, inConfig) => {
    expect(handoffProblems(inHandoff).length).toBeGreaterThan(0);
    expect(configProblems(inConfig).length).toBeGreaterThan(0);
  });
});

describe("unknown keys in a handoff", () => {
  it("are named by their path", () => {
    expect(handoffProblems((h) => (h.role.note = "hi"))).toEqual(["role.note: unknown key"]);
    expect(handoffProblems((h) => (h.access.grants[1].allow[0].condition = {}))).toEqual([
      "access.grants[1].allow[0].condition: unknown key",
    ]);
    expect(handoffProblems((h) => (h.extra = 1))).toEqual(["extra: unknown key"]);
  });

  it("are quoted when they are not plain names, without their control characters", () => {
    expect(handoffProblems((h) => (h.owner["\u001b[2J"] = 1))).toEqual(['owner["\\u001b[2J"]: unknown key']);
  });

  it("a value of the wrong shape is still called so", () => {
    expect(handoffProblems((h) => (h.role = []))).toEqual(["role: must be a mapping"]);
  });
});
