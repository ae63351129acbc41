import { terraformVersion } from "../../rehearsal/run";

/**
 * Whether a terraform binary is on PATH; where none is, says in one line which tests it skips.
 * CI requires one (.ci/run), so these tests are skipped only on a machine without Terraform.
 */
export function terraformOnPath(what: string): boolean {
  try {
    terraformVersion();
    return true;
  } catch {
    console.log(`skipped: ${what} through real Terraform (no terraform binary on PATH)`);
    return false;
  }
}
