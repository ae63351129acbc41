import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { describe, expect, it, vi } from "vitest";
import { ConfigError } from "../lib/config/issues";
import { OutputError } from "../lib/synth/output";
import { CheckError, synthesize } from "../lib/synth/synth";
import { EXAMPLE_FILE, MULTI_FILE, NOW, edited, workdir, writeConfig } from "./helpers";
import { tree } from "./tree";

describe("synthesize", () => {
  it("writes the manifest, one directory per stack and one handoff per partner", async () => {
    const out = path.join(workdir(), "cdktf.out");
    const result = await synthesize({ configFile: MULTI_FILE, outdir: out, now: NOW });
    expect(result.stacks).toEqual([
      "owner",
      "partner-enterprise-b",
      "partner-enterprise-b-audit",
      "partner-enterprise-c",
      "partner-enterprise-d",
    ]);
    const partners = ["enterprise-b", "enterprise-b-audit", "enterprise-c", "enterprise-d"];
    expect(Object.keys(tree(out)).sort()).toEqual(
      [
        "manifest.json",
        ...result.stacks.map((s) => `stacks/${s}/cdk.tf.json`),
        ...partners.map((p) => `handoffs/${p}.json`),
      ].sort(),
    );
    expect(result.warnings.map((w) => w.ruleId)).toEqual(["ASSUME-SYSTEM-POLICY"]);
    expect(result.acknowledged.map((w) => [w.ruleId, w.partner])).toEqual([
      ["TRUST-PRINCIPAL-ORDER", "enterprise-b"],
      ["TRUST-ROOT-UNCONDITIONED", "enterprise-c"],
      ["TRUST-PRINCIPAL-UNKNOWN", "enterprise-b"],
      ["MFA-BLOCKS-API", "enterprise-b"],
    ]);
    expect(result.acknowledged[1].acknowledged).toBe("Read-only system policy; C's account is dedicated to this audit");
  });

  it("gives byte-identical output for the same config", async () => {
    const a = path.join(workdir(), "out");
    const b = path.join(workdir(), "out");
    await synthesize({ configFile: MULTI_FILE, outdir: a, now: NOW });
    const first = tree(a);
    await synthesize({ configFile: MULTI_FILE, outdir: a, now: NOW });
    await synthesize({ configFile: MULTI_FILE, outdir: b, now: NOW });
    expect(tree(a)).toEqual(first);
    expect(tree(b)).toEqual(first);
  });

  it("leaves the previous output untouched on bad input", async () => {
    const dir = workdir();
    const out = path.join(dir, "cdktf.out");
    await synthesize({ configFile: EXAMPLE_FILE, outdir: out, now: NOW });
    const before = tree(out);
    const bad = writeConfig(
      dir,
      edited(EXAMPLE_FILE, (c) => (c.partners[0].role.maxSessionDuration = 99)),
    );
    await expect(synthesize({ configFile: bad, outdir: out, now: NOW })).rejects.toThrow(ConfigError);
    expect(tree(out)).toEqual(before);
    expect(readdirSync(dir).sort()).toEqual(["cdktf.out", "delegation.yaml"]);
  });

  it("leaves the previous output untouched when a synth check fails", async () => {
    const dir = workdir();
    const out = path.join(dir, "cdktf.out");
    await synthesize({ configFile: MULTI_FILE, outdir: out, now: NOW });
    const before = tree(out);
    const bad = writeConfig(
      dir,
      edited(MULTI_FILE, (c) => {
        // a trust policy longer than RAM accepts: hundreds of source addresses
        c.partners[2].role.sourceIps = Array.from({ length: 600 }, (_, i) => `10.${i >> 8}.${i & 255}.1`);
      }),
    );
    let error: unknown;
    try {
      await synthesize({ configFile: bad, outdir: out, now: NOW });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CheckError);
    const [trust, guards] = (error as CheckError).message.split("\n");
    expect(trust).toMatch(
      /^partners\[2\] \(enterprise-c\): \[Role::eventbridge-readonly-c\] the trust policy of eventbridge-readonly-c is \d+ characters; at most 6144 are accepted \(list fewer principals or source IPs\) \[POLICY-SIZE\]$/,
    );
    // the addresses also hold in a deny statement for C's system policy, too long to split
    expect(guards).toMatch(
      /^partners\[2\] \(enterprise-c\): \[Policy::eventbridge-delegation-enterprise-c-1\] policy .* is \d+ characters/,
    );
    expect(tree(out)).toEqual(before);
    expect(readdirSync(dir).sort()).toEqual(["cdktf.out", "delegation.yaml"]);
  });

  it("leaves the previous output byte-identical when the file system fails at any point", async () => {
    const dir = workdir();
    const out = path.join(dir, "cdktf.out");
    await synthesize({ configFile: EXAMPLE_FILE, outdir: out, now: NOW });
    // Terraform's working files, moved into each new output: they must survive a failure too
    mkdirSync(path.join(out, "stacks", "owner", ".terraform", "providers"), { recursive: true });
    writeFileSync(path.join(out, "stacks", "owner", ".terraform", "providers", "marker"), "cached");
    writeFileSync(path.join(out, "stacks", "owner", ".terraform.lock.hcl"), "# lock");
    const before = tree(out);
    // the fs module cdktf writes through (node_modules are loaded by Node, not transformed)
    const fs = createRequire(__filename)("node:fs") as typeof import("node:fs");

    /** Runs a synth whose `call`-th call of fs[method] throws; returns how many calls there were. */
    const failing = async (method: "writeFileSync" | "renameSync", call: number) => {
      const original = fs[method] as (...args: unknown[]) => unknown;
      let calls = 0;
      const spy = vi.spyOn(fs, method).mockImplementation(((...args: unknown[]) => {
        if (++calls === call) throw new Error(`injected failure of ${method} call ${call}`);
        return original.apply(fs, args);
      }) as never);
      try {
        await synthesize({ configFile: MULTI_FILE, outdir: out, now: NOW });
      } catch (e) {
        expect((e as Error).message).toBe(`injected failure of ${method} call ${call}`);
      } finally {
        spy.mockRestore();
      }
      return calls;
    };

    for (const method of ["writeFileSync", "renameSync"] as const) {
      const fails: number[] = [];
      for (let call = 1; ; call++) {
        const calls = await failing(method, call);
        if (calls < call) {
          // the synth made fewer calls, so this one succeeded: every call has failed once
          expect(tree(out)).not.toEqual(before);
          await synthesize({ configFile: EXAMPLE_FILE, outdir: out, now: NOW });
          expect(tree(out)).toEqual(before);
          break;
        }
        fails.push(call);
        expect(tree(out), `${method} call ${call}`).toEqual(before);
        expect(readdirSync(dir), `${method} call ${call}`).toEqual(["cdktf.out"]);
      }
      expect(fails.length, method).toBeGreaterThan(method === "writeFileSync" ? 5 : 1);
    }
  });

  it("removes stacks that are no longer configured and keeps Terraform's working files", async () => {
    const out = path.join(workdir(), "cdktf.out");
    await synthesize({ configFile: MULTI_FILE, outdir: out, now: NOW });
    mkdirSync(path.join(out, "stacks", "owner", ".terraform", "providers"), { recursive: true });
    writeFileSync(path.join(out, "stacks", "owner", ".terraform", "providers", "marker"), "cached");
    writeFileSync(path.join(out, "stacks", "owner", ".terraform.lock.hcl"), "# lock");
    await synthesize({ configFile: EXAMPLE_FILE, outdir: out, now: NOW });
    expect(readdirSync(path.join(out, "stacks")).sort()).toEqual(["owner", "partner-enterprise-b"]);
    expect(readFileSync(path.join(out, "stacks", "owner", ".terraform", "providers", "marker"), "utf8")).toBe("cached");
    expect(existsSync(path.join(out, "stacks", "owner", ".terraform.lock.hcl"))).toBe(true);
  });
});

