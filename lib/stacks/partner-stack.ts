/** Enterprise B's stack: its users and group, and the permission to assume the owner's role. */
import type { Construct } from "constructs";
import { configureAccount, type StatePaths } from "../constructs/account";
import { PartnerAccess } from "../constructs/partner-access";
import type { PartnerSideModel } from "../model/model";
import { describePartnerSide } from "../describe/sides";
import { DelegationStack } from "../cdktf-internals/stack";

export class PartnerStack extends DelegationStack {
  readonly side: PartnerSideModel;
  readonly access: PartnerAccess;

  constructor(scope: Construct, side: PartnerSideModel, paths: StatePaths) {
    super(scope, side.stackId);
    this.side = side;
    configureAccount(this, side, paths);
    // who this stack belongs to, and the handoff it is built from, for the review tools (not
    // applied by Terraform): the report and access-diff read what the role may do from it
    const h = side.handoff;
    this.setComment("delegation", {
      side: "partner",
      owner: h.owner,
      partner: {
        name: side.name,
        accountId: side.accountId,
        ...(side.accountAlias ? { accountAlias: side.accountAlias } : {}),
        revoked: h.revoked,
      },
      handoff: h,
    });
    this.access = new PartnerAccess(this, "access", side, describePartnerSide(side));
  }
}
