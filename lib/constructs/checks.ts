/**
 * The synth checks as a cdktf Aspect: it reads the inputs of the resources the stacks will
 * apply, runs the pure rules over them, annotates the construct (so `cdktf synth` shows the
 * findings) and keeps them as structured findings for the synth runner.
 */
import { Annotations, type IAspect } from "cdktf";
import type { IConstruct } from "constructs";
import { roleArn } from "../model/arn";
import { readPolicy } from "../policy/read";
import { OWNER_RULES, PARTNER_RULES } from "../rules";
import { runRules, type Finding, type Rule, type Severity } from "../rules/rule";
import type { PartnerModel } from "../model/model";
import { DelegatedRole } from "./delegated-role";
import { PartnerAccess } from "./partner-access";

export interface ChecksProps {
  /** The clock for validity checks. */
  readonly now: Date;
  /** Looks up the owner stack's role for a partner: its name and account, from resource inputs. */
  readonly ownerRoleOf: (partnerName: string) => { accountId: string; roleName: string | undefined } | undefined;
}

export class DelegationChecks implements IAspect {
  readonly findings: Finding[] = [];

  constructor(private readonly props: ChecksProps) {}

  visit(node: IConstruct): void {
    if (node instanceof DelegatedRole) {
      const trustText = node.role.assumeRolePolicyDocumentInput;
      const types = node.attachments.map((a) => ({ type: a.policyTypeInput, name: a.policyNameInput ?? "" }));
      this.report(node, node.partner, OWNER_RULES, {
        partner: node.partner,
        trustText,
        trust: readPolicy(trustText),
        permissions: node.policies.map((p) => {
          const text = p.policyDocumentInput ?? "";
          return { name: p.policyNameInput ?? "", text, statements: readPolicy(text) };
        }),
        attached: {
          custom: types.filter((t) => t.type === "Custom").length,
          system: types.filter((t) => t.type === "System").map((t) => t.name),
        },
        now: this.props.now,
      });
    } else if (node instanceof PartnerAccess) {
      const assumeText = node.assumePolicy?.policyDocumentInput;
      const owner = this.props.ownerRoleOf(node.partner.name);
      const attachment = node.assumeAttachment;
      this.report(node, node.partner, PARTNER_RULES, {
        partner: node.partner,
        assumeText,
        assume: readPolicy(assumeText),
        assumeSystemPolicy: attachment?.policyTypeInput === "System" ? attachment.policyNameInput : undefined,
        ownerRoleArn: owner?.roleName === undefined ? undefined : roleArn(owner.accountId, owner.roleName),
      });
    }
  }

  private report<S>(node: IConstruct, partner: PartnerModel, rules: readonly Rule<S>[], subject: S): void {
    for (const { rule, message, severity } of runRules(rules, subject)) {
      const text = `${rule.id}: ${message}`;
      if (severity === "error") Annotations.of(node).addError(text);
      else Annotations.of(node).addWarning(text);
      this.findings.push({
        ruleId: rule.id,
        severity: severity as Severity,
        message,
        configPath: partner.configPath,
        partner: partner.name,
        constructPath: node.node.path,
      });
    }
  }
}
