import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ruleCatalog } from "../lib/rules";
import { MULTI_FILE, ROOT, model, synthAll } from "./helpers";

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

  it("the steps table names resource addresses the stacks really have", () => {
    const table = readme.split("## The six documented steps, as stacks")[1].split("Who deploys what")[0];
    const addresses = [...table.matchAll(/`(alicloud_[a-z_]+\.[^`]+)`/g)].map((m) => m[1]);
    expect(addresses.length).toBeGreaterThanOrEqual(10);
    // the multi-partner fixture has every kind of resource; placeholders become its names
    const { stacks } = synthAll(model(MULTI_FILE));
    const exists = (address: string) => {
      const [type, name] = address.split(/\.(.*)/s);
      return Object.values(stacks).some((stack) => stack.resource?.[type]?.[name] !== undefined);
    };
    for (const address of addresses) {
      const concrete = address
        .replace("<partner>", "enterprise-b")
        .replace("<n>", "1")
        .replace("<Policy>", "AliyunEventBridgeReadOnlyAccess")
        .replace("<user>", "alice");
      expect(exists(concrete), address).toBe(true);
    }
  });

  it("every relative link in the README and docs/ names a file of the project", () => {
    const pages = [path.join(ROOT, "README.md"), ...readdirSync(path.join(ROOT, "docs")).map((f) => path.join(ROOT, "docs", f))];
    let links = 0;
    for (const page of pages) {
      for (const [, target] of readFileSync(page, "utf8").matchAll(/\]\(([^)#\s]+)[^)]*\)/g)) {
        if (/^[a-z]+:/.test(target)) continue;
        links++;
        expect(existsSync(path.resolve(path.dirname(page), target)), `${path.relative(ROOT, page)}: ${target}`).toBe(true);
      }
    }
    expect(links).toBeGreaterThanOrEqual(7);
  });
});
