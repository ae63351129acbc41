/**
 * The one rule for free text, whatever a person writes (display names, descriptions,
 * acknowledgement reasons): it is data, so it holds no control character and no bidirectional
 * override or isolate (see `unsafe.ts`). Tabs and line breaks are control characters too: a
 * free-text field is one line.
 */
import { codePoint, UNSAFE_CHAR } from "./unsafe";

const WHAT = "control characters, bidirectional overrides or isolates, or line breaks";

/** The problem with a free-text value, as the rest of a "<field>: ..." message; undefined when it is fine. */
export function freeTextProblem(value: string): string | undefined {
  const m = UNSAFE_CHAR.exec(value);
  if (!m) return undefined;
  return `must not contain ${WHAT} (free text is shown to people as it is); found ${codePoint(m[0])} at character ${m.index + 1}`;
}

/** Whether `value` passes the free-text rule. */
export function isFreeText(value: string): boolean {
  return !UNSAFE_CHAR.test(value);
}
