#!/usr/bin/env node
/**
 * npm run snapshots: rewrites the company's policy snapshots (policies/) from its own config
 * (delegation.yaml, or $DELEGATION_CONFIG): every policy file is written anew and the files of
 * policies the config no longer makes are removed. If the config does not synthesize, the
 * previous snapshots are left as they were. Review `git diff policies/` before committing.
 */
"use strict";
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const folder = path.join(root, "policies");
const previous = `${folder}.old-${process.pid}`;

if (fs.existsSync(folder)) fs.renameSync(folder, previous);
const vitest = spawnSync(
  process.execPath,
  [path.join(root, "node_modules", "vitest", "vitest.mjs"), "run", "--project", "company", "--update"],
  { cwd: root, stdio: "inherit" },
);
if (vitest.status === 0) {
  fs.rmSync(previous, { recursive: true, force: true });
  console.log("policies/: written from the config; review `git diff policies/` and commit it with the config");
} else {
  fs.rmSync(folder, { recursive: true, force: true });
  if (fs.existsSync(previous)) fs.renameSync(previous, folder);
  console.error("policies/: not updated (the config did not synthesize, or the run failed); the previous snapshots are kept");
}
process.exit(vitest.status ?? 1);
