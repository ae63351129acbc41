/** Builds the cdktf App for a delegation model: the owner stack (if the config has an owner) and one stack per partner side. */
import path from "node:path";
import { App, Aspects } from "cdktf";
import type { StatePaths } from "../constructs/account";
import { DelegationChecks } from "../stacks/checks";
import type { DelegationModel } from "../model/model";
import { OwnerStack } from "../stacks/owner-stack";
import { PartnerStack } from "../stacks/partner-stack";

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
  /** Whether the app holds the owner stack, when the model has an owner (default: yes). */
  readonly ownerStack?: boolean;
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
  const ownerModel = model.owner && options.ownerStack !== false ? { ...model, owner: model.owner } : undefined;
  const owner = ownerModel && new OwnerStack(app, ownerModel, paths);
  const partners = sides.map((s) => new PartnerStack(app, s, paths));
  const checks = new DelegationChecks({ now: options.now ?? new Date(), ...(model.owner ? { partners: model.partners } : {}) });
  for (const stack of [...(owner ? [owner] : []), ...partners]) Aspects.of(stack).add(checks);
  return { app, owner, partners, checks };
}
