/**
 * The delegation config contract (README.md, "Configuration reference"): field names are part of the
 * product. Every object is strict, so a misspelt key is an error instead of a silently dropped
 * setting. The field types are in `schema-fields.ts`; checks that span several fields live in
 * `checks.ts`.
 */
import * as z from "zod";
import { EVENT_BUS, EXTERNAL_ID, GROUP_NAME, ROLE_NAME, RULE_NAME } from "../fields/identifiers";
import { checkSourceIps } from "../fields/cidr";
import { sessionDuration, SESSION_SECONDS } from "../fields/session";
import { ROLE_ARN } from "../ram/names";
import { bool, doc, freeText, list, obj, oneOf, pattern, str, typeError, uniqueList } from "./schema-builders";
import {
  accountAlias,
  accountId,
  acknowledgements,
  backend,
  dateTime,
  extraAction,
  ipv4OrCidr,
  profile,
  region,
  slug,
  systemPolicy,
  trustedPrincipal,
  userName,
} from "./schema-fields";
import { freeTextProblem } from "../text/free-text";
import { show } from "../text/quote";

/** Tags the product sets on every taggable owner resource, so they can be found and audited. */
export const MANAGED_TAG_KEYS = ["ManagedBy", "DelegationPartner"] as const;

// ---- owner -----------------------------------------------------------------------------------

const TAG_KEY = /^(?!aliyun|acs:)\S.{0,127}$/s;
const tagValue = freeText(str("a string (quote numbers)")).superRefine((value, ctx) => {
  if (value.length > 128) ctx.addIssue({ code: "custom", message: `must be at most 128 characters, got ${value.length}` });
});

export const ownerSchema = obj({
  name: doc(slug(), "Slug naming the owner (Enterprise A)"),
  accountId: doc(accountId(), "The owner's 16-digit account UID, in quotes"),
  accountAlias: accountAlias("the owner's account"),
  region: doc(region(), "Region of the owner's provider, and the default region of grants"),
  profile: doc(profile().optional(), "aliyun CLI profile with the owner's credentials"),
  assumeRoleArn: doc(
    pattern(ROLE_ARN, "a role ARN acs:ram::<16-digit account>:role/<name>").optional(),
    "Role in the owner account the provider assumes (CI)",
  ),
  backend: doc(backend(), "Terraform state of the owner stack: local (default) or OSS"),
  tags: z
    .record(z.string(), tagValue, { error: typeError("a mapping of tag names to strings") })
    .superRefine((tags, ctx) => {
      for (const key of Object.keys(tags)) {
        const problem = freeTextProblem(key);
        if (problem) ctx.addIssue({ code: "custom", path: [key], message: `tag key ${problem}` });
        else if (!TAG_KEY.test(key)) {
          ctx.addIssue({
            code: "custom",
            path: [key],
            message: `must be a tag key of 1-128 characters not starting with aliyun or acs:, got ${show(key)}`,
          });
        }
      }
    })
    .default({})
    .meta({ description: "Tags on every taggable resource in the owner account" }),
});

// ---- partner ---------------------------------------------------------------------------------

export const PERMISSION_LEVELS = ["publish", "read", "manage-rules"] as const;
export type PermissionLevel = (typeof PERMISSION_LEVELS)[number];

const grantSchema = obj({
  eventBus: doc(
    pattern(EVENT_BUS, "an event bus name (1-127 of letters, digits, '-' and '_')"),
    "Event bus in the owner account",
  ),
  region: doc(
    z.union([z.literal("*"), region()], { error: () => "must be a region id such as cn-hangzhou, or *" }).optional(),
    "Region of the bus (default owner.region); * for every region (warned)",
  ),
  permissions: uniqueList(oneOf(PERMISSION_LEVELS), "permission").superRefine((values, ctx) => {
    if (values.length === 0)
      ctx.addIssue({ code: "custom", message: `must list at least one of ${PERMISSION_LEVELS.join(", ")}` });
  }),
  actions: doc(uniqueList(extraAction(), "action").default([]), "Extra eventbridge:* actions from the catalog; no wildcards"),
  rules: doc(
    uniqueList(pattern(RULE_NAME, "a rule name, a prefix ending in * (orders-*), or *"), "rule").optional(),
    "Rule names or name prefixes (orders-*) for manage-rules and rule actions (default *: every rule of the bus)",
  ),
});

const userSchema = obj({
  name: doc(userName(), "RAM user name in the partner account"),
  displayName: doc(freeText(pattern(/^[\s\S]{1,128}$/u, "1-128 characters")).optional(), "Display name in the RAM console"),
  consoleLogin: doc(bool().default(false), "Console login; the password comes from TF_VAR_console_passwords"),
});

const roleSchema = obj({
  name: doc(pattern(ROLE_NAME, "1-64 of letters, digits, '.' and '-'"), "RAM role in the owner account, assumed by the partner"),
  description: doc(
    freeText(pattern(/^[\s\S]{1,1024}$/u, "1-1024 characters")).optional(),
    "Role description (default names the partner and its account)",
  ),
  maxSessionDuration: doc(sessionDuration().default(SESSION_SECONDS.min), "Maximum STS session, in seconds"),
  trustedPrincipals: uniqueList(trustedPrincipal(), "principal")
    .superRefine((values, ctx) => {
      if (values.length === 0)
        ctx.addIssue({ code: "custom", message: "must name at least one principal (root trusts the whole account)" });
    })
    .default(["root"])
    .meta({ description: "root (the partner account decides), user/<name> or role/<name> in the partner account" }),
  externalId: doc(pattern(EXTERNAL_ID, "2-1224 of letters, digits and +=,.@:/-_").optional(), "ExternalId the partner must pass"),
  requireMfa: doc(bool().default(false), "Require MFA (acs:MFAPresent) to assume the role"),
  sourceIps: doc(
    uniqueList(ipv4OrCidr(), "address")
      .superRefine((values, ctx) => {
        const problem = checkSourceIps(values);
        if (problem) ctx.addIssue({ code: "custom", message: problem });
      })
      .default([]),
    "IPv4 addresses or CIDR blocks (acs:SourceIp)",
  ),
});

