/**
 * The partner form of the config (Enterprise B's repository): the partner's account and its
 * delegations, each naming the handoff file its owner sent. Every handoff is read and checked
 * against the account and the pinned owner.
 */
import path from "node:path";
import { checkAccountWideNames, checkAssumeRoleArn, checkBackend, checkPartnerSide } from "./checks";
import type { Handoff } from "../handoff/handoff";
import { HandoffError, readHandoff } from "../handoff/read";
import { partnerStackId } from "../names/names";
import { ConfigError, toIssues, type ConfigIssue } from "./issues";
import {
  delegationSchema,
  partnerAccountSchema,
  partnerConfigSchema,
  type DelegationEntryConfig,
  type PartnerAccountConfig,
  type PartnerFormConfig,
} from "./schema";

export interface PartnerForm {
  readonly config: PartnerFormConfig;
  /** The validated handoff of each delegation, in order. */
  readonly handoffs: readonly Handoff[];
}

/** The stack name of a delegation: its `name`, else the partner name in its handoff. */
const stackNameOf = (d: DelegationEntryConfig, h: Handoff | undefined) => d.name ?? h?.partner.name;

/** Validates a partner-form config and reads and checks every handoff it names (relative to `dir`). */
export function parsePartnerForm(raw: object, dir: string, file?: string): PartnerForm {
  const full = partnerConfigSchema.safeParse(raw, { reportInput: true });
  const issues: ConfigIssue[] = full.success ? [] : toIssues(full.error, partnerConfigSchema);
  let account: PartnerAccountConfig | undefined;
  let delegations: { index: number; d: DelegationEntryConfig }[] = [];
  if (full.success) {
    account = full.data.partner;
    delegations = full.data.delegations.map((d, index) => ({ index, d }));
  } else {
    const r = raw as { partner?: unknown; delegations?: unknown };
    const a = partnerAccountSchema.safeParse(r.partner);
    account = a.success ? a.data : undefined;
    if (Array.isArray(r.delegations))
      delegations = r.delegations.flatMap((d, index) => {
        const parsed = delegationSchema.safeParse(d);
        return parsed.success ? [{ index, d: parsed.data }] : [];
      });
  }

  if (account) {
    checkAssumeRoleArn(account.assumeRoleArn, account.accountId, ["partner", "assumeRoleArn"], "partner's", issues);
    checkBackend(account.backend, ["partner", "backend"], issues);
  }
  for (const { index, d } of delegations) checkPartnerSide(d, ["delegations", index], issues);
  if (account) {
    const accountId = account.accountId;
    checkAccountWideNames(
      delegations.map(({ index, d }) => ({ path: ["delegations", index], label: `delegations[${index}]`, accountId, side: d })),
      issues,
    );
  }

  // every handoff: readable, valid, and made for this account by the pinned owner
  const handoffs = new Map<number, Handoff>();
  for (const { index, d } of delegations) {
    const at = ["delegations", index, "handoff"];
    let h: Handoff;
    try {
      h = readHandoff(path.resolve(dir, d.handoff));
    } catch (e) {
      if (!(e instanceof HandoffError)) throw e;
      issues.push({ path: at, message: `${d.handoff}: ${e.problem}` });
      continue;
    }
    handoffs.set(index, h);
    if (account && h.partner.accountId !== account.accountId)
      issues.push({
        path: at,
        message: `${d.handoff} was made for partner account ${h.partner.accountId}, not for partner.accountId ${account.accountId}`,
      });
    if (h.owner.accountId !== d.ownerAccountId)
      issues.push({
        path: ["delegations", index, "ownerAccountId"],
        message: `${d.handoff} comes from owner account ${h.owner.accountId}, not from the pinned ${d.ownerAccountId}; check with the owner before changing the pin`,
      });
  }
  const stacks = new Map<string, number>();
  for (const { index, d } of delegations) {
    const name = stackNameOf(d, handoffs.get(index));
    if (name === undefined) continue;
    const first = stacks.get(name);
    if (first === undefined) stacks.set(name, index);
    else
      issues.push({
        path: ["delegations", index, "name"],
        message: `stack ${partnerStackId(name)} is already made by delegations[${first}]; set name to tell the two apart`,
      });
  }

  if (issues.length > 0 || !full.success) throw new ConfigError(issues, file);
  return { config: full.data, handoffs: full.data.delegations.map((_, i) => handoffs.get(i)!) };
}
