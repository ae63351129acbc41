import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { generateBindings, SCHEMA_FILE } from "../scripts/get.mjs";
import { ALICLOUD_PROVIDER } from "../lib/facts";
import { ROOT } from "./helpers";
import { tree } from "./tree";

describe("generated provider bindings", () => {
  it("the committed .gen equals a fresh generation from the checked-in schema", async () => {
    const fresh = mkdtempSync(path.join(tmpdir(), "gen-"));
    await generateBindings(fresh);
    expect(tree(path.join(ROOT, ".gen", "providers", "alicloud"))).toEqual(tree(path.join(fresh, "providers", "alicloud")));
  });

  it("schema, cdktf.json and the synthesized pin name the same provider version", () => {
    const schema = JSON.parse(readFileSync(SCHEMA_FILE, "utf8"));
    expect(schema.provider_versions).toEqual({
      [`registry.terraform.io/${ALICLOUD_PROVIDER.source}`]: ALICLOUD_PROVIDER.version,
    });
    const cdktf = JSON.parse(readFileSync(path.join(ROOT, "cdktf.json"), "utf8"));
    expect(cdktf.terraformProviders).toEqual([`${ALICLOUD_PROVIDER.source}@=${ALICLOUD_PROVIDER.version}`]);
    const provider = readFileSync(path.join(ROOT, ".gen", "providers", "alicloud", "provider", "index.ts"), "utf8");
    expect(provider).toContain(`providerVersion: '${ALICLOUD_PROVIDER.version}'`);
  });
});
