/**
 * Property-based tests: any valid config synthesizes and passes every error-level check; any
 * config broken in one of the ways people break configs is refused with a message that names
 * the broken path, and never with a crash.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { catalogActionNames, grantableOnBus } from "../lib/catalog/actions";
import { parseConfig } from "../lib/config/load";
import { ConfigError, formatPath } from "../lib/config/issues";
import { buildModel } from "../lib/describe/model";
import { POLICY_DOCUMENT_MAX_CHARS } from "../lib/facts";
import { NOW, resourcesOfType, synthAll } from "./helpers";

// ---- valid configs -----------------------------------------------------------------------------

const slug = fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,10}[a-z0-9])?$/);
const region = fc.constantFrom("cn-hangzhou", "cn-shanghai", "cn-beijing", "ap-southeast-1", "eu-central-1");
const cidrs = ["203.0.113.0/24", "198.51.100.7", "10.0.0.0/8", "192.0.2.128/25"];
/** Extra actions a grant may carry. */
const safeActions = catalogActionNames().filter(grantableOnBus);
const isoInstant = fc.integer({ min: Date.parse("2027-02-01T00:00:00Z") / 1000, max: Date.parse("2035-01-01T00:00:00Z") / 1000 });
const zone = fc.constantFrom("Z", "+08:00", "-05:00", "+00:00");
const dateTime = (seconds: number, z: string) => {
  const offset = z === "Z" ? 0 : (z[0] === "+" ? 1 : -1) * (Number(z.slice(1, 3)) * 60 + Number(z.slice(4)));
  return new Date((seconds + offset * 60) * 1000).toISOString().replace(/\.000Z$/, z);
};

const grant = (bus: string) =>
  fc
    .record({
      region: fc.option(region, { nil: undefined }),
      permissions: fc.uniqueArray(fc.constantFrom("publish", "read", "manage-rules"), { minLength: 1, maxLength: 3 }),
      actions: fc.uniqueArray(fc.constantFrom(...safeActions), { maxLength: 3 }),
      rules: fc.uniqueArray(fc.stringMatching(/^[A-Za-z0-9_.-]{1,20}$/), { minLength: 1, maxLength: 3 }),
    })
    .map(({ region: r, permissions, actions, rules }) => ({
      eventBus: bus,
      ...(r ? { region: r } : {}),
      permissions,
      actions,
      ...(permissions.includes("manage-rules") ? { rules } : {}),
    }));

const partner = (name: string, i: number) =>
  fc
    .record({
      account: fc.integer({ min: 0, max: 3 }),
      region: fc.option(region, { nil: undefined }),
      maxSessionDuration: fc.integer({ min: 3600, max: 43200 }),
      trustedPrincipals: fc.uniqueArray(fc.constantFrom("root", "user/ci-bot", "role/automation"), {
        minLength: 1,
        maxLength: 3,
      }),
      externalId: fc.option(fc.stringMatching(/^[\w+=,.@:/-]{2,40}$/), { nil: undefined }),
      requireMfa: fc.boolean(),
      sourceIps: fc.uniqueArray(fc.constantFrom(...cidrs), { maxLength: 3 }),
      grants: fc
        .uniqueArray(fc.integer({ min: 0, max: 9 }), { maxLength: 3 })
        .chain((buses) => fc.tuple(...buses.map((b) => grant(`bus-${b}`)))),
      systemPolicies: fc.uniqueArray(fc.constantFrom("AliyunEventBridgeReadOnlyAccess", "AliyunEventBridgePutEventsPolicy"), {
        maxLength: 2,
      }),
      validity: fc.option(fc.tuple(isoInstant, isoInstant, zone, zone), { nil: undefined }),
      revoked: fc.boolean(),
      users: fc.array(
        fc.record({
          consoleLogin: fc.boolean(),
          displayName: fc.option(fc.string({ minLength: 1, maxLength: 20 }), { nil: undefined }),
        }),
        { maxLength: 3 },
      ),
      existingUsers: fc.integer({ min: 0, max: 2 }),
      assumePolicy: fc.constantFrom("scoped", "system"),
    })
    .map((r) => {
      const [from, until, z1, z2] = r.validity ?? [];
      const window =
        from === undefined || until === undefined || from === until
          ? {}
          : { validFrom: dateTime(Math.min(from, until), z1!), validUntil: dateTime(Math.max(from, until), z2!) };
      const systemPolicies =
        r.grants.length === 0 && r.systemPolicies.length === 0 ? ["AliyunEventBridgeReadOnlyAccess"] : r.systemPolicies;
      return {
        name,
        accountId: String(2_000_000_000_000_000 + r.account),
        ...(r.region ? { region: r.region } : {}),
        role: {
          name: `role-${i}`,
          maxSessionDuration: r.maxSessionDuration,
          trustedPrincipals: r.trustedPrincipals,
          ...(r.externalId ? { externalId: r.externalId } : {}),
          requireMfa: r.requireMfa,
          sourceIps: r.sourceIps,
        },
        grants: r.grants,
        systemPolicies,
        ...window,
        revoked: r.revoked,
        partnerSide: {
          groupName: `group-${i}`,
          users: r.users.map((u, j) => ({
            name: `user-${i}.${j}`,
            ...(u.displayName ? { displayName: u.displayName } : {}),
            consoleLogin: u.consoleLogin,
          })),
          existingUsers: Array.from({ length: r.existingUsers }, (_, j) => `existing_${i}_${j}`),
          assumePolicy: r.assumePolicy,
        },
      };
    });

