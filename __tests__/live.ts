/**
 * What the live-audit tests share: the fake RAM endpoint of the rehearsal, aliyun CLI profiles in
 * a home directory of their own, and `npm run audit -- --live` run as a process.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { ROOT } from "./helpers";
import { launchAsync } from "./integration/cli";
// eslint-disable-next-line @typescript-eslint/no-require-imports -- CommonJS test components
const endpointModule = require("../rehearsal/ram-endpoint.cjs");

export interface FakeEndpoint {
  readonly endpoint: string;
  readonly url: string;
  readonly calls: { action: string; accessKeyId: string; params: Record<string, string> }[];
  close(): Promise<void>;
}

export interface TestKey {
  readonly secret: string;
  readonly accountId: string;
  readonly deny?: readonly string[];
}

export const startRamEndpoint = (options: {
  dir: string;
  keys: Record<string, TestKey>;
  latencyMs?: number;
  throttleEvery?: number;
  inlineDefaultVersion?: boolean;
}): Promise<FakeEndpoint> => endpointModule.startRamEndpoint(options);

export const createAccessKey = (ram: unknown, user: { user: string }): string => endpointModule.createAccessKey(ram, user);

/** A home directory whose ~/.aliyun/config.json holds AK profiles (name → AccessKey ID and secret). */
export function aliyunHome(dir: string, profiles: Record<string, { id: string; secret: string }>): string {
  mkdirSync(path.join(dir, ".aliyun"), { recursive: true });
  writeFileSync(
    path.join(dir, ".aliyun", "config.json"),
    JSON.stringify({
      current: Object.keys(profiles)[0],
      profiles: Object.entries(profiles).map(([name, k]) => ({
        name,
        mode: "AK",
        access_key_id: k.id,
        access_key_secret: k.secret,
        region_id: "cn-hangzhou",
      })),
    }),
  );
  return dir;
}

/**
 * `npm run audit -- --live ...` on a config, with only the given home and credentials in its
 * environment; asynchronous, since the fake endpoint answers from this process.
 */
export function liveAudit(
  config: string,
  home: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(ALIBABA_CLOUD|ALICLOUD)_/.test(k)));
  return launchAsync("audit", ["--live", ...args], {
    cwd: ROOT,
    env: { ...clean, HOME: home, DELEGATION_CONFIG: config, ALIBABA_CLOUD_ECS_METADATA_DISABLED: "true", ...env },
  });
}
