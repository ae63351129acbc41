/**
 * npm run audit -- <state.json>... [--json]
 * npm run audit -- --live [--endpoint <url>] [--sts-endpoint <url>] [--concurrency <n>] [--json]
 *
 * Reads `terraform show -json` output of the owner and partner stacks through the readers and
 * compares what is deployed with what the config (delegation.yaml or $DELEGATION_CONFIG)
 * describes. Exit code 1 on error-level findings (what no delegation explains among them), 3 when
 * the state cannot be read or holds a value that cannot be (one line each, nothing else). With
 * --live it reads the config's own accounts through RAM's API instead (lib/live), same exit codes.
 */
import { terminalLines } from "../text/terminal";
import { loadModel } from "../describe/model";
import { formatUnaccounted } from "../readers/unaccounted";
import { auditDelegations, renderAudit } from "../audit/state";
import { readStateFile } from "../readers/files";
import { args, EXIT_BAD_INPUT, run, UsageError } from "./common";

const usage =
  "npm run audit -- <state.json>... [--json] (state from: terraform show -json)\n" +
  "       npm run audit -- --live [--endpoint <url>] [--sts-endpoint <url>] [--concurrency <n>] [--json]";

run(() => {
  const { values, positionals } = args(
    process.argv.slice(2),
    {
      json: { type: "boolean" },
      live: { type: "boolean" },
      endpoint: { type: "string" },
      "sts-endpoint": { type: "string" },
      concurrency: { type: "string" },
    },
    usage,
  );
  if (values.live) {
    if (positionals.length > 0) throw new UsageError(`--live reads the accounts, not state files\nusage: ${usage}`);
    // loaded only here: the SDK is a large bundle that the state audit does without
    return import("../live/command.js").then((m) => m.runLiveAudit(values));
  }
  if (values.endpoint || values["sts-endpoint"] || values.concurrency)
    throw new UsageError(`--endpoint, --sts-endpoint and --concurrency go with --live\nusage: ${usage}`);
  if (positionals.length === 0) throw new UsageError(`expected at least one state file\nusage: ${usage}`);
  const model = loadModel();
  const result = auditDelegations(
    model,
    positionals.map((file) => ({ file, read: readStateFile(file) })),
    new Date(),
  );
  if (result.unreadable.length > 0) {
    for (const u of result.unreadable)
      console.error(terminalLines(`${u.file}: ${formatUnaccounted(u)}; cannot audit what it does`));
    return EXIT_BAD_INPUT;
  }
  process.stdout.write(
    values.json ? `${JSON.stringify(result, null, 2)}\n` : terminalLines(renderAudit(result, model, positionals)),
  );
  return result.findings.some((f) => f.severity === "error") ? 1 : 0;
});
