/** Enterprise B's stack: its users and group, and the permission to assume the owner's role. */
import type { Construct } from "constructs";
import { configureAccount, type StatePaths } from "../constructs/account";
import { PartnerAccess } from "../constructs/partner-access";
import type { PartnerModel } from "../model/model";
import { DelegationStack } from "./base";

export class PartnerStack extends DelegationStack {
  readonly partner: PartnerModel;
  readonly access: PartnerAccess;

  constructor(scope: Construct, partner: PartnerModel, paths: StatePaths) {
    super(scope, partner.stackId);
    this.partner = partner;
    configureAccount(this, partner, paths);
    // who this stack belongs to, for the review tools (not applied by Terraform)
    this.addOverride("//.delegation", {
      side: "partner",
      owner: partner.owner,
      partner: {
        name: partner.name,
        accountId: partner.accountId,
        ...(partner.accountAlias ? { accountAlias: partner.accountAlias } : {}),
        revoked: partner.revoked,
      },
    });
    this.access = new PartnerAccess(this, "access", partner);
  }
}
