/**
 * What the owner writes into a partner's handoff: derived from the partner's model and its
 * permission policy. The format itself (schema, type, digest, rendering) is lib/handoff/handoff.ts.
 */
import { HANDOFF_FORMAT, HANDOFF_FORMAT_VERSION, handoffDigest, type Handoff, type HandoffBody } from "../handoff/handoff";
import type { PartnerModel } from "../model/model";
import { grantSummaries } from "../policy/policies";

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
