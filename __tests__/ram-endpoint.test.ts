/**
 * The rehearsal's fake RAM endpoint (rehearsal/ram-endpoint.cjs), driven through Alibaba's own SDK
 * (@alicloud/ram20150501): the SDK's real request signature checked against a test AccessKey,
 * RAM's response field names as the SDK reads them, pagination, RAM's error codes, and the
 * latency and throttling it can add.
 */
import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import * as core from "@alicloud/openapi-core";
import Ram, * as $Ram from "@alicloud/ram20150501";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// eslint-disable-next-line @typescript-eslint/no-require-imports -- CommonJS test components
const { startRamEndpoint, createAccessKey } = require("../rehearsal/ram-endpoint.cjs");
// eslint-disable-next-line @typescript-eslint/no-require-imports -- CommonJS test components
const { FakeRam } = require("../rehearsal/ram.cjs");
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS test component
const { operations } = require("../rehearsal/ram-operations.cjs");

const A = "1000000000000001";
const dir = mkdtempSync(path.join(tmpdir(), "ram-endpoint-"));
const doc = (action: string, resource = "*") =>
  JSON.stringify({ Version: "1", Statement: [{ Effect: "Allow", Action: action, Resource: resource }] });

const keys = {
  "AK-A": { secret: "secret-a", accountId: A },
  "AK-DENIED": { secret: "secret-d", accountId: A, deny: ["ListPoliciesForRole"] },
};
let endpoint: { endpoint: string; url: string; calls: { action: string }[]; close(): Promise<void> };
const client = (accessKeyId = "AK-A", accessKeySecret = keys["AK-A"].secret, where = endpoint.endpoint) =>
  new Ram(new core.$OpenApiUtil.Config({ accessKeyId, accessKeySecret, endpoint: where, protocol: "http" }));
const failure = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    const err = e as { name: string; code: string; statusCode: number };
    return { name: err.name, code: err.code, status: err.statusCode };
  }
  throw new Error("the call succeeded");
};

