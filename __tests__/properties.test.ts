/**
 * Property-based tests: any valid config synthesizes and passes every error-level check
 * (properties-broken.test.ts: any broken config is refused, naming the broken path).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../lib/config/load";
import { buildModel } from "../lib/describe/model";
import { POLICY_DOCUMENT_MAX_CHARS } from "../lib/facts";
import { validConfig } from "./arbitrary-config";
import { NOW, resourcesOfType, synthAll } from "./helpers";

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
