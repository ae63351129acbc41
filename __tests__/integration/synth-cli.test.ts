/** The synth command as a whole process (the run contract): output, exit codes, one line per problem, no secret in its logs. */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { synthLine } from "../../lib/synth/synth";
import { EXAMPLE_FILE, MULTI_FILE, edited, workdir, writeConfig } from "../helpers";
import { tree } from "../tree";
import { twoCompanies } from "../two-companies";
import { runSynth as run } from "./cli";

describe("secrets", () => {
  it("console passwords reach neither the synth output nor its logs", () => {
    const dir = workdir();
    const password = "Sup3r-Secret-Passw0rd!";
    const result = run(dir, {
      DELEGATION_CONFIG: MULTI_FILE,
      TF_VAR_console_passwords: JSON.stringify({ alice: password, "bob.smith": password }),
    });
    expect(result.status).toBe(0);
    expect(`${result.stdout}${result.stderr}`).not.toContain(password);
    const files = Object.keys(tree(path.join(dir, "cdktf.out")));
    for (const f of files) expect(readFileSync(path.join(dir, "cdktf.out", f), "utf8")).not.toContain(password);
    const partner = JSON.parse(
      readFileSync(path.join(dir, "cdktf.out", "stacks", "partner-enterprise-b", "cdk.tf.json"), "utf8"),
    );
    expect(partner.variable.console_passwords.sensitive).toBe(true);
  });
});

describe("the synth command (run contract)", () => {
  it("synthesizes the config into CDKTF_OUTDIR and exits 0", () => {
    const dir = workdir();
    const result = run(dir, { DELEGATION_CONFIG: EXAMPLE_FILE, CDKTF_OUTDIR: path.join(dir, "out") });
    expect(result.stderr).toBe("");
    expect(result.stdout).toBe("synthesized owner, partner-enterprise-b into out; handoffs: out/handoffs/enterprise-b.json\n");
    expect(result.status).toBe(0);
    expect(
      JSON.parse(readFileSync(path.join(dir, "out", "stacks", "owner", "cdk.tf.json"), "utf8")).terraform.backend.local.path,
    ).toBe("../../../terraform.owner.tfstate");
  });

  it("exits 1 with one line per problem, no stack trace, and the output untouched", () => {
    const dir = workdir();
    const out = path.join(dir, "cdktf.out");
    expect(run(dir, { DELEGATION_CONFIG: EXAMPLE_FILE }).status).toBe(0);
    const before = tree(out);
    const bad = writeConfig(
      dir,
      edited(EXAMPLE_FILE, (c) => {
        c.partners[0].role.maxSessionDuration = 99;
        c.partners[0].grants[0].permissions = ["pubish"];
      }),
      "bad.yaml",
    );
    const result = run(dir, { DELEGATION_CONFIG: bad });
    expect(result.status).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr.trimEnd().split("\n")).toEqual([
      `${bad}: 2 problems; nothing was written`,
      "partners[0].role.maxSessionDuration: must be between 3600 and 43200, got 99",
      'partners[0].grants[0].permissions[0]: must be one of publish, read, manage-rules, got "pubish" (did you mean "publish"?)',
    ]);
    expect(tree(out)).toEqual(before);
  });

  it("exits 1 with one line when the output cannot be written", () => {
    const dir = workdir();
    writeFileSync(path.join(dir, "a-file"), "");
    const result = run(dir, { DELEGATION_CONFIG: EXAMPLE_FILE, CDKTF_OUTDIR: path.join(dir, "a-file", "out") });
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split("\n")).toEqual([
      `cannot write the synth output: EEXIST: file already exists, mkdir '${path.join(dir, "a-file")}'`,
    ]);
  });

  it("names the owner's handoffs, and says so when a partner config has nothing to synthesize yet", () => {
    expect(synthLine({ stacks: ["owner"], handoffs: ["b", "c"], form: "owner" }, "cdktf.out")).toBe(
      "synthesized owner into cdktf.out; send each partner its handoff: cdktf.out/handoffs/b.json, cdktf.out/handoffs/c.json",
    );
    expect(synthLine({ stacks: ["owner"], handoffs: ["a", "b", "c", "d"], form: "owner" }, "out")).toBe(
      "synthesized owner into out; send each partner its handoff: 4 files in out/handoffs/",
    );
    expect(synthLine({ stacks: ["partner-x"], handoffs: [], form: "partner" }, "out")).toBe("synthesized partner-x into out");
    const dir = workdir();
    const file = writeConfig(dir, {
      partner: { name: "b", accountId: "2000000000000002", region: "cn-hangzhou" },
      delegations: [],
    });
    const result = run(dir, { DELEGATION_CONFIG: file, CDKTF_OUTDIR: path.join(dir, "out") });
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(
      "nothing to synthesize: the config has no delegations yet (add one for each handoff an owner sends); out holds no stack\n",
    );
  });

  it("exits 1 when the config file is missing", () => {
    const dir = workdir();
    const result = run(dir, {});
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("delegation.yaml: file not found (set DELEGATION_CONFIG to use another file)");
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(path.join(dir, "cdktf.out"))).toBe(false);
  });
});

describe("the synth command in the partner's repository", () => {
  const { bRepo, tampered } = twoCompanies("synth-cli-two-companies-");

  it("exits 1 with one line naming the field, and leaves the previous output as it was", () => {
    const config = bRepo();
    const dir = path.dirname(config);
    const synth = () => run(dir, { DELEGATION_CONFIG: "delegation.yaml", CDKTF_OUTDIR: "" });
    expect(synth().status).toBe(0);
    const before = tree(path.join(dir, "cdktf.out"));
    writeFileSync(
      path.join(dir, "handoffs", "northwind.json"),
      tampered((h) => (h.partner.accountId = "8877665544332299")),
    );
    const out = synth();
    expect(out.status).toBe(1);
    expect(out.stderr.trim().split("\n")).toEqual([
      "delegation.yaml: 1 problem; nothing was written",
      expect.stringMatching(/^delegations\[0\]\.handoff: handoffs\/northwind\.json: digest: does not match the content/),
    ]);
    expect(tree(path.join(dir, "cdktf.out"))).toEqual(before);
  });
});
