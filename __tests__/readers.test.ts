/**
 * The readers are the writers' mirror: a synthesized stack or its state reads back as the very
 * description the stack was written from, with nothing unaccounted; anything added that no
 * delegation explains is listed with its address.
 */
import { describe, expect, it } from "vitest";
import { describeOwnerSide, describePartnerSide } from "../lib/describe/sides";
import { accessConditions, readConditions, trustConditions } from "../lib/policy/conditions";
import { readPolicyDocument, samePolicy } from "../lib/policy/read";
import { parsePrincipal, principalCovers } from "../lib/ram/arn";
import { readOwnerSide } from "../lib/readers/owner";
import { readPartnerSide } from "../lib/readers/partner";
import { readStack, readState } from "../lib/readers/terraform";
import { MULTI_FILE, model, synthAll } from "./helpers";
import { stateFromStack } from "./state";

const OWNER = "1000000000000001";
const m = model(MULTI_FILE);
const { stacks } = synthAll(m);
const sortBy = <T>(xs: readonly T[], key: (x: T) => string) => [...xs].sort((a, b) => (key(a) < key(b) ? -1 : 1));

describe("the owner side's reader", () => {
  const described = m.partners.flatMap((p) => describeOwnerSide(p) ?? []);

  it("reads a synthesized owner stack back as the descriptions it was written from", () => {
    const read = readOwnerSide(readStack(stacks.owner), OWNER);
    expect(read.unaccounted).toEqual([]);
    expect(sortBy(read.sides, (s) => s.partner)).toEqual(sortBy(described, (s) => s.partner));
  });

  it("reads its state back the same, outputs aside (a state fixture holds none)", () => {
    const read = readOwnerSide(readState(stateFromStack(stacks.owner, OWNER), "owner.json"), OWNER);
    expect(read.unaccounted).toEqual([]);
    const strip = (s: (typeof described)[number]) => ({ ...s, output: undefined });
    expect(sortBy(read.sides, (s) => s.partner).map(strip)).toEqual(sortBy(described, (s) => s.partner).map(strip));
  });
});

describe("the partner side's reader", () => {
  it("reads every partner stack and its state back as its description", () => {
    for (const side of m.partnerSides) {
      const d = describePartnerSide(side);
      const fromStack = readPartnerSide(readStack(stacks[side.stackId]), side.stackId);
      expect(fromStack.unaccounted, side.stackId).toEqual([]);
      const norm = (x: typeof d) => ({
        ...x,
        users: sortBy(x.users, (u) => u.name),
        members: sortBy(x.members, (u) => u.userName),
        consoleUsers: [...x.consoleUsers].sort(),
      });
      expect(norm(fromStack.side!), side.stackId).toEqual(norm(d));
      const fromState = readPartnerSide(readState(stateFromStack(stacks[side.stackId], OWNER), "p.json"), side.stackId);
      expect(fromState.unaccounted, side.stackId).toEqual([]);
      expect(norm({ ...fromState.side!, output: d.output }), side.stackId).toEqual(norm(d));
    }
  });
});

