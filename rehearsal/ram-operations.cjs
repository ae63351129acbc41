/**
 * The RAM operations the alicloud provider's RAM resources call, on one account of the fake RAM
 * (ram.cjs), with the checks RAM makes. A test component: every behaviour names its fact in
 * FACTS.md beside this file (RAM = Alibaba Cloud's RAM documentation, TF = the alicloud
 * provider's source at v1.289.0, NOTES = the plugin protocol and Terraform 1.11).
 */
"use strict";
const { FakeRam, RamError, LIMITS, NAMES, SYSTEM_POLICIES } = require("./ram.cjs");

const check = (kind, name) => {
  if (!NAMES[kind].test(name))
    throw new RamError(`InvalidParameter.${kind}Name`, `${kind} name ${JSON.stringify(name)} is not valid`);
};
const need = (map, kind, name) => {
  const found = map[name];
  if (!found) throw new RamError(`EntityNotExist.${kind}`, `The ${kind.toLowerCase()} ${name} does not exist.`); // NOTES
  return found;
};
const isJson = (text) => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

/** The RAM operations the alicloud provider's RAM resources call, on one account. */
const operations = {
  // ---- roles (TF alicloud_ram_role; RAM 3) ----------------------------------------------------
  createRole(ram, { name, document, description, maxSessionDuration, tags }, accountId) {
    check("Role", name);
    if (ram.roles[name]) throw new RamError("EntityAlreadyExists.Role", `The role ${name} already exists.`);
    if (!isJson(document)) throw new RamError("MalformedPolicyDocument", "The trust policy is not valid JSON.");
    const { id, at } = FakeRam.stamp(ram);
    ram.roles[name] = {
      name,
      id,
      arn: `acs:ram::${accountId}:role/${name}`, // RAM 5: role ARN acs:ram::<uid>:role/<name>
      document,
      description: description ?? "",
      maxSessionDuration: maxSessionDuration ?? 3600, // RAM 3: default 3,600 s
      tags: tags ?? {},
      createTime: at,
    };
    return ram.roles[name];
  },
  updateRole(ram, { name, document, description, maxSessionDuration, tags }) {
    const role = need(ram.roles, "Role", name);
    if (!isJson(document)) throw new RamError("MalformedPolicyDocument", "The trust policy is not valid JSON.");
    Object.assign(role, {
      document,
      description: description ?? "",
      maxSessionDuration: maxSessionDuration ?? 3600,
      tags: tags ?? {},
    });
    return role;
  },
  deleteRole(ram, { name }) {
    need(ram.roles, "Role", name);
    if (ram.roleAttachments.some((a) => a.role === name))
      throw new RamError("DeleteConflict.Role.Policy", `The role ${name} still has policies attached.`); // NOTES: destroy order
    delete ram.roles[name];
  },

  // ---- custom policies (TF alicloud_ram_policy; RAM 2.4) ---------------------------------------
  createPolicy(ram, { name, document, description, tags }) {
    check("Policy", name);
    if (ram.policies[name]) throw new RamError("EntityAlreadyExists.Policy", `The policy ${name} already exists.`);
    if (!isJson(document)) throw new RamError("MalformedPolicyDocument", "The policy document is not valid JSON.");
    if (document.length > LIMITS.policyDocumentChars)
      throw new RamError(
        "LimitExceeded.Policy.Document",
        `The policy document is longer than ${LIMITS.policyDocumentChars} characters.`,
      );
    const { at } = FakeRam.stamp(ram);
    ram.policies[name] = {
      name,
      description: description ?? "",
      tags: tags ?? {},
      versions: [{ id: "v1", document, at }],
      defaultVersion: "v1",
      createTime: at,
    };
    return ram.policies[name];
  },
  /** A new document is a new default version; at RAM's 5 versions, rotate_strategy decides (RAM 2.4, TF). */
  updatePolicy(ram, { name, document, description, tags, rotateStrategy }) {
    const policy = need(ram.policies, "Policy", name);
    Object.assign(policy, { description: description ?? "", tags: tags ?? {} });
    const current = policy.versions.find((v) => v.id === policy.defaultVersion);
    if (current.document === document) return policy;
    if (!isJson(document)) throw new RamError("MalformedPolicyDocument", "The policy document is not valid JSON.");
    if (document.length > LIMITS.policyDocumentChars)
      throw new RamError(
        "LimitExceeded.Policy.Document",
        `The policy document is longer than ${LIMITS.policyDocumentChars} characters.`,
      );
    if (policy.versions.length >= LIMITS.policyVersions) {
      if (rotateStrategy !== "DeleteOldestNonDefaultVersionWhenLimitExceeded")
        throw new RamError("LimitExceeded.Policy.Version", `The policy ${name} already has ${LIMITS.policyVersions} versions.`);
      const oldest = policy.versions.find((v) => v.id !== policy.defaultVersion);
      policy.versions = policy.versions.filter((v) => v !== oldest);
    }
    const { at } = FakeRam.stamp(ram);
    const id = `v${Math.max(...policy.versions.map((v) => Number(v.id.slice(1)))) + 1}`;
    policy.versions.push({ id, document, at });
    policy.defaultVersion = id;
    return policy;
  },
  deletePolicy(ram, { name }) {
    need(ram.policies, "Policy", name);
    const used = [...ram.roleAttachments, ...ram.groupAttachments, ...ram.userAttachments].some(
      (a) => a.type === "Custom" && a.policy === name,
    );
    if (used) throw new RamError("DeleteConflict.Policy.Attachment", `The policy ${name} is still attached.`);
    delete ram.policies[name];
  },

  // ---- attachments (TF alicloud_ram_*_policy_attachment) --------------------------------------
  attach(ram, { to, target, policy, type }) {
    const owners = {
      role: [ram.roles, "Role", ram.roleAttachments],
      group: [ram.groups, "Group", ram.groupAttachments],
      user: [ram.users, "User", ram.userAttachments],
    };
    const [map, kind, list] = owners[to];
    need(map, kind, target);
    if (type === "Custom") need(ram.policies, "Policy", policy);
    else if (!SYSTEM_POLICIES.has(policy))
      throw new RamError("EntityNotExist.Policy", `The system policy ${policy} does not exist.`);
    if (list.some((a) => a[to] === target && a.policy === policy && a.type === type))
      throw new RamError(`EntityAlreadyExists.${kind}.Policy`, `The policy ${policy} is already attached to ${target}.`);
    if (to === "role") {
      const limit = type === "Custom" ? LIMITS.customPoliciesPerRole : LIMITS.systemPoliciesPerRole;
      if (list.filter((a) => a.role === target && a.type === type).length >= limit)
        throw new RamError(
          "LimitExceeded.Role.Policy",
          `Role ${target} already has ${limit} ${type.toLowerCase()} policies attached.`,
        );
    }
    list.push({ [to]: target, policy, type });
  },
  detach(ram, { to, target, policy, type }) {
    const list = { role: ram.roleAttachments, group: ram.groupAttachments, user: ram.userAttachments }[to];
    const i = list.findIndex((a) => a[to] === target && a.policy === policy && a.type === type);
    if (i < 0) throw new RamError("EntityNotExist.Attachment", `The policy ${policy} is not attached to ${target}.`);
    list.splice(i, 1);
  },

  // ---- users, groups, members, logins (TF alicloud_ram_user, _group, ...; RAM 5) ---------------
  createUser(ram, { name, displayName, comments }) {
    check("User", name);
    if (ram.users[name]) throw new RamError("EntityAlreadyExists.User", `The user ${name} already exists.`);
    const { id, at } = FakeRam.stamp(ram);
    ram.users[name] = { name, id, displayName: displayName ?? "", comments: comments ?? "", createTime: at };
    return ram.users[name];
  },
  /**
   * UpdateUser (RAM API: NewUserName, NewDisplayName, NewComments): a new name renames the same user
   * (its id stays), so its groups, policies and console login stay with it.
   */
  updateUser(ram, { name, newName, displayName, comments }) {
    const user = need(ram.users, "User", name);
    if (newName !== undefined && newName !== name) {
      check("User", newName);
      if (ram.users[newName]) throw new RamError("EntityAlreadyExists.User", `The user ${newName} already exists.`);
      delete ram.users[name];
      user.name = newName;
      ram.users[newName] = user;
      for (const m of ram.members) if (m.user === name) m.user = newName;
      for (const a of ram.userAttachments) if (a.user === name) a.user = newName;
      if (ram.loginProfiles[name]) {
        ram.loginProfiles[newName] = { ...ram.loginProfiles[name], user: newName };
        delete ram.loginProfiles[name];
      }
    }
    return Object.assign(user, { displayName: displayName ?? "", comments: comments ?? "" });
  },
  /** Without force, a user with a login profile, groups or policies cannot be deleted (TF: DeleteConflict.User.*). */
  deleteUser(ram, { name }) {
    need(ram.users, "User", name);
    if (ram.loginProfiles[name])
      throw new RamError("DeleteConflict.User.LoginProfile", `The user ${name} still has a login profile.`);
    if (ram.members.some((m) => m.user === name))
      throw new RamError("DeleteConflict.User.Group", `The user ${name} is still in a group.`);
    if (ram.userAttachments.some((a) => a.user === name))
      throw new RamError("DeleteConflict.User.Policy", `The user ${name} still has policies.`);
    delete ram.users[name];
  },
  createGroup(ram, { name, comments }) {
    check("Group", name);
    if (ram.groups[name]) throw new RamError("EntityAlreadyExists.Group", `The group ${name} already exists.`);
    const { at } = FakeRam.stamp(ram);
    ram.groups[name] = { name, comments: comments ?? "", createTime: at };
    return ram.groups[name];
  },
  updateGroup(ram, { name, comments }) {
    return Object.assign(need(ram.groups, "Group", name), { comments: comments ?? "" });
  },
  deleteGroup(ram, { name }) {
    need(ram.groups, "Group", name);
    if (ram.members.some((m) => m.group === name))
      throw new RamError("DeleteConflict.Group.User", `The group ${name} still has members.`);
    if (ram.groupAttachments.some((a) => a.group === name))
      throw new RamError("DeleteConflict.Group.Policy", `The group ${name} still has policies.`);
    delete ram.groups[name];
  },
  addMember(ram, { group, user }) {
    need(ram.groups, "Group", group);
    need(ram.users, "User", user);
    if (ram.members.some((m) => m.group === group && m.user === user))
      throw new RamError("EntityAlreadyExists.User.Group", `The user ${user} is already in group ${group}.`);
    ram.members.push({ group, user });
  },
  removeMember(ram, { group, user }) {
    ram.members = ram.members.filter((m) => !(m.group === group && m.user === user));
  },
  /** RAM 5: console passwords are 8-32 characters. */
  setLoginProfile(ram, { user, password, passwordResetRequired, mfaBindRequired }) {
    need(ram.users, "User", user);
    if (typeof password !== "string" || password.length < 8 || password.length > 32)
      throw new RamError("InvalidParameter.Password", "The password must be 8-32 characters.");
    ram.loginProfiles[user] = { user, passwordResetRequired: !!passwordResetRequired, mfaBindRequired: !!mfaBindRequired };
    return ram.loginProfiles[user];
  },
  deleteLoginProfile(ram, { user }) {
    delete ram.loginProfiles[user];
  },
};

module.exports = { operations };
