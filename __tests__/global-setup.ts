/**
 * Every test run gets a temporary directory of its own: TMPDIR points into it for the test
 * workers and every process they start (synth runs, Terraform, git), and it is removed whole when
 * the run ends, so `npm test` leaves nothing behind in the system's temporary directory, whatever
 * a test or a killed child process forgot.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

export default function setup(): () => void {
  // one directory for the whole run, however many test projects call this
  if (process.env.DELEGATION_TEST_TMPDIR) return () => undefined;
  const run = mkdtempSync(path.join(tmpdir(), "eventbridge-delegation-tests-"));
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = run;
  process.env.DELEGATION_TEST_TMPDIR = run;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    rmSync(run, { recursive: true, force: true });
    delete process.env.DELEGATION_TEST_TMPDIR;
  };
}
