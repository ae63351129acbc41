/**
 * Synthesizes a share of the stacks into a staging directory: the owner stack (if any) in shard 0
 * and a block of the partner stacks. One shard is the whole app; with many partners the runner
 * synthesizes several shards at once on worker threads, each into its own stack directories,
 * and writes one manifest for all of them. A stack's output does not depend on the shard that
 * wrote it. Each shard also writes the handoffs of its block of the owner's partners.
 */
import fs from "node:fs";
import path from "node:path";
import type { StackManifest } from "cdktf";
import { synthesizeStacks, withoutTokenCreationStacks } from "../cdktf-internals/synth";
import { buildApp, type DelegationApp } from "./app";
import { renderHandoff } from "../handoff/handoff";
import type { DelegationModel } from "../model/model";
import type { Finding } from "../rules/rule";

export interface ShardTask {
  readonly model: DelegationModel;
  /** The staging directory; its `stacks/` folder (and `handoffs/`, when the model has partners) must exist. */
  readonly outdir: string;
  /** Where the output will finally live (for relative state paths). */
  readonly finalOutdir: string;
  readonly now: Date;
  readonly shard: number;
  readonly shards: number;
}

export interface ShardResult {
  readonly built: DelegationApp;
  /** Manifest entries of the stacks this shard wrote, in stack order. */
  readonly stacks: readonly StackManifest[];
  /** Findings with the position of their stack: 0 = owner, i + 1 = partners[i]. */
  readonly findings: readonly (Finding & { readonly order: number })[];
}

/**
 * Shard 0 also synthesizes the owner stack, which holds a few resources per partner, so it
 * takes a smaller share of the partner stacks (measured: the owner stack costs about a third
 * of the partner stacks' time).
 */
const OWNER_SHARD_WEIGHT = 1 / 2;

/** The shard that synthesizes partners[index]: contiguous blocks, sized by weight. */
export function shardOf(index: number, partners: number, shards: number): number {
  const total = OWNER_SHARD_WEIGHT + shards - 1;
  const position = ((index + 0.5) / partners) * total;
  return position < OWNER_SHARD_WEIGHT ? 0 : Math.min(shards - 1, 1 + Math.floor(position - OWNER_SHARD_WEIGHT));
}

/** What `App.synth()` does, for this shard's stacks, without writing the manifest. */
export function synthShard(task: ShardTask): ShardResult {
  return withoutTokenCreationStacks(() => {
    const mine = (i: number) => shardOf(i, task.model.partnerSides.length, task.shards) === task.shard;
    const built = buildApp(task.model, {
      outdir: task.outdir,
      statePaths: { outdir: task.finalOutdir },
      now: task.now,
      partnerStacks: mine,
      // the owner stack is shard 0's; the checks of the others need none of it
      ownerStack: task.shard === 0,
    });
    const stacks = [...(built.owner ? [built.owner] : []), ...built.partners];
    synthesizeStacks(built.app, stacks, task.outdir);
    const manifest = built.app.manifest;

    // the file each partner gets from the owner: every partner, revoked ones too
    task.model.handoffs.forEach((h, i) => {
      if (shardOf(i, task.model.handoffs.length, task.shards) === task.shard)
        fs.writeFileSync(path.join(task.outdir, "handoffs", `${h.partner.name}.json`), renderHandoff(h));
    });

    // findings in config order: the owner stack's first, then each partner side's
    const order = new Map<string, number>(task.model.partnerSides.map((s, i): [string, number] => [s.stackId, i + 1]));
    return {
      built,
      stacks: stacks.map((s) => manifest.stacks[s.node.id]),
      findings: built.checks.findings.map((f) => ({ ...f, order: order.get(f.constructPath.split("/")[0]) ?? 0 })),
    };
  });
}
