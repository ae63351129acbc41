/** Every synth check, in the order they are reported. */
import { accountPolicyLimit } from "./account-policy-limit";
import { assumeArnMatch } from "./assume-arn-match";
import { assumeSystemPolicy } from "./assume-system-policy";
import { assumePolicySize, permissionPolicySize } from "./policy-size";
import { policyWildcard } from "./policy-wildcard";
import { regionWildcard } from "./region-wildcard";
import { roleAttachmentLimit } from "./role-attachment-limit";
import type { OwnerAccountSubject, OwnerSubject, PartnerSubject, Rule } from "./rule";
import { ACK_UNUSED } from "../check-ids";
import { trustAccount } from "./trust-account";
import { mfaBlocksApi, mfaBlocksPartnerApi } from "./mfa-blocks-api";
import { trustPrincipalOrder } from "./trust-principal-order";
import { trustRootUnconditioned } from "./trust-root-unconditioned";
import { validityEnding, validityEndingHandoff } from "./validity-ending";
import { handoffRevoked } from "./handoff-revoked";
import { trustPrincipalUnknown } from "./trust-principal-unknown";

export const OWNER_RULES: readonly Rule<OwnerSubject>[] = [
  trustAccount,
  policyWildcard,
  permissionPolicySize,
  roleAttachmentLimit,
  trustRootUnconditioned,
  trustPrincipalOrder,
  mfaBlocksApi,
  validityEnding,
  regionWildcard,
];

export const OWNER_ACCOUNT_RULES: readonly Rule<OwnerAccountSubject>[] = [accountPolicyLimit];

export const PARTNER_RULES: readonly Rule<PartnerSubject>[] = [
  assumeArnMatch,
  assumePolicySize,
  assumeSystemPolicy,
  trustPrincipalUnknown,
  mfaBlocksPartnerApi,
  validityEndingHandoff,
  handoffRevoked,
];

export interface RuleInfo {
  readonly id: string;
  readonly severity: string;
  readonly title: string;
  readonly rationale: string;
}

/** One entry per check id (the rules, then the acknowledgement check), for the README and tools. */
export function ruleCatalog(): RuleInfo[] {
  const seen = new Map<string, RuleInfo>();
  for (const r of [...OWNER_RULES, ...OWNER_ACCOUNT_RULES, ...PARTNER_RULES, ACK_UNUSED]) {
    if (!seen.has(r.id)) seen.set(r.id, { id: r.id, severity: r.severity, title: r.title, rationale: r.rationale });
  }
  return [...seen.values()];
}
