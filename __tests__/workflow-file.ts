/** The pull-request workflow, parsed, and its steps by job. */
import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { ROOT } from "./helpers";

export const workflow = parse(readFileSync(path.join(ROOT, ".github", "workflows", "delegation.yml"), "utf8"));
export type Step = { name?: string; run?: string; uses?: string; with?: Record<string, string>; env?: Record<string, string> };
export const step = (job: string, pick: (s: Step) => boolean): Step => (workflow.jobs[job].steps as Step[]).find(pick)!;
