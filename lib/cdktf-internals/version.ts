/**
 * The cdktf version the overrides in this folder were written against, and what each relies on.
 * They reach into cdktf's synthesis beyond its documented API, so a cdktf upgrade re-checks each
 * (__tests__/cdktf-internals.test.ts fails, naming them, when the installed version differs).
 */
export const CDKTF_VERSION = "0.21.0";

/** Each override: where it is, and what in cdktf it depends on. */
export const CDKTF_OVERRIDES: readonly string[] = [
  "lib/cdktf-internals/stack.ts DelegationStack constructor: `new StackSynthesizer(stack, true)` from the deep import cdktf/lib/synthesize/synthesizer (its second argument continues past error annotations)",
  "lib/cdktf-internals/stack.ts DelegationStack.prepareStack: skips TerraformStack.prepareStack's resolving pass, keeps ensureBackendExists()",
  "lib/cdktf-internals/stack.ts DelegationStack.toTerraform: adds the `//` comments after TerraformStack.toTerraform() has resolved the stack",
  "lib/cdktf-internals/synth.ts synthesizeStacks: App.synth()'s steps by hand (prepareStack, synthesizer.synthesize with a session { outdir, skipValidation, manifest }, node.validate), the manifest written by lib/synth/synth.ts",
  "lib/cdktf-internals/synth.ts withoutTokenCreationStacks: replaces Error.captureStackTrace for non-Error targets while cdktf creates tokens",
];
