/**
 * Step 6 for Enterprise B: how its users reach the owner's buses, through the console (Switch
 * Role) or the API (STS AssumeRole with temporary credentials), derived from the partner side:
 * the handoff and the partner's own settings.
 */
import type { Handoff } from "../handoff/handoff";
import type { PartnerSideModel } from "../model/model";

/** STS allows 2-64 of letters, digits and `. @ - _` as RoleSessionName. */
export const SESSION_NAME = /^[\w.@-]{2,64}$/;

/**
 * ~/.aliyun/config.json profile in RamRoleArn mode (aliyun CLI: `ram_role_arn`,
 * `ram_session_name`, `external_id`, `expired_seconds`).
 * @see https://github.com/aliyun/aliyun-cli/blob/master/config/profile.go
 */
export function cliProfile(s: PartnerSideModel, sessionName: string): Record<string, unknown> {
  const h = s.handoff;
  return {
    name: `${h.owner.name}-eventbridge`,
    mode: "RamRoleArn",
    access_key_id: "<AccessKey ID of a RAM user in the group>",
    access_key_secret: "<its AccessKey secret>",
    ram_role_arn: h.role.arn,
    ram_session_name: sessionName,
    ...(h.role.externalId === undefined ? {} : { external_id: h.role.externalId }),
    expired_seconds: Math.min(h.role.maxSessionDuration, 3600),
    region_id: profileRegion(s),
  };
}

/** The CLI profile's region: the first grant's, unless it covers every region; else the partner's own. */
function profileRegion(s: PartnerSideModel): string {
  const region = s.handoff.access.grants[0]?.region;
  return region && region !== "*" ? region : s.region;
}

/** The @alicloud/credentials configuration for assuming the role (ram_role_arn). */
export function credentialsConfig(s: PartnerSideModel, sessionName: string): Record<string, string | number> {
  const role = s.handoff.role;
  return {
    type: "ram_role_arn",
    roleArn: role.arn,
    roleSessionName: sessionName,
    ...(role.externalId === undefined ? {} : { externalId: role.externalId }),
    roleSessionExpiration: Math.min(role.maxSessionDuration, 3600),
  };
}

/** A TypeScript snippet: temporary credentials that the library refreshes before they expire. */
export function credentialsSnippet(p: PartnerSideModel, sessionName: string): string {
  const config = Object.entries(credentialsConfig(p, sessionName))
    .map(([k, v]) => `  ${k}: ${JSON.stringify(v)},`)
    .join("\n");
  return `// npm install @alicloud/credentials
import Credential, { Config } from "@alicloud/credentials";

// The RAM user's own AccessKey (never the owner's) comes from the environment.
const credential = new Credential(
  new Config({
    accessKeyId: process.env.ALIBABA_CLOUD_ACCESS_KEY_ID,
    accessKeySecret: process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET,
${config.replace(/^/gm, "  ")}
  }),
);

// Each call returns valid temporary credentials: the library calls STS AssumeRole again
// before the current ones expire.
const { accessKeyId, accessKeySecret, securityToken } = await credential.getCredential();
`;
}

/** Whole days from `now` to `when` (rounded up), for "in N days". */
function daysUntil(when: string, now: Date): number {
  return Math.ceil((Date.parse(when) - now.getTime()) / 86_400_000);
}

/**
 * What the owner's conditions mean for the caller, one line each: they stand in the role's trust
 * policy (AssumeRole) and in every statement of its permission policy (each EventBridge call).
 */
