/**
 * Config text reaches Terraform as text, never as an expression: `${...}` and `%{...}` in any
 * free-text field are escaped in the synthesized JSON (values and keys), read back literally by
 * the review tools (integration/literal-terraform.test.ts: evaluated by Terraform itself to exactly
 * the text the config holds).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readStack } from "../lib/readers/terraform";
import { literal, readLiteral } from "../lib/terraform/literal";
import { MULTI_FILE, edited, modelOf, resourcesOfType, synthAll, type StackJson } from "./helpers";
import { hostile } from "./hostile-text";

/** Every string and object key of a JSON value. */
function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === "string") out.push(value);
  else if (Array.isArray(value)) for (const v of value) strings(v, out);
  else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      out.push(k);
      strings(v, out);
    }
  }
  return out;
}

/**
 * The expressions the product writes on purpose: references between its own resources, the
 * console password variable, and that variable's validation.
 */
const OWN_EXPRESSION = [
  /^\$\{alicloud_ram_[a-z_]+\.[\w-]+\.\w+\}$/,
  /^\$\{var\.console_passwords\["[\w.-]+"\]\}$/,
  /^\$\{alltrue\(\[for u in \[[^$%]*\] : contains\(keys\(var\.console_passwords\), u\)\]\)\}$/,
];

/** The strings of a stack that Terraform would evaluate as templates, other than the product's own. */
function foreignExpressions(stack: StackJson): string[] {
  const { "//": _comment, ...applied } = stack;
  return strings(applied).filter((s) => readLiteral(s) === undefined && !OWN_EXPRESSION.some((re) => re.test(s)));
}

const withHostileText = (texts: { description: string; displayName: string; tagValue: string; tagKey: string }) =>
  edited(MULTI_FILE, (c) => {
    c.owner.tags = { [texts.tagKey]: texts.tagValue };
    c.partners[0].role.description = texts.description;
    c.partners[0].partnerSide.users[0].displayName = texts.displayName;
  });

describe("config text in Terraform JSON", () => {
  const { stacks } = synthAll(modelOf(withHostileText(hostile)));
  const role = resourcesOfType(stacks.owner, "alicloud_ram_role")["enterprise-b"];
  const users = resourcesOfType(stacks["partner-enterprise-b"], "alicloud_ram_user");

  it("is escaped, values and keys alike", () => {
    expect(role.description).toBe('$${file("/etc/hostname")} and %%{ if true }x%%{ endif }');
    expect(role.tags).toMatchObject({ '$${upper("k")}': "$$${already escaped} %%%{ too }" });
    expect(Object.values(users).map((u) => u.display_name)).toContain('$${var.console_passwords["alice"]}');
  });

  it("leaves no expression in any stack but the product's own references", () => {
    for (const [id, stack] of Object.entries(stacks)) expect(foreignExpressions(stack), id).toEqual([]);
  });

  it("is read back as the literal text by the review tools", () => {
    const owner = readStack(stacks.owner).resources.find((r) => r.name === "enterprise-b" && r.type === "alicloud_ram_role")!;
    expect(owner.values.description).toBe(hostile.description);
    expect(owner.values.tags).toMatchObject({ [hostile.tagKey]: hostile.tagValue });
    const partner = readStack(stacks["partner-enterprise-b"]).resources.filter((r) => r.type === "alicloud_ram_user");
    expect(partner.map((u) => u.values.display_name)).toContain(hostile.displayName);
  });

  it("property: random text in every free-text field never becomes an expression", () => {
    // strings rich in the characters that matter
    const text = fc
      .array(fc.oneof(fc.constantFrom("$", "%", "{", "}", "${", "%{", "$${", "\\", '"', "x"), fc.string({ maxLength: 3 })), {
        minLength: 1,
        maxLength: 12,
      })
      .map((parts) => parts.join(""))
      .filter((s) => s.trim().length > 0 && s.length <= 128);
    fc.assert(
      fc.property(
        fc.record({ description: text, displayName: text, tagValue: text, tagKey: text.filter((k) => /^\S/.test(k)) }),
        (texts) => {
          const built = synthAll(modelOf(withHostileText(texts))).stacks;
          for (const stack of Object.values(built)) expect(foreignExpressions(stack)).toEqual([]);
          const owner = readStack(built.owner).resources.find(
            (r) => r.type === "alicloud_ram_role" && r.name === "enterprise-b",
          )!;
          expect(owner.values.description).toBe(texts.description);
          expect((owner.values.tags as Record<string, string>)[texts.tagKey]).toBe(texts.tagValue);
        },
      ),
      { numRuns: 25 },
    );
  });

  it("property: literal and readLiteral are inverses, and literal text holds no template", () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom("$", "%", "{", "}", "a") }), (s) => {
        expect(readLiteral(literal(s))).toBe(s);
      }),
      { numRuns: 500 },
    );
  });
});
