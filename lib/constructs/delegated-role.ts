/**
 * Owner side of one delegation (Steps 1-3 in the owner's account): the RAM role the partner's
 * account is trusted to assume, its custom EventBridge permission policy, and the attachments.
 */
import { Construct } from "constructs";
import { TerraformOutput } from "cdktf";
import { RamPolicy } from "../../.gen/providers/alicloud/ram-policy";
import { RamRole } from "../../.gen/providers/alicloud/ram-role";
import { RamRolePolicyAttachment } from "../../.gen/providers/alicloud/ram-role-policy-attachment";
import type { PartnerModel } from "../model/model";
import { outputName, tfName } from "../model/names";
import { renderPolicy } from "../policy/document";
import { permissionPolicy, trustPolicy } from "../policy/policies";

/** Keeps the 5-version limit of custom policies from blocking updates. */
const ROTATE_OLDEST_VERSION = "DeleteOldestNonDefaultVersionWhenLimitExceeded";

export class DelegatedRole extends Construct {
  readonly partner: PartnerModel;
  readonly role: RamRole;
  /** The custom permission policy; undefined when the partner only has system policies. */
  readonly policy?: RamPolicy;
  readonly attachments: readonly RamRolePolicyAttachment[];

  constructor(scope: Construct, partner: PartnerModel) {
    super(scope, partner.name);
    this.partner = partner;
    const id = tfName(partner.name);

    this.role = new RamRole(this, "role", {
      roleName: partner.role.name,
      assumeRolePolicyDocument: renderPolicy(trustPolicy(partner)),
      description: partner.role.description,
      maxSessionDuration: partner.role.maxSessionDuration,
      tags: partner.tags,
    });
    this.role.overrideLogicalId(id);

    const attachments: RamRolePolicyAttachment[] = [];
    const document = permissionPolicy(partner);
    if (document) {
      this.policy = new RamPolicy(this, "policy", {
        policyName: partner.permissionPolicyName,
        policyDocument: renderPolicy(document),
        description: `EventBridge permissions of role ${partner.role.name}, delegated to ${partner.name}`,
        rotateStrategy: ROTATE_OLDEST_VERSION,
        tags: partner.tags,
      });
      this.policy.overrideLogicalId(id);
      const custom = new RamRolePolicyAttachment(this, "custom", {
        roleName: this.role.roleName,
        policyName: this.policy.policyName,
        policyType: "Custom",
      });
      custom.overrideLogicalId(tfName(`${partner.name}-custom`));
      attachments.push(custom);
    }
    for (const name of partner.systemPolicies) {
      const system = new RamRolePolicyAttachment(this, `system-${name}`, {
        roleName: this.role.roleName,
        policyName: name,
        policyType: "System",
      });
      system.overrideLogicalId(tfName(`${partner.name}-system-${name}`));
      attachments.push(system);
    }
    this.attachments = attachments;

    // One output per partner, an object, so that the owner stack stays readable (and quick to
    // synthesize) with many partners: `terraform output -json enterprise_b`.
    const policyNames = [...(this.policy ? [partner.permissionPolicyName] : []), ...partner.systemPolicies];
    new TerraformOutput(this, "output", {
      description: `Delegation to ${partner.name}: the role it assumes, its policies, the Switch Role link and the end (UTC, empty when open-ended)`,
      value: {
        role_arn: this.role.arn,
        role_name: this.role.roleName,
        policy_names: policyNames,
        switch_role_url: partner.switchRoleUrl,
        valid_until: partner.validUntil ?? "",
      },
    }).overrideLogicalId(outputName(partner.name));
  }
}
