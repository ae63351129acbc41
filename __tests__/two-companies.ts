/**
 * Two companies, two repositories (examples/two-companies/): A's output synthesized once before
 * the calling file's tests, B's repository copied into scratch directories, and handoffs as A
 * would write them, or as someone tampered with them.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parse, stringify } from "yaml";
import { beforeAll } from "vitest";
import { ConfigError } from "../lib/config/issues";
import { handoffDigest, renderHandoff } from "../lib/handoff/handoff";
import { synthesize } from "../lib/synth/synth";
import { NOW, ROOT } from "./helpers";

export const EXAMPLES = path.join(ROOT, "examples", "two-companies");
export const A_CONFIG = path.join(EXAMPLES, "enterprise-a", "delegation.yaml");
export const B_DIR = path.join(EXAMPLES, "enterprise-b");
export const B_HANDOFF = path.join(B_DIR, "handoffs", "northwind.json");
export const A_ACCOUNT = "1122334455667788";
export const B_ACCOUNT = "8877665544332211";
export const STACK = "partner-contoso-logistics";

export function twoCompanies(prefix: string) {
  const work = mkdtempSync(path.join(tmpdir(), prefix));
  let n = 0;
  const fresh = (name: string) => path.join(work, `${name}-${++n}`);

  /** A's output, synthesized once. */
  const aOut = fresh("a-out");
  let aResult: Awaited<ReturnType<typeof synthesize>>;
  beforeAll(async () => {
    aResult = await synthesize({ configFile: A_CONFIG, outdir: aOut, now: NOW });
  });
  const aHandoff = (partner: string) => readFileSync(path.join(aOut, "handoffs", `${partner}.json`), "utf8");

  /** B's repository in a scratch directory: its config (edited), and handoff files as given. */
  function bRepo(edit: (c: any) => void = () => {}, handoffs: Record<string, string> = {}): string {
    const dir = fresh("b-repo");
    cpSync(B_DIR, dir, { recursive: true });
    const config = parse(readFileSync(path.join(B_DIR, "delegation.yaml"), "utf8"));
    edit(config);
    writeFileSync(path.join(dir, "delegation.yaml"), stringify(config));
    for (const [name, text] of Object.entries(handoffs)) writeFileSync(path.join(dir, "handoffs", name), text);
    return path.join(dir, "delegation.yaml");
  }

  /** A handoff as A would write it for a changed partner entry of A's example. */
  async function handoffFor(edit: (a: any) => void, partner = "contoso-logistics"): Promise<string> {
    const dir = fresh("a-edit");
    const config = parse(readFileSync(A_CONFIG, "utf8"));
    edit(config);
    const file = path.join(path.dirname(dir), `${path.basename(dir)}.yaml`);
    writeFileSync(file, stringify(config));
    await synthesize({ configFile: file, outdir: dir, now: NOW });
    return readFileSync(path.join(dir, "handoffs", `${partner}.json`), "utf8");
  }

  /** The issues of a config that must be refused, as `path: message` lines. */
  async function refusal(configFile: string): Promise<string[]> {
    try {
      await synthesize({ configFile, outdir: fresh("refused"), now: NOW });
    } catch (e) {
      if (e instanceof ConfigError) return e.message.split("\n");
      throw e;
    }
    throw new Error("the config was accepted");
  }

  /** A handoff with `edit` applied to its JSON (the digest left as it was). */
  const tampered = (edit: (h: any) => void): string => {
    const h = JSON.parse(aHandoff("contoso-logistics"));
    edit(h);
    return JSON.stringify(h, null, 2);
  };

  /** The same edit, with the digest made to match again (as someone who knows the format would). */
  const resealed = (edit: (h: any) => void): string => {
    const h = JSON.parse(aHandoff("contoso-logistics"));
    edit(h);
    return renderHandoff({ ...h, digest: handoffDigest(h) });
  };

  return { fresh, aOut, aResult: () => aResult, aHandoff, bRepo, handoffFor, refusal, tampered, resealed };
}
