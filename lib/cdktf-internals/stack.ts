/**
 * The stack class every delegation stack extends, with the overrides of cdktf 0.21.0's stack
 * synthesis (version.ts lists them all; __tests__/cdktf-internals.test.ts proves the output equals
 * cdktf's own `App.synth()` on the fixtures).
 */
import { TerraformStack } from "cdktf";
import type { Construct } from "constructs";
// Not re-exported from the package root; the constructor flag is the one CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS sets.
import { StackSynthesizer } from "cdktf/lib/synthesize/synthesizer";

/**
 * The overrides that only make the synth faster (the skipped preparing pass, the token creation
 * stacks switched off). The tests that compare the output with cdktf's own `App.synth()` turn
 * them off; nothing else does.
 */
export const speedOverrides = { enabled: true };

/**
 * A stack whose synthesis never throws on error annotations: the synth runner collects every
 * finding of every stack first, reports them together and then decides, so a failing check
 * never leaves half of the stacks written.
 */
export class DelegationStack extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.synthesizer = new StackSynthesizer(this, true);
  }

  /** Entries of this stack's `"//"` object, in the order they were first set. */
  private readonly comments = new Map<string, unknown>();

  /**
   * Sets `"//".<key>` of the synthesized stack: plain JSON for the review tools, which Terraform
   * ignores. It is added after cdktf has resolved the stack (the `toTerraform` override below),
   * since it holds no tokens. cdktf's own way, `addOverride`, would resolve it twice, as every
   * override, and list it under `//.metadata.overrides`. Measured with 300 partners on a loaded
   * 2-core machine: no difference beyond the noise (46.6 s and 41.6 s with `addOverride`, 50.9 s
   * and 45.2 s without); it stays for its output: comments without override metadata.
   */
  setComment(key: string, value: unknown): void {
    this.comments.set(key, value);
  }

  override toTerraform(): Record<string, unknown> {
    const tf = super.toTerraform() as Record<string, unknown>;
    tf["//"] = { ...(tf["//"] as object), ...Object.fromEntries(this.comments) };
    return tf;
  }

  /**
   * cdktf's preparing pass resolves every element once more, only to discover references
   * between stacks. Ours never reference each other (both sides derive from the config, see
   * docs/ARCHITECTURE.md), and every stack sets its backend explicitly, so the pass is skipped.
   * Measured together with the token creation stacks (synth.ts), 300 partners on one thread of a
   * loaded 2-core machine: 45.2-51.4 s with both, 72.4-83.6 s without (about a third less).
   */
  override prepareStack(): void {
    if (speedOverrides.enabled) this.ensureBackendExists();
    else super.prepareStack();
  }
}
