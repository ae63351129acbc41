/**
 * Text printed to a terminal: every control character, bidirectional override or isolate and
 * line separator in it is shown as its escape (`\u001b`), so no value from a config, handoff,
 * state file or API can move the cursor, clear the screen or fake a line of output.
 */
import { showUnsafe } from "./unsafe";

/** One value or one line for a terminal; a line break inside it is shown as `\u000a`. */
export function terminalText(text: string): string {
  return showUnsafe(text);
}

/** Several lines for a terminal: the line breaks between them kept, everything else made visible. */
export function terminalLines(text: string): string {
  return text.split("\n").map(showUnsafe).join("\n");
}
