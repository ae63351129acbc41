#!/usr/bin/env node
/**
 * Runs one of the project's TypeScript commands from a bundle built with esbuild:
 * `node scripts/launch.cjs <command> [args]` runs lib/cli/<command>.ts, or rehearsal/cli.ts for
 * `rehearse` (scripts/synth.cjs runs main.ts the same way). Loading one bundled file costs less
 * than resolving a module tree, and nothing is transpiled on an ordinary run; V8's code cache
 * (dist/<command>.js.cache) spares most of the parse and compile time of later runs. The bundle
 * is rebuilt first whenever a project file it was built from (or package-lock.json) has
 * changed, so an edit never runs stale.
 */
"use strict";
const fs = require("node:fs");
const Module = require("node:module");
const path = require("node:path");
const vm = require("node:vm");
const { isMainThread, threadId } = require("node:worker_threads");

const root = path.resolve(__dirname, "..");

/** [mtime, size] of a project file, or null when it is gone. */
function signature(file) {
  try {
    const s = fs.statSync(path.join(root, file));
    return [s.mtimeMs, s.size];
  } catch {
    return null;
  }
}

/** Writes a file by rename, so that a concurrent run never reads half of it. */
function writeAtomically(file, contents) {
  const tmp = `${file}.${process.pid}-${threadId}.tmp`;
  fs.writeFileSync(tmp, contents);
  fs.renameSync(tmp, file);
}

function launch(entry, name) {
  const bundle = path.join(root, "dist", `${name}.js`);
  const stampFile = path.join(root, "dist", `${name}.inputs.json`);
  const cacheFile = `${bundle}.cache`;

  const isFresh = () => {
    let inputs;
    try {
      inputs = JSON.parse(fs.readFileSync(stampFile, "utf8"));
    } catch {
      return false;
    }
    for (const [file, [mtime, size]] of Object.entries(inputs)) {
      const now = signature(file);
      if (now === null || now[0] !== mtime || now[1] !== size) return false;
    }
    return fs.existsSync(bundle);
  };

  const build = () => {
    const started = Date.now() - 1;
    const esbuild = require("esbuild");
    const result = esbuild.buildSync({
      absWorkingDir: root,
      entryPoints: [entry],
      bundle: true,
      platform: "node",
      format: "cjs",
      target: "node20",
      outfile: bundle,
      write: false,
      metafile: true,
      logLevel: "warning",
      // a smaller file to read and hash on every run (about 10% of the example's synth time);
      // identifiers are kept, so stack traces still name every function
      minifyWhitespace: true,
      minifySyntax: true,
    });
    // a file changed while esbuild read it is recorded as unknown, so the next run rebuilds
    const inputs = {};
    for (const file of [...Object.keys(result.metafile.inputs), "package-lock.json"].sort()) {
      if (file.startsWith("node_modules/")) continue;
      const sig = signature(file);
      inputs[file] = sig && sig[0] < started ? sig : [0, -1];
    }
    fs.mkdirSync(path.dirname(bundle), { recursive: true });
    fs.rmSync(cacheFile, { force: true });
    writeAtomically(bundle, result.outputFiles[0].contents);
    writeAtomically(stampFile, JSON.stringify(inputs, null, 1));
  };

  // worker threads run the bundle their main thread checked (and built)
  if (isMainThread && !isFresh()) build();

  // Run the bundle as a CommonJS module, compiled with (and then refreshing) the code cache.
  let cachedData;
  try {
    cachedData = fs.readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(Module.wrap(fs.readFileSync(bundle, "utf8")), { filename: bundle, cachedData });
  if (cachedData === undefined || script.cachedDataRejected) {
    // after the run, so that the functions it compiled are in the cache too
    process.once("exit", () => {
      try {
        writeAtomically(cacheFile, script.createCachedData());
      } catch {
        // the cache is an optimization only
      }
    });
  }
  const mod = new Module(bundle, module);
  mod.filename = bundle;
  mod.paths = Module._nodeModulePaths(path.dirname(bundle));
  script.runInThisContext().call(mod.exports, mod.exports, (id) => mod.require(id), mod, bundle, path.dirname(bundle));
}

module.exports = { launch };

/** Commands that live outside lib/cli/: the rehearsal is a test component, and lib/ never imports it. */
const ENTRIES = { rehearse: path.join("rehearsal", "cli.ts") };

if (require.main === module) {
  const command = process.argv[2];
  const entry = command && (Object.hasOwn(ENTRIES, command) ? ENTRIES[command] : path.join("lib", "cli", `${command}.ts`));
  if (!entry || !/^[a-z-]+$/.test(command) || !fs.existsSync(path.join(root, entry))) {
    console.error(
      `usage: node scripts/launch.cjs <command> [args]; commands: ${fs
        .readdirSync(path.join(root, "lib", "cli"))
        .map((f) => f.replace(/\.ts$/, ""))
        .concat(Object.keys(ENTRIES))
        .sort()
        .join(", ")}`,
    );
    process.exit(2);
  }
  process.argv.splice(2, 1);
  launch(entry, command);
}
