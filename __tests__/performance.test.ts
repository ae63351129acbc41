/**
 * The mechanisms behind fast synth (not their speed: `npm run bench` measures that): how sharded
 * synthesis splits the partners. That worker threads give the same bytes as one thread, and that
 * the bundled synth command never runs stale code: integration/synth-bundle.test.ts.
 */
import { describe, expect, it } from "vitest";
import { shardOf } from "../lib/synth/shard";

describe("sharding", () => {
  it("splits partners into contiguous blocks, the owner's shard taking fewer", () => {
    const shards = Array.from({ length: 1000 }, (_, i) => shardOf(i, 1000, 2));
    expect(shards).toEqual([...shards].sort());
    const first = shards.filter((s) => s === 0).length;
    expect(first).toBeGreaterThan(300);
    expect(first).toBeLessThan(500);
    expect(new Set(Array.from({ length: 10 }, (_, i) => shardOf(i, 10, 4)))).toEqual(new Set([0, 1, 2, 3]));
    expect(shardOf(0, 1, 1)).toBe(0);
  });
});
