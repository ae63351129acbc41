/**
 * Owner side of one delegation (Steps 1-3 in the owner's account): the RAM role the partner's
 * account is trusted to assume, its custom EventBridge permission policy, and the attachments.
 */
import { Construct } from "constructs";
import { TerraformOutput } from "cdktf";
import { RamPolicy } from "../../.gen/providers/alicloud/ram-policy";
import { RamRole } from "../../.gen/providers/alicloud/ram-role";
import { RamRolePolicyAttachment } from "../../.gen/providers/alicloud/ram-role-policy-attachment";
import { ROTATE_OLDEST_POLICY_VERSION } from "../facts";
import type { PartnerModel } from "../model/model";
import { outputName, ownerAddresses, permissionPolicyName } from "../model/names";
import { renderPolicy } from "../policy/document";
import { permissionPolicies, trustPolicy } from "../policy/policies";
import { literal, literalMap } from "../terraform/literal";

export class DelegatedRole extends Construct {
  readonly partner: PartnerModel;
  readonly role: RamRole;
  /** The custom permission policies (several when one would exceed RAM's size limit). */
  readonly policies: readonly RamPolicy[];
  readonly attachments: readonly RamRolePolicyAttachment[];

  constructor(scope: Construct, partner: PartnerModel) {
    super(scope, partner.name);
    this.partner = partner;

    this.role = new RamRole(this, "role", {
      roleName: literal(partner.role.name),
      assumeRolePolicyDocument: literal(renderPolicy(trustPolicy(partner))),
      description: literal(partner.role.description),
      maxSessionDuration: partner.role.maxSessionDuration,
      tags: literalMap(partner.tags),
    });
    this.role.overrideLogicalId(ownerAddresses.role(partner.name));

    // One custom policy, or several numbered ones when the permissions exceed RAM's size limit.
    const policies = permissionPolicies(partner).map((document, i) => {
      const policy = new RamPolicy(this, `permissions-${i + 1}`, {
        policyName: literal(permissionPolicyName(partner.name, i)),
        policyDocument: literal(renderPolicy(document)),
        description: literal(`EventBridge permissions of role ${partner.role.name}, delegated to ${partner.name}`),
        rotateStrategy: ROTATE_OLDEST_POLICY_VERSION,
        tags: literalMap(partner.tags),
      });
      policy.overrideLogicalId(ownerAddresses.policy(partner.name, i));
      return policy;
    });
    this.policies = policies;
    const attachments = policies.map((policy, i) => {
      const custom = new RamRolePolicyAttachment(this, `attach-permissions-${i + 1}`, {
        roleName: this.role.roleName,
        policyName: policy.policyName,
        policyType: "Custom",
      });
      custom.overrideLogicalId(ownerAddresses.customAttachment(partner.name, i));
      return custom;
    });
    for (const name of partner.systemPolicies) {
      const system = new RamRolePolicyAttachment(this, `system-${name}`, {
        roleName: this.role.roleName,
        policyName: literal(name),
        policyType: "System",
      });
      system.overrideLogicalId(ownerAddresses.systemAttachment(partner.name, name));
      attachments.push(system);
    }
    this.attachments = attachments;

    // One output per partner, an object, so that the owner stack stays readable (and quick to
    // synthesize) with many partners: `terraform output -json enterprise_b`.
    const policyNames = [...policies.map((_, i) => permissionPolicyName(partner.name, i)), ...partner.systemPolicies];
    new TerraformOutput(this, "output", {
      description: `Delegation to ${partner.name}: the role it assumes, its policies, the Switch Role link and the end (UTC, empty when open-ended)`,
      value: {
        role_arn: this.role.arn,
        role_name: this.role.roleName,
        policy_names: policyNames.map(literal),
        switch_role_url: literal(partner.switchRoleUrl),
        valid_until: partner.validUntil ?? "",
      },
    }).overrideLogicalId(outputName(partner.name));
  }
}
