/**
 * The delegation config contract (README.md, "Configuration reference"): field names are part of the
 * product. Every object is strict, so a misspelt key is an error instead of a silently dropped
 * setting. Checks that span several fields live in `checks.ts`.
 */
import * as z from "zod";
import { catalogAction, catalogActionNames, grantableOnBus, isGrantable } from "../catalog/actions";
import {
  ACCOUNT_ALIAS,
  ACCOUNT_ID,
  EVENT_BUS,
  EXTERNAL_ID,
  GROUP_NAME,
  POLICY_NAME,
  REGION,
  ROLE_NAME,
  RULE_NAME,
  SLUG,
  USER_NAME,
} from "../fields/identifiers";
import { isIsoDateTimeWithZone } from "../fields/dates";
import { checkIpv4OrCidr, checkSourceIps } from "../fields/cidr";
import { sessionDuration, SESSION_SECONDS } from "../fields/session";
import { freeTextProblem } from "../text/free-text";
import { ALLOWED_SYSTEM_POLICIES, systemPolicyRefusal } from "../facts";
import { ACK_UNUSED, RULE_SEVERITIES } from "../check-ids";
import { show } from "../text/quote";
import { didYouMean } from "./suggest";
import { ROLE_ARN } from "../ram/names";

export { show } from "../text/quote";

function typeError(expected: string) {
  return (issue: { input?: unknown }) =>
    issue.input === undefined ? `required: ${expected}` : `expected ${expected}, got ${show(issue.input)}`;
}

const str = (expected = "a string") => z.string({ error: typeError(expected) });
const bool = () => z.boolean({ error: typeError("true or false") });
const list = <T extends z.ZodType>(item: T, expected = "a list") => z.array(item, { error: typeError(expected) });
const obj = <T extends z.core.$ZodLooseShape>(shape: T, expected = "a mapping") =>
  z.strictObject(shape, { error: typeError(expected) });

/** A string matching `re` (also a `pattern` in the JSON Schema), described to the user as `expected`. */
function pattern(re: RegExp, expected: string) {
  return str(expected).regex(re, { error: (issue) => `must be ${expected}, got ${show(issue.input)}` });
}

/**
 * Free text a person writes (display names, descriptions, reasons, tag values): the one free-text
 * rule, with the field named by the path of the issue.
 */
function freeText<T extends z.ZodType<string>>(schema: T) {
  return schema.superRefine((value, ctx) => {
    const problem = typeof value === "string" ? freeTextProblem(value) : undefined;
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });
}

/** Documentation for editors, from the JSON Schema. */
const doc = <T extends z.ZodType>(schema: T, description: string): T => schema.meta({ description });

function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  const expected = `one of ${values.join(", ")}`;
  return z.enum(values, {
    error: (issue) =>
      typeof issue.input === "string"
        ? `must be ${expected}, got ${show(issue.input)}${didYouMean(issue.input, values)}`
        : typeError(expected)(issue),
  });
}

/** Lists whose entries must be unique: the duplicate is reported at its own index. */
function uniqueList<T extends z.ZodType>(item: T, what: string, ignoreCase = false) {
  return list(item).superRefine((values, ctx) => {
    const seen = new Map<string, number>();
    values.forEach((v, i) => {
      const raw = typeof v === "string" ? v : JSON.stringify(v);
      const key = ignoreCase ? raw.toLowerCase() : raw;
      const first = seen.get(key);
      if (first === undefined) seen.set(key, i);
      else ctx.addIssue({ code: "custom", path: [i], message: `duplicate ${what} ${show(v)} (also at [${first}])` });
    });
  });
}

// ---- names and identifiers -------------------------------------------------------------------

export {
  ACCOUNT_ALIAS,
  ACCOUNT_ID,
  EVENT_BUS,
  EXTERNAL_ID,
  GROUP_NAME,
  POLICY_NAME,
  REGION,
  ROLE_NAME,
  RULE_NAME,
  SLUG,
  USER_NAME,
} from "../fields/identifiers";
export { epochSeconds, isIsoDateTimeWithZone } from "../fields/dates";
export { checkIpv4OrCidr } from "../fields/cidr";
export { ROLE_ARN };
/** OSS bucket: 3-63 lowercase letters, digits and `-`, starting and ending alphanumeric. */
export const BUCKET = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;
const PROFILE = /^[A-Za-z0-9._-]{1,64}$/;

const slug = () => pattern(SLUG, "a slug of 1-32 lowercase letters, digits and inner hyphens");
const accountAlias = (whose: string) =>
  doc(
    pattern(ACCOUNT_ALIAS, "an account alias: 3-32 lowercase letters, digits and inner hyphens, no --").optional(),
    `RAM account alias of ${whose}, once set: the Switch Role link and logon names use it instead of the account id`,
  );
const accountId = () =>
  z
    .string({
      error: (issue) =>
        typeof issue.input === "number"
          ? `must be a 16-digit account id in quotes (YAML reads bare digits as a number), got ${issue.input}`
          : typeError("a 16-digit account id in quotes")(issue),
    })
    .superRefine((value, ctx) => {
      if (!ACCOUNT_ID.test(value)) ctx.addIssue({ code: "custom", message: `must be a 16-digit account id, got ${show(value)}` });
    });
const region = () => pattern(REGION, "an Alibaba Cloud region id such as cn-hangzhou");
const profile = () => pattern(PROFILE, "an aliyun CLI profile name");
const userName = () => pattern(USER_NAME, "1-64 of letters, digits, '.', '_' and '-'");

