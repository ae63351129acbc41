/**
 * Owner side of one delegation (Steps 1-3 in the owner's account): the RAM role the partner's
 * account is trusted to assume, its custom EventBridge permission policies, and the attachments,
 * written exactly as `describeOwnerSide` describes them.
 */
import { Construct } from "constructs";
import { TerraformOutput } from "cdktf";
import { RamPolicy } from "../../.gen/providers/alicloud/ram-policy";
import { RamRole } from "../../.gen/providers/alicloud/ram-role";
import { RamRolePolicyAttachment } from "../../.gen/providers/alicloud/ram-role-policy-attachment";
import type { PartnerModel } from "../model/model";
import type { OwnerSideDescription } from "../describe/sides";
import { literal, literalMap } from "../terraform/literal";

export class DelegatedRole extends Construct {
  readonly partner: PartnerModel;
  readonly description: OwnerSideDescription;
  readonly role: RamRole;
  /** The custom permission policies (several when one would exceed RAM's size limit). */
  readonly policies: readonly RamPolicy[];
  readonly attachments: readonly RamRolePolicyAttachment[];

  constructor(scope: Construct, partner: PartnerModel, d: OwnerSideDescription) {
    super(scope, partner.name);
    this.partner = partner;
    this.description = d;

    this.role = new RamRole(this, "role", {
      roleName: literal(d.role.name),
      assumeRolePolicyDocument: literal(d.role.trustDocument),
      description: literal(d.role.description),
      maxSessionDuration: d.role.maxSessionDuration,
      tags: literalMap(d.role.tags),
    });
    this.role.overrideLogicalId(d.role.address);

    const policies = new Map(
      d.policies.map((p, i) => {
        const policy = new RamPolicy(this, `permissions-${i + 1}`, {
          policyName: literal(p.name),
          policyDocument: literal(p.document),
          description: literal(p.description),
          rotateStrategy: p.rotateStrategy,
          tags: literalMap(d.role.tags),
        });
        policy.overrideLogicalId(p.address);
        return [p.name, policy];
      }),
    );
    this.policies = [...policies.values()];
    let customCount = 0;
    this.attachments = d.attachments.map((a) => {
      const custom = a.policyType === "Custom" ? policies.get(a.policyName) : undefined;
      const attachment = new RamRolePolicyAttachment(
        this,
        custom ? `attach-permissions-${++customCount}` : `system-${a.policyName}`,
        {
          roleName: this.role.roleName,
          // a custom policy is referenced, so that Terraform creates it before attaching it
          policyName: custom ? custom.policyName : literal(a.policyName),
          policyType: a.policyType,
        },
      );
      attachment.overrideLogicalId(a.address);
      return attachment;
    });

    // One output per partner, an object, so that the owner stack stays readable (and quick to
    // synthesize) with many partners: `terraform output -json enterprise_b`.
    new TerraformOutput(this, "output", {
      description: d.output.description,
      value: {
        role_arn: this.role.arn,
        role_name: this.role.roleName,
        policy_names: d.output.policyNames.map(literal),
        switch_role_url: literal(d.output.switchRoleUrl),
        valid_until: d.output.validUntil,
      },
    }).overrideLogicalId(d.output.name);
  }
}
