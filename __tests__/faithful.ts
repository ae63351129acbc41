/**
 * A faithful synth output of the multi-partner fixture, and the states Terraform would hold after
 * applying it: tests change one stack or state and check that the review tools notice.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll } from "vitest";
import { auditDelegations } from "../lib/audit/state";
import { readSynthOutput, type StackJson, type SynthOutput } from "../lib/readers/files";
import { readState } from "../lib/readers/terraform";
import { accessReport } from "../lib/review/access";
import { diffAccess } from "../lib/review/diff";
import { synthesize } from "../lib/synth/synth";
import { MULTI_FILE, NOW, model } from "./helpers";
import { OWNER_ACCOUNT, stateFromStack, type StateJson, type StateResource } from "./state";

const m = model(MULTI_FILE);

/** Synthesizes the fixture once, before the calling file's tests, into a scratch directory. */
export function faithfulOutput(prefix: string) {
  const work = mkdtempSync(path.join(tmpdir(), prefix));
  const outdir = path.join(work, "base");
  let base: SynthOutput;
  beforeAll(async () => {
    await synthesize({ configFile: MULTI_FILE, outdir, now: NOW });
    base = readSynthOutput(outdir);
  });
  return {
    work,
    outdir,
    base: () => base,
    /** The access diff of the base output against a copy whose stack `id` was changed by `edit`. */
    diffAfter(id: string, edit: (stack: any) => void) {
      const stacks = new Map(base.stacks);
      const stack = structuredClone(stacks.get(id)) as any;
      edit(stack);
      stacks.set(id, stack as StackJson);
      return diffAccess(accessReport(base), accessReport({ ...base, stacks }));
    },
    /** Faithful states of every stack, as Terraform would hold them after applying the base output. */
    states: () =>
      [...base.stacks.keys()].map((id) => ({ id, state: stateFromStack(base.stacks.get(id) as never, OWNER_ACCOUNT) })),
  };
}

export const broadened = (d: ReturnType<typeof diffAccess>) =>
  d.changes.filter((c) => c.effect === "broadening").map((c) => c.description);

/** The audit's errors and what it could not read, one line each. */
export function audit(xs: { id: string; state: StateJson }[]) {
  const r = auditDelegations(
    m,
    xs.map((x) => ({ file: `${x.id}.json`, read: readState(x.state, x.id) })),
    NOW,
  );
  return {
    errors: r.findings.filter((f) => f.severity === "error").map((f) => `${f.check}: ${f.message}`),
    unreadable: r.unreadable.map((u) => `${u.address}: ${u.why}`),
  };
}

export const stateOf = (xs: { id: string; state: StateJson }[], id: string) => xs.find((x) => x.id === id)!.state;

/** Adds a managed resource to a state. */
export const add = (s: StateJson, r: Partial<StateResource> & { type: string; name: string }) =>
  s.values.root_module.resources.push({
    address: `${r.type}.${r.name}`,
    mode: "managed",
    provider_name: "registry.terraform.io/aliyun/alicloud",
    schema_version: 0,
    values: {},
    sensitive_values: {},
    ...r,
  } as StateResource);
