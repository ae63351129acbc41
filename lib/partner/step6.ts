/**
 * Step 6 for Enterprise B: how its users reach the owner's buses, through the console (Switch
 * Role) or the API (STS AssumeRole with temporary credentials), derived from the partner side:
 * the handoff and the partner's own settings.
 */
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

export function renderStep6(p: PartnerSideModel, sessionName: string): string {
  const h = p.handoff;
  const externalId = h.role.externalId === undefined ? "none" : h.role.externalId;
  const buses = [...new Set(h.access.grants.map((g) => `${g.eventBus} (${g.region === "*" ? "every region" : g.region})`))];
  const region = profileRegion(p);
  const regions = [...new Set(h.access.grants.map((g) => g.region).filter((r) => r !== "*"))];
  return [
    `# Step 6 for ${p.name}: working on ${h.owner.name}'s EventBridge`,
    "",
    `Role to assume:  ${h.role.arn}`,
    `ExternalId:      ${externalId}`,
    `Session length:  up to ${h.role.maxSessionDuration} s`,
    ...(h.validUntil ? [`Valid until:     ${h.validUntil}`] : []),
    `Handoff digest:  ${h.digest}`,
    ...(buses.length > 0 ? [`Buses:           ${buses.join(", ")}`] : []),
    "",
    "## Console",
    "",
    `Sign in as a RAM user of group ${p.groupName}: ${p.logonNameFormat}`,
    `then open ${h.switchRoleUrl ?? ""}`,
    "",
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
  ].join("\n");
}