describe("the output directory", () => {
  it("is only ever a synth output: never the project, a directory around it, or one with other files", async () => {
    const dir = workdir();
    writeFileSync(path.join(dir, "notes.txt"), "keep me");
    const project = process.cwd();
    await expect(synthesize({ configFile: EXAMPLE_FILE, outdir: project, now: NOW })).rejects.toThrow(
      `${project}: the output directory would contain ${project}; set CDKTF_OUTDIR to a directory of its own`,
    );
    await expect(synthesize({ configFile: EXAMPLE_FILE, outdir: path.dirname(project), now: NOW })).rejects.toThrow(OutputError);
    await expect(synthesize({ configFile: EXAMPLE_FILE, outdir: dir, now: NOW })).rejects.toThrow(
      `${dir}: not a synth output (it holds notes.txt); the synth replaces its output directory whole, so it leaves this one alone`,
    );
    await expect(synthesize({ configFile: EXAMPLE_FILE, outdir: path.join(dir, "notes.txt"), now: NOW })).rejects.toThrow(
      "exists and is not a directory",
    );
    expect(readFileSync(path.join(dir, "notes.txt"), "utf8")).toBe("keep me");
    expect(readdirSync(dir)).toEqual(["notes.txt"]);
  });

  it("is written by one synth at a time", async () => {
    const out = path.join(workdir(), "cdktf.out");
    const lock = `${out}.lock`;
    writeFileSync(lock, String(process.ppid)); // a live process holds it
    await expect(synthesize({ configFile: EXAMPLE_FILE, outdir: out, now: NOW })).rejects.toThrow(
      `another synth (process ${process.ppid}) is writing it`,
    );
    writeFileSync(lock, "999999999"); // left behind by a synth that died
    await synthesize({ configFile: EXAMPLE_FILE, outdir: out, now: NOW });
    expect(existsSync(lock)).toBe(false);
  });
});

