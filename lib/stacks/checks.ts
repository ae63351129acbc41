/**
 * The synth checks as a cdktf Aspect: it visits each side's construct, runs the pure rules over
 * the description the construct was written from (the documents, names and attachments the
 * stack will apply), annotates the construct (so `cdktf synth` shows the
 * findings) and keeps them as structured findings for the synth runner.
 *
 * Every warning is also listed under `"//"."findings"` of its stack (rule, partner, message,
 * and the written reason when the config acknowledges it), so that reviewers see it in the
 * synthesized output and the report reads it as data. A warning the config acknowledges
 * (`acknowledge: [{ rule, reason }]`) becomes an info annotation.
 */
import { Annotations, TerraformStack, type IAspect } from "cdktf";
import type { IConstruct } from "constructs";
import { DelegatedRole } from "../constructs/delegated-role";
import { PartnerAccess } from "../constructs/partner-access";
import type { PartnerModel, PartnerSideModel } from "../model/model";
import type { OwnerSideDescription, PartnerSideDescription } from "../describe/sides";
import { readPolicy } from "../policy/read";
import { OWNER_ACCOUNT_RULES, OWNER_RULES, PARTNER_RULES } from "../rules";
import { runRules, type Finding, type OwnerSubject, type PartnerSubject, type Rule } from "../rules/rule";
import { DelegationStack } from "../cdktf-internals/stack";
import { OwnerStack } from "./owner-stack";

export interface ChecksProps {
  /** The clock for validity checks. */
  readonly now: Date;
  /**
   * The owner's partners, when this config has an owner (single-file form): a partner stack's
   * assume permission is checked against the role the owner side describes for it. In the
   * partner form the handoff names the role.
   */
  readonly partners?: readonly PartnerModel[];
}

/** What the owner stack will apply for one partner, from its description. */
function ownerSubject(partner: PartnerModel, d: OwnerSideDescription, now: Date): OwnerSubject {
  return {
    partner,
    trustText: d.role.trustDocument,
    trust: readPolicy(d.role.trustDocument),
    permissions: d.policies.map((p) => ({ name: p.name, text: p.document, statements: readPolicy(p.document) })),
    attached: {
      custom: d.attachments.filter((a) => a.policyType === "Custom").length,
      system: d.attachments.filter((a) => a.policyType === "System").map((a) => a.policyName),
    },
    now,
  };
}

/** What a partner stack will apply, from its description, and the role it may assume. */
function partnerSubject(side: PartnerSideModel, d: PartnerSideDescription, props: ChecksProps): PartnerSubject {
  const assumeText = d.assume?.policy?.document;
  const h = side.handoff;
  let ownerRoleArn: string | undefined = h.revoked ? undefined : h.role.arn;
  if (props.partners) {
    const p = props.partners.find((x) => x.name === side.name);
    // the role `describeOwnerSide` gives the partner; none once revoked
    ownerRoleArn = p && !p.revoked ? p.role.arn : undefined;
  }
  return {
    side,
    assumeText,
    assume: readPolicy(assumeText),
    assumeSystemPolicy: d.assume && !d.assume.policy ? d.assume.attachment.policyName : undefined,
    ownerRoleArn,
    now: props.now,
  };
}

/** What a finding is about: a partner, or (for account-wide checks) the owner. */
interface Scope {
  readonly configPath: string;
  readonly partner: string;
  readonly acknowledgements: Readonly<Record<string, string>>;
}

const scopeOf = (p: PartnerModel | PartnerSideModel): Scope => ({
  configPath: p.configPath,
  partner: p.name,
  acknowledgements: p.acknowledgements,
});

/** A warning as the stack lists it under `"//".findings`. */
export interface StackFinding {
  readonly rule: string;
  readonly partner: string;
  readonly message: string;
  /** The written reason, when the config acknowledges the warning. */
  readonly acknowledged?: string;
}

export class DelegationChecks implements IAspect {
  readonly findings: Finding[] = [];
  private readonly listed = new Map<TerraformStack, StackFinding[]>();

  constructor(private readonly props: ChecksProps) {}

  visit(node: IConstruct): void {
    if (node instanceof OwnerStack) {
      const customPolicies = [...node.roles.values()].reduce((n, r) => n + r.policies.length, 0);
      this.report(node, { configPath: "owner", partner: "", acknowledgements: {} }, OWNER_ACCOUNT_RULES, {
        accountId: node.model.owner.accountId,
        customPolicies,
      });
    } else if (node instanceof DelegatedRole) {
      this.report(node, scopeOf(node.partner), OWNER_RULES, ownerSubject(node.partner, node.description, this.props.now));
    } else if (node instanceof PartnerAccess) {
      this.report(node, scopeOf(node.side), PARTNER_RULES, partnerSubject(node.side, node.description, this.props));
    }
  }

  private report<S>(node: IConstruct, scope: Scope, rules: readonly Rule<S>[], subject: S): void {
    for (const { rule, message, severity } of runRules(rules, subject)) {
      const reason = severity === "warning" ? scope.acknowledgements[rule.id] : undefined;
      const text = `${rule.id}: ${message}`;
      if (severity === "error") Annotations.of(node).addError(text);
      else {
        if (reason === undefined) Annotations.of(node).addWarning(text);
        else Annotations.of(node).addInfo(`${text} (acknowledged: ${reason})`);
        this.list(TerraformStack.of(node), {
          rule: rule.id,
          partner: scope.partner,
          message,
          ...(reason === undefined ? {} : { acknowledged: reason }),
        });
      }
      this.findings.push({
        ruleId: rule.id,
        severity,
        message,
        configPath: scope.configPath,
        partner: scope.partner,
        constructPath: node.node.path,
        ...(reason === undefined ? {} : { acknowledged: reason }),
      });
    }
  }

  private list(stack: TerraformStack, entry: StackFinding): void {
    const list = [...(this.listed.get(stack) ?? []), entry];
    this.listed.set(stack, list);
    if (!(stack instanceof DelegationStack)) throw new Error(`${stack.node.id} is not a delegation stack`);
    stack.setComment("findings", list);
  }
}
