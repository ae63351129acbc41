/**
 * The alicloud provider and the state backend of one stack: each stack deploys into one account
 * with that account's own credentials, and keeps its own state.
 */
import path from "node:path";
import { LocalBackend, OssBackend, type TerraformStack } from "cdktf";
import { AlicloudProvider } from "../../.gen/providers/alicloud/provider";
import type { AccountTarget } from "../model/model";
import { PROVIDER_SESSION_NAME } from "../names/names";
import { literal } from "../terraform/literal";

export interface StatePaths {
  /** Absolute path of the project root, where local state files live. */
  readonly projectDir: string;
  /** Absolute path of the synth output directory (`cdktf.out`); Terraform runs in `stacks/<id>` below it. */
  readonly outdir: string;
}

/**
 * The local state file of a stack, relative to the directory Terraform runs in, so that the
 * synthesized output names no absolute path: `../../../terraform.owner.tfstate`.
 */
export function localStatePath(stackId: string, paths: StatePaths): string {
  const workingDir = path.join(paths.outdir, "stacks", stackId);
  return path
    .relative(workingDir, path.join(paths.projectDir, `terraform.${stackId}.tfstate`))
    .split(path.sep)
    .join("/");
}

export function configureAccount(stack: TerraformStack, target: AccountTarget, paths: StatePaths): AlicloudProvider {
  const provider = new AlicloudProvider(stack, "alicloud", {
    region: literal(target.region),
    profile: target.profile === undefined ? undefined : literal(target.profile),
    assumeRole: target.assumeRoleArn ? { roleArn: literal(target.assumeRoleArn), sessionName: PROVIDER_SESSION_NAME } : undefined,
    configurationSource: `eventbridge-delegation/${target.stackId}`,
  });

  // Backend settings cannot hold expressions at all (Terraform refuses them), and the config's
  // patterns for them admit no `$`, `%` or braces, so they are written as they are.
  const backend = target.backend;
  if (backend.type === "oss") {
    new OssBackend(stack, {
      bucket: backend.bucket,
      prefix: backend.prefix,
      key: `${target.stackId}.tfstate`,
      region: backend.region,
      profile: target.profile,
      encrypt: backend.encrypt,
      tablestoreEndpoint: backend.tablestoreEndpoint,
      tablestoreTable: backend.tablestoreTable,
    });
  } else {
    new LocalBackend(stack, { path: localStatePath(target.stackId, paths) });
  }
  return provider;
}
