/** Config files: hostile content, sizes and encodings, syntax errors, missing files. */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../lib/config/load";
import { parseJsonStrict } from "../lib/io/files";
import { EXAMPLE_FILE, rawConfig } from "./helpers";
import { example, problemsOf } from "./config-problems";

describe("hostile config files", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "hostile-"));
  const write = (name: string, content: string | Buffer) => {
    const file = path.join(dir, name);
    writeFileSync(file, content);
    return file;
  };
  const loadProblems = (file: string) => problemsOf(() => loadConfig(file));
  const exampleText = readFileSync(EXAMPLE_FILE, "utf8");
  const exampleJson = JSON.stringify(rawConfig(EXAMPLE_FILE), null, 2);

  it("refuses an endless file (/dev/zero) without reading it: it is not a regular file", () => {
    expect(loadProblems("/dev/zero")).toEqual(["/dev/zero: is a device, not a regular file; refusing to read it"]);
  });

  it("refuses a file over the size cap", () => {
    const file = write("big.yaml", `${exampleText}\n# ${"x".repeat(9 * 1024 * 1024)}\n`);
    expect(loadProblems(file)).toEqual([`${file}: larger than 8 MiB; refusing to read it`]);
  });

  it("refuses invalid UTF-8 instead of replacing it, in YAML and in JSON", () => {
    const bad = Buffer.from([0x66, 0x6f, 0xff, 0x6f]); // "fo\xffo"
    const yaml = write("bad.yaml", Buffer.concat([Buffer.from(exampleText.replace("CI publisher", "CI ")), bad]));
    expect(loadProblems(yaml)).toEqual([`${yaml}: not valid UTF-8 text`]);
    const json = write("bad.json", Buffer.concat([Buffer.from(exampleJson.slice(0, -2)), bad, Buffer.from("}")]));
    expect(loadProblems(json)).toEqual([`${json}: not valid UTF-8 text`]);
  });

  it("reads a leading byte order mark the same way in YAML and JSON", () => {
    const bom = "\uFEFF";
    expect(loadProblems(write("bom.yaml", bom + exampleText))).toEqual([]);
    expect(loadProblems(write("bom.json", bom + exampleJson))).toEqual([]);
    expect(loadConfig(write("bom2.json", bom + exampleJson))).toEqual(loadConfig(EXAMPLE_FILE));
  });

  it("refuses duplicate keys in JSON as in YAML", () => {
    const twice = exampleJson.replace(
      '"externalId": "b-orders-4f7c2a"',
      '"externalId": "b-orders-4f7c2a",\n        "externalId": "attacker"',
    );
    expect(twice).not.toBe(exampleJson);
    const [json] = loadProblems(write("twice.json", twice));
    expect(json).toMatch(/twice\.json: not valid JSON: a key appears twice in one object \(line \d+, column \d+\)$/);
    const yaml = exampleText.replace("externalId: b-orders-4f7c2a", "externalId: b-orders-4f7c2a\n      externalId: attacker");
    expect(yaml).not.toBe(exampleText);
    expect(loadProblems(write("twice.yaml", yaml))[0]).toMatch(/not valid YAML: .*unique/i);
  });

  it("property: any JSON without a repeated key reads as JSON.parse reads it; a repeated key anywhere is refused", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.nat(), fc.boolean(), (value, pick, pretty) => {
        const text = JSON.stringify(value, null, pretty ? 2 : undefined);
        expect(parseJsonStrict(text)).toEqual(JSON.parse(text));
        // repeat one member name of one object, if there is one
        const objects: Record<string, unknown>[] = [];
        const visit = (v: unknown): void => {
          if (Array.isArray(v)) v.forEach(visit);
          else if (v !== null && typeof v === "object") {
            if (Object.keys(v).length > 0) objects.push(v as Record<string, unknown>);
            Object.values(v).forEach(visit);
          }
        };
        visit(value);
        if (objects.length === 0) return;
        const target = objects[pick % objects.length];
        const key = Object.keys(target)[pick % Object.keys(target).length];
        const repeated = JSON.stringify(value, (_k, v) =>
          v === target ? Object.fromEntries([...Object.entries(v), [`${key}\u0000`, 0]]) : v,
        ).replace(`${JSON.stringify(`${key}\u0000`)}:`, () => `${JSON.stringify(key)}:`);
        expect(() => parseJsonStrict(repeated)).toThrow(/a key appears twice in one object/);
      }),
      { numRuns: 300 },
    );
  });

  it("cuts long values and keys in messages", () => {
    const huge = "x".repeat(10 * 1024 * 1024);
    const lines = example((c) => {
      c.partners[0].role.name = huge;
      c.partners[0][huge] = 1;
    });
    expect(lines.every((l) => l.length < 400)).toBe(true);
    expect(lines).toContain(
      `partners[0].role.name: must be 1-64 of letters, digits, '.' and '-', got "${"x".repeat(80)}…" (${huge.length} characters)`,
    );
  });
});
describe("config files", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "cfg-"));
  const write = (name: string, text: string) => {
    const file = path.join(dir, name);
    writeFileSync(file, text);
    return file;
  };

  it("names a missing file and the variable that chooses another", () => {
    expect(() => loadConfig(path.join(dir, "nope.yaml"))).toThrow(
      /nope\.yaml: file not found \(set DELEGATION_CONFIG to use another file\)/,
    );
  });

  it("reports YAML syntax errors with their line", () => {
    expect(() => loadConfig(write("bad.yaml", "owner:\n  name: a\n   region: x\n"))).toThrow(
      /bad\.yaml: not valid YAML: line 2, column \d+: Nested mappings/,
    );
  });

  it("refuses duplicate YAML keys", () => {
    expect(() => loadConfig(write("dup.yaml", "owner: {}\nowner: {}\npartners: []\n"))).toThrow(
      /not valid YAML: .*[Mm]ap keys must be unique/,
    );
  });

  it("refuses a YAML alias bomb with a message, not a crash", () => {
    const levels = Array.from({ length: 6 }, (_, i) => `l${i + 1}: &l${i + 1} [${Array(10).fill(`*l${i}`).join(", ")}]`);
    const bomb = write("bomb.yaml", ["l0: &l0 x", ...levels, "owner: *l6", "partners: []", ""].join("\n"));
    expect(() => loadConfig(bomb)).toThrow(/bomb\.yaml: not usable YAML: /);
  });

  it("reports JSON syntax errors", () => {
    expect(() => loadConfig(write("bad.json", "{"))).toThrow(/bad\.json: not valid JSON/);
  });
});
