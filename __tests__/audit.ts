/** The state audit run in-process on state fixtures, and its findings as one line each. */
import { auditDelegations, type StateFile } from "../lib/audit/state";
import { readState } from "../lib/readers/terraform";
import { MULTI_FILE, NOW, model } from "./helpers";
import type { StateJson } from "./state";

export const asFiles = (xs: { id: string; state: StateJson }[]): StateFile[] =>
  xs.map((x) => ({ file: `${x.id}.json`, read: readState(x.state, x.id) }));

export const audit = (xs: { id: string; state: StateJson }[], m = model(MULTI_FILE), now = NOW) =>
  auditDelegations(m, asFiles(xs), now);

export const checks = (r: ReturnType<typeof audit>) =>
  r.findings.map((f) => `${f.severity} ${f.partner} ${f.check}: ${f.message}`);
