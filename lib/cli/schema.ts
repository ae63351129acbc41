/** npm run schema: regenerates delegation.schema.json and handoff.schema.json from their schemas. */
import fs from "node:fs";
import { delegationJsonSchema, HANDOFF_SCHEMA_FILE, handoffJsonSchema, JSON_SCHEMA_FILE } from "../config/json-schema";
import { run } from "./common";

run(() => {
  fs.writeFileSync(JSON_SCHEMA_FILE, delegationJsonSchema());
  fs.writeFileSync(HANDOFF_SCHEMA_FILE, handoffJsonSchema());
  console.log(`wrote ${JSON_SCHEMA_FILE} and ${HANDOFF_SCHEMA_FILE}`);
  return 0;
});
