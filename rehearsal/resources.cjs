/**
 * The RAM resources the rehearsal's provider plans and applies, each as the provider's source
 * defines it. A TEST COMPONENT (see provider.cjs); facts: FACTS.md (TF = the provider's source).
 */
"use strict";
const { operations } = require("./ram-operations.cjs");

const str = (v) => (typeof v === "string" ? v : undefined);
const sameJson = (a, b) => {
  try {
    return JSON.stringify(JSON.parse(a)) === JSON.stringify(JSON.parse(b));
  } catch {
    return false;
  }
};

/** A role's settings, from the current attributes or their deprecated names. */
const roleFields = (v) => ({
  name: v.role_name ?? v.name,
  document: v.assume_role_policy_document ?? v.document,
  description: v.description,
  maxSessionDuration: v.max_session_duration,
  tags: v.tags,
});

/** Creating and updating a login profile are one RAM call. */
const setLoginProfile = (ram, v) =>
  operations.setLoginProfile(ram, {
    user: v.user_name,
    password: v.password,
    passwordResetRequired: v.password_reset_required,
    mfaBindRequired: v.mfa_bind_required,
  });

/**
 * Per resource type: which attributes replace the resource when they change (`forceNew`: exactly the
 * attributes marked ForceNew in the provider's Go schema at v1.289.0, file named beside each; every
 * other attribute the provider updates in place, so a change to it plans an update), which
 * hold JSON compared by meaning (TF: DiffSuppressFunc compareJsonTemplateAreEquivalent), which are
 * deprecated mirrors the provider fills from their replacement (TF: deprecations), how the id is
 * formed, and the RAM calls for create, read, update and delete.
 */
