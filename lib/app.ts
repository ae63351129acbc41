/** Builds the cdktf App for a delegation model: the owner stack (if the config has an owner) and one stack per partner side. */
import path from "node:path";
import { App, Aspects } from "cdktf";
import type { StatePaths } from "./constructs/account";
import { DelegationChecks } from "./stacks/checks";
import type { DelegationModel } from "./model/model";
import { OwnerStack } from "./stacks/owner-stack";
import { PartnerStack } from "./stacks/partner-stack";
import { readLiteral } from "./terraform/literal";

export interface BuildOptions {
  /** Where cdktf writes this synth. */
  readonly outdir: string;
  /**
   * Where the output will finally live (default: outdir) and the project root (default: cwd);
   * local state paths are written relative to them.
   */
  readonly statePaths?: Partial<StatePaths>;
  /** The clock for validity checks (default: now). */
  readonly now?: Date;
  /** Which partner sides get a partner stack, by index in `model.partnerSides` (default: all). */
  readonly partnerStacks?: (index: number) => boolean;
  /**
   * Whether the owner stack is complete (default) or holds only the roles of the partners in
   * `partnerStacks`, for a shard that synthesizes partner stacks only.
   */
  readonly ownerForPartnerStacksOnly?: boolean;
}

export interface DelegationApp {
  readonly app: App;
  /** The owner stack; absent for a partner-form config. */
  readonly owner?: OwnerStack;
  readonly partners: readonly PartnerStack[];
  readonly checks: DelegationChecks;
}

export function buildApp(model: DelegationModel, options: BuildOptions): DelegationApp {
  const app = new App({ outdir: options.outdir, stackTraces: false });
  const paths: StatePaths = {
    outdir: path.resolve(options.statePaths?.outdir ?? options.outdir),
    projectDir: path.resolve(options.statePaths?.projectDir ?? process.cwd()),
  };
  const include = options.partnerStacks ?? (() => true);
  const sides = model.partnerSides.filter((_, i) => include(i));
  const ownerModel = model.owner ? { ...model, owner: model.owner } : undefined;
  const shardNames = new Set(sides.map((s) => s.name));
  const owner =
    ownerModel &&
    new OwnerStack(app, ownerModel, paths, options.ownerForPartnerStacksOnly ? (name) => shardNames.has(name) : undefined);
  const partners = sides.map((s) => new PartnerStack(app, s, paths));

  const checks = new DelegationChecks({
    now: options.now ?? new Date(),
    ownerRoleOf: owner
      ? (name) => {
          const role = owner.roles.get(name)?.role;
          return (
            role && {
              accountId: owner.model.owner.accountId,
              roleName: role.roleNameInput && (readLiteral(role.roleNameInput) ?? role.roleNameInput),
            }
          );
        }
      : undefined,
  });
  for (const stack of [...(owner ? [owner] : []), ...partners]) Aspects.of(stack).add(checks);
  return { app, owner, partners, checks };
}
