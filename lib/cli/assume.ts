/**
 * npm run assume -- --partner <name> [--session-name <name>] [--check [--sts-endpoint <url>]]
 *
 * Step 6 for Enterprise B: prints the owner's conditions (MFA, source IPs, validity window) and
 * what they mean for the caller, the console Switch Role URL and logon name format, and (unless
 * the role requires MFA, which no AccessKey caller can satisfy) an aliyun CLI profile in
 * RamRoleArn mode and a TypeScript snippet with automatically refreshed temporary credentials.
 * With --check and a RAM user's AccessKey in the environment (ALIBABA_CLOUD_ACCESS_KEY_ID,
 * ALIBABA_CLOUD_ACCESS_KEY_SECRET), calls STS AssumeRole with Alibaba Cloud's SDK and reports
 * when the temporary credentials expire; it says so instead when the conditions deny the call.
 */
import { terminalLines } from "../text/terminal";
import { $OpenApiUtil } from "@alicloud/openapi-core";
import Sts, { AssumeRoleRequest } from "@alicloud/sts20150401";
import { loadModel } from "../describe/model";
import type { PartnerSideModel } from "../model/model";
import { renderStep6, SESSION_NAME } from "../partner/step6";
import { InputError } from "../readers/files";
import { args, run, UsageError } from "./common";

/** Seconds a check asks for: STS's minimum, so that the credentials expire soon. */
const CHECK_DURATION_SECONDS = 900;

/** The SDK's message for a failed request ends with `<METHOD> <url> failed.`, glued to the cause. */
function networkCause(message: string): string {
  return message.replace(/(?:GET|POST|PUT|DELETE|HEAD) \S+ failed\.$/, "").trim();
}

async function check(side: PartnerSideModel, sessionName: string, endpoint: string): Promise<number> {
  const h = side.handoff;
  const role = h.role;
  if (role.requireMfa) {
    throw new InputError(
      `--check: ${side.name}'s role requires MFA (acs:MFAPresent): STS AssumeRole with an AccessKey is always denied, so there is nothing to check from here; use the console's Switch Role with MFA`,
    );
  }
  const now = new Date();
  if (h.validFrom && Date.parse(h.validFrom) > now.getTime()) {
    console.error(`AssumeRole of ${role.arn} would be denied: not valid before ${h.validFrom}; not called`);
    return 1;
  }
  if (h.validUntil && Date.parse(h.validUntil) <= now.getTime()) {
    console.error(`AssumeRole of ${role.arn} would be denied: the delegation ended ${h.validUntil}; not called`);
    return 1;
  }
  const id = process.env.ALIBABA_CLOUD_ACCESS_KEY_ID;
  const secret = process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET;
  if (!id || !secret) {
    throw new InputError(
      "--check needs a RAM user's AccessKey in ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET",
    );
  }
  let url: URL;
  try {
    url = new URL(/^https?:\/\//.test(endpoint) ? endpoint : `https://${endpoint}`);
  } catch {
    throw new InputError(`--sts-endpoint: not a host or URL, got "${endpoint}"`);
  }
  const client = new Sts(
    new $OpenApiUtil.Config({
      accessKeyId: id,
      accessKeySecret: secret,
      securityToken: process.env.ALIBABA_CLOUD_SECURITY_TOKEN,
      endpoint: url.host,
      protocol: url.protocol.replace(":", ""),
    }),
  );
  try {
    const response = await client.assumeRole(
      new AssumeRoleRequest({
        roleArn: role.arn,
        roleSessionName: sessionName,
        externalId: role.externalId,
        durationSeconds: Math.min(CHECK_DURATION_SECONDS, role.maxSessionDuration),
      }),
    );
    const body = response.body;
    const expiration = body?.credentials?.expiration ?? "";
    const minutes = Math.round((Date.parse(expiration) - Date.now()) / 60000);
    console.log(`AssumeRole succeeded as ${body?.assumedRoleUser?.arn ?? role.arn}`);
    console.log(`temporary AccessKey ${body?.credentials?.accessKeyId ?? "?"} (secret and token not shown)`);
    console.log(`expires ${expiration}${Number.isFinite(minutes) ? ` (in ${minutes} min)` : ""}`);
    if (role.sourceIps.length > 0)
      console.log(`EventBridge calls with them must come from ${role.sourceIps.join(", ")} too (acs:SourceIp)`);
    return 0;
  } catch (e) {
    const err = e as { code?: string; message?: string; data?: { Message?: string } };
    if (err.data === undefined && /^E[A-Z]+$/.test(err.code ?? "")) {
      console.error(
        terminalLines(`AssumeRole of ${role.arn} failed: cannot reach ${url.host} (${networkCause(err.message ?? String(e))})`),
      );
      return 1;
    }
    console.error(
      terminalLines(`AssumeRole of ${role.arn} failed: ${err.code ?? "error"}: ${err.data?.Message ?? err.message ?? String(e)}`),
    );
    if (err.code === "NoPermission") {
      console.error("the user needs the group's sts:AssumeRole permission, and the owner's trust policy must allow this account");
      if (role.sourceIps.length > 0)
        console.error(
          `and the call must come from ${role.sourceIps.join(", ")} (acs:SourceIp): is this machine's address among them?`,
        );
    }
    return 1;
  }
}

run(() => {
  const usage = "npm run assume -- --partner <name> [--session-name <name>] [--check [--sts-endpoint <url>]]";
  const { values } = args(
    process.argv.slice(2),
    {
      partner: { type: "string" },
      "session-name": { type: "string" },
      check: { type: "boolean" },
      "sts-endpoint": { type: "string" },
    },
    usage,
  );
  const model = loadModel();
  // the partner sides this config synthesizes: delegations (partner form) or partners with partnerSide
  const names = model.partnerSides.map((p) => p.name);
  const p = model.partnerSides.find((x) => x.name === values.partner);
  const where = model.owner ? "partners with a partnerSide" : "delegations";
  if (!values.partner) throw new UsageError(`--partner is required (one of ${names.join(", ") || "none"})\nusage: ${usage}`);
  if (!p) {
    const ownerOnly = model.partners.some((x) => x.name === values.partner);
    throw new InputError(
      ownerOnly
        ? `--partner: ${values.partner} has no partnerSide in this config; its users work from the handoff in the partner's own repository (npm run assume there)`
        : `--partner: no partner "${values.partner}" in the config (${where}: ${names.join(", ") || "none"})`,
    );
  }
  if (p.handoff.revoked) throw new InputError(`--partner: ${p.name} is revoked; there is no role to assume`);
  const sessionName = values["session-name"] ?? `${p.name}-${process.env.USER ?? "session"}`.slice(0, 64);
  if (!SESSION_NAME.test(sessionName)) {
    throw new InputError(`--session-name: must be 2-64 of letters, digits and . @ - _, got "${sessionName}"`);
  }
  if (!values.check) {
    process.stdout.write(terminalLines(renderStep6(p, sessionName)));
    return 0;
  }
  check(p, sessionName, values["sts-endpoint"] ?? "sts.aliyuncs.com").then(
    (code) => (process.exitCode = code),
    (e) => {
      console.error(terminalLines(e instanceof InputError ? e.message : `--check failed: ${(e as Error).message}`));
      process.exitCode = e instanceof InputError ? 3 : 1;
    },
  );
  return 0;
});
