/**
 * The read operations of RAM's API that the live audit makes, answered from one account of the
 * rehearsal's fake RAM (ram.cjs's JSON): the answers' field names, pagination and error codes as
 * docs/ram-api-facts.md states them (cited by section, e.g. "F3"). A test component: served over
 * HTTP by ram-endpoint.cjs; it is not Alibaba Cloud.
 */
"use strict";
const crypto = require("node:crypto");

/**
 * System policies' documents as RAM serves them through GetPolicy (F7): those a delegation may
 * attach and the broad ones a console user might.
 */
const SYSTEM_POLICY_DOCUMENTS = {
  AdministratorAccess: { Version: "1", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] },
  AliyunSTSAssumeRoleAccess: { Version: "1", Statement: [{ Action: "sts:AssumeRole", Effect: "Allow", Resource: "*" }] },
  AliyunEventBridgeFullAccess: { Version: "1", Statement: [{ Effect: "Allow", Action: "eventbridge:*", Resource: "*" }] },
  AliyunEventBridgeReadOnlyAccess: {
    Version: "1",
    Statement: [
      {
        Effect: "Allow",
        Action: [
          "eventbridge:Get*",
          "eventbridge:List*",
          "eventbridge:EventCenterCheckEnabledOnDefaultBus",
          "eventbridge:EventCenterQueryRun",
          "eventbridge:EventCenterQueryResult",
        ],
        Resource: "*",
      },
    ],
  },
  AliyunEventBridgePutEventsPolicy: {
    Version: "1",
    Statement: [{ Effect: "Allow", Action: "eventbridge:PutEvents", Resource: "*" }],
  },
};

/** A RAM error: HTTP status, code and message as RAM answers them (F2). */
class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}
const notExist = (kind, name) => new ApiError(404, `EntityNotExist.${kind}`, `The ${kind.toLowerCase()} does not exist: ${name}`); // F2

/** One page of a sorted list: Marker is where the page starts, MaxItems 1-1000, default 100 (F3). */
function page(items, query) {
  const max = query.has("MaxItems") ? Number(query.get("MaxItems")) : 100;
  if (!Number.isInteger(max) || max < 1 || max > 1000)
    throw new ApiError(400, "InvalidParameter.MaxItems", "MaxItems must be between 1 and 1000.");
  const marker = query.get("Marker");
  const start = marker ? Number(Buffer.from(marker, "base64url").toString()) : 0;
  if (!Number.isInteger(start) || start < 0 || start > items.length)
    throw new ApiError(400, "InvalidParameter.Marker", "The marker is not valid.");
  const rest = items.length - start > max;
  return {
    items: items.slice(start, start + max),
    more: rest ? { IsTruncated: true, Marker: Buffer.from(String(start + max)).toString("base64url") } : { IsTruncated: false },
  };
}

const sorted = (map) =>
  Object.keys(map)
    .sort()
    .map((k) => map[k]);
const param = (query, name) => {
  const v = query.get(name);
  if (!v) throw new ApiError(400, `MissingParameter.${name}`, `The parameter ${name} is required.`);
  return v;
};
const attachmentsOf = (ram, list, key, name) =>
  list
    .filter((a) => a[key] === name)
    .map((a) => ({
      PolicyName: a.policy,
      PolicyType: a.type,
      DefaultVersion: a.type === "Custom" ? (ram.policies[a.policy]?.defaultVersion ?? "v1") : "v1",
      Description: a.type === "Custom" ? (ram.policies[a.policy]?.description ?? "") : "",
      AttachDate: "2026-01-01T00:00:00Z",
    }));

function policyOf(ram, query) {
  const name = param(query, "PolicyName");
  const type = param(query, "PolicyType");
  if (type === "System") {
    const doc = SYSTEM_POLICY_DOCUMENTS[name];
    if (!doc) throw notExist("Policy", name);
    return {
      name,
      type,
      defaultVersion: "v1",
      versions: [{ id: "v1", document: JSON.stringify(doc), at: "2017-01-01T00:00:00Z" }],
    };
  }
  if (type !== "Custom") throw new ApiError(400, "InvalidParameter.PolicyType", "PolicyType must be System or Custom.");
  const p = ram.policies[name];
  if (!p) throw notExist("Policy", name);
  return { name, type, defaultVersion: p.defaultVersion, versions: p.versions, description: p.description };
}

const version = (v, defaultVersion) => ({
  VersionId: v.id,
  IsDefaultVersion: v.id === defaultVersion,
  PolicyDocument: v.document,
  CreateDate: v.at,
});

