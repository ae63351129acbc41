/**
 * `npm run audit -- --live`: the options as lib/cli/audit.ts parsed them, the live audit, its report
 * on stdout, progress on stderr, and the exit code (0 clean, 1 findings, 3 could not see).
 */
import { loadModel } from "../describe/model";
import { terminalText } from "../text/terminal";
import { liveAudit } from "./audit";
import { LiveReadError } from "./ram-api";
import { renderLiveAudit } from "./render";

/** Progress on stderr for large accounts: a line every few seconds once a read takes a while. */
function progress(): (done: number, inFlight: number) => void {
  const started = Date.now();
  let last = started;
  return (done, inFlight) => {
    const now = Date.now();
    if (now - started < 3000 || now - last < 3000) return;
    last = now;
    process.stderr.write(`live audit: ${done} RAM calls done, ${inFlight} in flight, ${Math.round((now - started) / 1000)} s\n`);
  };
}

export async function runLiveAudit(values: {
  json?: boolean;
  endpoint?: string;
  "sts-endpoint"?: string;
  concurrency?: string;
}): Promise<number> {
  const concurrency = values.concurrency === undefined ? 8 : Number(values.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64)
    throw new LiveReadError(`--concurrency: expected a whole number from 1 to 64, got ${JSON.stringify(values.concurrency)}`);
  const model = loadModel();
  try {
    const result = await liveAudit(
      model,
      { endpoint: values.endpoint, stsEndpoint: values["sts-endpoint"], concurrency, progress: progress() },
      new Date(),
    );
    process.stdout.write(
      values.json ? `${JSON.stringify(result, null, 2)}\n` : renderLiveAudit(result, values.endpoint ?? "ram.aliyuncs.com"),
    );
    return result.findings.some((f) => f.severity === "error") ? 1 : 0;
  } catch (e) {
    if (!(e instanceof LiveReadError)) throw e;
    // one line; RAM's text is data, never terminal control
    throw new LiveReadError(`live audit could not see the account, nothing is reported clean: ${terminalText(e.message)}`);
  }
}
