/**
 * npm run audit -- <state.json>... [--json]
 *
 * Reads `terraform show -json` output of the owner and partner stacks, rebuilds the delegations
 * that are really deployed and compares them with the config (delegation.yaml or
 * $DELEGATION_CONFIG). Exit code 1 on error-level findings.
 */
import { loadModel } from "../config/load";
import { auditDelegations, renderAudit } from "../review/audit";
import { readState } from "../review/resources";
import { args, run, UsageError } from "./common";

run(() => {
  const usage = "npm run audit -- <state.json>... [--json] (state from: terraform show -json)";
  const { values, positionals } = args(process.argv.slice(2), { json: { type: "boolean" } }, usage);
  if (positionals.length === 0) throw new UsageError(`expected at least one state file\nusage: ${usage}`);
  const model = loadModel();
  const result = auditDelegations(
    model,
    positionals.map((file) => ({ file, resources: readState(file) })),
    new Date(),
  );
  process.stdout.write(values.json ? `${JSON.stringify(result, null, 2)}\n` : renderAudit(result, model, positionals));
  return result.findings.some((f) => f.severity === "error") ? 1 : 0;
});
