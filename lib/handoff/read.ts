/**
 * Reading a handoff in B's repository. The file comes from another company: it is read with the
 * size cap and strict UTF-8 of every input, duplicate keys refused, its format version checked
 * first, then every field against the schema, then the digest, then what must agree between its
 * fields (the role ARN, the Switch Role link and every resource name the owner's account).
 * Nothing from it is used before all of that holds.
 */
import type { z } from "zod";
import { MAX_BYTES, parseJsonStrict, readText, UnreadableFile } from "../io/files";
import { parseArn, roleArn } from "../ram/arn";
import { switchRoleUrl } from "../names/names";
import { formatPath, quote } from "../text/quote";
import { HANDOFF_FORMAT, HANDOFF_FORMAT_VERSION, handoffDigest, handoffSchema, type Handoff } from "./handoff";

/** A handoff that cannot be used; `problem` completes "<file>: ...". */
export class HandoffError extends Error {
  constructor(readonly problem: string) {
    super(problem);
    this.name = "HandoffError";
  }
}

/** One line per problem, each naming its path; an unknown key by its own path. */
function problemsOf(issues: readonly z.core.$ZodIssue[]): string[] {
  const lines = issues.flatMap((i) => {
    const path = i.path.filter((p): p is string | number => typeof p !== "symbol");
    if (i.code === "unrecognized_keys") return i.keys.map((key) => `${formatPath([...path, key])}: unknown key`);
    return [path.length > 0 ? `${formatPath(path)}: ${i.message}` : i.message];
  });
  return [...new Set(lines)];
}

/** What must agree between the fields of a handoff that passed its schema. */
function inconsistencies(h: Handoff): string[] {
  const out: string[] = [];
  if (h.role.arn !== roleArn(h.owner.accountId, h.role.name))
    out.push(
      `role.arn: must be ${roleArn(h.owner.accountId, h.role.name)} (the role in the owner's account), got ${quote(h.role.arn)}`,
    );
  h.role.trustedPrincipals.forEach((p, i) => {
    if (parseArn(p)?.accountId !== h.partner.accountId)
      out.push(`role.trustedPrincipals[${i}]: must be in the partner's account ${h.partner.accountId}, got ${quote(p)}`);
  });
  if (h.owner.accountId === h.partner.accountId) out.push("partner.accountId: must differ from owner.accountId");
  const link = switchRoleUrl(h.owner.accountAlias ?? h.owner.accountId, h.role.name);
  if (!h.revoked && h.switchRoleUrl !== link) out.push(`switchRoleUrl: must be ${link}, got ${quote(String(h.switchRoleUrl))}`);
  if (h.revoked && (h.switchRoleUrl !== undefined || h.role.externalId !== undefined))
    out.push("a revoked handoff carries no switchRoleUrl and no role.externalId");
  if (h.revoked && (h.access.grants.length > 0 || h.access.systemPolicies.length > 0))
    out.push("access: a revoked handoff grants nothing");
  h.access.grants.forEach((g, i) =>
    g.allow.forEach((a, j) =>
      a.resources.forEach((r, k) => {
        if (parseArn(r)?.accountId !== h.owner.accountId)
          out.push(
            `access.grants[${i}].allow[${j}].resources[${k}]: must be in the owner's account ${h.owner.accountId}, got ${quote(r)}`,
          );
      }),
    ),
  );
  if (h.validFrom !== undefined && h.validUntil !== undefined && h.validFrom >= h.validUntil)
    out.push(`validUntil: must be later than validFrom (${h.validFrom})`);
  return out;
}

/** Validates a parsed handoff; throws a HandoffError with one problem per line. */
export function parseHandoff(raw: unknown): Handoff {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw))
    throw new HandoffError("not a handoff (expected a JSON object)");
  const r = raw as Record<string, unknown>;
  if (r.format !== HANDOFF_FORMAT) throw new HandoffError(`not a handoff (format is not "${HANDOFF_FORMAT}")`);
  if (r.formatVersion !== HANDOFF_FORMAT_VERSION)
    throw new HandoffError(
      `unknown handoff format version ${quote(String(r.formatVersion))}; this product reads version ${HANDOFF_FORMAT_VERSION} (ask the owner for a handoff of that version, or update the product)`,
    );
  const parsed = handoffSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) {
    throw new HandoffError(problemsOf(parsed.error.issues).join("; "));
  }
  const h: Handoff = parsed.data;
  if (handoffDigest(h) !== h.digest)
    throw new HandoffError(
      `digest: does not match the content (the file was changed after the owner wrote it); ask the owner for the file again`,
    );
  const problems = inconsistencies(h);
  if (problems.length > 0) throw new HandoffError(problems.join("; "));
  return h;
}

/** Reads and validates a handoff file. */
export function readHandoff(file: string): Handoff {
  let raw: unknown;
  try {
    raw = parseJsonStrict(readText(file, MAX_BYTES.config));
  } catch (e) {
    if (e instanceof UnreadableFile) throw new HandoffError(e.reason);
    throw new HandoffError((e as Error).message);
  }
  return parseHandoff(raw);
}
