/** npm run schema: regenerates delegation.schema.json from the config schema. */
import fs from "node:fs";
import { delegationJsonSchema, JSON_SCHEMA_FILE } from "../config/json-schema";
import { run } from "./common";

run(() => {
  fs.writeFileSync(JSON_SCHEMA_FILE, delegationJsonSchema());
  console.log(`wrote ${JSON_SCHEMA_FILE}`);
  return 0;
});
