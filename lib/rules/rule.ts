/**
 * Synth checks. Each rule is a small pure function over what a stack will apply (policy
 * documents read back from resource inputs, plus the partner's model), with a stable id, a
 * severity, a one-line title and the reason it exists.
 */
import type { PartnerModel, PartnerSideModel } from "../model/model";
import type { ReadStatement } from "../policy/read";

export type Severity = "error" | "warning";

/** A policy document as a resource will send it, and read back. */
export interface AppliedPolicy {
  readonly name: string;
  readonly text: string;
  /** Undefined when the text is not a policy document. */
  readonly statements?: readonly ReadStatement[];
}

/** What the owner stack will apply for one partner. */
export interface OwnerSubject {
  readonly partner: PartnerModel;
  readonly trustText?: string;
  readonly trust?: readonly ReadStatement[];
  /** The custom permission policies, in order. */
  readonly permissions: readonly AppliedPolicy[];
  /** Policies attached to the role, by type. */
  readonly attached: { readonly custom: number; readonly system: readonly string[] };
  readonly now: Date;
}

/** What the owner stack creates in the owner account as a whole. */
export interface OwnerAccountSubject {
  readonly accountId: string;
  readonly customPolicies: number;
}

/** What a partner stack will apply, and the handoff it was built from. */
export interface PartnerSubject {
  readonly side: PartnerSideModel;
  readonly assumeText?: string;
  readonly assume?: readonly ReadStatement[];
  /** The system policy attached to the group, if the partner uses `assumePolicy: system`. */
  readonly assumeSystemPolicy?: string;
  /**
   * ARN of the role the owner stack creates for this partner (single-file form), or the one the
   * handoff names (partner form); undefined if there is none.
   */
  readonly ownerRoleArn?: string;
  readonly now: Date;
}

export interface Rule<S> {
  readonly id: string;
  readonly severity: Severity;
  readonly title: string;
  readonly rationale: string;
  /** One message per finding; `[target]` parts name exactly what fired. */
  check(subject: S): string[];
}

export interface Finding {
  readonly ruleId: string;
  readonly severity: Severity;
  readonly message: string;
  /** Config path of what the finding is about: `partners[0]`, or `owner` for account-wide checks. */
  readonly configPath: string;
  /** The partner's name; empty for account-wide checks. */
  readonly partner: string;
  /** The written reason, when the config acknowledges this warning. */
  readonly acknowledged?: string;
  /** Construct path of the node the finding is attached to. */
  readonly constructPath: string;
}

/** Runs rules; a rule that throws becomes an error finding of its own instead of a crash. */
export function runRules<S>(rules: readonly Rule<S>[], subject: S): { rule: Rule<S>; message: string; severity: Severity }[] {
  return rules.flatMap((rule) => {
    try {
      return rule.check(subject).map((message) => ({ rule, message, severity: rule.severity }));
    } catch (e) {
      return [{ rule, message: `rule crashed: ${(e as Error).message}`, severity: "error" as const }];
    }
  });
}
