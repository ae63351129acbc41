/**
 * What cdktf 0.21.0's `App.synth()` does, done by hand for a share of an app's stacks, so that
 * several worker threads can each synthesize a block of the stacks and one manifest is written
 * for all of them (lib/synth/synth.ts). version.ts lists these overrides;
 * __tests__/cdktf-internals.test.ts proves the output equals `App.synth()` on the fixtures.
 */
import type { App, TerraformStack } from "cdktf";
import { speedOverrides } from "./stack";

/**
 * Runs `fn` with cdktf's token creation stacks switched off. cdktf captures a full stack trace
 * for every token it creates, into a plain object (it only shows them when a token cannot be
 * resolved). Capturing into real errors is left alone, so errors keep their stacks. Measured
 * together with the skipped preparing pass (stack.ts): 300 partners, 45.2-51.4 s with both,
 * 72.4-83.6 s without.
 */
export function withoutTokenCreationStacks<T>(fn: () => T): T {
  if (!speedOverrides.enabled) return fn();
  const capture = Error.captureStackTrace;
  Error.captureStackTrace = (target: object, constructorOpt?: (...args: never[]) => unknown) => {
    if (target instanceof Error) capture(target, constructorOpt);
  };
  try {
    return fn();
  } finally {
    Error.captureStackTrace = capture;
  }
}

/**
 * `App.synth()` for `stacks` of `app`, without writing the manifest: each stack is prepared,
 * then synthesized into `outdir` with a session built here (the one `App.synth()` builds), its
 * entry added to `app.manifest`; then the app is validated. Done by hand so that worker threads
 * can each synthesize a block of the stacks (1,000 partners: see the README's benchmark).
 */
export function synthesizeStacks(app: App, stacks: readonly TerraformStack[], outdir: string): void {
  const manifest = app.manifest;
  for (const stack of stacks) stack.prepareStack();
  for (const stack of stacks) stack.synthesizer.synthesize({ outdir, skipValidation: false, manifest });
  const invalid = app.node.validate();
  if (invalid.length > 0) throw new Error(`app validation failed: ${invalid.join("; ")}`);
}
