/** Every synth check, in the order they are reported. */
import { assumeArnMatch } from "./assume-arn-match";
import { assumeSystemPolicy } from "./assume-system-policy";
import { assumePolicySize, permissionPolicySize } from "./policy-size";
import { policyWildcard } from "./policy-wildcard";
import { regionWildcard } from "./region-wildcard";
import { roleAttachmentLimit } from "./role-attachment-limit";
import type { OwnerSubject, PartnerSubject, Rule } from "./rule";
import { trustAccount } from "./trust-account";
import { trustRootUnconditioned } from "./trust-root-unconditioned";
import { validityEnding } from "./validity-ending";

export const OWNER_RULES: readonly Rule<OwnerSubject>[] = [
  trustAccount,
  policyWildcard,
  permissionPolicySize,
  roleAttachmentLimit,
  trustRootUnconditioned,
  validityEnding,
  regionWildcard,
];

export const PARTNER_RULES: readonly Rule<PartnerSubject>[] = [assumeArnMatch, assumePolicySize, assumeSystemPolicy];

/** One entry per rule id, for the README and tools. */
export function ruleCatalog(): { id: string; severity: string; title: string; rationale: string }[] {
  const seen = new Map<string, { id: string; severity: string; title: string; rationale: string }>();
  for (const r of [...OWNER_RULES, ...PARTNER_RULES]) {
    if (!seen.has(r.id)) seen.set(r.id, { id: r.id, severity: r.severity, title: r.title, rationale: r.rationale });
  }
  return [...seen.values()];
}
