/**
 * Step 6 for Enterprise B: how its users reach the owner's buses, through the console (Switch
 * Role) or the API (STS AssumeRole with temporary credentials), derived from the model.
 */
import type { PartnerModel } from "../model/model";

/** STS allows 2-64 of letters, digits and `. @ - _` as RoleSessionName. */
export const SESSION_NAME = /^[\w.@-]{2,64}$/;

/**
 * ~/.aliyun/config.json profile in RamRoleArn mode (aliyun CLI: `ram_role_arn`,
 * `ram_session_name`, `external_id`, `expired_seconds`).
 * @see https://github.com/aliyun/aliyun-cli/blob/master/config/profile.go
 */
export function cliProfile(p: PartnerModel, sessionName: string): Record<string, unknown> {
  return {
    name: `${p.owner.name}-eventbridge`,
    mode: "RamRoleArn",
    access_key_id: "<AccessKey ID of a RAM user in the group>",
    access_key_secret: "<its AccessKey secret>",
    ram_role_arn: p.role.arn,
    ram_session_name: sessionName,
    ...(p.role.externalId === undefined ? {} : { external_id: p.role.externalId }),
    expired_seconds: Math.min(p.role.maxSessionDuration, 3600),
    region_id: p.grants[0]?.region && p.grants[0].region !== "*" ? p.grants[0].region : p.region,
  };
}

/** The @alicloud/credentials configuration for assuming the role (ram_role_arn). */
export function credentialsConfig(p: PartnerModel, sessionName: string): Record<string, string | number> {
  return {
    type: "ram_role_arn",
    roleArn: p.role.arn,
    roleSessionName: sessionName,
    ...(p.role.externalId === undefined ? {} : { externalId: p.role.externalId }),
    roleSessionExpiration: Math.min(p.role.maxSessionDuration, 3600),
  };
}

/** A TypeScript snippet: temporary credentials that the library refreshes before they expire. */
export function credentialsSnippet(p: PartnerModel, sessionName: string): string {
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

export function renderStep6(p: PartnerModel, sessionName: string): string {
  const externalId = p.role.externalId === undefined ? "none" : p.role.externalId;
  return [
    `# Step 6 for ${p.name}: working on ${p.owner.name}'s EventBridge`,
    "",
    `Role to assume:  ${p.role.arn}`,
    `ExternalId:      ${externalId}`,
    `Session length:  up to ${p.role.maxSessionDuration} s`,
    ...(p.validUntil ? [`Valid until:     ${p.validUntil}`] : []),
    "",
    "## Console",
    "",
    `Sign in as a RAM user of group ${p.partnerSide.groupName}: ${p.partnerSide.logonNameFormat}`,
    `then open ${p.switchRoleUrl}`,
    "",
    "## aliyun CLI (RamRoleArn profile)",
    "",
    `aliyun configure set --profile ${p.owner.name}-eventbridge --mode RamRoleArn \\`,
    `  --access-key-id <AccessKey ID> --access-key-secret <AccessKey secret> \\`,
    `  --ram-role-arn ${p.role.arn} --role-session-name ${sessionName}${p.role.externalId === undefined ? "" : ` \\\n  --external-id ${p.role.externalId}`} \\`,
    `  --region ${cliProfile(p, sessionName).region_id}`,
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