/** What a partner stack creates in the partner's account: the same fields in `partnerSide` and in `delegations[]`. */
const partnerSideShape = {
  groupName: doc(pattern(GROUP_NAME, "1-64 of letters, digits, '.', '_' and '-'"), "RAM group in the partner account"),
  users: doc(list(userSchema).default([]), "RAM users the partner stack creates"),
  existingUsers: doc(uniqueList(userName(), "user").default([]), "Existing RAM users to add to the group"),
  assumePolicy: doc(
    oneOf(["scoped", "system"] as const).default("scoped"),
    "scoped: sts:AssumeRole on this role only; system: AliyunSTSAssumeRoleAccess (any role)",
  ),
};

export const partnerSchema = obj({
  name: doc(slug(), "Slug naming the partner; its stack is partner-<name>"),
  accountId: doc(accountId(), "The partner's 16-digit account UID, in quotes"),
  accountAlias: accountAlias("the partner's account"),
  region: doc(region().optional(), "Region of the partner's provider (default owner.region)"),
  profile: doc(profile().optional(), "aliyun CLI profile with the partner's credentials"),
  assumeRoleArn: doc(
    pattern(ROLE_ARN, "a role ARN acs:ram::<16-digit account>:role/<name>").optional(),
    "Role in the partner account its provider assumes (CI)",
  ),
  backend: doc(backend(), "Terraform state of the partner stack: local (default) or OSS"),
  role: roleSchema,
  grants: doc(list(grantSchema).default([]), "EventBridge permissions on the owner's buses"),
  systemPolicies: doc(
    uniqueList(systemPolicy(), "system policy", true).default([]),
    "System policies to attach; broad ones are refused",
  ),
  validFrom: doc(dateTime().optional(), "Start of the delegation (acs:CurrentTime)"),
  validUntil: doc(dateTime().optional(), "End of the delegation (acs:CurrentTime), also for open sessions"),
  revoked: doc(bool().default(false), "true: the owner stack removes the role"),
  acknowledge: acknowledgements().meta({ description: "Warnings accepted for this partner, each with a written reason" }),
  partnerSide: obj(partnerSideShape).optional().meta({
    description:
      "What the partner stack creates in the partner account. Leave it out when the partner runs its own side from the handoff (cdktf.out/handoffs/<name>.json)",
  }),
});

export const configSchema = obj({
  owner: ownerSchema,
  partners: list(partnerSchema),
});

// ---- partner form (Enterprise B's repository) ------------------------------------------------

/** A handoff file named in a partner config: a relative path to a .json file. */
export const HANDOFF_PATH = /^(?!\/)(?!.*\\)\P{Cc}{1,1024}\.json$/u;

export const partnerAccountSchema = obj({
  name: doc(slug(), "Slug naming this (the partner's) account"),
  accountId: doc(accountId(), "This account's 16-digit UID, in quotes; every handoff must name it"),
  accountAlias: accountAlias("this account"),
  region: doc(region(), "Region of the provider"),
  profile: doc(profile().optional(), "aliyun CLI profile with this account's credentials"),
  assumeRoleArn: doc(
    pattern(ROLE_ARN, "a role ARN acs:ram::<16-digit account>:role/<name>").optional(),
    "Role in this account the provider assumes (CI)",
  ),
  backend: doc(backend(), "Terraform state of the partner stacks: local (default) or OSS"),
});

export const delegationSchema = obj({
  handoff: doc(
    freeText(pattern(HANDOFF_PATH, "a relative path to the handoff's .json file")),
    "The handoff file the owner sent, relative to this config",
  ),
  ownerAccountId: doc(accountId(), "The owner account the handoff must come from (a pin, in quotes)"),
  name: doc(slug().optional(), "Stack name partner-<name> (default: the partner name in the handoff)"),
  ...partnerSideShape,
  acknowledge: acknowledgements().meta({ description: "Warnings accepted for this delegation, each with a written reason" }),
});

export const partnerConfigSchema = obj({
  partner: partnerAccountSchema,
  delegations: list(delegationSchema),
});

/** Either form of the config file, for the JSON Schema that editors use. */
export const anyConfigSchema = z.union([configSchema, partnerConfigSchema]);

export type DelegationConfig = z.output<typeof configSchema>;
export type OwnerConfig = z.output<typeof ownerSchema>;
export type PartnerConfig = z.output<typeof partnerSchema>;
export type GrantConfig = PartnerConfig["grants"][number];
export type BackendConfig = OwnerConfig["backend"];
export type PartnerSideConfig = NonNullable<PartnerConfig["partnerSide"]>;
export type PartnerFormConfig = z.output<typeof partnerConfigSchema>;
export type PartnerAccountConfig = PartnerFormConfig["partner"];
export type DelegationEntryConfig = PartnerFormConfig["delegations"][number];
