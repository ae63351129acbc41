import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["__tests__/**/*.test.ts"],
    globalSetup: ["__tests__/global-setup.ts"],
    testTimeout: 20_000,
    // The test files share one module graph per worker: loading cdktf and the provider bindings
    // once per worker, not once per file, is a third of the suite's time. No test leaves global
    // state behind (spies and patches are restored in finally blocks).
    isolate: false,
  },
});
