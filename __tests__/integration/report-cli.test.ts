/** npm run report as a whole process: ACCESS.md written and printed, JSON, hostile text kept as text. */
import { readFileSync } from "node:fs";
import path from "node:path";
import { Parser } from "commonmark";
import { beforeAll, describe, expect, it } from "vitest";
import { accessReport, type AccessReport } from "../../lib/review/access";
import { readSynthOutput } from "../../lib/readers/files";
import { MULTI_FILE, edited } from "../helpers";
import { outputs } from "../outputs";
import { launch } from "./cli";

const { work, synth } = outputs("report-cli-");
let multi: string;
let multiReport: AccessReport;
beforeAll(async () => {
  multi = await synth(MULTI_FILE, "multi");
  multiReport = accessReport(readSynthOutput(multi));
});

describe("report, run as a process", () => {
  it("keeps a hostile acknowledgement reason as text in ACCESS.md: no element, heading, link or image", async () => {
    const attack =
      "ok</details> # 0 broadening ![x](https://attacker.example/x.png) <img src=x> [click](javascript:alert(1)) @org/team `code`";
    const out = await synth(
      edited(MULTI_FILE, (c) => (c.partners[0].acknowledge[0].reason = attack)),
      "hostile-reason",
    );
    const run = launch("report", ["--outdir", out], { cwd: work });
    expect(run.status).toBe(0);
    const markdown = readFileSync(path.join(out, "ACCESS.md"), "utf8");
    const walker = new Parser().parse(markdown).walker();
    const html: string[] = [];
    const links: string[] = [];
    const headings: string[] = [];
    let text = "";
    let inHeading = false;
    for (let e = walker.next(); e; e = walker.next()) {
      if (e.node.type === "heading") inHeading = e.entering;
      if (!e.entering) continue;
      expect(["image", "html_block", "code_block", "block_quote"]).not.toContain(e.node.type);
      if (e.node.type === "link") links.push(String(e.node.destination));
      if (e.node.type === "html_inline") html.push(e.node.literal ?? "");
      if (e.node.type === "heading") headings.push("");
      if (e.node.type === "text") {
        text += e.node.literal;
        if (inHeading) headings[headings.length - 1] += e.node.literal;
      }
    }
    // the only markup is the report's own: monospace spans, and one Switch Role link per partner
    // with a role; the attack reads back as its own text
    expect(new Set(html)).toEqual(new Set(["<code>", "</code>"]));
    const own = accessReport(readSynthOutput(out)).partners.flatMap((p) => (p.switchRoleUrl ? [p.switchRoleUrl] : []));
    expect(own.length).toBeGreaterThan(0);
    expect([...links].sort()).toEqual([...own].sort());
    expect(headings.filter((h) => h.includes("broadening"))).toEqual([]);
    // (zero-width spaces keep URLs and mentions from turning into links)
    expect(text.replaceAll("\u200b", "")).toContain(attack);
  });

  it("npm run report writes ACCESS.md, prints it, and prints JSON with --json", () => {
    const run = (...args: string[]) => launch("report", args, { cwd: work });
    const md = run("--outdir", multi);
    expect(md.status).toBe(0);
    expect(md.stdout).toBe(readFileSync(path.join(multi, "ACCESS.md"), "utf8"));
    expect(md.stdout).toContain("## enterprise-b (account 2000000000000002)");
    expect(md.stdout).toContain("| ExternalId | required (<code>b-4f7c2a</code>) |");
    expect(md.stdout).toContain(
      "may assume **any role that trusts the partner account** (<code>AliyunSTSAssumeRoleAccess</code>)",
    );
    expect(md.stdout).toContain("**Revoked**: the owner stack keeps no role for this partner.");
    expect(md.stdout).toContain("Acknowledged:\n- <code>TRUST-ROOT-UNCONDITIONED</code>");
    const json = JSON.parse(run("--outdir", multi, "--json").stdout);
    expect(json).toEqual(JSON.parse(JSON.stringify(multiReport)));
    for (const p of json.partners) {
      for (const key of ["name", "accountId", "actions", "resources", "conditions", "revoked"]) expect(p).toHaveProperty(key);
    }
    const bad = run("--outdir", path.join(work, "nowhere"));
    expect(bad.status).toBe(3);
    expect(bad.stderr.trim()).toBe(`${path.join(work, "nowhere", "manifest.json")}: not found (run npm run synth first)`);
  });
});