const dateTime = () =>
  str("an ISO 8601 date-time with a zone, such as 2027-12-31T23:59:59+08:00")
    .meta({ format: "date-time" })
    .superRefine((value, ctx) => {
      if (!isIsoDateTimeWithZone(value)) {
        ctx.addIssue({
          code: "custom",
          message: `must be an ISO 8601 date-time with a zone, such as 2027-12-31T23:59:59+08:00, got ${show(value)}`,
        });
      }
    });

const ipv4OrCidr = () =>
  str("an IPv4 address or CIDR block").superRefine((value, ctx) => {
    const problem = checkIpv4OrCidr(value);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

const trustedPrincipal = () =>
  str("root, user/<name> or role/<name>").superRefine((value, ctx) => {
    if (value === "root") return;
    const m = /^(user|role)\/(.*)$/.exec(value);
    const ok = m !== null && (m[1] === "user" ? USER_NAME : ROLE_NAME).test(m[2]);
    if (!ok) {
      ctx.addIssue({
        code: "custom",
        message: `must be root, user/<name> or role/<name> (a RAM user or role in the partner's account), got ${show(value)}`,
      });
    }
  });

const extraAction = () =>
  str("an EventBridge action such as eventbridge:GetEventBus")
    .meta({ enum: catalogActionNames().filter(grantableOnBus) })
    .superRefine((value, ctx) => {
      if (/[*?]/.test(value)) {
        ctx.addIssue({ code: "custom", message: `wildcards are not allowed; list each action instead, got ${show(value)}` });
        return;
      }
      const entry = catalogAction(value);
      if (entry && !isGrantable(value)) {
        ctx.addIssue({
          code: "custom",
          message: `${value} is not granted: its RAM authorization is not verified in the action catalog (${entry.source.split(/[:,]/)[0]})`,
        });
        return;
      }
      if (entry && !grantableOnBus(value)) {
        ctx.addIssue({
          code: "custom",
          message: `${value} cannot be scoped to the grant's bus (RAM checks it against ${entry.arnPatterns[0]}); extra actions act on the bus, its rules or its event sources`,
        });
        return;
      }
      if (entry) return;
      const candidates = catalogActionNames();
      const hint = didYouMean(value.includes(":") ? value : `eventbridge:${value}`, candidates);
      ctx.addIssue({ code: "custom", message: `unknown EventBridge action ${show(value)}${hint}` });
    });

const systemPolicy = () =>
  pattern(POLICY_NAME, "a RAM system policy name")
    .meta({ enum: Object.keys(ALLOWED_SYSTEM_POLICIES) })
    .superRefine((value, ctx) => {
      const refusal = systemPolicyRefusal(value);
      if (refusal) ctx.addIssue({ code: "custom", message: `${value} is refused: ${refusal}` });
    });

// ---- backends --------------------------------------------------------------------------------

const localBackend = obj({ type: z.literal("local") });
const ossBackend = obj({
  type: z.literal("oss"),
  bucket: doc(pattern(BUCKET, "an OSS bucket name (3-63 lowercase letters, digits and '-')"), "OSS bucket for the state"),
  prefix: pattern(/^(?!\/|\.\/)[A-Za-z0-9._/-]{1,512}$/, "an object key prefix that does not start with '/' or './'").default(
    "eventbridge-delegation",
  ),
  region: doc(region(), "Region of the bucket"),
  tablestoreEndpoint: pattern(
    /^https?:\/\/[A-Za-z0-9.-]+(?::\d{1,5})?\/?$/,
    "a Tablestore endpoint URL such as https://a-lock.cn-hangzhou.ots.aliyuncs.com",
  ).optional(),
  tablestoreTable: pattern(/^[A-Za-z_][A-Za-z0-9_]{0,254}$/, "a Tablestore table name").optional(),
  encrypt: doc(bool().default(true), "Server-side encryption of the state (AES256)"),
});
const backend = () =>
  z
    .discriminatedUnion("type", [localBackend, ossBackend], {
      error: (issue) =>
        issue.code === "invalid_union"
          ? `must be local or oss, got ${show((issue.input as { type?: unknown } | undefined)?.type)}`
          : typeError("a mapping with type local or oss")(issue),
    })
    .default({ type: "local" });

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

const acknowledgement = obj({
  rule: str("a synth check id such as TRUST-ROOT-UNCONDITIONED")
    .meta({
      enum: Object.entries(RULE_SEVERITIES)
        .filter(([id, sev]) => sev === "warning" && id !== ACK_UNUSED.id)
        .map(([id]) => id),
    })
    .superRefine((value, ctx) => {
      const severity = (RULE_SEVERITIES as Record<string, string>)[value];
      if (severity === undefined) {
        ctx.addIssue({
          code: "custom",
          message: `unknown check ${show(value)}${didYouMean(value, Object.keys(RULE_SEVERITIES))}`,
        });
      } else if (severity === "error") {
        ctx.addIssue({ code: "custom", message: `${value} is an error and cannot be acknowledged; fix the config instead` });
      } else if (value === ACK_UNUSED.id) {
        ctx.addIssue({ code: "custom", message: `${value} cannot be acknowledged; remove the unused acknowledgement instead` });
      }
    }),
  reason: freeText(str("a written reason"))
    .meta({ description: "Why the warning is accepted" })
    .superRefine((value, ctx) => {
      if (value.trim().length < 10)
        ctx.addIssue({ code: "custom", message: `must say why, in at least 10 characters, got ${show(value)}` });
    }),
});

const acknowledgements = () =>
  list(acknowledgement)
    .superRefine((acks, ctx) => {
      const seen = new Map<string, number>();
      acks.forEach((a, i) => {
        const first = seen.get(a.rule);
        if (first === undefined) seen.set(a.rule, i);
        else ctx.addIssue({ code: "custom", path: [i, "rule"], message: `${a.rule} is already acknowledged at [${first}]` });
      });
    })
    .default([]);

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
