/**
 * Config text reaches Terraform as text, never as an expression: where a terraform binary is
 * present, Terraform itself evaluates the escaped text to exactly the text the config holds.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { literal } from "../../lib/terraform/literal";
import { hostile } from "../hostile-text";

const terraform = spawnSync("terraform", ["version"], { encoding: "utf8" }).status === 0;
if (!terraform) console.log("skipped: Terraform's own evaluation of escaped text (no terraform binary on PATH)");

describe.runIf(terraform)("Terraform itself", () => {
  it("evaluates escaped text to exactly the original", () => {
    const samples = [
      hostile.description,
      hostile.displayName,
      hostile.tagValue,
      "$$${x}",
      "%%%{x}",
      "a$$b$",
      "trailing $",
      "trailing %",
      "{${}}",
      "$",
      "${",
    ];
    const dir = mkdtempSync(path.join(tmpdir(), "literal-tf-"));
    try {
      const values = Object.fromEntries(samples.map((s, i) => [`v${i}`, literal(s)]));
      const keys = Object.fromEntries(samples.map((s, i) => [literal(s), `k${i}`]));
      writeFileSync(
        path.join(dir, "main.tf.json"),
        JSON.stringify({ output: { values: { value: values }, keys: { value: keys } } }),
      );
      const env: NodeJS.ProcessEnv = { ...process.env, TF_IN_AUTOMATION: "1", CHECKPOINT_DISABLE: "1" };
      delete env.TF_CLI_CONFIG_FILE;
      const run = (...args: string[]) => spawnSync("terraform", args, { cwd: dir, env, encoding: "utf8" });
      expect(run("init", "-input=false").status).toBe(0);
      expect(run("apply", "-auto-approve", "-input=false").status).toBe(0);
      const out = JSON.parse(run("output", "-json").stdout);
      expect(samples.map((_, i) => out.values.value[`v${i}`])).toEqual(samples);
      expect(Object.keys(out.keys.value).sort()).toEqual([...samples].sort());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
