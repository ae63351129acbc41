#!/usr/bin/env node
/**
 * The synth command: `npm run synth`, and the cdktf.json app that `cdktf synth` and
 * `cdktf deploy` run. It runs main.ts through the bundle launcher (scripts/launch.cjs), and is
 * also the script worker threads start from for large configs.
 */
"use strict";
require("./launch.cjs").launch("main.ts", "synth");
