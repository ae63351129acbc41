/** Random valid configs (fast-check arbitraries): any number of partners, grants, principals, conditions and partner sides. */
import fc from "fast-check";
import { catalogActionNames, grantableOnBus } from "../lib/catalog/actions";

const slug = fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,10}[a-z0-9])?$/);
const region = fc.constantFrom("cn-hangzhou", "cn-shanghai", "cn-beijing", "ap-southeast-1", "eu-central-1");
const cidrs = ["203.0.113.0/24", "198.51.100.7", "10.0.0.0/8", "192.0.2.128/25"];
/** Extra actions a grant may carry. */
const safeActions = catalogActionNames().filter(grantableOnBus);
const isoInstant = fc.integer({ min: Date.parse("2027-02-01T00:00:00Z") / 1000, max: Date.parse("2035-01-01T00:00:00Z") / 1000 });
const zone = fc.constantFrom("Z", "+08:00", "-05:00", "+00:00");
const dateTime = (seconds: number, z: string) => {
  const offset = z === "Z" ? 0 : (z[0] === "+" ? 1 : -1) * (Number(z.slice(1, 3)) * 60 + Number(z.slice(4)));
  return new Date((seconds + offset * 60) * 1000).toISOString().replace(/\.000Z$/, z);
};

const grant = (bus: string) =>
  fc
    .record({
      region: fc.option(region, { nil: undefined }),
      permissions: fc.uniqueArray(fc.constantFrom("publish", "read", "manage-rules"), { minLength: 1, maxLength: 3 }),
      actions: fc.uniqueArray(fc.constantFrom(...safeActions), { maxLength: 3 }),
      rules: fc.uniqueArray(fc.stringMatching(/^[A-Za-z0-9_.-]{1,20}$/), { minLength: 1, maxLength: 3 }),
    })
    .map(({ region: r, permissions, actions, rules }) => ({
      eventBus: bus,
      ...(r ? { region: r } : {}),
      permissions,
      actions,
      ...(permissions.includes("manage-rules") ? { rules } : {}),
    }));

const partner = (name: string, i: number) =>
  fc
    .record({
      account: fc.integer({ min: 0, max: 3 }),
      region: fc.option(region, { nil: undefined }),
      maxSessionDuration: fc.integer({ min: 3600, max: 43200 }),
      trustedPrincipals: fc.uniqueArray(fc.constantFrom("root", "user/ci-bot", "role/automation"), {
        minLength: 1,
        maxLength: 3,
      }),
      externalId: fc.option(fc.stringMatching(/^[\w+=,.@:/-]{2,40}$/), { nil: undefined }),
      requireMfa: fc.boolean(),
      sourceIps: fc.uniqueArray(fc.constantFrom(...cidrs), { maxLength: 3 }),
      grants: fc
        .uniqueArray(fc.integer({ min: 0, max: 9 }), { maxLength: 3 })
        .chain((buses) => fc.tuple(...buses.map((b) => grant(`bus-${b}`)))),
      systemPolicies: fc.uniqueArray(fc.constantFrom("AliyunEventBridgeReadOnlyAccess", "AliyunEventBridgePutEventsPolicy"), {
        maxLength: 2,
      }),
      validity: fc.option(fc.tuple(isoInstant, isoInstant, zone, zone), { nil: undefined }),
      revoked: fc.boolean(),
      users: fc.array(
        fc.record({
          consoleLogin: fc.boolean(),
          displayName: fc.option(fc.string({ minLength: 1, maxLength: 20 }), { nil: undefined }),
        }),
        { maxLength: 3 },
      ),
      existingUsers: fc.integer({ min: 0, max: 2 }),
      assumePolicy: fc.constantFrom("scoped", "system"),
    })
    .map((r) => {
      const [from, until, z1, z2] = r.validity ?? [];
      const window =
        from === undefined || until === undefined || from === until
          ? {}
          : { validFrom: dateTime(Math.min(from, until), z1!), validUntil: dateTime(Math.max(from, until), z2!) };
      const systemPolicies =
        r.grants.length === 0 && r.systemPolicies.length === 0 ? ["AliyunEventBridgeReadOnlyAccess"] : r.systemPolicies;
      return {
        name,
        accountId: String(2_000_000_000_000_000 + r.account),
        ...(r.region ? { region: r.region } : {}),
        role: {
          name: `role-${i}`,
          maxSessionDuration: r.maxSessionDuration,
          trustedPrincipals: r.trustedPrincipals,
          ...(r.externalId ? { externalId: r.externalId } : {}),
          requireMfa: r.requireMfa,
          sourceIps: r.sourceIps,
        },
        grants: r.grants,
        systemPolicies,
        ...window,
        revoked: r.revoked,
        partnerSide: {
          groupName: `group-${i}`,
          users: r.users.map((u, j) => ({
            name: `user-${i}.${j}`,
            ...(u.displayName ? { displayName: u.displayName } : {}),
            consoleLogin: u.consoleLogin,
          })),
          existingUsers: Array.from({ length: r.existingUsers }, (_, j) => `existing_${i}_${j}`),
          assumePolicy: r.assumePolicy,
        },
      };
    });

export const validConfig = fc
  .record({
    owner: fc.record({
      name: slug,
      region,
      profile: fc.option(fc.stringMatching(/^[A-Za-z0-9._-]{1,20}$/), { nil: undefined }),
      tags: fc.dictionary(fc.stringMatching(/^[A-Z][A-Za-z0-9]{0,15}$/), fc.string({ maxLength: 20 }), { maxKeys: 3 }),
    }),
    names: fc.uniqueArray(slug, { minLength: 1, maxLength: 4 }),
  })
  .chain(({ owner, names }) =>
    fc.tuple(...names.map((n, i) => partner(n, i))).map((partners) => ({
      owner: {
        name: owner.name,
        accountId: "1000000000000001",
        region: owner.region,
        ...(owner.profile ? { profile: owner.profile } : {}),
        tags: Object.fromEntries(Object.entries(owner.tags).filter(([k]) => k !== "ManagedBy" && k !== "DelegationPartner")),
      },
      partners,
    })),
  );
