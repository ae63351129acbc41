/**
 * One delegation as a set of RAM objects: the owner's role, its policies and attachments, and the
 * partner's group, users and assume permission. Read back from resources (synthesized or
 * deployed), or projected from the model's description of each side (what the config asks
 * for), so that any two can be compared.
 */
import { STS_ASSUME_ROLE_SYSTEM_POLICY } from "../facts";
import type { OwnerSideDescription, PartnerSideDescription } from "../model/sides";
import { readPolicy } from "../policy/read";
import type { Resource } from "./resources";

export interface PolicyRecord {
  readonly name: string;
  readonly document: string;
}

export interface AttachmentRecord {
  readonly policyName: string;
  readonly policyType: string;
}

export interface OwnerSideRecord {
  /**
   * The partner, as the role's `DelegationPartner` tag (or its resource name) claims it: a label
   * for reports of synthesized stacks, never how the audit identifies a deployed role.
   */
  readonly partner: string;
  readonly roleName: string;
  /** Known once deployed. */
  readonly roleArn?: string;
  readonly trustDocument: string;
  readonly maxSessionDuration?: number;
  readonly tags: Readonly<Record<string, string>>;
  readonly customPolicies: readonly PolicyRecord[];
  readonly systemPolicies: readonly string[];
  readonly attachments: readonly AttachmentRecord[];
}

/** A policy attached directly to a user (the product only ever grants through the group). */
export interface UserAttachmentRecord {
  readonly userName: string;
  readonly policyName: string;
  readonly policyType: string;
}

export interface PartnerSideRecord {
  readonly groupName: string;
  /** Every group the stack holds (the product creates one). */
  readonly groups: readonly string[];
  /** Every policy attached to the group. */
  readonly attachments: readonly AttachmentRecord[];
  readonly userAttachments: readonly UserAttachmentRecord[];
  /** Users with a console login profile. */
  readonly loginUsers: readonly string[];
  /** The group's comments, which name the role its members may assume. */
  readonly comments?: string;
  /** Users the stack creates. */
  readonly users: readonly string[];
  /** Every user the stack adds to the group (created and existing). */
  readonly members: readonly string[];
  /** The group's sts:AssumeRole permission: AliyunSTSAssumeRoleAccess, or a custom policy that allows sts:AssumeRole. */
  readonly assume?:
    { readonly type: "Custom"; readonly policy: PolicyRecord } | { readonly type: "System"; readonly name: string };
}

const byPolicy = (a: AttachmentRecord, b: AttachmentRecord) =>
  a.policyName < b.policyName ? -1 : a.policyName > b.policyName ? 1 : a.policyType < b.policyType ? -1 : 1;

const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const byName = <T extends { name: string }>(a: T, b: T) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** The delegations an owner stack holds: one per RAM role. */
export function ownerSides(resources: readonly Resource[]): OwnerSideRecord[] {
  const of = (type: string) => resources.filter((r) => r.type === type);
  const policies = new Map(
    of("alicloud_ram_policy").map((r) => [str(r.values.policy_name) ?? "", str(r.values.policy_document) ?? ""]),
  );
  const attachments = of("alicloud_ram_role_policy_attachment");
  return of("alicloud_ram_role")
    .map((role) => {
      const roleName = str(role.values.role_name) ?? "";
      const tags = (role.values.tags ?? {}) as Record<string, string>;
      const mine = attachments
        .filter((a) => a.values.role_name === roleName)
        .map((a) => ({ policyName: str(a.values.policy_name) ?? "", policyType: str(a.values.policy_type) ?? "" }))
        .sort((a, b) => (a.policyName < b.policyName ? -1 : a.policyName > b.policyName ? 1 : 0));
      return {
        partner: tags.DelegationPartner ?? role.name,
        roleName,
        roleArn: str(role.values.arn)?.startsWith("acs:") ? str(role.values.arn) : undefined,
        trustDocument: str(role.values.assume_role_policy_document) ?? "",
        maxSessionDuration: typeof role.values.max_session_duration === "number" ? role.values.max_session_duration : undefined,
        tags,
        customPolicies: mine
          .filter((a) => a.policyType === "Custom")
          .map((a) => ({ name: a.policyName, document: policies.get(a.policyName) ?? "" }))
          .sort(byName),
        systemPolicies: mine.filter((a) => a.policyType === "System").map((a) => a.policyName),
        attachments: mine,
      };
    })
    .sort((a, b) => (a.partner < b.partner ? -1 : a.partner > b.partner ? 1 : 0));
}