describe("the policy reader", () => {
  it("keeps NotAction and NotResource, reads shorthand, and compares actions case-insensitively", () => {
    const a = JSON.stringify({ Version: "1", Statement: { Effect: "Allow", NotAction: "ram:*", NotResource: "acs:ram:*:*:*" } });
    expect(readPolicyDocument(a).statements).toEqual([
      {
        effect: "Allow",
        actions: [],
        notActions: ["ram:*"],
        resources: [],
        notResources: ["acs:ram:*:*:*"],
        principals: {},
        conditions: {},
      },
    ]);
    const lower = JSON.stringify({
      Version: "1",
      Statement: [{ Effect: "Allow", Action: ["eventbridge:putevents"], Resource: "x" }],
    });
    const upper = JSON.stringify({
      Version: "1",
      Statement: [{ Effect: "Allow", Action: "eventbridge:PutEvents", Resource: ["x"] }],
    });
    expect(samePolicy(lower, upper)).toBe(true);
    // NotAction is not Action
    expect(samePolicy(upper, upper.replace('"Action"', '"NotAction"'))).toBe(false);
  });

  it.each([
    [{ Version: "1", Statement: [{ Effect: "Allow", Action: "a:b", Resource: "*", Sid: "x" }] }, "unknown element Sid"],
    [{ Version: "1", Statement: [{ Effect: "allow", Action: "a:b" }] }, "Effect: must be Allow or Deny"],
    [{ Version: "1", Statement: [{ Effect: "Allow", Action: "a:b", NotAction: "c:d" }] }, "exactly one of Action and NotAction"],
    [{ Version: "1", Statement: [{ Effect: "Allow", Action: [1] }] }, "expected a string"],
    [{ Version: "1", Statement: [{ Effect: "Allow", Action: "a", Principal: { Other: "x" } }] }, "unknown principal kind Other"],
    [
      { Version: "1", Statement: [{ Effect: "Allow", Action: "a", Condition: { StringMatches: { k: "v" } } }] },
      "unknown operator",
    ],
    [{ Version: "2", Statement: [] }, 'Version: must be "1"'],
    [{ Version: "1", Statement: [], Extra: 1 }, "unknown element Extra"],
  ])("refuses what it does not know: %j", (doc, why) => {
    expect(readPolicyDocument(JSON.stringify(doc)).problem).toContain(why);
  });

  it("refuses a key given twice rather than guess which one RAM keeps", () => {
    expect(readPolicyDocument('{"Version":"1","Statement":[{"Effect":"Deny","Effect":"Allow","Action":"a"}]}').problem).toContain(
      "a key appears twice",
    );
  });
});

describe("the principal parser", () => {
  it("reads root, users and roles of an account, and nothing else", () => {
    expect(parsePrincipal("acs:ram::2000000000000002:root")).toEqual({ accountId: "2000000000000002", kind: "root" });
    expect(parsePrincipal("acs:ram::2000000000000002:user/ci.bot")).toEqual({
      accountId: "2000000000000002",
      kind: "user",
      name: "ci.bot",
    });
    for (const other of ["*", "acs:ram:*:2:role/x", "acs:ram::2:role/*", "acs:eventbridge::2:root", "ecs.aliyuncs.com"])
      expect(parsePrincipal(other), other).toBeUndefined();
    expect(principalCovers("acs:ram::2:root", "acs:ram::2:user/x")).toBe(true);
    expect(principalCovers("acs:ram::2:root", "acs:ram::3:user/x")).toBe(false);
    expect(principalCovers("acs:ram::2:user/x", "acs:ram::2:root")).toBe(false);
  });
});

describe("the conditions module", () => {
  it("reads back the settings it builds conditions from, trust and access alike", () => {
    for (const p of m.partners) {
      const window = {
        ...(p.validFrom ? { validFrom: p.validFrom } : {}),
        ...(p.validUntil ? { validUntil: p.validUntil } : {}),
      };
      expect(readConditions([{ conditions: trustConditions(p) }]), p.name).toEqual({
        externalId: p.role.externalId !== undefined,
        ...(p.role.externalId === undefined ? {} : { externalIdValue: p.role.externalId }),
        mfa: p.role.requireMfa,
        sourceIps: [...p.role.sourceIps].sort(),
        ...window,
        other: [],
      });
      expect(readConditions([{ conditions: accessConditions(p) }]), p.name).toEqual({
        externalId: false,
        mfa: false,
        sourceIps: [...p.role.sourceIps].sort(),
        ...window,
        other: [],
      });
    }
  });

  it("keeps what it does not build in other, never drops it", () => {
    expect(
      readConditions([{ conditions: { StringLike: { "acs:UserAgent": ["x*"] }, Bool: { "acs:MFAPresent": ["false"] } } }]),
    ).toEqual({
      externalId: false,
      mfa: false,
      sourceIps: [],
      other: ["StringLike acs:UserAgent=x*", "Bool acs:MFAPresent=false"],
    });
  });
});
