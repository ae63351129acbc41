#!/usr/bin/env node
// Regenerates the alicloud provider bindings (.gen/providers/alicloud) from the provider schema
// checked into providers/, with cdktf's own generator. Works offline; `cdktf get` on a connected
// machine produces the full provider at the same import paths.
import { rmSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
export const SCHEMA_FILE = path.join(root, "providers", "aliyun-alicloud-1.289.0.json");

export async function generateBindings(outDir) {
  const require = createRequire(import.meta.url);
  const { generateProviderBindingsFromSchema } = require("@cdktf/provider-generator");
  const schema = JSON.parse(await readFile(SCHEMA_FILE, "utf8"));
  rmSync(path.join(outDir, "providers", "alicloud"), { recursive: true, force: true });
  await generateProviderBindingsFromSchema(outDir, schema);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const outDir = path.resolve(process.argv[2] ?? path.join(root, ".gen"));
  await generateBindings(outDir);
  console.log(
    `generated ${path.relative(process.cwd(), path.join(outDir, "providers", "alicloud")) || "."} from ${path.relative(process.cwd(), SCHEMA_FILE)}`,
  );
}
