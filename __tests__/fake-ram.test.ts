/**
 * The rehearsal's fake RAM (rehearsal/ram.cjs): each RAM behaviour it imitates, straight from the
 * documented facts it names. The deploy-path tests (integration/rehearsal.test.ts) drive it
 * through real Terraform; these check the behaviours one by one, without Terraform.
 */
import { describe, expect, it } from "vitest";
import { RAM_LIMITS, POLICY_DOCUMENT_MAX_CHARS } from "../lib/facts";
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS test component
const { LIMITS, emptyAccount: fresh } = require("../rehearsal/ram.cjs");
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS test component
const { operations } = require("../rehearsal/ram-operations.cjs");

const doc = (action: string) =>
  JSON.stringify({ Version: "1", Statement: [{ Effect: "Allow", Action: [action], Resource: ["*"] }] });
const role = (ram: any, name = "r") => operations.createRole(ram, { name, document: doc("sts:AssumeRole") }, "1000000000000001");

describe("the fake RAM", () => {
  it("enforces the limits lib/facts.ts states, not figures of its own", () => {
    expect(LIMITS.policyDocumentChars).toBe(POLICY_DOCUMENT_MAX_CHARS);
    expect(LIMITS.customPoliciesPerRole).toBe(RAM_LIMITS.role.custom);
    expect(LIMITS.systemPoliciesPerRole).toBe(RAM_LIMITS.role.system);
  });

  it("gives a role its ARN and refuses a second role of the same name", () => {
    const ram = fresh();
    expect(role(ram).arn).toBe("acs:ram::1000000000000001:role/r");
    expect(() => role(ram)).toThrow(/^EntityAlreadyExists\.Role: /);
    expect(() => role(ram, "bad_name")).toThrow(/^InvalidParameter\.RoleName/);
  });

  it("attaches only existing roles and policies, and at most 10 custom policies to a role", () => {
    const ram = fresh();
    expect(() => operations.attach(ram, { to: "role", target: "r", policy: "p", type: "Custom" })).toThrow(
      /^EntityNotExist\.Role/,
    );
    role(ram);
    expect(() => operations.attach(ram, { to: "role", target: "r", policy: "p", type: "Custom" })).toThrow(
      /^EntityNotExist\.Policy/,
    );
    expect(() => operations.attach(ram, { to: "role", target: "r", policy: "NoSuchPolicy", type: "System" })).toThrow(
      /^EntityNotExist\.Policy/,
    );
    for (let i = 1; i <= 11; i++) operations.createPolicy(ram, { name: `p${i}`, document: doc("eventbridge:PutEvents") });
    for (let i = 1; i <= 10; i++) operations.attach(ram, { to: "role", target: "r", policy: `p${i}`, type: "Custom" });
    expect(() => operations.attach(ram, { to: "role", target: "r", policy: "p11", type: "Custom" })).toThrow(
      /^LimitExceeded\.Role\.Policy/,
    );
  });

  it("refuses a policy document over 6,144 characters", () => {
    const long = JSON.stringify({ Version: "1", Statement: [{ Effect: "Allow", Action: ["a"], Resource: ["x".repeat(6144)] }] });
    expect(() => operations.createPolicy(fresh(), { name: "p", document: long })).toThrow(/^LimitExceeded\.Policy\.Document/);
  });

  it("keeps at most 5 versions, rotating the oldest only with DeleteOldestNonDefaultVersionWhenLimitExceeded", () => {
    const ram: any = fresh();
    operations.createPolicy(ram, { name: "p", document: doc("a:1") });
    for (let i = 2; i <= 5; i++) operations.updatePolicy(ram, { name: "p", document: doc(`a:${i}`), rotateStrategy: "None" });
    expect(ram.policies.p.versions.map((v: any) => v.id)).toEqual(["v1", "v2", "v3", "v4", "v5"]);
    expect(() => operations.updatePolicy(ram, { name: "p", document: doc("a:6"), rotateStrategy: "None" })).toThrow(
      /^LimitExceeded\.Policy\.Version/,
    );
    operations.updatePolicy(ram, {
      name: "p",
      document: doc("a:6"),
      rotateStrategy: "DeleteOldestNonDefaultVersionWhenLimitExceeded",
    });
    expect(ram.policies.p.versions.map((v: any) => v.id)).toEqual(["v2", "v3", "v4", "v5", "v6"]);
    expect(ram.policies.p.defaultVersion).toBe("v6");
  });

  it("refuses to delete what is still in use (DeleteConflict), so destroy order matters", () => {
    const ram = fresh();
    role(ram);
    operations.createPolicy(ram, { name: "p", document: doc("a:1") });
    operations.attach(ram, { to: "role", target: "r", policy: "p", type: "Custom" });
    expect(() => operations.deleteRole(ram, { name: "r" })).toThrow(/^DeleteConflict\.Role\.Policy/);
    expect(() => operations.deletePolicy(ram, { name: "p" })).toThrow(/^DeleteConflict\.Policy/);
    operations.createUser(ram, { name: "u" });
    operations.createGroup(ram, { name: "g" });
    operations.addMember(ram, { group: "g", user: "u" });
    expect(() => operations.deleteUser(ram, { name: "u" })).toThrow(/^DeleteConflict\.User\.Group/);
    expect(() => operations.deleteGroup(ram, { name: "g" })).toThrow(/^DeleteConflict\.Group\.User/);
    expect(() => operations.setLoginProfile(ram, { user: "u", password: "short" })).toThrow(/^InvalidParameter\.Password/);
  });
});