/** The partner side a partner stack holds, or undefined when it holds no group. */
export function partnerSide(resources: readonly Resource[]): PartnerSideRecord | undefined {
  const of = (type: string) => resources.filter((r) => r.type === type);
  const groups = of("alicloud_ram_group");
  if (groups.length === 0) return undefined;
  const groupNames = groups.map((g) => str(g.values.group_name) ?? "").sort();
  const group = groups[0];
  const groupName = str(group.values.group_name) ?? "";
  const policies = new Map(
    of("alicloud_ram_policy").map((r) => [str(r.values.policy_name) ?? "", str(r.values.policy_document) ?? ""]),
  );
  const attachments = of("alicloud_ram_group_policy_attachment")
    .filter((a) => a.values.group_name === groupName)
    .map((a) => ({ policyName: str(a.values.policy_name) ?? "", policyType: str(a.values.policy_type) ?? "" }))
    .sort(byPolicy);
  // the assume permission: the system policy, or a custom one that allows sts:AssumeRole
  const system = attachments.find(
    (a) => a.policyType === "System" && a.policyName.toLowerCase() === STS_ASSUME_ROLE_SYSTEM_POLICY.toLowerCase(),
  );
  const custom = attachments.find(
    (a) =>
      a.policyType === "Custom" &&
      (readPolicy(policies.get(a.policyName)) ?? []).some((st) => st.effect === "Allow" && st.actions.includes("sts:AssumeRole")),
  );
  return {
    groupName,
    groups: groupNames,
    attachments,
    userAttachments: of("alicloud_ram_user_policy_attachment")
      .map((a) => ({
        userName: str(a.values.user_name) ?? "",
        policyName: str(a.values.policy_name) ?? "",
        policyType: str(a.values.policy_type) ?? "",
      }))
      .sort((a, b) => (`${a.userName} ${a.policyName}` < `${b.userName} ${b.policyName}` ? -1 : 1)),
    loginUsers: of("alicloud_ram_login_profile")
      .map((l) => str(l.values.user_name) ?? "")
      .sort(),
    ...(str(group.values.comments) === undefined ? {} : { comments: str(group.values.comments) }),
    users: of("alicloud_ram_user")
      .map((u) => str(u.values.name) ?? "")
      .sort(),
    members: of("alicloud_ram_user_group_attachment")
      .filter((m) => m.values.group_name === groupName)
      .map((m) => str(m.values.user_name) ?? "")
      .sort(),
    assume: custom
      ? { type: "Custom", policy: { name: custom.policyName, document: policies.get(custom.policyName) ?? "" } }
      : system
        ? { type: "System", name: system.policyName }
        : undefined,
  };
}

/** The owner side as the model describes it, in the form read back from resources. */
export function expectedOwnerSide(d: OwnerSideDescription): OwnerSideRecord {
  return {
    partner: d.partner,
    roleName: d.role.name,
    roleArn: d.role.arn,
    trustDocument: d.role.trustDocument,
    maxSessionDuration: d.role.maxSessionDuration,
    tags: d.role.tags,
    customPolicies: d.policies.map((p) => ({ name: p.name, document: p.document })).sort(byName),
    systemPolicies: d.attachments.filter((a) => a.policyType === "System").map((a) => a.policyName),
    attachments: d.attachments
      .map((a) => ({ policyName: a.policyName, policyType: a.policyType }))
      .sort((a, b) => (a.policyName < b.policyName ? -1 : a.policyName > b.policyName ? 1 : 0)),
  };
}

/** The partner side as the model describes it, in the form read back from resources. */
export function expectedPartnerSide(d: PartnerSideDescription): PartnerSideRecord {
  const a = d.assume;
  const assume: PartnerSideRecord["assume"] = !a
    ? undefined
    : a.policy
      ? { type: "Custom", policy: { name: a.policy.name, document: a.policy.document } }
      : { type: "System", name: a.attachment.policyName };
  return {
    groupName: d.group.name,
    groups: [d.group.name],
    attachments: a ? [{ policyName: a.attachment.policyName, policyType: a.attachment.policyType }] : [],
    userAttachments: [],
    loginUsers: [...d.consoleUsers].sort(),
    comments: d.group.comments,
    users: d.users.map((u) => u.name).sort(),
    members: d.members.map((m) => m.userName).sort(),
    assume,
  };
}
