/**
 * The handoff: what Enterprise A gives Enterprise B for one delegation, and nothing else. A's
 * synth writes one per partner (`cdktf.out/handoffs/<partner>.json`); B commits it to its own
 * repository and builds its partner stack from it. It names no other partner, and none of A's
 * profiles, backends or tags.
 *
 * The format is a contract between two companies: `formatVersion` changes only when a field's
 * meaning changes, and handoff.schema.json (generated from `handoffSchema`) describes it. The
 * digest lets A and B compare, out of band, that B deploys from the file A sent: it is a
 * checksum, not a signature (anyone who edits the file can recompute it).
 *
 * This file is the contract alone: the schema, the type inferred from it, the digest and the
 * rendering. It imports no model and no policy code; what A writes into a handoff is derived in
 * lib/describe/handoff.ts, and lib/handoff/read.ts reads one.
 */
import { createHash } from "node:crypto";
import * as z from "zod";
import { ACCOUNT_ALIAS, ACCOUNT_ID, EVENT_BUS, EXTERNAL_ID, POLICY_NAME, REGION, ROLE_NAME, SLUG } from "../fields/identifiers";
import { PRINCIPAL_ARN, ROLE_ARN } from "../ram/names";
import { checkIpv4OrCidr, checkSourceIps } from "../fields/cidr";
import { isUtcDateTime, UTC_SECONDS } from "../fields/dates";
import { sessionDuration } from "../fields/session";
import { quote } from "../text/quote";

export const HANDOFF_FORMAT = "eventbridge-delegation-handoff";
export const HANDOFF_FORMAT_VERSION = 1;

const text = (re: RegExp, what: string) =>
  z.string({ error: `must be ${what}` }).regex(re, { error: (i) => `must be ${what}, got ${quote(String(i.input))}` });
/** The config's own field checks (lib/fields): a value one reader refuses, so does the other. */
const checked = (check: (value: string) => string | undefined) =>
  z.string({ error: "must be a string" }).superRefine((value, ctx) => {
    const problem = check(value);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });
const notUtc = (v: unknown) => `must be a real UTC date-time such as 2027-12-31T15:59:59Z, got ${quote(String(v))}`;
const utcDateTime = () =>
  checked((v) => (isUtcDateTime(v) ? undefined : notUtc(v))).regex(UTC_SECONDS, { error: (i) => notUtc(i.input) });
const ACTION = /^eventbridge:[A-Za-z]{1,64}$/;
const RESOURCE =
  /^acs:eventbridge:(?:\*|[a-z]{2,}(?:-[a-z0-9]+)+):[0-9]{16}:eventbus\/[A-Za-z0-9_*-]{1,127}(?:\/rule\/[A-Za-z0-9_.*-]{1,128})?$/;

// an unknown key keeps zod's own issue, which the reader names by the key's path
const strict = <T extends z.core.$ZodLooseShape>(shape: T) =>
  z.strictObject(shape, { error: (issue) => (issue.code === "unrecognized_keys" ? undefined : "must be a mapping") });
const list = <T extends z.ZodType>(item: T) => z.array(item, { error: "must be a list" });

/** The handoff contract (handoff.schema.json is generated from it); `Handoff` is its output type. */
export const handoffSchema = strict({
  format: z.literal(HANDOFF_FORMAT, { error: `must be "${HANDOFF_FORMAT}"` }),
  formatVersion: z.literal(HANDOFF_FORMAT_VERSION, { error: `must be ${HANDOFF_FORMAT_VERSION}` }),
  owner: strict({
    name: text(SLUG, "a slug"),
    accountId: text(ACCOUNT_ID, "a 16-digit account id"),
    accountAlias: text(ACCOUNT_ALIAS, "an account alias").optional(),
  }),
  partner: strict({ name: text(SLUG, "a slug"), accountId: text(ACCOUNT_ID, "a 16-digit account id") }),
  /** The owner removed the role: B keeps its group and users, without the assume permission. */
  revoked: z.boolean({ error: "must be true or false" }),
  role: strict({
    name: text(ROLE_NAME, "a RAM role name"),
    arn: text(ROLE_ARN, "a RAM role ARN"),
    maxSessionDuration: sessionDuration(),
    /** Who in the partner's account may assume the role (`acs:ram::<partner>:root`, `…:user/<x>`, `…:role/<x>`). */
    trustedPrincipals: list(text(PRINCIPAL_ARN, "a RAM principal ARN (root, user/<name> or role/<name>)")).min(1),
    /** Absent when none is required, and in a revoked handoff. */
    externalId: text(EXTERNAL_ID, "an ExternalId").optional(),
    requireMfa: z.boolean({ error: "must be true or false" }),
    // the pattern documents the form in handoff.schema.json; checkIpv4OrCidr decides
    sourceIps: list(
      checked(checkIpv4OrCidr).regex(/^\d{1,3}(?:\.\d{1,3}){3}(?:\/\d{1,2})?$/, {
        error: (i) => checkIpv4OrCidr(String(i.input)),
      }),
    ).superRefine((values, ctx) => {
      const problem = checkSourceIps(values);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    }),
  }),
  /** The validity window, in UTC. */
  validFrom: utcDateTime().optional(),
  validUntil: utcDateTime().optional(),
  /** The console Switch Role link; absent in a revoked handoff. */
  switchRoleUrl: z.string({ error: "must be a string" }).optional(),
  /** What the role may do in the owner's account (empty in a revoked handoff). */
  access: strict({
    grants: list(
      strict({
        eventBus: text(EVENT_BUS, "an event bus name"),
        /** A region id, or `*` for every region. */
        region: z.union([z.literal("*"), text(REGION, "a region id")], { error: "must be a region id or *" }),
        permissions: list(z.enum(["publish", "read", "manage-rules"], { error: "must be publish, read or manage-rules" })),
        allow: list(
          strict({
            actions: list(text(ACTION, "an EventBridge action")).min(1),
            resources: list(text(RESOURCE, "an EventBridge resource ARN")).min(1),
          }),
        ),
      }),
    ),
    systemPolicies: list(text(POLICY_NAME, "a RAM system policy name")),
  }),
  /** `sha256:<hex>` of the canonical JSON of every other field. */
  digest: text(/^sha256:[0-9a-f]{64}$/, "sha256: and 64 hex digits"),
});

/** The same type with every field and list read-only, at every depth. */
type DeepReadonly<T> = T extends readonly (infer U)[]
  ? readonly DeepReadonly<U>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

/** A handoff as read or written: exactly what `handoffSchema` accepts, read-only. */
export type Handoff = DeepReadonly<z.output<typeof handoffSchema>>;
/** What the role may do on one bus; `allow` lists the actions allowed on each set of resources. */
export type HandoffGrant = Handoff["access"]["grants"][number];
export type HandoffBody = Omit<Handoff, "digest">;

/** JSON with object keys sorted at every level and no white space: what the digest covers. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

export function handoffDigest(body: HandoffBody): string {
  const { digest: _ignored, ...rest } = body as Handoff;
  return `sha256:${createHash("sha256").update(canonicalJson(rest)).digest("hex")}`;
}

/** The file A sends B: fields in a fixed order, two-space indented, with a final newline. */
export function renderHandoff(h: Handoff): string {
  return `${JSON.stringify(h, null, 2)}\n`;
}

/** The short form of a digest that reports print beside the full one: its first 12 hex digits. */
export function shortDigest(digest: string): string {
  return digest.replace(/^sha256:/, "").slice(0, 12);
}
