/** Where the test run's temporary files go, for the test workers and every process they start. */
import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { describe, expect, it } from "vitest";

describe("the test run's temporary files", () => {
  it("go to a directory of the run's own, which the run removes when it ends", () => {
    const run = process.env.DELEGATION_TEST_TMPDIR;
    expect(run).toBeTruthy();
    expect(tmpdir()).toBe(run);
    const child = spawnSync(process.execPath, ["-e", "process.stdout.write(require('os').tmpdir())"], { encoding: "utf8" });
    expect(child.stdout).toBe(run);
  });
});
