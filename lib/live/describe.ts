/**
 * The live reader's last step, the mirror of `describeOwnerSide` / `describePartnerSide` for what
 * RAM's API answered: a role the config names as an OwnerSideDescription, a delegation's group as
 * a PartnerSideDescription, plus everything in them that no delegation explains (a policy
 * attached to the group besides its assume permission, a policy attached to a member directly) or
 * that cannot be read (a policy RAM no longer returns, a document the policy reader refuses).
 */
import { MANAGED_TAG_KEYS } from "../config/schema";
import type { PartnerSideModel } from "../model/model";
import type { OwnerSideDescription, PartnerSideDescription, UserDescription } from "../describe/sides";
import { readPolicyDocument } from "../policy/read";
import { sameRamName } from "../ram/names";
import type { Unaccounted } from "../readers/unaccounted";
import type { LiveRole } from "./owner";
import type { PartnerAccountReading } from "./partner";

const NO_OUTPUT = { name: "", description: "", policyNames: [], switchRoleUrl: "", validUntil: "" };

function readable(where: string, document: string | undefined, out: Unaccounted[]): string {
  if (document === undefined) out.push({ address: where, why: "RAM did not return its document", kind: "unreadable" });
  else {
    const r = readPolicyDocument(document);
    if (r.problem) out.push({ address: where, why: `not a policy document the reader knows: ${r.problem}`, kind: "unreadable" });
  }
  return document ?? "";
}

/** A role read from the account, as the owner side describes one. */
export function liveOwnerSide(role: LiveRole, out: Unaccounted[]): OwnerSideDescription {
  const attachments = role.attachments ?? [];
  const trustDocument = readable(`role ${role.name} trust policy`, role.trustDocument, out);
  return {
    partner: role.tags[MANAGED_TAG_KEYS[1]] ?? role.name,
    role: {
      address: role.name,
      name: role.name,
      arn: role.arn,
      description: role.description,
      trustDocument,
      maxSessionDuration: role.maxSessionDuration ?? 3600,
      tags: role.tags,
    },
    policies: attachments
      .filter((a) => a.policyType === "Custom")
      .map((a) => ({
        address: a.policyName,
        name: a.policyName,
        document: readable(`role ${role.name}: Custom policy ${a.policyName}`, a.document, out),
        description: "",
        rotateStrategy: "",
      })),
    attachments: attachments.map((a) => ({
      address: a.policyName,
      policyName: a.policyName,
      policyType: a.policyType === "System" ? ("System" as const) : ("Custom" as const),
    })),
    output: NO_OUTPUT,
  };
}

/** A delegation's group read from the account, as the partner side describes one; undefined when it is not there. */
export function livePartnerSide(
  reading: PartnerAccountReading,
  side: PartnerSideModel,
  out: Unaccounted[],
): PartnerSideDescription | undefined {
  const group = reading.groups.find((g) => sameRamName(g.name, side.groupName));
  if (!group) return undefined;
  const existing = (name: string) => side.existingUsers.some((u) => sameRamName(u, name));
  const members = group.members ?? [];
  // the users the stack would hold: members it did not find existing, and its users that left the group
  const created = [
    ...members.filter((m) => !existing(m)),
    ...side.users
      .map((u) => u.name)
      .filter((u) => !members.some((m) => sameRamName(m, u)) && reading.users.some((x) => sameRamName(x.name, u))),
  ];
  const users: UserDescription[] = created.map((name) => {
    const login = reading.delegates.find((d) => sameRamName(d.name, name))?.login;
    return { address: name, name, comments: "", ...(login ? { login: { address: name, ...login } } : {}) };
  });
  // the assume permission: the attachment the config names, else one that allows sts:AssumeRole elsewhere
  const byName = group.attachments.find((a) => sameRamName(a.policyName, side.assumePolicyName));
  const assume = byName ?? group.attachments.find((a) => a.assumesOutside);
  for (const a of group.attachments)
    if (a !== assume)
      out.push({
        address: `group ${group.name}: ${a.policyType} policy ${a.policyName}`,
        why: "attached to the group; a delegation's group holds only its assume permission",
        kind: "unexplained",
      });
  for (const name of members)
    for (const a of reading.users.find((u) => sameRamName(u.name, name))?.attachments ?? [])
      out.push({
        address: `user ${name}: ${a.policyType} policy ${a.policyName}`,
        why: "attached to the member directly; a delegation grants only through its group",
        kind: "unexplained",
      });
  return {
    stackId: side.stackId,
    group: { address: "delegates", name: group.name, comments: group.comments },
    users,
    members: members.map((m) => ({ address: m, userName: m, created: !existing(m) })),
    consoleUsers: users.filter((u) => u.login).map((u) => u.name),
    ...(assume
      ? {
          assume: {
            ...(assume.policyType === "Custom"
              ? {
                  policy: {
                    address: "assume",
                    name: assume.policyName,
                    document: readable(`group ${group.name}: Custom policy ${assume.policyName}`, assume.document, out),
                    description: "",
                    rotateStrategy: "",
                  },
                }
              : {}),
            attachment: {
              address: "assume",
              policyName: assume.policyName,
              policyType: assume.policyType === "System" ? ("System" as const) : ("Custom" as const),
            },
          },
        }
      : {}),
    output: { groupName: group.name, userNames: [], roleArn: "", externalId: "", logonNameFormat: "", switchRoleUrl: "" },
  };
}
