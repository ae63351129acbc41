/** What the config readers refuse, as the lines they print. */
import { parseConfig } from "../lib/config/load";
import { ConfigError } from "../lib/config/issues";
import { EXAMPLE_FILE, MULTI_FILE, edited } from "./helpers";

/** The problems a config reader reports, as printed lines; none when it reads the config. */
export function problemsOf(read: () => unknown): string[] {
  try {
    read();
  } catch (e) {
    if (e instanceof ConfigError) return e.message.split("\n");
    throw e;
  }
  return [];
}

/** The problems parseConfig reports for a config, as printed lines. */
export const problems = (raw: unknown): string[] => problemsOf(() => parseConfig(raw));

/** The problems of the example config, or of the multi-partner fixture, with `edit` applied. */
export const example = (edit: (c: any) => void) => problems(edited(EXAMPLE_FILE, edit));
export const multi = (edit: (c: any) => void) => problems(edited(MULTI_FILE, edit));