export function conditionLines(h: Handoff, now: Date): string[] {
  const lines: string[] = [];
  if (h.role.requireMfa) {
    lines.push(
      "MFA required (acs:MFAPresent): only a console sign-in with MFA may assume the role; AssumeRole with an AccessKey (aliyun CLI, SDKs) is always denied",
    );
  }
  if (h.role.sourceIps.length > 0) {
    lines.push(
      `Source IPs (acs:SourceIp): calls must come from ${h.role.sourceIps.join(", ")}; AssumeRole from any other address is denied, and so is every EventBridge call made with the temporary credentials`,
    );
  }
  if (h.validFrom) {
    const days = daysUntil(h.validFrom, now);
    lines.push(
      days > 0
        ? `Not valid before ${h.validFrom} (in ${days} day${days === 1 ? "" : "s"}): AssumeRole is denied until then`
        : `Valid from ${h.validFrom} (begun)`,
    );
  }
  if (h.validUntil) {
    const days = daysUntil(h.validUntil, now);
    lines.push(
      days > 0
        ? `Valid until ${h.validUntil} (in ${days} day${days === 1 ? "" : "s"}): from then on AssumeRole is denied, and sessions already open lose access too`
        : `Ended ${h.validUntil}: AssumeRole is denied and open sessions have no access; ask ${h.owner.name} for a renewed handoff`,
    );
  }
  return lines;
}

/** Why there is no API way in when the role requires MFA (acs:MFAPresent). */
export function mfaApiLine(h: Handoff): string {
  return `None: the role requires MFA (acs:MFAPresent), which only a console sign-in with MFA carries. STS AssumeRole with a RAM user's AccessKey (aliyun CLI, SDKs, --check) is always denied, so no CLI profile or code is given. For API access, ask ${h.owner.name} for a role without requireMfa.`;
}

export function renderStep6(p: PartnerSideModel, sessionName: string, now: Date = new Date()): string {
  const h = p.handoff;
  const externalId = h.role.externalId === undefined ? "none" : h.role.externalId;
  const buses = [...new Set(h.access.grants.map((g) => `${g.eventBus} (${g.region === "*" ? "every region" : g.region})`))];
  const region = profileRegion(p);
  const regions = [...new Set(h.access.grants.map((g) => g.region).filter((r) => r !== "*"))];
  const conditions = conditionLines(h, now);
  const api = h.role.requireMfa
    ? ["## API", "", mfaApiLine(h), ""]
    : [
        "## aliyun CLI (RamRoleArn profile)",
        "",
        `aliyun configure set --profile ${h.owner.name}-eventbridge --mode RamRoleArn \\`,
        `  --access-key-id <AccessKey ID> --access-key-secret <AccessKey secret> \\`,
        `  --ram-role-arn ${h.role.arn} --role-session-name ${sessionName}${h.role.externalId === undefined ? "" : ` \\\n  --external-id ${h.role.externalId}`} \\`,
        `  --region ${region}`,
        ...(regions.length > 1
          ? [
              "",
              `The profile's region is ${region}; for the buses in ${regions.filter((r) => r !== region).join(", ")}, pass --region <that region> to each aliyun command.`,
            ]
          : []),
        "",
        "or, in ~/.aliyun/config.json under profiles:",
        "",
        JSON.stringify(cliProfile(p, sessionName), null, 2),
        "",
        "## TypeScript (temporary credentials with automatic refresh)",
        "",
        credentialsSnippet(p, sessionName),
      ];
  return [
    `# Step 6 for ${p.name}: working on ${h.owner.name}'s EventBridge`,
    "",
    `Role to assume:  ${h.role.arn}`,
    `ExternalId:      ${externalId}`,
    `Session length:  up to ${h.role.maxSessionDuration} s`,
    `Handoff digest:  ${h.digest}`,
    ...(buses.length > 0 ? [`Buses:           ${buses.join(", ")}`] : []),
    "",
    ...(conditions.length > 0
      ? [
          "## Conditions",
          "",
          `${h.owner.name}'s role allows AssumeRole, and each EventBridge call with its credentials, only on these:`,
          ...conditions.map((c) => `- ${c}`),
          "",
        ]
      : []),
    "## Console",
    "",
    `Sign in as a RAM user of group ${p.groupName}${h.role.requireMfa ? ", with MFA" : ""}: ${p.logonNameFormat}`,
    `then open ${h.switchRoleUrl ?? ""}`,
    "",
    ...api,
  ].join("\n");
}
