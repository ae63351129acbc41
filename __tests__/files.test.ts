/**
 * Only regular files are read as config, handoff, state or manifest: a device is refused before
 * anything is read (integration/files-cli.test.ts: a FIFO or a directory, through the commands);
 * errors about a file say where, and never quote what it holds.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadModel } from "../lib/describe/model";
import { ConfigError } from "../lib/config/issues";
import { ROOT } from "./helpers";

const work = mkdtempSync(path.join(tmpdir(), "files-"));
const TWO = path.join(ROOT, "examples", "two-companies");

describe("only regular files are read", () => {
  it("a device as the config: refused without reading it", () => {
    expect(() => loadModel("/dev/zero")).toThrow("/dev/zero: is a device, not a regular file; refusing to read it");
  });
});

describe("errors about a file name where, never quote what it holds", () => {
  it("a handoff path that leads to some other file does not echo its content", () => {
    const dir = path.join(work, "leak");
    cpSync(path.join(TWO, "enterprise-b", "delegation.yaml"), path.join(dir, "delegation.yaml"));
    // what the handoff path resolves to: someone's credentials, not JSON
    rmSync(path.join(dir, "handoffs"), { recursive: true, force: true });
    mkdirSync(path.join(dir, "handoffs"));
    writeFileSync(path.join(dir, "handoffs", "northwind.json"), "aws_secret=TOPSECRET-42\nsecond line\n");
    let message = "";
    try {
      loadModel(path.join(dir, "delegation.yaml"));
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      message = (e as Error).message;
    }
    expect(message).toBe(
      "delegations[0].handoff: handoffs/northwind.json: not valid JSON: unexpected character (line 1, column 1)",
    );
    for (const piece of ["aws", "TOPSECRET", "secret", "'a'"]) expect(message).not.toContain(piece);
  });

  it("a JSON file's syntax error says where, as line and column", () => {
    const file = path.join(work, "broken.json");
    writeFileSync(file, '{\n  "owner": {"name": "a",\n  x\n}');
    expect(() => loadModel(file)).toThrow(`${file}: not valid JSON: expected double-quoted property name (line 3, column 3)`);
  });
});
