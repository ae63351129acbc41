/** npm run access-diff as a whole process: exit codes, Markdown and JSON, and output directories it must not leave. */
import { cpSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { shortDigest } from "../../lib/handoff/handoff";
import { readHandoff } from "../../lib/handoff/read";
import { MULTI_FILE, edited } from "../helpers";
import { outputs } from "../outputs";
import { launch } from "./cli";

const { work, synth } = outputs("access-diff-cli-");
let multi: string;
beforeAll(async () => {
  multi = await synth(MULTI_FILE, "multi");
});

describe("access-diff, run as a process", () => {
  it("never reads outside an output directory, whatever its manifest says", async () => {
    const hostile = await synth(MULTI_FILE, "hostile-manifest");
    const manifestFile = path.join(hostile, "manifest.json");
    const manifest = JSON.parse(readFileSync(manifestFile, "utf8"));
    const cli = (command: string, ...args: string[]) => launch(command, args, { cwd: work });
    const secret = path.join(work, "secret.json");
    writeFileSync(
      secret,
      JSON.stringify({ resource: {}, "//": { delegation: { side: "owner", owner: { name: "x", accountId: "1" } } } }),
    );
    for (const [stackPath, why] of [
      ["../../../../etc/passwd", "leaves the output directory"],
      [secret, "must be a relative path inside"],
      ["../secret.json", "leaves the output directory"],
      ["stacks/../../secret.json", "leaves the output directory"],
    ]) {
      manifest.stacks.owner.synthesizedStackPath = stackPath;
      writeFileSync(manifestFile, JSON.stringify(manifest));
      for (const out of [cli("access-diff", multi, hostile), cli("report", "--outdir", hostile)]) {
        expect(out.status, stackPath).toBe(3);
        expect(out.stderr).toContain(why);
        expect(out.stdout).not.toContain("root:");
      }
    }
    // a link inside the directory that points outside is refused too
    symlinkSync(secret, path.join(hostile, "stacks", "owner", "link.json"));
    manifest.stacks.owner.synthesizedStackPath = "stacks/owner/link.json";
    writeFileSync(manifestFile, JSON.stringify(manifest));
    expect(cli("report", "--outdir", hostile).stderr).toContain("leaves the output directory");
  });

  it("npm run access-diff exits 2 on broadening, 0 otherwise, with deterministic Markdown and JSON", async () => {
    const head = await synth(
      edited(MULTI_FILE, (c) => delete c.partners[1].role.externalId),
      "cli-head",
    );
    const run = (...args: string[]) => launch("access-diff", args, { cwd: work });
    const broad = run(multi, head);
    expect(broad.status).toBe(2);
    const digest = (dir: string) => shortDigest(readHandoff(path.join(dir, "handoffs", "enterprise-b-audit.json")).digest);
    expect(digest(multi)).not.toBe(digest(head));
    expect(broad.stdout).toBe(
      [
        "# Access changes",
        "",
        `1 broadening, 0 narrowing, 1 other (from <code>${multi}</code> to <code>${head}</code>).`,
        "",
        "| Partner | Change | Effect |",
        "|---|---|---|",
        "| enterprise-b-audit | trust: ExternalId no longer required | **broadening** |",
        `| enterprise-b-audit | handoff changed: digest ${digest(head)} \\(was ${digest(multi)}\\) | neutral |`,
        "",
      ].join("\n"),
    );
    expect(run(multi, head).stdout).toBe(broad.stdout);
    const json = JSON.parse(run(multi, head, "--json").stdout);
    expect(json).toMatchObject({ base: multi, head, broadening: 1, narrowing: 0 });
    const narrow = run(head, multi);
    expect(narrow.status).toBe(0);
    expect(narrow.stdout).toContain("| enterprise-b-audit | trust: ExternalId now required | narrowing |");
    expect(run(multi, multi).status).toBe(0);
    expect(run().status).toBe(3);
    expect(run("--nope", multi).status).toBe(3);
  });

  describe("on a changed stack", () => {
    it("npm run access-diff exits 2 and names the address", () => {
      const head = path.join(work, "head-module");
      cpSync(multi, head, { recursive: true });
      const file = path.join(head, "stacks", "owner", "cdk.tf.json");
      const stack = JSON.parse(readFileSync(file, "utf8"));
      stack.module = { grant: { source: "./anything" } };
      writeFileSync(file, JSON.stringify(stack));
      const out = launch("access-diff", [multi, head], { cwd: work });
      expect(out.status).toBe(2);
      expect(out.stdout).toContain("| owner | cannot account for module.grant: a module block | **broadening** |");
      expect(out.stdout).toContain("1 change this tool cannot account for");
    });
  });
});
