/**
 * Installs the rehearsal provider the way Terraform installs any provider it cannot download:
 * a filesystem mirror holding a launcher for provider.cjs, and a CLI config that takes
 * aliyun/alicloud from that mirror only (FACTS.md, NOTES).
 * Used by the rehearsal (run.ts) and its benchmark.
 */
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const SOURCE = "aliyun/alicloud";
const VERSION = "1.289.0"; // the version the stacks pin (lib/facts.ts ALICLOUD_PROVIDER); a test keeps them equal
const PLATFORM = `${process.platform === "win32" ? "windows" : process.platform}_${process.arch === "x64" ? "amd64" : process.arch}`;

/**
 * One word for /bin/sh, whatever it holds: single quotes keep every character literal (no `$`,
 * backtick or backslash expansion inside them), and a single quote itself is closed, escaped and
 * reopened. POSIX sh "Quoting": "Enclosing characters in single-quotes shall preserve the literal
 * value of each character within the single-quotes."
 */
function shellWord(text) {
  if (text.includes("\0")) throw new Error("a path holding a NUL character cannot be passed to a shell");
  return `'${text.replace(/'/g, "'\\''")}'`;
}

/** Writes the mirror and the CLI config into `dir`; returns the CLI config's path (for TF_CLI_CONFIG_FILE). */
function installProvider(dir) {
  const pkg = path.join(dir, "mirror", "registry.terraform.io", SOURCE, VERSION, PLATFORM);
  fs.mkdirSync(pkg, { recursive: true });
  // started with node directly: nothing may reach stdout before the handshake line
  fs.writeFileSync(
    path.join(pkg, `terraform-provider-alicloud_v${VERSION}`),
    `#!/bin/sh\nexec ${shellWord(process.execPath)} ${shellWord(path.join(__dirname, "provider.cjs"))} "$@"\n`,
    { mode: 0o755 },
  );
  const config = path.join(dir, "terraformrc");
  const registry = `registry.terraform.io/${SOURCE}`;
  fs.writeFileSync(
    config,
    `provider_installation {\n  filesystem_mirror {\n    path    = ${JSON.stringify(path.join(dir, "mirror"))}\n    include = ["${registry}"]\n  }\n  direct {\n    exclude = ["${registry}"]\n  }\n}\n`,
  );
  return config;
}

module.exports = { installProvider, shellWord, VERSION };