const validConfig = fc
  .record({
    owner: fc.record({
      name: slug,
      region,
      profile: fc.option(fc.stringMatching(/^[A-Za-z0-9._-]{1,20}$/), { nil: undefined }),
      tags: fc.dictionary(fc.stringMatching(/^[A-Z][A-Za-z0-9]{0,15}$/), fc.string({ maxLength: 20 }), { maxKeys: 3 }),
    }),
    names: fc.uniqueArray(slug, { minLength: 1, maxLength: 4 }),
  })
  .chain(({ owner, names }) =>
    fc.tuple(...names.map((n, i) => partner(n, i))).map((partners) => ({
      owner: {
        name: owner.name,
        accountId: "1000000000000001",
        region: owner.region,
        ...(owner.profile ? { profile: owner.profile } : {}),
        tags: Object.fromEntries(Object.entries(owner.tags).filter(([k]) => k !== "ManagedBy" && k !== "DelegationPartner")),
      },
      partners,
    })),
  );

describe("any valid config", () => {
  it("is accepted, synthesizes, and passes every error-level check with policies RAM accepts", () => {
    fc.assert(
      fc.property(validConfig, (raw) => {
        const built = synthAll(buildModel(parseConfig(raw)), NOW);
        expect(built.checks.findings.filter((f) => f.severity === "error")).toEqual([]);
        for (const stack of Object.values(built.stacks)) {
          for (const policy of Object.values(resourcesOfType(stack, "alicloud_ram_policy"))) {
            expect(JSON.parse(policy.policy_document).Version).toBe("1");
            expect(policy.policy_document.length).toBeLessThanOrEqual(POLICY_DOCUMENT_MAX_CHARS);
          }
          for (const role of Object.values(resourcesOfType(stack, "alicloud_ram_role"))) {
            expect(JSON.parse(role.assume_role_policy_document).Statement).toHaveLength(1);
          }
        }
      }),
      { numRuns: 40 },
    );
  });
});

// ---- broken configs ----------------------------------------------------------------------------

type Path = (string | number)[];
interface Mutation {
  readonly name: string;
  /** Applies the mutation; returns the path that must be named in the problems. */
  apply(c: any): Path;
}

const get = (c: any, path: Path) => path.reduce((o, k) => o[k], c);
const set = (c: any, path: Path, value: unknown) => (get(c, path.slice(0, -1))[path[path.length - 1]] = value);

/** Paths of every value in the config. */
function paths(value: unknown, at: Path = []): Path[] {
  if (Array.isArray(value)) return [at, ...value.flatMap((v, i) => paths(v, [...at, i]))];
  if (value !== null && typeof value === "object")
    return [at, ...Object.entries(value).flatMap(([k, v]) => paths(v, [...at, k]))];
  return [at];
}

const otherType = (v: unknown): unknown[] => {
  const all: unknown[] = [42, "text", true, null, { x: 1 }, [1]];
  return all.filter((x) => (Array.isArray(v) ? !Array.isArray(x) : typeof x !== typeof v || x === null || v === null));
};

