/**
 * The stand-in provider's launcher (rehearsal/mirror.cjs) is a /bin/sh script holding the paths of
 * node and of the checkout: no character of the checkout's path may run as shell. The needed files
 * are copied into a directory whose name holds spaces, both quotes, `$(...)`, backticks, `${}`
 * and a backslash, and the real launcher is run there, directly and by real Terraform.
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { terraformOnPath } from "./terraform";

describe("the provider launcher in a checkout whose path holds shell syntax", () => {
  const base = mkdtempSync(path.join(tmpdir(), "launcher-"));
  afterAll(() => rmSync(base, { recursive: true, force: true }));
  const checkout = path.join(base, "a b'c\"d $(touch pwned-dollar) `touch pwned-tick` ${x} %{y} \\z; touch pwned-semi");
  mkdirSync(checkout);
  const project = path.resolve(__dirname, "..", "..");
  for (const dir of ["rehearsal", "providers"]) cpSync(path.join(project, dir), path.join(checkout, dir), { recursive: true });
  symlinkSync(path.join(project, "node_modules"), path.join(checkout, "node_modules"));
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the copied CommonJS test component
  const { installProvider } = require(path.join(checkout, "rehearsal", "mirror.cjs"));
  const cliConfig: string = installProvider(path.join(checkout, "provider"));
  const launcher = path.join(
    path.dirname(cliConfig),
    "mirror",
    "registry.terraform.io",
    "aliyun",
    "alicloud",
    "1.289.0",
    readdirSync(path.join(path.dirname(cliConfig), "mirror", "registry.terraform.io", "aliyun", "alicloud", "1.289.0"))[0],
    "terraform-provider-alicloud_v1.289.0",
  );
  const pwned = () => ["pwned-dollar", "pwned-tick", "pwned-semi"].filter((f) => existsSync(path.join(base, f)));

  it("starts the copied provider with the path as one literal word, running nothing else", () => {
    // without Terraform's cookie the provider says what it is and exits 1: node ran the copy
    const out = spawnSync(launcher, [], { cwd: base, encoding: "utf8", env: { ...process.env, TF_PLUGIN_MAGIC_COOKIE: "" } });
    expect(out.status).toBe(1);
    expect(out.stderr).toContain("the rehearsal's stand-in provider");
    expect(pwned()).toEqual([]);
  });

  it.runIf(terraformOnPath("the launcher under real Terraform"))("serves Terraform from there", () => {
    const stack = path.join(checkout, "stack");
    mkdirSync(stack);
    writeFileSync(
      path.join(stack, "main.tf.json"),
      JSON.stringify({
        terraform: { required_providers: { alicloud: { source: "aliyun/alicloud", version: "1.289.0" } } },
        resource: { alicloud_ram_group: { g: { group_name: "launcher-test" } } },
      }),
    );
    const env = {
      ...process.env,
      TF_CLI_CONFIG_FILE: cliConfig,
      TF_IN_AUTOMATION: "1",
      CHECKPOINT_DISABLE: "1",
      REHEARSAL_RAM_FILE: path.join(stack, "ram.json"),
      REHEARSAL_ACCOUNT_ID: "1000000000000001",
    };
    const tf = (...args: string[]) => spawnSync("terraform", [...args, "-no-color"], { cwd: stack, env, encoding: "utf8" });
    const init = tf("init", "-input=false");
    expect(init.status, init.stderr).toBe(0);
    const apply = tf("apply", "-input=false", "-auto-approve");
    expect(apply.status, apply.stderr).toBe(0);
    expect(apply.stdout).toContain("1 added");
    expect(pwned()).toEqual([]);
  });
});
