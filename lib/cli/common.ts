/** What the review commands share: argument parsing and the exit codes for bad input. */
import { terminalLines } from "../text/terminal";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { ConfigError } from "../config/issues";
import { LiveReadError } from "../live/errors";
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
export function run(main: () => number | Promise<number>): void {
  const fail = (e: unknown) => {
    if (e instanceof InputError || e instanceof UsageError || e instanceof ConfigError || e instanceof LiveReadError) {
      console.error(terminalLines(e.message));
      process.exitCode = EXIT_BAD_INPUT;
      return;
    }
    throw e;
  };
  try {
    const code = main();
    if (typeof code === "number") process.exitCode = code;
    else
      code.then(
        (c) => (process.exitCode = c),
        (e) => {
          try {
            fail(e);
          } catch (unexpected) {
            process.exitCode = 1;
            console.error(unexpected);
          }
        },
      );
  } catch (e) {
    fail(e);
  }
}

export function defaultOutdir(): string {
  return process.env.CDKTF_OUTDIR || "cdktf.out";
}