const mutations = (pick: (n: number) => number): Mutation[] => [
  {
    name: "wrong type",
    apply: (c) => {
      const candidates = paths(c).filter((p) => p.length > 0 && !(p[p.length - 2] === "tags"));
      const p = candidates[pick(candidates.length)];
      const replacements = otherType(get(c, p));
      set(c, p, replacements[pick(replacements.length)]);
      return p;
    },
  },
  {
    name: "out-of-range session",
    apply: (c) => {
      const p: Path = ["partners", pick(c.partners.length), "role", "maxSessionDuration"];
      set(c, p, [0, 3599, 43201, -1, 3600.5, 1e12][pick(6)]);
      return p;
    },
  },
  {
    name: "bad name",
    apply: (c) => {
      const i = pick(c.partners.length);
      const p = (
        [
          ["owner", "name"],
          ["partners", i, "name"],
          ["partners", i, "role", "name"],
          ["partners", i, "partnerSide", "groupName"],
        ] as Path[]
      )[pick(4)];
      set(c, p, ["", "a b", "x".repeat(65), "名前", "Upper_Case!", "a/b"][pick(6)]);
      return p;
    },
  },
  {
    name: "unknown key",
    apply: (c) => {
      const objects = paths(c).filter((p) => {
        const v = get(c, p);
        return v !== null && typeof v === "object" && !Array.isArray(v) && p[p.length - 1] !== "tags";
      });
      const p = objects[pick(objects.length)];
      get(c, p)["unexpectedSetting"] = 1;
      return [...p, "unexpectedSetting"];
    },
  },
  {
    name: "duplicate name",
    apply: (c) => {
      if (c.partners.length < 2) {
        c.partners.push(structuredClone(c.partners[0]));
        return ["partners", 1, "name"];
      }
      const [field, p] = (
        [
          ["name", ["name"]],
          ["role name", ["role", "name"]],
        ] as const
      )[pick(2)];
      void field;
      set(c, ["partners", 1, ...p], get(c, ["partners", 0, ...p]));
      return ["partners", 1, ...p];
    },
  },
  {
    name: "bad date",
    apply: (c) => {
      const p: Path = ["partners", pick(c.partners.length), ["validFrom", "validUntil"][pick(2)]];
      set(
        c,
        p,
        [
          "2027-13-01T00:00:00Z",
          "tomorrow",
          "2027-02-30T00:00:00Z",
          "2027-01-01",
          "2027-01-01T00:00:00",
          "2027-12-31T23:59:59+25:00",
          "2027-12-31T23:59:59+05:60",
        ][pick(7)],
      );
      return p;
    },
  },
  {
    name: "bad CIDR",
    apply: (c) => {
      const i = pick(c.partners.length);
      c.partners[i].role.sourceIps = ["300.1.1.1", "10.0.0.1/33", "10.0.0.1/8", "abc", "0.0.0.0/0"].slice(pick(5), 5).slice(0, 1);
      return ["partners", i, "role", "sourceIps", 0];
    },
  },
];

describe("any broken config", () => {
  it("is refused with one readable line per problem, naming the broken path, never a crash", () => {
    fc.assert(
      fc.property(validConfig, fc.infiniteStream(fc.nat()), fc.nat(), (raw, randoms, which) => {
        const it = randoms[Symbol.iterator]();
        const pick = (n: number) => (it.next().value as number) % n;
        const all = mutations(pick);
        const mutation = all[which % all.length];
        const broken = structuredClone(raw);
        const path = formatPath(mutation.apply(broken));

        let error: unknown;
        try {
          buildModel(parseConfig(broken));
        } catch (e) {
          error = e;
        }
        expect(error, mutation.name).toBeInstanceOf(ConfigError);
        const lines = (error as ConfigError).message.split("\n");
        expect(lines.length).toBe((error as ConfigError).issues.length);
        for (const line of lines) {
          expect(line).toMatch(/^\S[^\n]*: \S/);
          expect(line).not.toMatch(/\bat .*\.(ts|js):\d+/);
        }
        const named = (error as ConfigError).issues.map((i) => formatPath(i.path));
        expect(
          named.some((n) => n === path || path.startsWith(`${n}.`) || path.startsWith(`${n}[`) || n.startsWith(path)),
          `${mutation.name} at ${path}; reported: ${named.join(", ")}`,
        ).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