const RESOURCES = {
  alicloud_ram_role: {
    // TF resource_alicloud_ram_role.go: role_name and name are ForceNew; description,
    // max_session_duration, tags and the trust document are updated in place (UpdateRole, tags)
    forceNew: ["role_name", "name"],
    json: ["assume_role_policy_document", "document"],
    mirrors: { name: "role_name", document: "assume_role_policy_document" },
    key: (v) => str(v.role_name) ?? str(v.name),
    create: (ram, v, account) => operations.createRole(ram, roleFields(v), account),
    update: (ram, v) => operations.updateRole(ram, roleFields(v)),
    read: (ram, key) => ram.roles[key],
    remove: (ram, key) => operations.deleteRole(ram, { name: key }),
    state: (r) => ({
      id: r.name,
      role_name: r.name,
      name: r.name,
      arn: r.arn,
      role_id: r.id,
      create_time: r.createTime,
      assume_role_policy_document: r.document,
      document: r.document,
      description: r.description || null,
      max_session_duration: r.maxSessionDuration,
      tags: Object.keys(r.tags).length > 0 ? r.tags : null,
    }),
  },
  alicloud_ram_policy: {
    // TF resource_alicloud_ram_policy.go: policy_name and name are ForceNew; a new document is a new
    // policy version (rotate_strategy at the version limit), description and tags update in place
    forceNew: ["policy_name", "name"],
    json: ["policy_document", "document"],
    mirrors: { name: "policy_name", document: "policy_document" },
    changesWith: { policy_document: ["default_version", "version_id", "document"] },
    key: (v) => str(v.policy_name) ?? str(v.name),
    create: (ram, v) =>
      operations.createPolicy(ram, {
        name: v.policy_name ?? v.name,
        document: v.policy_document ?? v.document,
        description: v.description,
        tags: v.tags,
      }),
    update: (ram, v) =>
      operations.updatePolicy(ram, {
        name: v.policy_name,
        document: v.policy_document,
        description: v.description,
        tags: v.tags,
        rotateStrategy: v.rotate_strategy,
      }),
    read: (ram, key) => ram.policies[key],
    remove: (ram, key) => operations.deletePolicy(ram, { name: key }),
    state: (p, ram) => {
      const doc = p.versions.find((x) => x.id === p.defaultVersion).document;
      const count = [...ram.roleAttachments, ...ram.groupAttachments, ...ram.userAttachments].filter(
        (a) => a.type === "Custom" && a.policy === p.name,
      ).length;
      return {
        id: p.name,
        policy_name: p.name,
        name: p.name,
        policy_document: doc,
        document: doc,
        description: p.description || null,
        type: "Custom",
        default_version: p.defaultVersion,
        version_id: p.defaultVersion,
        attachment_count: count,
        create_time: p.createTime,
        tags: Object.keys(p.tags).length > 0 ? p.tags : null,
      };
    },
  },
  alicloud_ram_user: {
    // TF resource_alicloud_ram_user.go: no attribute is ForceNew; a new name renames the user
    // (UpdateUser NewUserName), display_name and comments update in place
    forceNew: [],
    key: (v) => str(v.name),
    create: (ram, v) => operations.createUser(ram, { name: v.name, displayName: v.display_name, comments: v.comments }),
    update: (ram, v, _account, prior) =>
      operations.updateUser(ram, { name: prior.name, newName: v.name, displayName: v.display_name, comments: v.comments }),
    read: (ram, key) => ram.users[key],
    remove: (ram, key) => operations.deleteUser(ram, { name: key }),
    state: (u) => ({ id: u.id, name: u.name, display_name: u.displayName || null, comments: u.comments || null }),
  },
  alicloud_ram_group: {
    // TF resource_alicloud_ram_group.go: group_name and name are ForceNew; comments update in place
    forceNew: ["group_name", "name"],
    mirrors: { name: "group_name" },
    key: (v) => str(v.group_name) ?? str(v.name),
    create: (ram, v) => operations.createGroup(ram, { name: v.group_name ?? v.name, comments: v.comments }),
    update: (ram, v) => operations.updateGroup(ram, { name: v.group_name, comments: v.comments }),
    read: (ram, key) => ram.groups[key],
    remove: (ram, key) => operations.deleteGroup(ram, { name: key }),
    state: (g) => ({ id: g.name, group_name: g.name, name: g.name, comments: g.comments || null, create_time: g.createTime }),
  },
  alicloud_ram_user_group_attachment: {
    // TF resource_alicloud_ram_user_group_attachment.go: group_name and user_name are ForceNew (no update)
    forceNew: ["group_name", "user_name"],
    key: (v) => `${v.group_name}:${v.user_name}`,
    create: (ram, v) => operations.addMember(ram, { group: v.group_name, user: v.user_name }),
    read: (ram, key) => ram.members.find((m) => `${m.group}:${m.user}` === key),
    remove: (ram, key) => operations.removeMember(ram, { group: key.split(":")[0], user: key.split(":").slice(1).join(":") }),
    state: (m) => ({ id: `${m.group}:${m.user}`, group_name: m.group, user_name: m.user }),
  },
  alicloud_ram_login_profile: {
    // TF resource_alicloud_ram_login_profile.go: user_name is ForceNew; password,
    // password_reset_required and mfa_bind_required update in place (UpdateLoginProfile)
    forceNew: ["user_name"],
    key: (v) => str(v.user_name),
    create: (ram, v) => setLoginProfile(ram, v),
    update: (ram, v) => setLoginProfile(ram, v),
    read: (ram, key) => ram.loginProfiles[key],
    remove: (ram, key) => operations.deleteLoginProfile(ram, { user: key }),
    // the password is never read back from RAM: state keeps what Terraform sent
    state: (l) => ({
      id: l.user,
      user_name: l.user,
      password_reset_required: l.passwordResetRequired,
      mfa_bind_required: l.mfaBindRequired,
    }),
  },
};
for (const [to, target] of [
  ["role", "role_name"],
  ["group", "group_name"],
  ["user", "user_name"],
]) {
  const list = { role: "roleAttachments", group: "groupAttachments", user: "userAttachments" }[to];
  RESOURCES[`alicloud_ram_${to}_policy_attachment`] = {
    // TF resource_alicloud_ram_{role,group,user}_policy_attachment.go: every argument is ForceNew (no update)
    forceNew: [target, "policy_name", "policy_type"],
    key: (v) => `${to}:${v.policy_name}:${v.policy_type}:${v[target]}`,
    create: (ram, v) => operations.attach(ram, { to, target: v[target], policy: v.policy_name, type: v.policy_type }),
    read: (ram, key) => ram[list].find((a) => `${to}:${a.policy}:${a.type}:${a[to]}` === key),
    remove: (ram, key) => {
      const [, policy, type, ...rest] = key.split(":");
      operations.detach(ram, { to, target: rest.join(":"), policy, type });
    },
    state: (a) => ({ id: `${to}:${a.policy}:${a.type}:${a[to]}`, [target]: a[to], policy_name: a.policy, policy_type: a.type }),
  };
}

module.exports = { RESOURCES, sameJson };
