/** The role's maximum session length (CreateRole MaxSessionDuration), for the config and the handoff. */
import * as z from "zod";
import { show } from "../text/quote";

export const SESSION_SECONDS = { min: 3600, max: 43200 } as const;

/** A maximum session length in seconds: a whole number from 3600 to 43200, one message for any miss. */
export function sessionDuration() {
  const { min, max } = SESSION_SECONDS;
  const expected = `a whole number between ${min} and ${max}`;
  const error = (issue: { input?: unknown }) => `must be between ${min} and ${max}, got ${String(issue.input)}`;
  return z
    .number({
      error: (issue) => (issue.input === undefined ? `required: ${expected}` : `expected ${expected}, got ${show(issue.input)}`),
    })
    .int({ error })
    .min(min, { error })
    .max(max, { error });
}
