/**
 * The whole delegation model of a config: the model's parts (lib/model/build.ts) and, for an
 * owner, the handoff of each partner, computed once here: the synth writes them to handoffs/ and,
 * in the single-file form, the partner stacks are built from them.
 */
import { configFile, loadAnyConfig, type LoadedConfig } from "../config/load";
import { ConfigError } from "../config/issues";
import type { DelegationConfig } from "../config/schema";
import { nameCollisions } from "../model/collisions";
import { buildPartnerModel, deepFreeze, ownerModel, partnerModel, singleFileSides } from "../model/build";
import type { DelegationModel, OwnerDelegationModel } from "../model/model";
import { handoffOf } from "./handoff";

/** Derives the frozen model from a validated owner-form (or single-file) config. */
export function buildModel(config: DelegationConfig): OwnerDelegationModel {
  const owner = ownerModel(config.owner);
  const partners = config.partners.map((p, i) => partnerModel(owner, p, i));
  const handoffs = partners.map(handoffOf);
  return deepFreeze({ owner, partners, handoffs, partnerSides: singleFileSides(config, owner, partners, handoffs) });
}

/** The model of a loaded config, whichever its form. */
export function modelOf(loaded: LoadedConfig, file?: string): DelegationModel {
  const model = loaded.form === "owner" ? buildModel(loaded.config) : buildPartnerModel(loaded.config, loaded.handoffs);
  // every RAM name the stacks create, once per account (the derived ones are only known now)
  const collisions = nameCollisions(model);
  if (collisions.length > 0) throw new ConfigError(collisions, file);
  return model;
}

/** Reads a config of either form and derives its model (default: `$DELEGATION_CONFIG` or `delegation.yaml`). */
export function loadModel(file: string = configFile()): DelegationModel {
  return modelOf(loadAnyConfig(file), file);
}
