import { readFileSync } from "node:fs";
import path from "node:path";
import Ajv from "ajv";
import { describe, expect, it } from "vitest";
import { delegationJsonSchema, JSON_SCHEMA_FILE } from "../lib/config/json-schema";
import { EXAMPLE_FILE, MULTI_FILE, ROOT, edited, rawConfig } from "./helpers";

const committed = readFileSync(path.join(ROOT, JSON_SCHEMA_FILE), "utf8");
const validate = new Ajv({ strict: true, allErrors: true, validateFormats: false }).compile(JSON.parse(committed));

describe("delegation.schema.json", () => {
  it("is what the config schema generates (run npm run schema after changing lib/config/schema.ts)", () => {
    expect(committed).toBe(delegationJsonSchema());
  });

  it("is referenced from the example configs for editors, relative to each file", () => {
    const examples = [
      EXAMPLE_FILE,
      path.join(ROOT, "examples", "two-companies", "enterprise-a", "delegation.yaml"),
      path.join(ROOT, "examples", "two-companies", "enterprise-b", "delegation.yaml"),
    ];
    for (const file of examples) {
      const first = readFileSync(file, "utf8").split("\n")[0];
      const target = /^# yaml-language-server: \$schema=(\S+)$/.exec(first)?.[1];
      expect(target && path.resolve(path.dirname(file), target), file).toBe(path.join(ROOT, JSON_SCHEMA_FILE));
    }
  });

  it("accepts the example and the fixtures, so editors do not flag valid configs", () => {
    expect(validate(rawConfig(EXAMPLE_FILE)), JSON.stringify(validate.errors)).toBe(true);
    expect(validate(rawConfig(MULTI_FILE)), JSON.stringify(validate.errors)).toBe(true);
  });

  it("flags unknown keys, bad names, ranges and enums as the synth would", () => {
    const errors = (edit: (c: any) => void) => {
      validate(edited(EXAMPLE_FILE, edit));
      return (validate.errors ?? []).map((e) => `${e.instancePath} ${e.keyword}`);
    };
    expect(errors((c) => (c.partners[0].role.maxSesionDuration = 1))).toContain("/partners/0/role additionalProperties");
    expect(errors((c) => (c.partners[0].role.maxSessionDuration = 99))).toContain("/partners/0/role/maxSessionDuration minimum");
    expect(errors((c) => (c.partners[0].role.name = "a b"))).toContain("/partners/0/role/name pattern");
    expect(errors((c) => (c.partners[0].grants[0].permissions = ["pubish"]))).toContain(
      "/partners/0/grants/0/permissions/0 enum",
    );
    expect(errors((c) => (c.partners[0].grants[0].actions = ["eventbridge:PutEvent"]))).toContain(
      "/partners/0/grants/0/actions/0 enum",
    );
    expect(errors((c) => (c.owner.accountId = 1))).toContain("/owner/accountId type");
  });
});
