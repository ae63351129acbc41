/**
 * Partner side of one delegation (Steps 4-5 in the partner's account): a group, the users the
 * partner creates for this delegation, membership for existing users, console logins, and the
 * permission to call sts:AssumeRole on the owner's role, written exactly as
 * `describePartnerSide` describes them.
 */
import { Construct } from "constructs";
import { TerraformOutput, TerraformVariable } from "cdktf";
import { RamGroup } from "../../.gen/providers/alicloud/ram-group";
import { RamGroupPolicyAttachment } from "../../.gen/providers/alicloud/ram-group-policy-attachment";
import { RamLoginProfile } from "../../.gen/providers/alicloud/ram-login-profile";
import { RamPolicy } from "../../.gen/providers/alicloud/ram-policy";
import { RamUser } from "../../.gen/providers/alicloud/ram-user";
import { RamUserGroupAttachment } from "../../.gen/providers/alicloud/ram-user-group-attachment";
import type { PartnerSideModel } from "../model/model";
import { CONSOLE_PASSWORDS_VARIABLE, consolePasswordOf } from "../names/names";
import type { PartnerSideDescription } from "../describe/sides";
import { literal } from "../terraform/literal";

export class PartnerAccess extends Construct {
  readonly side: PartnerSideModel;
  readonly description: PartnerSideDescription;
  readonly group: RamGroup;
  readonly users: readonly RamUser[];
  /** The custom sts:AssumeRole policy (scoped), if any. */
  readonly assumePolicy?: RamPolicy;
  /** The attachment of the assume policy to the group; absent when revoked. */
  readonly assumeAttachment?: RamGroupPolicyAttachment;

  constructor(scope: Construct, id: string, side: PartnerSideModel, d: PartnerSideDescription) {
    super(scope, id);
    this.side = side;
    this.description = d;

    this.group = new RamGroup(this, "group", { groupName: literal(d.group.name), comments: literal(d.group.comments) });
    this.group.overrideLogicalId(d.group.address);

    const passwords =
      d.consoleUsers.length === 0
        ? undefined
        : new TerraformVariable(this, "passwords", {
            type: "map(string)",
            sensitive: true,
            nullable: false,
            description: `Initial console passwords of ${d.consoleUsers.join(", ")}, by user name (8-32 characters; changed at first logon)`,
            validation: [
              {
                condition: `\${alltrue([for u in ${JSON.stringify(d.consoleUsers)} : contains(keys(var.${CONSOLE_PASSWORDS_VARIABLE}), u)])}`,
                errorMessage: `Set a password for each console user: ${d.consoleUsers.join(", ")}.`,
              },
            ],
          });
    passwords?.overrideLogicalId(CONSOLE_PASSWORDS_VARIABLE);

    const users = new Map(
      d.users.map((u) => {
        const user = new RamUser(this, `user-${u.name}`, {
          name: literal(u.name),
          displayName: u.displayName === undefined ? undefined : literal(u.displayName),
          comments: literal(u.comments),
        });
        user.overrideLogicalId(u.address);
        if (u.login && passwords) {
          new RamLoginProfile(this, `login-${u.name}`, {
            userName: user.name,
            password: consolePasswordOf(u.name),
            passwordResetRequired: u.login.passwordResetRequired,
            mfaBindRequired: u.login.mfaBindRequired,
          }).overrideLogicalId(u.login.address);
        }
        return [u.name, user];
      }),
    );
    this.users = [...users.values()];
    for (const m of d.members) {
      new RamUserGroupAttachment(this, `member-${m.userName}`, {
        groupName: this.group.groupName,
        // a created user is referenced, so that Terraform creates it before the membership
        userName: m.created ? users.get(m.userName)!.name : literal(m.userName),
      }).overrideLogicalId(m.address);
    }

    if (d.assume) {
      if (d.assume.policy) {
        const p = d.assume.policy;
        this.assumePolicy = new RamPolicy(this, "assume", {
          policyName: literal(p.name),
          policyDocument: literal(p.document),
          description: literal(p.description),
          rotateStrategy: p.rotateStrategy,
        });
        this.assumePolicy.overrideLogicalId(p.address);
      }
      this.assumeAttachment = new RamGroupPolicyAttachment(this, "assume-attachment", {
        groupName: this.group.groupName,
        policyName: this.assumePolicy ? this.assumePolicy.policyName : literal(d.assume.attachment.policyName),
        policyType: d.assume.attachment.policyType,
      });
      this.assumeAttachment.overrideLogicalId(d.assume.attachment.address);
    }

    // One object output, like the owner stack's: `terraform output -json delegation`.
    const o = d.output;
    new TerraformOutput(this, "delegation", {
      description:
        "What the partner's users need: the group and its members, the RoleArn and ExternalId to pass to AssumeRole " +
        "(empty when revoked or not required), how users sign in, and the console Switch Role link",
      value: {
        group_name: literal(o.groupName),
        user_names: o.userNames.map(literal),
        role_arn: literal(o.roleArn),
        external_id: literal(o.externalId),
        logon_name_format: literal(o.logonNameFormat),
        switch_role_url: literal(o.switchRoleUrl),
      },
    }).overrideLogicalId("delegation");
  }
}
