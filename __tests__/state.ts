/**
 * Terraform state fixtures in the documented `terraform show -json` format, made from
 * synthesized stacks plus the values the provider computes (ids, ARNs, timestamps).
 * @see https://developer.hashicorp.com/terraform/internals/json-format#state-representation
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import type { StackJson } from "../lib/readers/files";
import { readStack } from "../lib/readers/terraform";

export interface StateJson {
  format_version: string;
  terraform_version: string;
  values: { root_module: { resources: StateResource[] } };
}

export interface StateResource {
  address: string;
  mode: "managed";
  type: string;
  name: string;
  provider_name: string;
  schema_version: number;
  values: Record<string, any>;
  sensitive_values: Record<string, unknown>;
}

/** What alicloud 1.289.0 computes for each resource type we create. */
function computed(type: string, v: Record<string, any>, ownerAccountId: string): Record<string, unknown> {
  switch (type) {
    case "alicloud_ram_role":
      return {
        id: v.role_name,
        arn: `acs:ram::${ownerAccountId}:role/${v.role_name}`,
        role_id: "300000000000000001",
        create_time: "2026-11-23T08:00:00Z",
      };
    case "alicloud_ram_policy":
      return {
        id: v.policy_name,
        type: "Custom",
        default_version: "v1",
        version_id: "v1",
        attachment_count: 1,
        create_time: "2026-11-23T08:00:00Z",
      };
    case "alicloud_ram_role_policy_attachment":
      return { id: `role:${v.policy_name}:${v.policy_type}:${v.role_name}` };
    case "alicloud_ram_group_policy_attachment":
      return { id: `group:${v.policy_name}:${v.policy_type}:${v.group_name}` };
    case "alicloud_ram_group":
      return { id: v.group_name, create_time: "2026-11-23T08:00:00Z" };
    case "alicloud_ram_user":
      return { id: `20000000000000${String(v.name).length}` };
    case "alicloud_ram_user_group_attachment":
      return { id: `${v.group_name}:${v.user_name}` };
    case "alicloud_ram_login_profile":
      return { id: v.user_name, password: "initial-password-from-variable", create_time: "2026-11-23T08:00:00Z" };
    default:
      return {};
  }
}

/** The state Terraform would hold after applying a synthesized stack. */
export function stateFromStack(stack: StackJson, ownerAccountId: string): StateJson {
  return {
    format_version: "1.0",
    terraform_version: "1.9.8",
    values: {
      root_module: {
        resources: readStack(stack).resources.map((r) => ({
          address: `${r.type}.${r.name}`,
          mode: "managed",
          type: r.type,
          name: r.name,
          provider_name: "registry.terraform.io/aliyun/alicloud",
          schema_version: 0,
          values: { ...r.values, ...computed(r.type, r.values as Record<string, any>, ownerAccountId) },
          sensitive_values: r.type === "alicloud_ram_login_profile" ? { password: true } : {},
        })),
      },
    },
  };
}

/** A resource of a state by address. */
export function resourceAt(state: StateJson, address: string): StateResource {
  const r = state.values.root_module.resources.find((x) => x.address === address);
  if (!r) throw new Error(`no ${address} in state`);
  return r;
}

export const OWNER_ACCOUNT = "1000000000000001";
/** Every stack the multi-partner fixture synthesizes. */
export const MULTI_STACKS = [
  "owner",
  "partner-enterprise-b",
  "partner-enterprise-b-audit",
  "partner-enterprise-c",
  "partner-enterprise-d",
];

/** The synthesized Terraform JSON of stack `id` in a synth output directory. */
export const stackIn = (outdir: string, id: string) =>
  JSON.parse(readFileSync(path.join(outdir, "stacks", id, "cdk.tf.json"), "utf8")) as StackJson;

/** State files for stacks of a synth output, as Terraform would hold them after applying it. */
export const statesOf = (outdir: string, ids: string[]) =>
  ids.map((id) => ({ id, state: stateFromStack(stackIn(outdir, id), OWNER_ACCOUNT) }));
