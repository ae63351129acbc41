import { TerraformStack } from "cdktf";
// Not re-exported from the package root; the constructor flag is the one CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS sets.
import { StackSynthesizer } from "cdktf/lib/synthesize/synthesizer";
import type { Construct } from "constructs";

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
}
