/**
 * The partner's account, read live: every user and group (all pages) with the policies attached to
 * it, which of them may assume roles in other accounts, the members of those groups and of the
 * config's groups, and each delegate's AccessKeys, login profile and groups.
 */
import { assumeTargets } from "./access";
import { PolicyDocuments, readAttachments, type LiveAttachment } from "./owner";
import { $Ram, type LiveRam } from "./ram-api";

export interface LivePrincipal {
  readonly kind: "user" | "group";
  readonly name: string;
  readonly comments: string;
  readonly attachments: readonly LiveAttachment[];
  /** Roles outside the account it may assume, by the policies attached to it directly. */
  readonly assumeTargets: readonly string[];
  /** Attached policies whose documents could not be read (judged as granting everything). */
  readonly unreadable: readonly string[];
  /** A group's members. */
  readonly members?: readonly string[];
}

export interface LiveDelegate {
  readonly name: string;
  readonly accessKeys: readonly { readonly id: string; readonly status: string; readonly created: string }[];
  /** The console login profile's settings, when the user has one. */
  readonly login?: { readonly passwordResetRequired: boolean; readonly mfaBindRequired: boolean };
  readonly groups: readonly string[];
}

export interface PartnerAccountReading {
  readonly users: readonly LivePrincipal[];
  readonly groups: readonly LivePrincipal[];
  readonly delegates: readonly LiveDelegate[];
}

async function principal(
  api: LiveRam,
  documents: PolicyDocuments,
  accountId: string,
  kind: "user" | "group",
  name: string,
  comments: string,
): Promise<LivePrincipal | undefined> {
  const attachments = await readAttachments(
    api,
    documents,
    kind === "user" ? "ListPoliciesForUser" : "ListPoliciesForGroup",
    name,
  );
  if (!attachments) return undefined;
  const targets = new Set<string>();
  const unreadable: string[] = [];
  const judged = attachments.map((a) => {
    const t = a.document === undefined ? undefined : assumeTargets(a.document, accountId);
    if (t === undefined) unreadable.push(`${a.policyType} ${a.policyName}`);
    for (const x of t ?? ["*"]) targets.add(x);
    return { ...a, assumesOutside: t === undefined || t.length > 0 };
  });
  return { kind, name, comments, attachments: judged, assumeTargets: [...targets].sort(), unreadable };
}

export async function readPartnerAccount(
  api: LiveRam,
  accountId: string,
  documents: PolicyDocuments,
  configGroups: ReadonlySet<string>,
  configUsers: ReadonlySet<string>,
): Promise<PartnerAccountReading> {
  const c = api.client;
  const [userItems, groupItems] = await Promise.all([
    api.all(
      "ListUsers",
      "every user",
      (marker) => c.listUsers(new $Ram.ListUsersRequest({ maxItems: api.pageSize, ...(marker ? { marker } : {}) })),
      (r) => r.body?.users?.user,
      (r) => r.body,
    ),
    api.all(
      "ListGroups",
      "every group",
      (marker) => c.listGroups(new $Ram.ListGroupsRequest({ maxItems: api.pageSize, ...(marker ? { marker } : {}) })),
      (r) => r.body?.groups?.group,
      (r) => r.body,
    ),
  ]);
  const present = <T>(xs: (T | undefined)[]) => xs.filter((x): x is T => x !== undefined);
  const users = present(
    await Promise.all(
      userItems.map((u) => principal(api, documents, accountId, "user", String(u.userName ?? ""), String(u.comments ?? ""))),
    ),
  );
  const groups = present(
    await Promise.all(
      groupItems.map(async (g) => {
        const p = await principal(api, documents, accountId, "group", String(g.groupName ?? ""), String(g.comments ?? ""));
        if (!p || (p.assumeTargets.length === 0 && !configGroups.has(p.name))) return p;
        const members = await api.all(
          "ListUsersForGroup",
          `group ${p.name}`,
          (marker) =>
            c.listUsersForGroup(
              new $Ram.ListUsersForGroupRequest({ groupName: p.name, maxItems: api.pageSize, ...(marker ? { marker } : {}) }),
            ),
          (r) => r.body?.users?.user,
          (r) => r.body,
        );
        return { ...p, members: members.map((m) => String(m.userName ?? "")).sort() };
      }),
    ),
  );
  // the delegates: members of the config's groups and the users the config names, where they exist
  const existing = new Set(users.map((u) => u.name));
  const names = new Set([...configUsers].filter((u) => existing.has(u)));
  for (const g of groups) if (configGroups.has(g.name)) for (const m of g.members ?? []) names.add(m);
  const delegates = await Promise.all(
    [...names].sort().map(async (name): Promise<LiveDelegate> => {
      const [keys, login, memberOf] = await Promise.all([
        api.maybe("ListAccessKeys", `user ${name}`, () => c.listAccessKeys(new $Ram.ListAccessKeysRequest({ userName: name }))),
        api.maybe("GetLoginProfile", `user ${name}`, () =>
          c.getLoginProfile(new $Ram.GetLoginProfileRequest({ userName: name })),
        ),
        api.maybe("ListGroupsForUser", `user ${name}`, () =>
          c.listGroupsForUser(new $Ram.ListGroupsForUserRequest({ userName: name })),
        ),
      ]);
      return {
        name,
        accessKeys: (keys?.body?.accessKeys?.accessKey ?? []).map((k) => ({
          id: String(k.accessKeyId ?? ""),
          status: String(k.status ?? ""),
          created: String(k.createDate ?? ""),
        })),
        ...(login?.body?.loginProfile
          ? {
              login: {
                passwordResetRequired: login.body.loginProfile.passwordResetRequired === true,
                mfaBindRequired: login.body.loginProfile.MFABindRequired === true,
              },
            }
          : {}),
        groups: (memberOf?.body?.groups?.group ?? []).map((g) => String(g.groupName ?? "")).sort(),
      };
    }),
  );
  return { users, groups, delegates };
}
