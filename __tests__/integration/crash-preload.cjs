/**
 * Loaded with `node --require` into a real synth process by crash.test.ts: counts the file system
 * changes the process makes under $KILL_TARGET (the output directory and its siblings) and kills
 * the process with SIGKILL, which nothing can catch, at the $KILL_AT-th one.
 */
"use strict";
const fs = require("node:fs");

const target = process.env.KILL_TARGET;
const at = Number(process.env.KILL_AT);
let count = 0;
for (const name of ["renameSync", "rmSync", "writeFileSync", "mkdirSync", "linkSync", "unlinkSync", "rmdirSync"]) {
  const original = fs[name];
  fs[name] = function (file, ...rest) {
    if (typeof file === "string" && file.startsWith(target) && ++count === at) process.kill(process.pid, "SIGKILL");
    return original.call(this, file, ...rest);
  };
}
