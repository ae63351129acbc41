import { TerraformStack } from "cdktf";
import type { Construct } from "constructs";
// Not re-exported from the package root; the constructor flag is the one CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS sets.
import { StackSynthesizer } from "cdktf/lib/synthesize/synthesizer";

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
   * ignores. It is added after cdktf has resolved the stack, since it holds no tokens: resolving
   * it (twice, as cdktf resolves every override) was a sixth of the synth time with a handoff in
   * every partner stack.
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
   * DESIGN.md), and every stack sets its backend explicitly, so the pass is skipped: it was a
   * quarter of the synth time with many partners.
   */
  override prepareStack(): void {
    this.ensureBackendExists();
  }
}
