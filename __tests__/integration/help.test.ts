/** `help` as the shell runs it: executable, and it prints itself. */
import { spawnSync } from "node:child_process";
import { statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers";

describe("documentation stays in step with the code", () => {
  it("help is executable and prints itself", () => {
    expect(statSync(path.join(ROOT, "help")).mode & 0o111).toBe(0o111);
    const out = spawnSync(path.join(ROOT, "help"), { encoding: "utf8" });
    expect(out.status).toBe(0);
    expect(out.stdout).toContain("npm ci && npm run synth");
    expect(out.stdout).not.toContain("exec sed");
  });
});
