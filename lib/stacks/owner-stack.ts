/** Enterprise A's stack: one delegated role (with policy and attachments) per active partner. */
import type { Construct } from "constructs";
import { configureAccount, type StatePaths } from "../constructs/account";
import { DelegatedRole } from "../constructs/delegated-role";
import type { DelegationModel } from "../model/model";
import { DelegationStack } from "./base";

export class OwnerStack extends DelegationStack {
  readonly model: DelegationModel;
  /** Delegated roles by partner name; a revoked partner has none. */
  readonly roles: ReadonlyMap<string, DelegatedRole>;

  constructor(scope: Construct, model: DelegationModel, paths: StatePaths) {
    super(scope, model.owner.stackId);
    this.model = model;
    configureAccount(this, model.owner, paths);
    this.roles = new Map(model.partners.filter((p) => !p.revoked).map((p) => [p.name, new DelegatedRole(this, p)]));
  }
}
