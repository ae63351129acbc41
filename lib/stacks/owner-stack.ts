/** Enterprise A's stack: one delegated role (with policy and attachments) per active partner. */
import type { Construct } from "constructs";
import { configureAccount, type StatePaths } from "../constructs/account";
import { DelegatedRole } from "../constructs/delegated-role";
import type { OwnerDelegationModel } from "../model/model";
import { describeOwnerSide } from "../describe/sides";
import { DelegationStack } from "../cdktf-internals/stack";

export class OwnerStack extends DelegationStack {
  readonly model: OwnerDelegationModel;
  /** Delegated roles by partner name; a revoked partner has none. */
  readonly roles: ReadonlyMap<string, DelegatedRole>;

  constructor(scope: Construct, model: OwnerDelegationModel, paths: StatePaths) {
    super(scope, model.owner.stackId);
    this.model = model;
    configureAccount(this, model.owner, paths);
    // who this stack belongs to, for the review tools (not applied by Terraform)
    const { name, accountId, accountAlias } = model.owner;
    this.setComment("delegation", { side: "owner", owner: { name, accountId, ...(accountAlias ? { accountAlias } : {}) } });
    this.roles = new Map(
      model.partners.flatMap((p) => {
        const d = describeOwnerSide(p);
        return d ? [[p.name, new DelegatedRole(this, p, d)] as const] : [];
      }),
    );
  }
}
