/**
 * Synthesizes the delegation stacks from delegation.yaml (or $DELEGATION_CONFIG) into cdktf.out
 * (or $CDKTF_OUTDIR). `npm run synth`, `npx cdktf synth` and `cdktf deploy` all run this file.
 */
import { runSynthCli } from "./lib/synth";

process.exitCode = runSynthCli();
