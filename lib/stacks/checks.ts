/**
 * The synth checks as a cdktf Aspect: it reads the inputs of the resources the stacks will
 * apply, runs the pure rules over them, annotates the construct (so `cdktf synth` shows the
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
import { roleArn } from "../ram/arn";
import type { PartnerModel, PartnerSideModel } from "../model/model";
import { readPolicy } from "../policy/read";
import { OWNER_ACCOUNT_RULES, OWNER_RULES, PARTNER_RULES } from "../rules";
import { runRules, type Finding, type Rule } from "../rules/rule";
import { readLiteral } from "../terraform/literal";
import { DelegationStack } from "./base";
import { OwnerStack } from "./owner-stack";

/** What a resource input says once Terraform has read it: the checks judge the text RAM gets. */
const text = (input: string | undefined) => (input === undefined ? undefined : (readLiteral(input) ?? input));

export interface ChecksProps {
  /** The clock for validity checks. */
  readonly now: Date;
  /**
   * Looks up the owner stack's role for a partner: its name and account, from resource inputs.
   * Undefined when this config has no owner (partner form): the handoff names the role.
   */
  readonly ownerRoleOf?: (partnerName: string) => { accountId: string; roleName: string | undefined } | undefined;
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
      const trustText = text(node.role.assumeRolePolicyDocumentInput);
      const types = node.attachments.map((a) => ({ type: a.policyTypeInput, name: text(a.policyNameInput) ?? "" }));
      this.report(node, scopeOf(node.partner), OWNER_RULES, {
        partner: node.partner,
        trustText,
        trust: readPolicy(trustText),
        permissions: node.policies.map((p) => {
          const document = text(p.policyDocumentInput) ?? "";
          return { name: text(p.policyNameInput) ?? "", text: document, statements: readPolicy(document) };
        }),
        attached: {
          custom: types.filter((t) => t.type === "Custom").length,
          system: types.filter((t) => t.type === "System").map((t) => t.name),
        },
        now: this.props.now,
      });
    } else if (node instanceof PartnerAccess) {
      const assumeText = text(node.assumePolicy?.policyDocumentInput);
      const attachment = node.assumeAttachment;
      const h = node.side.handoff;
      let ownerRoleArn: string | undefined = h.revoked ? undefined : h.role.arn;
      if (this.props.ownerRoleOf) {
        const owner = this.props.ownerRoleOf(node.side.name);
        ownerRoleArn = owner?.roleName === undefined ? undefined : roleArn(owner.accountId, owner.roleName);
      }
      this.report(node, scopeOf(node.side), PARTNER_RULES, {
        side: node.side,
        assumeText,
        assume: readPolicy(assumeText),
        assumeSystemPolicy: attachment?.policyTypeInput === "System" ? text(attachment.policyNameInput) : undefined,
        ownerRoleArn,
        now: this.props.now,
      });
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
