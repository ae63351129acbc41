/**
 * Property-based tests: any config broken in one of the ways people break configs is refused with
 * a message that names the broken path, and never with a crash.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../lib/config/load";
import { ConfigError, formatPath } from "../lib/config/issues";
import { buildModel } from "../lib/describe/model";
import { validConfig } from "./arbitrary-config";

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
