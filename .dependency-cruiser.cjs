/**
 * The import layers of lib/, checked by dependency-cruiser in `npm run lint`
 * (`depcruise lib rehearsal main.ts --config .dependency-cruiser.cjs`).
 *
 * Imports flow one way: a file may import its own layer and the layers below it, never a layer
 * above. Layers are listed bottom first; a layer with several folders holds siblings that may
 * import one another. Every file of lib/ belongs to a layer: a new folder is added here, where
 * the layers say, before anything imports it. docs/ARCHITECTURE.md explains the layers.
 * __tests__/layers.test.ts proves that each rule reports a wrong import.
 */
"use strict";

/** Bottom first. `paths` are regular expressions on paths relative to the repository root. */
const LAYERS = [
  {
    name: "primitives",
    // shared pieces with no product logic of their own: reading files, IPv4 blocks, quoting and
    // escaping text, field shapes shared by the config and the handoff, ARNs and names, the
    // facts from Alibaba's documentation, the action catalog, the check ids, Terraform literals
    paths: [
      "^lib/io/",
      "^lib/net/",
      "^lib/text/",
      "^lib/fields/",
      "^lib/names/",
      "^lib/ram/",
      "^lib/facts\\.ts$",
      "^lib/catalog/",
      "^lib/check-ids\\.ts$",
      "^lib/terraform/",
    ],
  },
  {
    name: "handoff",
    // the handoff contract between two companies: schema, type, digest, rendering, reading; it
    // imports no model and no policy, so the format cannot drift with them
    paths: ["^lib/handoff/"],
  },
  {
    name: "config",
    // the config contract: schema, cross-field checks, loader (it reads the handoffs a
    // partner-form config names)
    paths: ["^lib/config/"],
  },
  {
    name: "model",
    // plain, frozen data derived from a validated config: names, ARNs, defaults
    paths: ["^lib/model/"],
  },
  {
    name: "policy",
    // policy documents as data, their builders and the one renderer
    paths: ["^lib/policy/"],
  },
  {
    name: "describe",
    // each side's resources described once as data, the handoff A derives for B, the whole model
    paths: ["^lib/describe/"],
  },
  {
    name: "consumers",
    // what reads descriptions: the constructs that write them, the synth checks, the readers of
    // synthesized stacks and states, the review tools, the state audit and the live audit, the
    // plan of a rehearsed change, the partner's step 6
    paths: [
      "^lib/constructs/",
      "^lib/rules/",
      "^lib/readers/",
      "^lib/review/",
      "^lib/audit/",
      "^lib/live/",
      "^lib/plan/",
      "^lib/partner/",
    ],
  },
  {
    name: "cdktf-internals",
    // the overrides of cdktf's synthesis (the stack base class, App.synth() by hand), in one
    // place, checked against cdktf's own App.synth() and its version by a test
    paths: ["^lib/cdktf-internals/"],
  },
  {
    name: "stacks",
    // the owner and partner stacks, and the aspect that runs the checks on them
    paths: ["^lib/stacks/"],
  },
  {
    name: "synth",
    // the run contract: build the app, synthesize (in shards), write the output
    paths: ["^lib/synth/"],
  },
  {
    name: "cli",
    // the commands
    paths: ["^lib/cli/"],
  },
];

const either = (paths) => `(?:${paths.join("|")})`;
const ALL_LAYERS = either(LAYERS.flatMap((l) => l.paths));

/** One rule per layer: nothing in it imports a layer above it. */
const layerRules = LAYERS.slice(0, -1).map((layer, i) => ({
  name: `layer-${layer.name}`,
  comment: `${layer.name} may import only ${LAYERS.slice(0, i + 1)
    .map((l) => l.name)
    .join(", ")} (layers above it: ${LAYERS.slice(i + 1)
    .map((l) => l.name)
    .join(", ")})`,
  severity: "error",
  from: { path: either(layer.paths) },
  to: { path: either(LAYERS.slice(i + 1).flatMap((l) => l.paths)) },
}));

/** The rehearsal's driver (run.ts, cli.ts, kept.ts: its kept folder) runs the product's synth and audit; the rest is the fake. */
const REHEARSAL_DRIVER = "^rehearsal/(?:run|cli|kept)\\.ts$";

module.exports = {
  LAYERS,
  REHEARSAL_DRIVER,
  forbidden: [
    ...layerRules,
    {
      name: "no-circular",
      comment: "no import circle in lib/",
      severity: "error",
      from: { path: "^lib/" },
      to: { circular: true },
    },
    {
      name: "lib-in-a-layer",
      comment: "every file of lib/ belongs to a layer of .dependency-cruiser.cjs (add a new folder there)",
      severity: "error",
      from: { path: "^lib/", pathNot: ALL_LAYERS },
      to: {},
    },
    {
      name: "lib-imports-layered",
      comment: "lib/ imports only files that belong to a layer of .dependency-cruiser.cjs (add a new folder there)",
      severity: "error",
      from: { path: "^(?:lib/|main\\.ts$)" },
      to: { path: "^lib/", pathNot: ALL_LAYERS },
    },
    {
      name: "lib-not-rehearsal",
      comment: "lib/ never imports the rehearsal (a test component); its command lives in rehearsal/cli.ts",
      severity: "error",
      from: { path: "^lib/" },
      to: { path: "^rehearsal/" },
    },
    {
      name: "fake-not-lib",
      comment: "the rehearsal's stand-in provider and fake RAM import nothing from lib/: they imitate the cloud, not the product",
      severity: "error",
      from: { path: "^rehearsal/", pathNot: REHEARSAL_DRIVER },
      to: { path: "^lib/" },
    },
    {
      name: "cdktf-deep-imports",
      comment: "only lib/cdktf-internals/ reaches into cdktf beyond its package root (cdktf/lib/...)",
      severity: "error",
      from: { path: "^(?:lib/|rehearsal/|main\\.ts$)", pathNot: "^lib/cdktf-internals/" },
      to: { path: "(?:^|/)cdktf/lib/(?!index\\.js$)" },
    },
    {
      name: "main-is-wiring",
      comment: "main.ts runs the synth and nothing else",
      severity: "error",
      from: { path: "^main\\.ts$" },
      to: { path: "^lib/", pathNot: "^lib/synth/" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^(?:\\.gen|dist|cdktf\\.out)/" },
    tsConfig: { fileName: "tsconfig.json" },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { extensions: [".ts", ".cjs", ".mjs", ".js", ".json"] },
  },
};
