/**
 * Partner side of one delegation (Steps 4-5 in the partner's account): a group, the users the
 * partner creates for this delegation, membership for existing users, console logins, and the
 * permission to call sts:AssumeRole on the owner's role.
 */
import { Construct } from "constructs";
import { TerraformOutput, TerraformVariable } from "cdktf";
import { RamGroup } from "../../.gen/providers/alicloud/ram-group";
import { RamGroupPolicyAttachment } from "../../.gen/providers/alicloud/ram-group-policy-attachment";
import { RamLoginProfile } from "../../.gen/providers/alicloud/ram-login-profile";
import { RamPolicy } from "../../.gen/providers/alicloud/ram-policy";
import { RamUser } from "../../.gen/providers/alicloud/ram-user";
import { RamUserGroupAttachment } from "../../.gen/providers/alicloud/ram-user-group-attachment";
import { ROTATE_OLDEST_POLICY_VERSION } from "../facts";
import type { PartnerModel } from "../model/model";
import { CONSOLE_PASSWORDS_VARIABLE, groupComments, tfName } from "../model/names";
import { renderPolicy } from "../policy/document";
import { assumePolicy } from "../policy/policies";
import { literal } from "../terraform/literal";

export class PartnerAccess extends Construct {
  readonly partner: PartnerModel;
  readonly group: RamGroup;
  readonly users: readonly RamUser[];
  /** The custom sts:AssumeRole policy (scoped), if any. */
  readonly assumePolicy?: RamPolicy;
  /** The attachment of the assume policy to the group; absent for a revoked partner. */
  readonly assumeAttachment?: RamGroupPolicyAttachment;

  constructor(scope: Construct, id: string, partner: PartnerModel) {
    super(scope, id);
    this.partner = partner;
    const side = partner.partnerSide;

    this.group = new RamGroup(this, "group", {
      groupName: literal(side.groupName),
      comments: literal(groupComments(partner.role.name, partner.owner.name)),
    });
    this.group.overrideLogicalId("delegates");

    const consoleUsers = side.users.filter((u) => u.consoleLogin).map((u) => u.name);
    const passwords =
      consoleUsers.length === 0
        ? undefined
        : new TerraformVariable(this, "passwords", {
            type: "map(string)",
            sensitive: true,
            nullable: false,
            description: `Initial console passwords of ${consoleUsers.join(", ")}, by user name (8-32 characters; changed at first logon)`,
            validation: [
              {
                condition: `\${alltrue([for u in ${JSON.stringify(consoleUsers)} : contains(keys(var.${CONSOLE_PASSWORDS_VARIABLE}), u)])}`,
                errorMessage: `Set a password for each console user: ${consoleUsers.join(", ")}.`,
              },
            ],
          });
    passwords?.overrideLogicalId(CONSOLE_PASSWORDS_VARIABLE);

    this.users = side.users.map((u) => {
      const id = tfName(u.name);
      const user = new RamUser(this, `user-${u.name}`, {
        name: literal(u.name),
        displayName: u.displayName === undefined ? undefined : literal(u.displayName),
        comments: literal(`Delegate of ${partner.owner.name} EventBridge (role ${partner.role.name})`.slice(0, 128)),
      });
      user.overrideLogicalId(id);
      new RamUserGroupAttachment(this, `member-${u.name}`, {
        groupName: this.group.groupName,
        userName: user.name,
      }).overrideLogicalId(id);
      if (u.consoleLogin && passwords) {
        new RamLoginProfile(this, `login-${u.name}`, {
          userName: user.name,
          password: `${"$"}{var.${CONSOLE_PASSWORDS_VARIABLE}[${JSON.stringify(u.name)}]}`,
          passwordResetRequired: true,
          mfaBindRequired: true,
        }).overrideLogicalId(id);
      }
      return user;
    });
    for (const name of side.existingUsers) {
      new RamUserGroupAttachment(this, `member-${name}`, {
        groupName: this.group.groupName,
        userName: literal(name),
      }).overrideLogicalId(tfName(name));
    }

    if (!partner.revoked) {
      let policyName: string;
      if (side.assumePolicy === "scoped") {
        this.assumePolicy = new RamPolicy(this, "assume", {
          policyName: literal(side.assumePolicyName),
          policyDocument: literal(renderPolicy(assumePolicy(partner))),
          description: literal(`sts:AssumeRole on ${partner.role.arn} (${partner.owner.name})`),
          rotateStrategy: ROTATE_OLDEST_POLICY_VERSION,
        });
        this.assumePolicy.overrideLogicalId("assume");
        policyName = this.assumePolicy.policyName;
      } else {
        policyName = literal(side.assumePolicyName);
      }
      this.assumeAttachment = new RamGroupPolicyAttachment(this, "assume-attachment", {
        groupName: this.group.groupName,
        policyName,
        policyType: side.assumePolicy === "scoped" ? "Custom" : "System",
      });
      this.assumeAttachment.overrideLogicalId("assume");
    }

    // One object output, like the owner stack's: `terraform output -json delegation`.
    new TerraformOutput(this, "delegation", {
      description:
        "What the partner's users need: the group and its members, the RoleArn and ExternalId to pass to AssumeRole " +
        "(empty when revoked or not required), how users sign in, and the console Switch Role link",
      value: {
        group_name: literal(side.groupName),
        user_names: [...side.users.map((u) => u.name), ...side.existingUsers].map(literal),
        role_arn: partner.revoked ? "" : literal(partner.role.arn),
        external_id: partner.revoked ? "" : literal(partner.role.externalId ?? ""),
        logon_name_format: literal(side.logonNameFormat),
        switch_role_url: partner.revoked ? "" : literal(partner.switchRoleUrl),
      },
    }).overrideLogicalId("delegation");
  }
}
