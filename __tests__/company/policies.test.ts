/**
 * The company's own policy snapshots: every trust policy, permission and assume policy, and every
 * attachment that this repository's config (`delegation.yaml`, or `$DELEGATION_CONFIG`)
 * synthesizes, one readable file each under `policies/<stack>/`. A change to who may do what
 * changes a file there, so the pull request shows it and this test fails until the snapshots
 * are updated with `npm run snapshots` (and the diff reviewed).
 *
 * Unlike the product's tests, this one reads the company's config, whatever it holds.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { configFile } from "../../lib/config/load";

const ROOT = path.resolve(__dirname, "..", "..");
/** The company's folder of policy snapshots, at the repository's root. */
const POLICIES_DIR = "policies";
const config = path.resolve(ROOT, configFile());
const folder = path.join(ROOT, POLICIES_DIR);
const out = mkdtempSync(path.join(tmpdir(), "company-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

/** Every file under `dir`, relative to it, with `/` separators. */
function files(dir: string, prefix = ""): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(path.join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`],
  );
}

const pretty = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

type Resources = Record<string, Record<string, Record<string, any>>>;

/** A value of a resource's argument: a reference to another resource's attribute is resolved. */
function value(resources: Resources, v: string): string {
  const ref = /^\$\{(alicloud_[a-z_]+)\.([^.]+)\.([a-z_]+)\}$/.exec(v);
  return ref ? String(resources[ref[1]]?.[ref[2]]?.[ref[3]] ?? v) : v;
}

/** Who holds which policy: each role (and its session length), group (and its members) and user. */
function attachments(resources: Resources) {
  const roles: Record<string, { maxSessionDuration: number; policies: string[] }> = {};
  const groups: Record<string, { policies: string[]; members: string[] }> = {};
  const users: Record<string, { policies: string[] }> = {};
  for (const role of Object.values(resources.alicloud_ram_role ?? {}))
    roles[role.role_name] = { maxSessionDuration: role.max_session_duration, policies: [] };
  for (const group of Object.values(resources.alicloud_ram_group ?? {})) groups[group.group_name] = { policies: [], members: [] };
  const policy = (a: Record<string, any>) => `${a.policy_type} ${value(resources, a.policy_name)}`;
  for (const a of Object.values(resources.alicloud_ram_role_policy_attachment ?? {}))
    (roles[value(resources, a.role_name)] ??= { maxSessionDuration: NaN, policies: [] }).policies.push(policy(a));
  for (const a of Object.values(resources.alicloud_ram_group_policy_attachment ?? {}))
    (groups[value(resources, a.group_name)] ??= { policies: [], members: [] }).policies.push(policy(a));
  for (const a of Object.values(resources.alicloud_ram_user_group_attachment ?? {}))
    (groups[value(resources, a.group_name)] ??= { policies: [], members: [] }).members.push(value(resources, a.user_name));
  for (const a of Object.values(resources.alicloud_ram_user_policy_attachment ?? {}))
    (users[value(resources, a.user_name)] ??= { policies: [] }).policies.push(policy(a));
  for (const holder of [...Object.values(roles), ...Object.values(groups), ...Object.values(users)]) holder.policies.sort();
  for (const group of Object.values(groups)) group.members.sort();
  return Object.fromEntries(Object.entries({ roles, groups, users }).filter(([, v]) => Object.keys(v).length > 0));
}

/**
 * The snapshot files of a synth output, by path under policies/: `<stack>/<role>.trust.json`,
 * `<stack>/<policy>.policy.json` (the documents, parsed and indented) and
 * `<stack>/attachments.json` (which role, group or user holds which policy; group members).
 */
function companySnapshots(outdir: string, stacks: readonly string[]): Map<string, string> {
  const snapshots = new Map<string, string>();
  for (const stack of stacks) {
    const json = JSON.parse(readFileSync(path.join(outdir, "stacks", stack, "cdk.tf.json"), "utf8"));
    const resources: Resources = json.resource ?? {};
    for (const [id, role] of Object.entries(resources.alicloud_ram_role ?? {}))
      snapshots.set(`${stack}/${id}.trust.json`, pretty(JSON.parse(role.assume_role_policy_document)));
    for (const [id, policy] of Object.entries(resources.alicloud_ram_policy ?? {}))
      snapshots.set(`${stack}/${id}.policy.json`, pretty(JSON.parse(policy.policy_document)));
    const held = attachments(resources);
    if (Object.keys(held).length > 0) snapshots.set(`${stack}/attachments.json`, pretty(held));
  }
  return snapshots;
}

/** The company's stacks, synthesized by the synth command itself (as `npm run synth` runs it). */
function synthesizeConfig(): { outdir: string; stacks: string[] } {
  const outdir = path.join(out, "cdktf.out");
  const synth = spawnSync(process.execPath, [path.join(ROOT, "scripts", "synth.cjs")], {
    cwd: ROOT,
    env: { ...process.env, DELEGATION_CONFIG: config, CDKTF_OUTDIR: outdir },
    encoding: "utf8",
  });
  if (synth.status !== 0) throw new Error(`${path.relative(ROOT, config)} does not synthesize:\n${synth.stderr}`);
  const manifest = JSON.parse(readFileSync(path.join(outdir, "manifest.json"), "utf8"));
  return { outdir, stacks: Object.keys(manifest.stacks) };
}

const synthesized = synthesizeConfig();
const snapshots = companySnapshots(synthesized.outdir, synthesized.stacks);

describe(`the policies ${path.relative(ROOT, config)} synthesizes (update: npm run snapshots)`, () => {
  for (const [file, text] of snapshots) {
    it(`${POLICIES_DIR}/${file}`, async () => {
      await expect(text).toMatchFileSnapshot(path.join(folder, file));
    });
  }

  it(`${POLICIES_DIR}/ holds no policy the config no longer makes`, () => {
    const stale = files(folder).filter((f) => !snapshots.has(f));
    expect(stale, `stale snapshots in ${POLICIES_DIR}/: run npm run snapshots`).toEqual([]);
  });
});
