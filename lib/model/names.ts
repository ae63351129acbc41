/**
 * Names the product gives to things. Terraform addresses and output names are API: renaming one
 * destroys and recreates the resource, so every name here is derived only from config names.
 */
import { createHash } from "node:crypto";

/**
 * A Terraform identifier for a config name. Names that already are valid identifiers are kept as
 * they are (`enterprise-b`); others (`1st`, `ci.bot`) get their invalid characters replaced and a
 * short hash of the original appended, so that two names never map to one address.
 */
export function tfName(name: string): string {
  if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(name)) return name;
  const hash = createHash("sha256").update(name).digest("hex").slice(0, 6);
  return `_${name.replace(/[^A-Za-z0-9_-]/g, "_")}_${hash}`;
}

/** Output names use underscores only: `enterprise-b` + `role_arn` → `enterprise_b_role_arn`. */
export function outputName(...parts: string[]): string {
  return tfName(parts.join("_").replace(/-/g, "_"));
}

export const OWNER_STACK_ID = "owner";

export function partnerStackId(partnerName: string): string {
  return `partner-${partnerName}`;
}

/**
 * The custom permission policies in the owner's account: `eventbridge-delegation-<partner>`, and
 * `-2`, `-3`, ... when the permissions need more than one policy.
 */
export function permissionPolicyName(partnerName: string, index = 0): string {
  return numbered(`eventbridge-delegation-${partnerName}`, index);
}

/** Construct/address suffix of the n-th item of a numbered series: "", "-2", "-3", ... */
export function numbered(base: string, index: number): string {
  return index === 0 ? base : `${base}-${index + 1}`;
}

/** The custom sts:AssumeRole policy in the partner's account. */
export function assumePolicyName(ownerName: string, partnerName: string): string {
  return `eventbridge-assume-${ownerName}-${partnerName}`;
}

/** Session name the providers use when they assume a deployment role (`assumeRoleArn`). */
export const PROVIDER_SESSION_NAME = "eventbridge-delegation";

/** The sensitive Terraform variable that holds console passwords, keyed by RAM user name. */
export const CONSOLE_PASSWORDS_VARIABLE = "console_passwords";
