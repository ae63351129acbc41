/**
 * The cdktf CLI as a company runs it (`npm run cdktf -- deploy <stack>`), in a project of its own
 * whose cdktf.json runs this checkout's synth: a deploy through the stand-in provider's
 * filesystem mirror, for an owner and a partner stack, with the provider lock file committed at
 * the project's root; commands after the set of stacks changed; warnings printed once.
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { EXAMPLE_FILE, MULTI_FILE, ROOT } from "../helpers";
import { terraformOnPath } from "./terraform";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { installProvider } = require("../../rehearsal/mirror.cjs") as { installProvider(dir: string): string };

const dir = mkdtempSync(path.join(tmpdir(), "cdktf-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const CDKTF = path.join(ROOT, "node_modules", ".bin", "cdktf");
const EXAMPLES = path.join(ROOT, "examples", "two-companies");

/** A company's project: cdktf.json (its app this checkout's synth) and the given config. */
function project(name: string, config: string, extra: Record<string, string> = {}) {
  const home = path.join(dir, name);
  mkdirSync(home, { recursive: true });
  const cdktf = JSON.parse(readFileSync(path.join(ROOT, "cdktf.json"), "utf8"));
  writeFileSync(
    path.join(home, "cdktf.json"),
    JSON.stringify({
      ...cdktf,
      app: `node ${JSON.stringify(path.join(ROOT, "scripts", "synth.cjs"))}`,
      codeMakerOutput: path.join(ROOT, ".gen"),
    }),
  );
  cpSync(config, path.join(home, "delegation.yaml"));
  for (const [to, from] of Object.entries(extra)) cpSync(from, path.join(home, to), { recursive: true });
  const cli = (args: string[], env: NodeJS.ProcessEnv = {}) =>
    spawnSync(CDKTF, args, {
      cwd: home,
      encoding: "utf8",
      env: {
        ...process.env,
        CHECKPOINT_DISABLE: "1",
        CI: "1",
        DELEGATION_CONFIG: "",
        CDKTF_OUTDIR: "",
        TF_CLI_CONFIG_FILE: "",
        ...env,
      },
    });
  return { home, cli };
}

describe("npm run cdktf -- synth", () => {
  it("works the first time after the set of stacks changed, and prints each warning once, as the CLI's warning", () => {
    const p = project("stale", MULTI_FILE, { "one.yaml": EXAMPLE_FILE });
    const five = p.cli(["synth"]);
    expect(five.status, five.stdout + five.stderr).toBe(0);
    // the fixture's ASSUME-SYSTEM-POLICY warning: the CLI's own annotation line, once; never as an error
    const warnings = `${five.stdout}${five.stderr}`.split("\n").filter((l) => l.includes("[Policy::AliyunSTSAssumeRoleAccess]"));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^WARN \[partner-enterprise-b-audit\/access\]: ASSUME-SYSTEM-POLICY/);
    expect(five.stdout + five.stderr).not.toContain("[ERROR]");

    const two = p.cli(["synth"], { DELEGATION_CONFIG: "one.yaml" });
    expect(two.status, two.stdout + two.stderr).toBe(0);
    expect(two.stdout + two.stderr).not.toContain("ENOENT");
    expect(existsSync(path.join(p.home, "cdktf.out", "stacks", "partner-enterprise-b-audit"))).toBe(false);
    expect(existsSync(path.join(p.home, "cdktf.out", "stacks", "owner", "cdk.tf.json"))).toBe(true);
  });
});

describe.runIf(terraformOnPath("cdktf deploy through the CLI"))("npm run cdktf -- deploy, through a provider mirror", () => {
  const mirror = installProvider(path.join(dir, "provider"));
  const ram = path.join(dir, "ram");
  mkdirSync(ram);

  /** The README's recipe: first deploy with --skip-provider-lock, commit its lock file, deploy again from a fresh clone. */
  function deployTwice(name: string, config: string, stack: string, account: string, extra: Record<string, string> = {}) {
    const p = project(name, config, extra);
    const env = {
      TF_CLI_CONFIG_FILE: mirror,
      REHEARSAL_RAM_FILE: path.join(ram, `${account}.json`),
      REHEARSAL_ACCOUNT_ID: account,
      TF_VAR_console_passwords: JSON.stringify({ dana: "Initial-Passw0rd" }),
    };
    const first = p.cli(["deploy", stack, "--auto-approve", "--skip-provider-lock"], env);
    expect(first.status, first.stdout + first.stderr).toBe(0);
    const lock = path.join(p.home, "cdktf.out", "stacks", stack, ".terraform.lock.hcl");
    expect(readFileSync(lock, "utf8")).toContain('provider "registry.terraform.io/aliyun/alicloud"');
    // committed at the root; a fresh clone has no cdktf.out
    cpSync(lock, path.join(p.home, ".terraform.lock.hcl"));
    rmSync(path.join(p.home, "cdktf.out"), { recursive: true, force: true });
    rmSync(path.join(p.home, ".terraform"), { recursive: true, force: true });
    // without --skip-provider-lock: the committed lock file is where init reads it, so the CLI
    // does not run `terraform providers lock` (which would need the registry)
    const again = p.cli(["deploy", stack, "--auto-approve"], env);
    expect(again.status, again.stdout + again.stderr).toBe(0);
    expect(again.stdout).not.toMatch(/Could not retrieve providers for locking/);
    expect(readFileSync(lock, "utf8")).toBe(readFileSync(path.join(p.home, ".terraform.lock.hcl"), "utf8"));
    expect(existsSync(path.join(p.home, `terraform.${stack}.tfstate`))).toBe(true);
    return { p, env, again };
  }

  it("deploys the owner stack, then again from the committed lock file without reaching the registry", () => {
    const { again } = deployTwice("owner", path.join(EXAMPLES, "enterprise-a", "delegation.yaml"), "owner", "1122334455667788");
    expect(again.stdout).toMatch(/No changes|0 added, 0 changed, 0 destroyed/);
  });

  it("deploys a partner stack from its handoff the same way", () => {
    const b = path.join(EXAMPLES, "enterprise-b");
    deployTwice("partner", path.join(b, "delegation.yaml"), "partner-contoso-logistics", "8877665544332211", {
      handoffs: path.join(b, "handoffs"),
    });
  });
});
