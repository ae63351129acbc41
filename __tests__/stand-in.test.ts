/**
 * The stand-in provider plans changes as the alicloud provider does: a changed argument replaces
 * its resource exactly where the provider's source marks it ForceNew (the table in
 * rehearsal/FACTS.md), and every other change is an update in place. Real Terraform drives it in
 * integration/kept-rehearsal.test.ts.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "./helpers";

// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS test component
const { RESOURCES, plan } = require("../rehearsal/provider.cjs");
const schema = JSON.parse(readFileSync(path.join(ROOT, "providers", "aliyun-alicloud-1.289.0.json"), "utf8")).provider_schemas[
  "registry.terraform.io/aliyun/alicloud"
].resource_schemas;

/** The ForceNew column of FACTS.md's TF table, per resource type. */
function forceNewFacts(): Record<string, string[] | "all"> {
  const facts = readFileSync(path.join(ROOT, "rehearsal", "FACTS.md"), "utf8");
  const out: Record<string, string[] | "all"> = {};
  for (const line of facts.split("\n")) {
    const cells = line.split("|").map((c) => c.trim());
    if (cells.length < 4 || !cells[1].startsWith("`alicloud_")) continue;
    const names = [...cells[2].matchAll(/`([a-z_]+)`/g)].map((m) => m[1]);
    for (const [, type] of cells[1].matchAll(/`(alicloud_[a-z_]+)`/g)) out[type] = cells[2] === "every argument" ? "all" : names;
  }
  return out;
}

/** A value for an argument of `type` that differs from `prior`. */
const another = (t: unknown, prior: unknown): unknown =>
  t === "string" ? `${String(prior ?? "")}x` : t === "number" ? Number(prior ?? 0) + 1 : t === "bool" ? !prior : prior;

describe("the stand-in provider's plans", () => {
  const facts = forceNewFacts();

  it("knows every resource type it serves from FACTS.md, with the same ForceNew arguments", () => {
    expect(Object.keys(facts).sort()).toEqual(Object.keys(RESOURCES).sort());
    for (const [type, spec] of Object.entries<{ forceNew: string[] }>(RESOURCES)) {
      const args = Object.entries<any>(schema[type].block.attributes).filter(([, a]) => a.required || a.optional);
      const expected = facts[type] === "all" ? args.map(([n]) => n).filter((n) => n !== "id") : facts[type];
      expect([type, [...spec.forceNew].sort()]).toEqual([type, [...expected].sort()]);
    }
  });

  it("replaces a resource when a ForceNew argument set in the configuration changes, and only then", () => {
    for (const [type, spec] of Object.entries<{ forceNew: string[] }>(RESOURCES)) {
      const attributes = schema[type].block.attributes as Record<
        string,
        { type: unknown; optional?: boolean; required?: boolean }
      >;
      const scalar = Object.entries(attributes).filter(
        ([n, a]) => (a.required || a.optional) && n !== "id" && ["string", "number", "bool"].includes(a.type as string),
      );
      const prior: Record<string, unknown> = Object.fromEntries(Object.keys(attributes).map((n) => [n, null]));
      for (const [n, a] of scalar) prior[n] = a.type === "string" ? `v-${n}` : a.type === "number" ? 3600 : false;
      // JSON arguments hold JSON
      for (const n of ["assume_role_policy_document", "document", "policy_document"]) if (n in prior) prior[n] = "{}";
      for (const [name, a] of scalar) {
        const value = ["assume_role_policy_document", "document", "policy_document"].includes(name)
          ? '{"Version":"1"}'
          : another(a.type, prior[name]);
        const proposed = { ...prior, [name]: value };
        const config = { ...Object.fromEntries(Object.keys(attributes).map((n) => [n, null])), [name]: value };
        const { replace } = plan(type, prior, proposed, config);
        const forced = replace.map((p: { steps: { attribute_name: string }[] }) => p.steps[0].attribute_name);
        expect([type, name, forced]).toEqual([type, name, spec.forceNew.includes(name) ? [name] : []]);
      }
    }
  });

  it("a computed mirror that follows its source forces nothing itself", () => {
    const prior = { role_name: "a", name: "a", assume_role_policy_document: "{}", document: "{}", arn: "acs:ram::1:role/a" };
    const proposed = { ...prior, role_name: "b" };
    const { planned, replace } = plan("alicloud_ram_role", prior, proposed, { role_name: "b", name: null });
    expect(replace).toEqual([{ steps: [{ attribute_name: "role_name" }] }]);
    expect(planned.name).toBe("b");
  });
});
