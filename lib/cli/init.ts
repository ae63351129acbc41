/**
 * npm run init -- --owner | --partner [--name <slug>] [--account-id <uid>] [--region <region>] [--force]
 *
 * Turns a clone of the product into a company's repository: writes a minimal valid config of
 * the seat's form as `delegation.yaml` (or `$DELEGATION_CONFIG`), with the `$schema` line that
 * points editors at `delegation.schema.json` from where the file is, then writes the company's
 * policy snapshots (`npm run snapshots`) and says what to commit. It replaces only the product's
 * own example config; any other file needs `--force`. Examples and tests stay where they are:
 * the product's tests use them.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { JSON_SCHEMA_FILE } from "../config/json-schema";
import { configFile, parseAnyConfig, parseConfigText } from "../config/load";
import { InputError } from "../readers/files";
import { args, run, UsageError } from "./common";

/** The product's example config: the one file init replaces without --force (its first line aside). */
const PRODUCT_EXAMPLE = path.join("__tests__", "fixtures", "example.yaml");

interface Seat {
  readonly name: string;
  readonly accountId: string;
  readonly region: string;
}

const header = (schema: string, lines: readonly string[]) =>
  [`# yaml-language-server: $schema=${schema}`, ...lines.map((l) => `# ${l}`.trimEnd()), ""].join("\n");

/** A minimal owner-form config: one partner with one grant, to edit. */
export function ownerConfig(schema: string, s: Seat): string {
  return `${header(schema, [
    "Our delegation config (owner form): who outside our account may use our EventBridge buses.",
    "`npm run synth` makes the owner stack (a RAM role, its policies and attachments per partner, in",
    "our account) and one handoff per partner, cdktf.out/handoffs/<partner>.json, to send to it.",
    'The partner below is a placeholder: replace it. Every field: README.md, "Configuration reference".',
    "After each change: npm run snapshots, review git diff policies/, commit both.",
  ])}
owner:
  name: ${s.name} # slug (a-z, 0-9, -), used in names and outputs
  accountId: "${s.accountId}" # our 16-digit account UID; always quoted
  region: ${s.region} # region of our provider and the default for grants

partners:
  - name: first-partner # slug; the partner's handoff is cdktf.out/handoffs/first-partner.json
    accountId: "2000000000000002" # the partner's account UID: only this account is trusted
    role:
      name: first-partner-publisher # RAM role in our account that the partner's users assume
      externalId: first-partner-change-me # the partner passes this to AssumeRole
    grants:
      - eventBus: orders # a bus in our account
        permissions: [publish] # publish | read | manage-rules
`;
}

/** A minimal partner-form config: no delegation until an owner sends a handoff. */
export function partnerConfig(schema: string, s: Seat): string {
  return `${header(schema, [
    "Our delegation config (partner form): the owners' roles our users may assume.",
    "For each handoff an owner sends (commit it as handoffs/<owner>.json), add a delegations entry;",
    "`npm run synth` then makes one stack, partner-<name>, in our account: a group, its users and",
    'the permission to assume that owner\'s role. Every field: README.md, "Configuration reference".',
    "After each change: npm run snapshots, review git diff policies/, commit both.",
  ])}
partner:
  name: ${s.name} # slug: how our account calls itself
  accountId: "${s.accountId}" # our 16-digit account UID; always quoted; every handoff must be made for it
  region: ${s.region} # region of our provider

delegations: []
# delegations:
#   - handoff: handoffs/<owner>.json # the file the owner sent, unchanged
#     ownerAccountId: "<the owner's account UID>" # a pin: a handoff from any other account is refused
#     groupName: <owner>-delegates # the group in our account whose members may assume the role
#     users:
#       - name: event-publisher # API access: create its AccessKey in the console (never in Terraform state)
#     assumePolicy: scoped # sts:AssumeRole on that one role only
`;
}

/** The first line aside, is `text` the product's example config? */
function isProductExample(text: string): boolean {
  const example = fs.readFileSync(PRODUCT_EXAMPLE, "utf8");
  const body = (t: string) => t.slice(t.indexOf("\n") + 1);
  return body(text) === body(example);
}

run(() => {
  const usage = "npm run init -- --owner | --partner [--name <slug>] [--account-id <16 digits>] [--region <region>] [--force]";
  const { values, positionals } = args(
    process.argv.slice(2),
    {
      owner: { type: "boolean" },
      partner: { type: "boolean" },
      name: { type: "string" },
      "account-id": { type: "string" },
      region: { type: "string" },
      force: { type: "boolean" },
    },
    usage,
  );
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}\nusage: ${usage}`);
  if (values.owner === values.partner) throw new UsageError(`give exactly one of --owner and --partner\nusage: ${usage}`);
  const form = values.owner ? "owner" : "partner";
  const file = configFile();
  const target = path.resolve(file);
  const existing = fs.existsSync(target) ? fs.readFileSync(target, "utf8") : undefined;
  if (existing !== undefined && !values.force && !isProductExample(existing)) {
    throw new InputError(`${file}: already holds a config; edit it, or pass --force to replace it`);
  }
  const seat: Seat = {
    name: values.name ?? "my-company",
    accountId: values["account-id"] ?? (form === "owner" ? "1000000000000001" : "2000000000000002"),
    region: values.region ?? "cn-hangzhou",
  };
  const schema = path.relative(path.dirname(target), path.resolve(JSON_SCHEMA_FILE)).split(path.sep).join("/");
  const text = (form === "owner" ? ownerConfig : partnerConfig)(schema.startsWith(".") ? schema : `./${schema}`, seat);
  // --name, --account-id and --region end up in the config: it is checked before it is written
  parseAnyConfig(parseConfigText(text, file), file);

  const staged = `${target}.tmp-${process.pid}`;
  fs.writeFileSync(staged, text);
  fs.renameSync(staged, target);
  console.log(`wrote ${file} (${form === "owner" ? "owner form: owner + partners[]" : "partner form: partner + delegations[]"})`);

  const snapshots = spawnSync(process.execPath, [path.join("scripts", "snapshots.cjs")], { encoding: "utf8" });
  if (snapshots.status !== 0) {
    process.stderr.write(snapshots.stdout + snapshots.stderr);
    console.error("the policy snapshots were not written: fix the error above, then run npm run snapshots");
    return 1;
  }
  const count = (dir: string): number =>
    fs.existsSync(dir)
      ? fs
          .readdirSync(dir, { withFileTypes: true })
          .reduce((n, e) => n + (e.isDirectory() ? count(path.join(dir, e.name)) : 1), 0)
      : 0;
  const written = count("policies");
  console.log(
    written > 0
      ? `wrote policies/ (${written} snapshot files of what the config grants)`
      : "no policy snapshots yet: the config makes no stack until a delegation is added",
  );
  console.log(
    [
      "",
      "Next:",
      `  1. edit ${file} (README.md, "Configuration reference"), then npm run snapshots`,
      ...(form === "partner"
        ? ["     when an owner sends a handoff: commit it as handoffs/<owner>.json and add a delegations entry"]
        : ["     npm run synth writes each partner's handoff to cdktf.out/handoffs/<partner>.json"]),
      `  2. commit: git add ${file} policies && git commit -m "Our delegation config"`,
      "     keep examples/ and __tests__/: the product's tests use them, not your config",
      '  3. later releases: git remote add upstream <product repository>, git pull upstream main (README.md, "Taking a new release")',
      "",
    ].join("\n"),
  );
  return 0;
});