beforeAll(async () => {
  new FakeRam(path.join(dir, `${A}.json`), A).change((ram: any) => {
    for (let i = 0; i < 250; i++)
      operations.createRole(ram, { name: `role-${String(i).padStart(3, "0")}`, document: doc("sts:AssumeRole") }, A);
    operations.createPolicy(ram, { name: "publish", document: doc("eventbridge:PutEvents") });
    operations.updatePolicy(ram, { name: "publish", document: doc("eventbridge:PutEvents", "acs:eventbridge:*:*:eventbus/x") });
    operations.attach(ram, { to: "role", target: "role-000", policy: "publish", type: "Custom" });
    operations.attach(ram, { to: "role", target: "role-000", policy: "AliyunEventBridgeReadOnlyAccess", type: "System" });
    operations.createUser(ram, { name: "alice", displayName: "Alice" });
    operations.createUser(ram, { name: "bot" });
    operations.createGroup(ram, { name: "delegates", comments: "c" });
    operations.addMember(ram, { group: "delegates", user: "alice" });
    operations.attach(ram, { to: "group", target: "delegates", policy: "AliyunSTSAssumeRoleAccess", type: "System" });
    operations.setLoginProfile(ram, { user: "alice", password: "long-enough", mfaBindRequired: true });
    createAccessKey(ram, { user: "bot" });
  });
  endpoint = await startRamEndpoint({ dir, keys });
});
afterAll(async () => {
  await endpoint.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("the fake RAM endpoint", () => {
  it("answers the SDK's signed requests with RAM's field names, one page of MaxItems at a time", async () => {
    const names: string[] = [];
    let marker: string | undefined;
    let pages = 0;
    do {
      const { body } = await client().listRoles(new $Ram.ListRolesRequest({ maxItems: 100, ...(marker ? { marker } : {}) }));
      names.push(...body!.roles!.role!.map((r) => r.roleName!));
      expect(body!.roles!.role![0].arn).toMatch(/^acs:ram::1000000000000001:role\/role-\d{3}$/);
      marker = body!.isTruncated ? body!.marker : undefined;
      pages++;
    } while (marker);
    expect(pages).toBe(3);
    expect(new Set(names).size).toBe(250);
    const role = await client().getRole(new $Ram.GetRoleRequest({ roleName: "role-000" }));
    expect(JSON.parse(role.body!.role!.assumeRolePolicyDocument!).Statement[0].Action).toBe("sts:AssumeRole");
  });

  it("serves attached policies: the custom one's default version, the system one's document", async () => {
    const attached = await client().listPoliciesForRole(new $Ram.ListPoliciesForRoleRequest({ roleName: "role-000" }));
    expect(attached.body!.policies!.policy!.map((p) => `${p.policyType} ${p.policyName} ${p.defaultVersion}`)).toEqual([
      "Custom publish v2",
      "System AliyunEventBridgeReadOnlyAccess v1",
    ]);
    const custom = await client().getPolicy(new $Ram.GetPolicyRequest({ policyName: "publish", policyType: "Custom" }));
    expect(custom.body!.defaultPolicyVersion!.policyDocument).toContain("eventbus/x");
    const v1 = await client().getPolicyVersion(
      new $Ram.GetPolicyVersionRequest({ policyName: "publish", policyType: "Custom", versionId: "v1" }),
    );
    expect(v1.body!.policyVersion!.isDefaultVersion).toBe(false);
    const system = await client().getPolicy(
      new $Ram.GetPolicyRequest({ policyName: "AliyunSTSAssumeRoleAccess", policyType: "System" }),
    );
    expect(JSON.parse(system.body!.defaultPolicyVersion!.policyDocument!).Statement[0].Action).toBe("sts:AssumeRole");
  });

  it("serves users, groups, members, AccessKeys and login profiles", async () => {
    const users = await client().listUsers(new $Ram.ListUsersRequest({}));
    expect(users.body!.users!.user!.map((u) => u.userName)).toEqual(["alice", "bot"]);
    const groups = await client().listGroupsForUser(new $Ram.ListGroupsForUserRequest({ userName: "alice" }));
    expect(groups.body!.groups!.group!.map((g) => g.groupName)).toEqual(["delegates"]);
    const members = await client().listUsersForGroup(new $Ram.ListUsersForGroupRequest({ groupName: "delegates" }));
    expect(members.body!.users!.user!.map((u) => u.userName)).toEqual(["alice"]);
    const policies = await client().listPoliciesForGroup(new $Ram.ListPoliciesForGroupRequest({ groupName: "delegates" }));
    expect(policies.body!.policies!.policy!.map((p) => p.policyName)).toEqual(["AliyunSTSAssumeRoleAccess"]);
    const akeys = await client().listAccessKeys(new $Ram.ListAccessKeysRequest({ userName: "bot" }));
    expect(akeys.body!.accessKeys!.accessKey!.map((k) => k.status)).toEqual(["Active"]);
    const login = await client().getLoginProfile(new $Ram.GetLoginProfileRequest({ userName: "alice" }));
    expect(login.body!.loginProfile!.MFABindRequired).toBe(true);
    expect(await failure(client().getLoginProfile(new $Ram.GetLoginProfileRequest({ userName: "bot" })))).toEqual({
      name: "ClientError",
      code: "EntityNotExist.User.LoginProfile",
      status: 404,
    });
  });

  it("answers RAM's error codes: missing entities, unknown keys, wrong secrets, denied actions", async () => {
    expect(await failure(client().getRole(new $Ram.GetRoleRequest({ roleName: "nope" })))).toMatchObject({
      code: "EntityNotExist.Role",
      status: 404,
    });
    expect(await failure(client("AK-NOPE", "x").listRoles(new $Ram.ListRolesRequest({})))).toMatchObject({
      code: "InvalidAccessKeyId.NotFound",
      status: 404,
    });
    expect(await failure(client("AK-A", "not-the-secret").listRoles(new $Ram.ListRolesRequest({})))).toMatchObject({
      code: "SignatureDoesNotMatch",
    });
    const denied = client("AK-DENIED", keys["AK-DENIED"].secret);
    await denied.listRoles(new $Ram.ListRolesRequest({}));
    expect(
      await failure(denied.listPoliciesForRole(new $Ram.ListPoliciesForRoleRequest({ roleName: "role-000" }))),
    ).toMatchObject({
      code: "NoPermission",
      status: 403,
    });
  });

  it("checks the signature over the query: a signed request replayed with another parameter is refused", async () => {
    // capture what the SDK sends, then replay it to the endpoint as sent and with RoleName changed
    let captured: { url: string; headers: http.IncomingHttpHeaders } | undefined;
    const capture = http.createServer((req, res) => {
      captured = { url: req.url!, headers: req.headers };
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
    await new Promise<void>((r) => capture.listen(0, "127.0.0.1", r));
    const port = (capture.address() as { port: number }).port;
    try {
      await client("AK-A", keys["AK-A"].secret, `127.0.0.1:${port}`).getRole(new $Ram.GetRoleRequest({ roleName: "role-001" }));
    } finally {
      capture.close();
    }
    const replay = (url: string) =>
      new Promise<{ status: number; body: { Code?: string; Role?: { RoleName: string } } }>((resolve, reject) => {
        const req = http.request(`${endpoint.url}${url}`, { method: "POST", headers: captured!.headers }, (res) => {
          let text = "";
          res.on("data", (c) => (text += c));
          res.on("end", () => resolve({ status: res.statusCode!, body: JSON.parse(text) }));
        });
        req.on("error", reject);
        req.end();
      });
    const asSent = await replay(captured!.url);
    expect(asSent.body.Role?.RoleName).toBe("role-001");
    const changed = await replay(captured!.url.replace("RoleName=role-001", "RoleName=role-002"));
    expect(changed).toMatchObject({ status: 400, body: { Code: "SignatureDoesNotMatch" } });
  });

  it("throttles every n-th call and adds latency when asked", async () => {
    const slow = await startRamEndpoint({ dir, keys, latencyMs: 60, throttleEvery: 2 });
    try {
      const c = client("AK-A", keys["AK-A"].secret, slow.endpoint);
      const started = Date.now();
      await c.listUsers(new $Ram.ListUsersRequest({}));
      expect(Date.now() - started).toBeGreaterThanOrEqual(55);
      expect(await failure(c.listUsers(new $Ram.ListUsersRequest({})))).toMatchObject({
        name: "ThrottlingError",
        code: "Throttling.User",
      });
      await c.listUsers(new $Ram.ListUsersRequest({}));
    } finally {
      await slow.close();
    }
  });
});