describe("acknowledgements", () => {
  it("appear in the stack output and the manifest, with their reason", async () => {
    const out = path.join(workdir(), "out");
    await synthesize({ configFile: MULTI_FILE, outdir: out, now: NOW });
    const stack = (id: string) => JSON.parse(readFileSync(path.join(out, "stacks", id, "cdk.tf.json"), "utf8"));
    const owner = stack("owner");
    expect(owner["//"].findings.map((a: { rule: string }) => a.rule)).toEqual([
      "TRUST-PRINCIPAL-ORDER",
      "TRUST-ROOT-UNCONDITIONED",
    ]);
    expect(owner["//"].findings[1]).toEqual({
      rule: "TRUST-ROOT-UNCONDITIONED",
      partner: "enterprise-c",
      acknowledged: "Read-only system policy; C's account is dedicated to this audit",
      message:
        "[Principal::acs:ram::3000000000000003:root] the role trusts the whole partner account with neither externalId, requireMfa nor sourceIps",
    });
    // the partner side's warnings are in its own stack, acknowledged by the same config entry
    expect(stack("partner-enterprise-b")["//"].findings.map((a: { rule: string }) => a.rule)).toEqual([
      "TRUST-PRINCIPAL-UNKNOWN",
      "MFA-BLOCKS-API",
    ]);
    // an open warning is listed too, without a reason
    expect(stack("partner-enterprise-b-audit")["//"].findings).toEqual([
      expect.objectContaining({ rule: "ASSUME-SYSTEM-POLICY", partner: "enterprise-b-audit" }),
    ]);
    expect(stack("partner-enterprise-b-audit")["//"].findings[0].acknowledged).toBeUndefined();
    const manifest = JSON.parse(readFileSync(path.join(out, "manifest.json"), "utf8"));
    expect(manifest.stacks.owner.annotations[1]).toEqual({
      constructPath: "owner/enterprise-c",
      level: "@cdktf/info",
      message:
        "TRUST-ROOT-UNCONDITIONED: [Principal::acs:ram::3000000000000003:root] the role trusts the whole partner account with neither externalId, requireMfa nor sourceIps (acknowledged: Read-only system policy; C's account is dedicated to this audit)",
    });
    expect(manifest.stacks.owner.annotations.map((a: { level: string }) => a.level)).toEqual(Array(2).fill("@cdktf/info"));
  });

  it("only silence the rule they name, for the partner that names it", async () => {
    const dir = workdir();
    const file = writeConfig(
      dir,
      edited(MULTI_FILE, (c) => {
        c.partners[1].acknowledge = [{ rule: "TRUST-ROOT-UNCONDITIONED", reason: "not the rule that fires here" }];
      }),
    );
    const result = await synthesize({ configFile: file, outdir: path.join(dir, "out"), now: NOW });
    expect(result.warnings.map((w) => [w.ruleId, w.configPath])).toEqual([
      ["ASSUME-SYSTEM-POLICY", "partners[1]"],
      ["ACK-UNUSED", "partners[1].acknowledge"],
    ]);
    expect(result.warnings[1].message).toBe(
      "[Acknowledge::TRUST-ROOT-UNCONDITIONED] TRUST-ROOT-UNCONDITIONED found nothing for this partner; remove the acknowledgement so that it cannot hide a later finding",
    );
  });
});

describe("secrets", () => {
  it("the config has no place for a password", () => {
    const dir = workdir();
    const file = writeConfig(
      dir,
      edited(EXAMPLE_FILE, (c) => (c.partners[0].partnerSide.users[1].password = "Sup3r-Secret")),
    );
    return expect(synthesize({ configFile: file, outdir: path.join(dir, "out") })).rejects.toThrow(
      /partners\[0\]\.partnerSide\.users\[1\]\.password: unknown key/,
    );
  });
});

describe("the synth command (run contract)", () => {
  it("copies the provider lock file committed at the project's root into every stack", async () => {
    const dir = workdir();
    const lock = path.join(dir, ".terraform.lock.hcl");
    writeFileSync(lock, '# committed\nprovider "registry.terraform.io/aliyun/alicloud" {}\n');
    const out = path.join(dir, "out");
    mkdirSync(path.join(out, "stacks", "owner"), { recursive: true });
    writeFileSync(path.join(out, "stacks", "owner", ".terraform.lock.hcl"), "# the previous one\n");
    await synthesize({ configFile: EXAMPLE_FILE, outdir: out, now: NOW, lockFile: lock });
    for (const stack of ["owner", "partner-enterprise-b"])
      expect(readFileSync(path.join(out, "stacks", stack, ".terraform.lock.hcl"), "utf8")).toBe(readFileSync(lock, "utf8"));
  });
});
