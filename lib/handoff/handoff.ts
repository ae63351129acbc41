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
 */
import { createHash } from "node:crypto";
import type { PartnerModel } from "../model/model";
import { grantSummaries } from "../policy/policies";

export const HANDOFF_FORMAT = "eventbridge-delegation-handoff";
export const HANDOFF_FORMAT_VERSION = 1;

export interface HandoffGrant {
  readonly eventBus: string;
  /** A region id, or `*` for every region. */
  readonly region: string;
  readonly permissions: readonly string[];
  /** The actions allowed on each set of resources, as the permission policy states them. */
  readonly allow: readonly { readonly actions: readonly string[]; readonly resources: readonly string[] }[];
}

export interface Handoff {
  readonly format: typeof HANDOFF_FORMAT;
  readonly formatVersion: typeof HANDOFF_FORMAT_VERSION;
  readonly owner: { readonly name: string; readonly accountId: string; readonly accountAlias?: string };
  readonly partner: { readonly name: string; readonly accountId: string };
  /** The owner removed the role: B keeps its group and users, without the assume permission. */
  readonly revoked: boolean;
  readonly role: {
    readonly name: string;
    readonly arn: string;
    readonly maxSessionDuration: number;
    /** Who in the partner's account may assume the role (`acs:ram::<partner>:root`, `…:user/<x>`, `…:role/<x>`). */
    readonly trustedPrincipals: readonly string[];
    /** Absent when none is required, and in a revoked handoff. */
    readonly externalId?: string;
    readonly requireMfa: boolean;
    readonly sourceIps: readonly string[];
  };
  /** The validity window, in UTC. */
  readonly validFrom?: string;
  readonly validUntil?: string;
  /** The console Switch Role link; absent in a revoked handoff. */
  readonly switchRoleUrl?: string;
  /** What the role may do in the owner's account (empty in a revoked handoff). */
  readonly access: { readonly grants: readonly HandoffGrant[]; readonly systemPolicies: readonly string[] };
  /** `sha256:<hex>` of the canonical JSON of every other field. */
  readonly digest: string;
}

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

/** The handoff of one of the owner's partners. */
export function handoffOf(p: PartnerModel): Handoff {
  const live = !p.revoked;
  const body: HandoffBody = {
    format: HANDOFF_FORMAT,
    formatVersion: HANDOFF_FORMAT_VERSION,
    owner: { ...p.owner },
    partner: { name: p.name, accountId: p.accountId },
    revoked: p.revoked,
    role: {
      name: p.role.name,
      arn: p.role.arn,
      maxSessionDuration: p.role.maxSessionDuration,
      trustedPrincipals: [...p.role.trustedPrincipals],
      ...(live && p.role.externalId !== undefined ? { externalId: p.role.externalId } : {}),
      requireMfa: p.role.requireMfa,
      sourceIps: [...p.role.sourceIps],
    },
    ...(p.validFrom === undefined ? {} : { validFrom: p.validFrom }),
    ...(p.validUntil === undefined ? {} : { validUntil: p.validUntil }),
    ...(live ? { switchRoleUrl: p.switchRoleUrl } : {}),
    access: live ? { grants: grantSummaries(p), systemPolicies: [...p.systemPolicies] } : { grants: [], systemPolicies: [] },
  };
  return { ...body, digest: handoffDigest(body) };
}

/** The file A sends B: fields in a fixed order, two-space indented, with a final newline. */
export function renderHandoff(h: Handoff): string {
  return `${JSON.stringify(h, null, 2)}\n`;
}

/** The short form of a digest that reports print beside the full one: its first 12 hex digits. */
export function shortDigest(digest: string): string {
  return digest.replace(/^sha256:/, "").slice(0, 12);
}
