/**
 * The config's field types: identifiers, dates, addresses, actions, system policies, backends and
 * acknowledgements, each with the message a user sees when a value does not fit.
 */
import * as z from "zod";
import { catalogAction, catalogActionNames, grantableOnBus, isGrantable } from "../catalog/actions";
import { ACCOUNT_ALIAS, ACCOUNT_ID, POLICY_NAME, REGION, ROLE_NAME, SLUG, USER_NAME } from "../fields/identifiers";
import { isIsoDateTimeWithZone } from "../fields/dates";
import { checkIpv4OrCidr } from "../fields/cidr";
import { ALLOWED_SYSTEM_POLICIES, systemPolicyRefusal } from "../facts";
import { ACK_UNUSED, RULE_SEVERITIES } from "../check-ids";
import { show } from "../text/quote";
import { bool, doc, freeText, list, obj, pattern, str, typeError } from "./schema-builders";
import { didYouMean } from "./suggest";

/** OSS bucket: 3-63 lowercase letters, digits and `-`, starting and ending alphanumeric. */
const BUCKET = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;
const PROFILE = /^[A-Za-z0-9._-]{1,64}$/;

export const slug = () => pattern(SLUG, "a slug of 1-32 lowercase letters, digits and inner hyphens");
export const accountAlias = (whose: string) =>
  doc(
    pattern(ACCOUNT_ALIAS, "an account alias: 3-32 lowercase letters, digits and inner hyphens, no --").optional(),
    `RAM account alias of ${whose}, once set: the Switch Role link and logon names use it instead of the account id`,
  );
export const accountId = () =>
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
export const region = () => pattern(REGION, "an Alibaba Cloud region id such as cn-hangzhou");
export const profile = () => pattern(PROFILE, "an aliyun CLI profile name");
export const userName = () => pattern(USER_NAME, "1-64 of letters, digits, '.', '_' and '-'");

export const dateTime = () =>
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

export const ipv4OrCidr = () =>
  str("an IPv4 address or CIDR block").superRefine((value, ctx) => {
    const problem = checkIpv4OrCidr(value);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

export const trustedPrincipal = () =>
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

export const extraAction = () =>
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

export const systemPolicy = () =>
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
export const backend = () =>
  z
    .discriminatedUnion("type", [localBackend, ossBackend], {
      error: (issue) =>
        issue.code === "invalid_union"
          ? `must be local or oss, got ${show((issue.input as { type?: unknown } | undefined)?.type)}`
          : typeError("a mapping with type local or oss")(issue),
    })
    .default({ type: "local" });

// ---- acknowledgements ------------------------------------------------------------------------

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

export const acknowledgements = () =>
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
