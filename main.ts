/**
 * Synthesizes the delegation stacks from delegation.yaml (or $DELEGATION_CONFIG) into cdktf.out
 * (or $CDKTF_OUTDIR). `npm run synth`, `npx cdktf synth` and `cdktf deploy` all run this file
 * through scripts/synth.cjs, which is also where worker threads start for large configs.
 */
import { isMainThread } from "node:worker_threads";
import { runShardWorker, runSynthCli } from "./lib/synth/synth";

if (isMainThread) {
  const entry = process.argv[1];
  const workerEntry = entry && /\.c?js$/.test(entry) ? entry : undefined;
  runSynthCli({ workerEntry }).then((code) => {
    process.exitCode = code;
  });
} else {
  runShardWorker();
}
