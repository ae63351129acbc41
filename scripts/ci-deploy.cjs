#!/usr/bin/env node
/**
 * CI, before `cdktf deploy` on main: which stacks this repository deploys, made ready to run.
 *
 *   node scripts/ci-deploy.cjs [<outdir>]     (default $CDKTF_OUTDIR or cdktf.out)
 *
 * A repository deploys its own account's side, with the credentials in its secrets: the owner
 * stack when the synth made one (owner form, and the single-file form, whose partner stacks
 * need the partners' credentials), otherwise every partner stack (partner form). Each must keep
 * its state in OSS; the aliyun CLI profiles their providers name are written to
 * ~/.aliyun/config.json from ALIBABA_CLOUD_ACCESS_KEY_ID / ALIBABA_CLOUD_ACCESS_KEY_SECRET.
 * Prints `stacks=<ids>` for $GITHUB_OUTPUT; exit 1 with one line when a stack cannot be deployed.
 */
"use strict";
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

function fail(message) {
  console.error(`::error::${message}`);
  process.exit(1);
}

const outdir = process.argv[2] || process.env.CDKTF_OUTDIR || "cdktf.out";
const stacksDir = path.join(outdir, "stacks");
if (!fs.existsSync(stacksDir)) fail(`${stacksDir} does not exist: run npm run synth first`);

const stacks = fs
  .readdirSync(stacksDir)
  .sort()
  .map((id) => ({ id, json: JSON.parse(fs.readFileSync(path.join(stacksDir, id, "cdk.tf.json"), "utf8")) }));
const sideOf = (s) => s.json["//"]?.delegation?.side;
const owner = stacks.filter((s) => sideOf(s) === "owner");
const chosen = owner.length > 0 ? owner : stacks.filter((s) => sideOf(s) === "partner");
if (chosen.length === 0) fail(`${stacksDir} holds no stack of this product`);

const profiles = new Map();
for (const s of chosen) {
  if (!s.json.terraform?.backend?.oss)
    fail(`stack ${s.id}: its backend must be type: oss (with Tablestore locking) to deploy from CI`);
  const provider = s.json.provider?.alicloud?.[0] ?? {};
  if (provider.profile) profiles.set(provider.profile, provider.region);
}

if (profiles.size > 0) {
  const key = process.env.ALIBABA_CLOUD_ACCESS_KEY_ID;
  const secret = process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET;
  if (!key || !secret) fail("ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET must be set");
  const dir = path.join(os.homedir(), ".aliyun");
  fs.mkdirSync(dir, { recursive: true });
  const list = [...profiles].map(([name, region]) => ({
    name,
    mode: "AK",
    access_key_id: key,
    access_key_secret: secret,
    region_id: region,
  }));
  fs.writeFileSync(path.join(dir, "config.json"), JSON.stringify({ current: list[0].name, profiles: list }), { mode: 0o600 });
}
console.log(`stacks=${chosen.map((s) => s.id).join(" ")}`);