/** The read operations the live audit makes, on one account (F4). */
const OPERATIONS = {
  ListRoles: (ram, q) => {
    const { items, more } = page(sorted(ram.roles), q);
    return {
      Roles: {
        Role: items.map((r) => ({
          RoleName: r.name,
          RoleId: r.id,
          Arn: r.arn,
          Description: r.description,
          MaxSessionDuration: r.maxSessionDuration,
          CreateDate: r.createTime,
          UpdateDate: r.createTime,
          Tags: { Tag: Object.entries(r.tags ?? {}).map(([TagKey, TagValue]) => ({ TagKey, TagValue })) }, // F4
        })),
      },
      ...more,
    };
  },
  GetRole: (ram, q) => {
    const name = param(q, "RoleName");
    const r = ram.roles[name];
    if (!r) throw notExist("Role", name);
    return {
      Role: {
        RoleName: r.name,
        RoleId: r.id,
        Arn: r.arn,
        Description: r.description,
        MaxSessionDuration: r.maxSessionDuration,
        AssumeRolePolicyDocument: r.document,
        CreateDate: r.createTime,
        UpdateDate: r.createTime,
      },
    };
  },
  ListPoliciesForRole: (ram, q) => {
    const name = param(q, "RoleName");
    if (!ram.roles[name]) throw notExist("Role", name);
    return { Policies: { Policy: attachmentsOf(ram, ram.roleAttachments, "role", name) } };
  },
  /** `inlineDefaultVersion: false` leaves out DefaultPolicyVersion, so that a client must ask GetPolicyVersion. */
  GetPolicy: (ram, q, options = {}) => {
    const p = policyOf(ram, q);
    const current = p.versions.find((v) => v.id === p.defaultVersion);
    return {
      Policy: { PolicyName: p.name, PolicyType: p.type, DefaultVersion: p.defaultVersion, Description: p.description ?? "" },
      ...(options.inlineDefaultVersion === false ? {} : { DefaultPolicyVersion: version(current, p.defaultVersion) }),
    };
  },
  GetPolicyVersion: (ram, q) => {
    const p = policyOf(ram, q);
    const id = param(q, "VersionId");
    const v = p.versions.find((x) => x.id === id);
    if (!v) throw notExist("Policy.Version", `${p.name} ${id}`);
    return { PolicyVersion: version(v, p.defaultVersion) };
  },
  ListUsers: (ram, q) => {
    const { items, more } = page(sorted(ram.users), q);
    return {
      Users: {
        User: items.map((u) => ({
          UserName: u.name,
          UserId: u.id,
          DisplayName: u.displayName,
          Comments: u.comments,
          CreateDate: u.createTime,
        })),
      },
      ...more,
    };
  },
  ListGroups: (ram, q) => {
    const { items, more } = page(sorted(ram.groups), q);
    return {
      Groups: { Group: items.map((g) => ({ GroupName: g.name, Comments: g.comments, CreateDate: g.createTime })) },
      ...more,
    };
  },
  ListGroupsForUser: (ram, q) => {
    const user = param(q, "UserName");
    if (!ram.users[user]) throw notExist("User", user);
    const groups = ram.members.filter((m) => m.user === user).map((m) => ram.groups[m.group]);
    return { Groups: { Group: groups.map((g) => ({ GroupName: g.name, Comments: g.comments, JoinDate: g.createTime })) } };
  },
  ListUsersForGroup: (ram, q) => {
    const group = param(q, "GroupName");
    if (!ram.groups[group]) throw notExist("Group", group);
    const members = ram.members
      .filter((m) => m.group === group)
      .map((m) => m.user)
      .sort();
    const { items, more } = page(members, q);
    return {
      Users: {
        User: items.map((name) => ({
          UserName: name,
          DisplayName: ram.users[name]?.displayName ?? "",
          JoinDate: "2026-01-01T00:00:00Z",
        })),
      },
      ...more,
    };
  },
  ListPoliciesForUser: (ram, q) => {
    const name = param(q, "UserName");
    if (!ram.users[name]) throw notExist("User", name);
    return { Policies: { Policy: attachmentsOf(ram, ram.userAttachments, "user", name) } };
  },
  ListPoliciesForGroup: (ram, q) => {
    const name = param(q, "GroupName");
    if (!ram.groups[name]) throw notExist("Group", name);
    return { Policies: { Policy: attachmentsOf(ram, ram.groupAttachments, "group", name) } };
  },
  ListAccessKeys: (ram, q) => {
    const name = param(q, "UserName");
    if (!ram.users[name]) throw notExist("User", name);
    const keys = (ram.accessKeys ?? []).filter((k) => k.user === name);
    return { AccessKeys: { AccessKey: keys.map((k) => ({ AccessKeyId: k.id, Status: k.status, CreateDate: k.createTime })) } };
  },
  GetLoginProfile: (ram, q) => {
    const name = param(q, "UserName");
    if (!ram.users[name]) throw notExist("User", name);
    const p = ram.loginProfiles[name];
    if (!p) throw notExist("User.LoginProfile", name); // F2
    return {
      LoginProfile: {
        UserName: name,
        PasswordResetRequired: p.passwordResetRequired,
        MFABindRequired: p.mfaBindRequired,
        CreateDate: "2026-01-01T00:00:00Z",
      },
    };
  },
};

/** What someone in the console could do that no stack does: create an AccessKey for a user (F4 ListAccessKeys). */
function createAccessKey(ram, { user }) {
  if (!ram.users[user]) throw new Error(`EntityNotExist.User: ${user}`);
  ram.accessKeys = ram.accessKeys ?? [];
  const id = `LTAI${crypto.randomBytes(10).toString("hex").toUpperCase()}`;
  ram.accessKeys.push({ user, id, status: "Active", createTime: "2026-01-02T00:00:00Z" });
  return id;
}

module.exports = { ApiError, OPERATIONS, SYSTEM_POLICY_DOCUMENTS, createAccessKey };
