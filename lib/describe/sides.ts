/**
 * Each side of a delegation, computed once as plain data: the RAM objects a stack creates, with
 * their Terraform addresses, names, rendered documents and attachments, and the values of its
 * output. The constructs write exactly this; the audit and the reports compare against it. No
 * other module decides a name, a document or an attachment.
 */
import { ROTATE_OLDEST_POLICY_VERSION } from "../facts";
import { renderPolicy } from "../policy/document";
import { assumePolicy, permissionPolicies, trustPolicy } from "../policy/policies";
import type { PartnerModel, PartnerSideModel } from "../model/model";
import { groupComments, outputName, ownerAddresses, permissionPolicyName, tfName } from "../names/names";

export type PolicyType = "Custom" | "System";

export interface PolicyDescription {
  readonly address: string;
  readonly name: string;
  /** The rendered document, as RAM stores it. */
  readonly document: string;
  readonly description: string;
  readonly rotateStrategy: string;
}

export interface AttachmentDescription {
  readonly address: string;
  readonly policyName: string;
  readonly policyType: PolicyType;
}

/** The owner stack's part for one active partner (Steps 1-3). */
export interface OwnerSideDescription {
  readonly partner: string;
  readonly role: {
    readonly address: string;
    readonly name: string;
    readonly arn: string;
    readonly description: string;
    readonly trustDocument: string;
    readonly maxSessionDuration: number;
    readonly tags: Readonly<Record<string, string>>;
  };
  /** The custom permission policies, numbered from 1. */
  readonly policies: readonly PolicyDescription[];
  /** Every policy attached to the role: the custom ones, then the system ones. */
  readonly attachments: readonly AttachmentDescription[];
  readonly output: {
    readonly name: string;
    readonly description: string;
    readonly policyNames: readonly string[];
    readonly switchRoleUrl: string;
    readonly validUntil: string;
  };
}

/** What the owner stack holds for a partner; undefined once the partner is revoked. */
export function describeOwnerSide(p: PartnerModel): OwnerSideDescription | undefined {
  if (p.revoked) return undefined;
  const policies = permissionPolicies(p).map((document, i) => ({
    address: ownerAddresses.policy(p.name, i),
    name: permissionPolicyName(p.name, i),
    document: renderPolicy(document),
    description: `EventBridge permissions of role ${p.role.name}, delegated to ${p.name}`,
    rotateStrategy: ROTATE_OLDEST_POLICY_VERSION,
  }));
  return {
    partner: p.name,
    role: {
      address: ownerAddresses.role(p.name),
      name: p.role.name,
      arn: p.role.arn,
      description: p.role.description,
      trustDocument: renderPolicy(trustPolicy(p)),
      maxSessionDuration: p.role.maxSessionDuration,
      tags: p.tags,
    },
    policies,
    attachments: [
      ...policies.map((c, i) => ({
        address: ownerAddresses.customAttachment(p.name, i),
        policyName: c.name,
        policyType: "Custom" as const,
      })),
      ...p.systemPolicies.map((s) => ({
        address: ownerAddresses.systemAttachment(p.name, s),
        policyName: s,
        policyType: "System" as const,
      })),
    ],
    output: {
      name: outputName(p.name),
      description: `Delegation to ${p.name}: the role it assumes, its policies, the Switch Role link and the end (UTC, empty when open-ended)`,
      policyNames: [...policies.map((c) => c.name), ...p.systemPolicies],
      switchRoleUrl: p.switchRoleUrl,
      validUntil: p.validUntil ?? "",
    },
  };
}

export interface UserDescription {
  readonly address: string;
  readonly name: string;
  readonly displayName?: string;
  readonly comments: string;
  /** The console login profile, when the user signs in to the console (`consoleLogin`). */
  readonly login?: LoginDescription;
}

/** A console login profile's settings; its initial password comes from a sensitive variable. */
export interface LoginDescription {
  readonly address: string;
  /** The user must change the initial password at first logon. */
  readonly passwordResetRequired: boolean;
  /** The user must bind an MFA device at first logon. */
  readonly mfaBindRequired: boolean;
}

/** A partner stack (Steps 4-5): group, users, memberships, console logins and the assume permission. */
export interface PartnerSideDescription {
  readonly stackId: string;
  readonly group: { readonly address: string; readonly name: string; readonly comments: string };
  readonly users: readonly UserDescription[];
  /** Group memberships: the created users, then the existing ones. */
  readonly members: readonly { readonly address: string; readonly userName: string; readonly created: boolean }[];
  /** Users with a console login (their initial passwords come from a sensitive variable). */
  readonly consoleUsers: readonly string[];
  /** The assume permission; absent when the handoff is revoked. */
  readonly assume?: {
    /** The custom policy (`assumePolicy: scoped`). */
    readonly policy?: PolicyDescription;
    readonly attachment: AttachmentDescription;
  };
  readonly output: {
    readonly groupName: string;
    readonly userNames: readonly string[];
    /** Empty when revoked. */
    readonly roleArn: string;
    /** Empty when revoked or not required. */
    readonly externalId: string;
    readonly logonNameFormat: string;
    /** Empty when revoked. */
    readonly switchRoleUrl: string;
  };
}

export function describePartnerSide(s: PartnerSideModel): PartnerSideDescription {
  const h = s.handoff;
  const live = !h.revoked;
  const policy: PolicyDescription | undefined =
    live && s.assumePolicy === "scoped"
      ? {
          address: "assume",
          name: s.assumePolicyName,
          document: renderPolicy(assumePolicy(h.role.arn)),
          description: `sts:AssumeRole on ${h.role.arn} (${h.owner.name})`,
          rotateStrategy: ROTATE_OLDEST_POLICY_VERSION,
        }
      : undefined;
  return {
    stackId: s.stackId,
    group: { address: "delegates", name: s.groupName, comments: groupComments(h.role.name, h.owner.name) },
    users: s.users.map((u) => ({
      address: tfName(u.name),
      name: u.name,
      ...(u.displayName === undefined ? {} : { displayName: u.displayName }),
      comments: `Delegate of ${h.owner.name} EventBridge (role ${h.role.name})`.slice(0, 128),
      ...(u.consoleLogin ? { login: { address: tfName(u.name), passwordResetRequired: true, mfaBindRequired: true } } : {}),
    })),
    members: [
      ...s.users.map((u) => ({ address: tfName(u.name), userName: u.name, created: true })),
      ...s.existingUsers.map((name) => ({ address: tfName(name), userName: name, created: false })),
    ],
    consoleUsers: s.users.filter((u) => u.consoleLogin).map((u) => u.name),
    ...(live
      ? {
          assume: {
            ...(policy ? { policy } : {}),
            attachment: {
              address: "assume",
              policyName: s.assumePolicyName,
              policyType: s.assumePolicy === "scoped" ? ("Custom" as const) : ("System" as const),
            },
          },
        }
      : {}),
    output: {
      groupName: s.groupName,
      userNames: [...s.users.map((u) => u.name), ...s.existingUsers],
      roleArn: live ? h.role.arn : "",
      externalId: live ? (h.role.externalId ?? "") : "",
      logonNameFormat: s.logonNameFormat,
      switchRoleUrl: live ? (h.switchRoleUrl ?? "") : "",
    },
  };
}
