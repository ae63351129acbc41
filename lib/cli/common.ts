/** What the review commands share: argument parsing and the exit codes for bad input. */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { ConfigError } from "../config/issues";
import { InputError } from "../readers/files";

/** Exit code of every review command when its input cannot be used (files, arguments, config). */
export const EXIT_BAD_INPUT = 3;

export class UsageError extends Error {}

/** Parses arguments; unknown options and missing values are usage errors. */
export function args<T extends ParseArgsConfig["options"]>(argv: string[], options: T, usage: string) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError(`${(e as Error).message}\nusage: ${usage}`);
  }
}

/** Runs a command; bad input is reported in one line per problem, never as a stack trace. */
export function run(main: () => number): void {
  try {
    process.exitCode = main();
  } catch (e) {
    if (e instanceof InputError || e instanceof UsageError || e instanceof ConfigError) {
      console.error(e.message);
      process.exitCode = EXIT_BAD_INPUT;
      return;
    }
    throw e;
  }
}

export function defaultOutdir(): string {
  return process.env.CDKTF_OUTDIR || "cdktf.out";
}
