/**
 * The owner's account, read live: every RAM role (all pages) with its trust policy, and, for each
 * role that admits a principal outside the account or that the config describes, its attached
 * policies with their documents (system policies by name, custom ones by their default version).
 */
import { readTrust, type TrustReading } from "./access";
import { $Ram, type LiveRam } from "./ram-api";

export interface LiveAttachment {
  readonly policyName: string;
  readonly policyType: string;
  /** The default version's document; undefined when RAM no longer has the policy. */
  readonly document?: string;
  /** Partner side: whether it lets its holder assume roles in other accounts. */
  readonly assumesOutside?: boolean;
}

export interface LiveRole {
  readonly name: string;
  readonly arn: string;
  readonly description: string;
  readonly maxSessionDuration?: number;
  readonly tags: Readonly<Record<string, string>>;
  readonly trustDocument: string;
  readonly trust: TrustReading;
  /** Read for roles trusting outsiders and roles the config describes. */
  readonly attachments?: readonly LiveAttachment[];
}

export interface OwnerAccountReading {
  readonly roles: readonly LiveRole[];
  /** Roles trusting only this account or cloud services: counted, not reported. */
  readonly internal: number;
}

/** Policy documents by type and name, each read once per run (system policies recur on many roles). */
export class PolicyDocuments {
  private readonly cache = new Map<string, Promise<string | undefined>>();
  constructor(private readonly api: LiveRam) {}

  get(policyName: string, policyType: string): Promise<string | undefined> {
    const key = `${policyType} ${policyName}`;
    let hit = this.cache.get(key);
    if (!hit) {
      hit = this.read(policyName, policyType);
      this.cache.set(key, hit);
    }
    return hit;
  }

  private async read(policyName: string, policyType: string): Promise<string | undefined> {
    const what = `${policyType} policy ${policyName}`;
    const r = await this.api.maybe("GetPolicy", what, () =>
      this.api.client.getPolicy(new $Ram.GetPolicyRequest({ policyName, policyType })),
    );
    if (!r) return undefined;
    const inline = r.body?.defaultPolicyVersion?.policyDocument;
    if (inline !== undefined) return inline;
    // GetPolicy without the default version's document: ask for that version (F4)
    const versionId = r.body?.policy?.defaultVersion;
    if (!versionId) return undefined;
    const v = await this.api.maybe("GetPolicyVersion", `${what} ${versionId}`, () =>
      this.api.client.getPolicyVersion(new $Ram.GetPolicyVersionRequest({ policyName, policyType, versionId })),
    );
    return v?.body?.policyVersion?.policyDocument;
  }
}

export async function readAttachments(
  api: LiveRam,
  documents: PolicyDocuments,
  action: "ListPoliciesForRole" | "ListPoliciesForUser" | "ListPoliciesForGroup",
  name: string,
): Promise<LiveAttachment[] | undefined> {
  const c = api.client;
  const list = await api.maybe(action, name, () =>
    action === "ListPoliciesForRole"
      ? c.listPoliciesForRole(new $Ram.ListPoliciesForRoleRequest({ roleName: name }))
      : action === "ListPoliciesForUser"
        ? c.listPoliciesForUser(new $Ram.ListPoliciesForUserRequest({ userName: name }))
        : c.listPoliciesForGroup(new $Ram.ListPoliciesForGroupRequest({ groupName: name })),
  );
  if (!list) return undefined;
  const policies = list.body?.policies?.policy ?? [];
  return Promise.all(
    policies.map(async (p) => {
      const policyName = String(p.policyName ?? "");
      const policyType = String(p.policyType ?? "");
      const document = await documents.get(policyName, policyType);
      return { policyName, policyType, ...(document === undefined ? {} : { document }) };
    }),
  );
}

export async function readOwnerAccount(
  api: LiveRam,
  accountId: string,
  documents: PolicyDocuments,
  managed: (roleName: string) => boolean,
): Promise<OwnerAccountReading> {
  const listed = await api.all(
    "ListRoles",
    "every role",
    (marker) => api.client.listRoles(new $Ram.ListRolesRequest({ maxItems: api.pageSize, ...(marker ? { marker } : {}) })),
    (r) => r.body?.roles?.role,
    (r) => r.body,
  );
  let internal = 0;
  const roles = await Promise.all(
    listed.map(async (item): Promise<LiveRole | undefined> => {
      const name = String(item.roleName ?? "");
      const got = await api.maybe("GetRole", `role ${name}`, () =>
        api.client.getRole(new $Ram.GetRoleRequest({ roleName: name })),
      );
      if (!got) return undefined; // deleted while the audit ran
      const role = got.body?.role;
      const trustDocument = String(role?.assumeRolePolicyDocument ?? "");
      const trust = readTrust(trustDocument, accountId);
      const tags = Object.fromEntries((item.tags?.tag ?? []).map((t) => [String(t.tagKey), String(t.tagValue ?? "")]));
      const base = {
        name,
        arn: String(role?.arn ?? item.arn ?? ""),
        description: String(role?.description ?? item.description ?? ""),
        ...(role?.maxSessionDuration === undefined ? {} : { maxSessionDuration: role.maxSessionDuration }),
        tags,
        trustDocument,
        trust,
      };
      if (trust.external.length === 0 && !managed(name)) {
        internal++;
        return base;
      }
      const attachments = await readAttachments(api, documents, "ListPoliciesForRole", name);
      return attachments === undefined ? undefined : { ...base, attachments };
    }),
  );
  return { roles: roles.filter((r): r is LiveRole => r !== undefined), internal };
}
