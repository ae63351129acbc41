/**
 * The access report of a synth output: each stack read with its side's reader, then summarized
 * per partner (`partner-access.ts`), with everything the readers could not account for.
 */
import type { Handoff } from "../handoff/handoff";
import { HandoffError, parseHandoff } from "../handoff/read";
import { readPolicy } from "../policy/read";
import { parsePrincipal } from "../ram/arn";
import { InputError, type SynthOutput } from "../readers/files";
import { readOwnerSide } from "../readers/owner";
import { readPartnerSide } from "../readers/partner";
import { readStack } from "../readers/terraform";
import { sortUnaccounted, type Unaccounted } from "../readers/unaccounted";
import { handoffAccess, partnerAccess, type AccessReport, type FindingNote, type PartnerAccess } from "./partner-access";

export * from "./partner-access";

const unique = (xs: Iterable<string>) => [...new Set(xs)].sort();

/** A partner stack's handoff, checked again: the output directory may have been edited. */
function stackHandoff(dir: string, id: string, raw: unknown): Handoff {
  try {
    return parseHandoff(raw);
  } catch (e) {
    if (e instanceof HandoffError)
      throw new InputError(`${dir}: stack ${id}: its handoff ("//".delegation.handoff): ${e.problem}`);
    throw e;
  }
}

/** The access report of a synth output directory (an owner's, a partner's, or both sides of a single-file config). */
export function accessReport(output: SynthOutput): AccessReport {
  let ownerStack: string | undefined;
  let owner: AccessReport["owner"];
  const partnerStacks: { stack: string; name: string; accountId: string; revoked: boolean; handoff: Handoff }[] = [];
  const notes = new Map<string, FindingNote[]>();
  for (const [id, stack] of output.stacks) {
    const identity = stack["//"]?.delegation;
    if (!identity) throw new InputError(`${output.dir}: stack ${id} was not synthesized by this product (no "//".delegation)`);
    if (identity.side === "owner") {
      ownerStack = id;
      owner = identity.owner;
    } else if (identity.partner) {
      partnerStacks.push({ stack: id, ...identity.partner, handoff: stackHandoff(output.dir, id, identity.handoff) });
    }
    // the synth checks' warnings, as the stack lists them
    for (const f of stack["//"]?.findings ?? []) {
      const n: FindingNote = {
        rule: String(f.rule),
        level: f.acknowledged === undefined ? "warning" : "acknowledged",
        message: String(f.message),
        ...(f.acknowledged === undefined ? {} : { reason: String(f.acknowledged) }),
      };
      notes.set(f.partner, [...(notes.get(f.partner) ?? []), n]);
    }
  }
  if (!ownerStack && partnerStacks.length === 0) throw new InputError(`${output.dir}: no stacks in the synth output`);

  const unaccounted: (Unaccounted & { stack: string })[] = [];
  const ownerRead = ownerStack ? readOwnerSide(readStack(output.stacks.get(ownerStack)!), owner?.accountId) : undefined;
  for (const u of sortUnaccounted(ownerRead?.unaccounted ?? [])) unaccounted.push({ stack: ownerStack!, ...u });
  const owned = new Map((ownerRead?.sides ?? []).map((o) => [o.partner, o]));
  const sides = new Map(
    partnerStacks.map((p) => {
      const read = readPartnerSide(readStack(output.stacks.get(p.stack)!), p.stack);
      for (const u of sortUnaccounted(read.unaccounted)) unaccounted.push({ stack: p.stack, ...u });
      return [p.name, read.side] as const;
    }),
  );
  const names = unique([...owned.keys(), ...partnerStacks.map((p) => p.name), ...(ownerStack ? output.handoffs.keys() : [])]);
  const partners = names.map((name): PartnerAccess => {
    const side = partnerStacks.find((p) => p.name === name);
    const description = sides.get(name);
    const sideInput = side && description ? { stack: side.stack, description, revoked: side.revoked } : undefined;
    const o = owned.get(name);
    const handoff = output.handoffs.get(name) ?? side?.handoff;
    const logonNameFormat = description?.output.logonNameFormat || undefined;
    if (!owner) {
      // a partner's output: what the role may do comes from the handoff it was built from
      const base = partnerAccess(name, side!.accountId, undefined, sideInput, notes.get(name) ?? []);
      return {
        ...base,
        ...handoffAccess(side!.handoff),
        accountId: side!.accountId,
        ...(base.partnerSide ? { partnerSide: { ...base.partnerSide, ...(logonNameFormat ? { logonNameFormat } : {}) } } : {}),
      };
    }
    const trusted = (readPolicy(o?.role.trustDocument) ?? []).flatMap((s) => s.principals.RAM ?? []);
    const accountFromTrust = trusted.map((t) => parsePrincipal(t)?.accountId).find((x) => x !== undefined);
    const access = partnerAccess(
      name,
      side?.accountId ?? handoff?.partner.accountId ?? accountFromTrust ?? "",
      o,
      sideInput,
      notes.get(name) ?? [],
    );
    // how people get in: the Switch Role link and the logon names (both name aliases once set)
    const switchRoleUrl = o?.output.switchRoleUrl || undefined;
    return {
      ...access,
      owner,
      ...(switchRoleUrl ? { switchRoleUrl } : {}),
      ...(handoff ? { handoffDigest: handoff.digest } : {}),
      ...(access.partnerSide && logonNameFormat ? { partnerSide: { ...access.partnerSide, logonNameFormat } } : {}),
    };
  });
  return { ...(owner ? { owner } : {}), partners, unaccounted };
}
