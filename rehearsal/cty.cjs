/**
 * Values and schemas as the rehearsal's provider speaks them to Terraform: cty values in msgpack,
 * the committed provider schema as the plugin protocol's messages, complete objects, and
 * diagnostics. A TEST COMPONENT (see provider.cjs); facts: FACTS.md (NOTES = the plugin protocol).
 */
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const { ExtensionCodec, decode, encode } = require("@msgpack/msgpack");

const SCHEMA_FILE = path.join(__dirname, "..", "providers", "aliyun-alicloud-1.289.0.json");

// ---- values: cty's msgpack encoding -----------------------------------------------------------

/** An unknown value (planned, known after apply). */
const UNKNOWN = Symbol("unknown");
const codec = new ExtensionCodec();
// NOTES: unknown values are extension type 0; Terraform adds refinements as type 12
codec.register({ type: 0, encode: (v) => (v === UNKNOWN ? new Uint8Array([0]) : null), decode: () => UNKNOWN });
codec.register({ type: 12, encode: () => null, decode: () => UNKNOWN });
const fromMsgpack = (dv) => (dv && dv.msgpack && dv.msgpack.length > 0 ? decode(dv.msgpack, { extensionCodec: codec }) : null);
const toMsgpack = (value) => ({ msgpack: Buffer.from(encode(value, { extensionCodec: codec, ignoreUndefined: false })) });

// ---- the schema -------------------------------------------------------------------------------

const providerSchema = JSON.parse(fs.readFileSync(SCHEMA_FILE, "utf8")).provider_schemas["registry.terraform.io/aliyun/alicloud"];
const NESTING = { single: "SINGLE", list: "LIST", set: "SET", map: "MAP", group: "GROUP" };

function protoBlock(block) {
  return {
    version: 0,
    attributes: Object.entries(block.attributes ?? {})
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([name, a]) => ({
        name,
        type: Buffer.from(JSON.stringify(a.type)),
        description: a.description ?? "",
        required: !!a.required,
        optional: !!a.optional,
        computed: !!a.computed,
        sensitive: !!a.sensitive,
        deprecated: !!a.deprecated,
      })),
    block_types: Object.entries(block.block_types ?? {})
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([name, b]) => ({
        type_name: name,
        block: protoBlock(b.block),
        nesting: NESTING[b.nesting_mode],
        min_items: b.min_items ?? 0,
        max_items: b.max_items ?? 0,
      })),
    deprecated: !!block.deprecated,
  };
}
const protoSchema = (s) => ({ version: s.version ?? 0, block: protoBlock(s.block) });

/** A value with every attribute and block of its schema present (cty objects are complete). */
function complete(block, value) {
  if (value === null || value === undefined) return null;
  const out = {};
  for (const name of Object.keys(block.attributes ?? {})) out[name] = value[name] === undefined ? null : value[name];
  for (const [name, b] of Object.entries(block.block_types ?? {})) {
    const v = value[name];
    if (b.nesting_mode === "single" || b.nesting_mode === "group") out[name] = v ? complete(b.block, v) : null;
    else if (b.nesting_mode === "map")
      out[name] = v ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, complete(b.block, x)])) : {};
    else out[name] = Array.isArray(v) ? v.map((x) => complete(b.block, x)) : [];
  }
  return out;
}

const blockOf = (type) => providerSchema.resource_schemas[type]?.block;

const ERROR = "ERROR";
const diagnostic = (summary, detail = "", attribute) => ({
  severity: ERROR,
  summary,
  detail,
  ...(attribute ? { attribute: { steps: [{ attribute_name: attribute }] } } : {}),
});

module.exports = { UNKNOWN, fromMsgpack, toMsgpack, providerSchema, protoSchema, complete, blockOf, diagnostic };
