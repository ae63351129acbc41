import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ruleCatalog } from "../lib/rules";
import { ROOT } from "./helpers";

const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
const help = readFileSync(path.join(ROOT, "help"), "utf8");
const scripts = Object.keys(JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")).scripts);

describe("documentation stays in step with the code", () => {
  it("the README lists every synth check with its severity, title and rationale", () => {
    for (const r of ruleCatalog()) expect(readme).toContain(`| \`${r.id}\` | ${r.severity} | ${r.title}. | ${r.rationale} |`);
  });

  it("help lists every npm script", () => {
    for (const script of scripts) expect(help).toMatch(new RegExp(`npm (run )?${script}\\b`));
  });

  it("the README quick start is two commands: install + synth, and test", () => {
    const quick = readme.split("## Quick start")[1].split("```")[1];
    expect(
      quick
        .trim()
        .split("\n")
        .map((l) => l.split("#")[0].trim()),
    ).toEqual(["sh", "npm ci && npm run synth", "npm test"]);
  });
});
