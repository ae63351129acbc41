/** Shared test helpers: fixtures, synthesis without writing, and readers for Terraform JSON. */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Testing, type TerraformStack } from "cdktf";
import { parse, stringify } from "yaml";
import { buildApp } from "../lib/synth/app";
import { parseConfig } from "../lib/config/load";
import type { DelegationConfig } from "../lib/config/schema";
import { buildModel } from "../lib/describe/model";
import type { DelegationModel } from "../lib/model/model";

export const ROOT = path.resolve(__dirname, "..");
/**
 * The product's own example config. Tests never read the root `delegation.yaml`: that file is the
 * company's own config, and the product's tests must pass whatever it holds.
 */
export const EXAMPLE_FILE = path.join(ROOT, "__tests__", "fixtures", "example.yaml");
export const MULTI_FILE = path.join(ROOT, "__tests__", "fixtures", "multi-partner.yaml");
/** Where apps that are never written go (cdktf creates their directory anyway). */
const SCRATCH = mkdtempSync(path.join(tmpdir(), "delegation-app-"));

/** A fixed clock, so that validity warnings do not depend on the day the tests run. */
export const NOW = new Date("2026-11-23T00:00:00Z");

/** A fresh scratch directory in the run's temporary directory. */
export function workdir(prefix = "synth-"): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

/** Writes a raw config as YAML into `dir`; returns the file. */
export function writeConfig(dir: string, raw: unknown, name = "delegation.yaml"): string {
  const file = path.join(dir, name);
  writeFileSync(file, stringify(raw));
  return file;
}

/** 60 buses on every permission level, with two rules each: more grants than one policy holds. */
export const sixtyBuses = () =>
  Array.from({ length: 60 }, (_, i) => ({
    eventBus: `bus-${i}`,
    permissions: ["publish", "read", "manage-rules"],
    rules: [`rule-a-${i}`, `rule-b-${i}`],
  }));

export function rawConfig(file: string): Record<string, unknown> {
  return parse(readFileSync(file, "utf8")) as Record<string, unknown>;
}

export function model(file: string): DelegationModel {
  return buildModel(parseConfig(rawConfig(file), file));
}

export function modelOf(raw: unknown): DelegationModel {
  return buildModel(parseConfig(raw));
}

/** A deep copy of a raw config with `edit` applied. */
export function edited(file: string, edit: (c: any) => void): any {
  const c = structuredClone(rawConfig(file));
  edit(c);
  return c;
}

export type StackJson = Record<string, any>;

/** Builds the app (without writing) and returns each stack's Terraform JSON, keyed by stack id. */
export function synthAll(m: DelegationModel, now: Date = NOW) {
  const built = buildApp(m, {
    // cdktf creates the directory of an App at once; keep it out of the project
    outdir: SCRATCH,
    statePaths: { outdir: path.join(ROOT, "cdktf.out"), projectDir: ROOT },
    now,
  });
  const stacks: Record<string, StackJson> = {};
  for (const stack of [...(built.owner ? [built.owner] : []), ...built.partners] as TerraformStack[]) {
    stacks[stack.node.id] = JSON.parse(Testing.synth(stack));
  }
  return { ...built, stacks };
}

export function resourcesOfType(stack: StackJson, type: string): Record<string, Record<string, any>> {
  return stack.resource?.[type] ?? {};
}

/** A policy document string from a resource attribute, parsed. */
export function doc(text: string): any {
  return JSON.parse(text);
}

export function pretty(text: string): string {
  return `${JSON.stringify(JSON.parse(text), null, 2)}\n`;
}

export type { DelegationConfig };
