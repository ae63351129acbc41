import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    testTimeout: 20_000,
    // Vitest's default (one worker fewer than the cores) is a single worker on a 2-core machine,
    // where much of the suite waits on child processes; two workers keep both cores busy
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // every run gets a temporary directory of its own, removed when it ends
    globalSetup: ["__tests__/global-setup.ts"],
    // The test files share one module graph per worker: loading cdktf and the provider bindings
    // once per worker, not once per file, is a third of the suite's time. No test leaves global
    // state behind (spies and patches are restored in finally blocks).
    isolate: false,
    projects: [
      // unit, snapshot and property tests: quick, in-process
      { extends: true, test: { name: "unit", include: ["__tests__/*.test.ts"] } },
      // whole processes (every command run as npm runs it, the synth killed at every step, a fresh
      // clone running the README's recipe) and, where a terraform binary is present, real Terraform
      { extends: true, test: { name: "integration", include: ["__tests__/integration/**/*.test.ts"], testTimeout: 300_000 } },
      // the company's own: the policies its delegation.yaml synthesizes, snapshotted under policies/
      // (npm run snapshots updates them); every other test uses the product's own fixtures
      { extends: true, test: { name: "company", include: ["__tests__/company/**/*.test.ts"] } },
    ],
  },
});
