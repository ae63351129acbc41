import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadConfig, parseAnyConfig, parseConfig } from "../lib/config/load";
import { ConfigError, formatPath } from "../lib/config/issues";
import { checkIpv4OrCidr } from "../lib/fields/cidr";
import { isIsoDateTimeWithZone } from "../lib/fields/dates";
import { closest } from "../lib/config/suggest";
import { parseJsonStrict } from "../lib/io/files";
import { EXAMPLE_FILE, MULTI_FILE, ROOT as ROOT_DIR, edited, rawConfig } from "./helpers";

/** The problems parseConfig reports for a config, as printed lines. */
function problems(raw: unknown): string[] {
  try {
    parseConfig(raw);
  } catch (e) {
    if (e instanceof ConfigError) return e.message.split("\n");
    throw e;
  }
  return [];
}

const example = (edit: (c: any) => void) => problems(edited(EXAMPLE_FILE, edit));
const multi = (edit: (c: any) => void) => problems(edited(MULTI_FILE, edit));

describe("valid configs", () => {
  it("accepts the example and the multi-partner fixture", () => {
    expect(problems(rawConfig(EXAMPLE_FILE))).toEqual([]);
    expect(problems(rawConfig(MULTI_FILE))).toEqual([]);
  });

  it("fills defaults", () => {
    const c = parseConfig(edited(EXAMPLE_FILE, (c) => delete c.owner.backend));
    expect(c.owner.backend).toEqual({ type: "local" });
    expect(c.partners[0].role.trustedPrincipals).toEqual(["root"]);
    expect(c.partners[0].role.requireMfa).toBe(false);
    expect(c.partners[0].revoked).toBe(false);
    expect(c.partners[0].grants[0].actions).toEqual([]);
  });

  it("reads JSON as well as YAML", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "cfg-"));
    const file = path.join(dir, "delegation.json");
    writeFileSync(file, JSON.stringify(rawConfig(EXAMPLE_FILE)));
    expect(loadConfig(file).partners[0].name).toBe("enterprise-b");
  });
});

describe("field checks name the path, the expectation and what came", () => {
  it.each<[string, (c: any) => void, string]>([
    [
      "owner slug",
      (c) => (c.owner.name = "Enterprise A"),
      'owner.name: must be a slug of 1-32 lowercase letters, digits and inner hyphens, got "Enterprise A"',
    ],
    [
      "unquoted account id",
      (c) => (c.owner.accountId = 1000000000000001),
      "owner.accountId: must be a 16-digit account id in quotes (YAML reads bare digits as a number), got 1000000000000001",
    ],
    [
      "short account id",
      (c) => (c.partners[0].accountId = "12345"),
      'partners[0].accountId: must be a 16-digit account id, got "12345"',
    ],
    ["missing region", (c) => delete c.owner.region, "owner.region: required: an Alibaba Cloud region id such as cn-hangzhou"],
    [
      "session too short",
      (c) => (c.partners[0].role.maxSessionDuration = 99),
      "partners[0].role.maxSessionDuration: must be between 3600 and 43200, got 99",
    ],
    [
      "session too long",
      (c) => (c.partners[0].role.maxSessionDuration = 43201),
      "partners[0].role.maxSessionDuration: must be between 3600 and 43200, got 43201",
    ],
    [
      "session as string",
      (c) => (c.partners[0].role.maxSessionDuration = "3600"),
      'partners[0].role.maxSessionDuration: expected a whole number between 3600 and 43200, got "3600"',
    ],
    [
      "role name charset",
      (c) => (c.partners[0].role.name = "publisher_b"),
      `partners[0].role.name: must be 1-64 of letters, digits, '.' and '-', got "publisher_b"`,
    ],
    [
      "role name length",
      (c) => (c.partners[0].role.name = "r".repeat(65)),
      `partners[0].role.name: must be 1-64 of letters, digits, '.' and '-', got "${"r".repeat(65)}"`,
    ],
    [
      "external id too short",
      (c) => (c.partners[0].role.externalId = "x"),
      'partners[0].role.externalId: must be 2-1224 of letters, digits and +=,.@:/-_, got "x"',
    ],
    [
      "external id charset",
      (c) => (c.partners[0].role.externalId = "a b"),
      'partners[0].role.externalId: must be 2-1224 of letters, digits and +=,.@:/-_, got "a b"',
    ],
    [
      "bad IP",
      (c) => (c.partners[0].role.sourceIps = ["1.2.3"]),
      'partners[0].role.sourceIps[0]: must be an IPv4 address or CIDR block such as 203.0.113.0/24, got "1.2.3"',
    ],
    [
      "CIDR host bits",
      (c) => (c.partners[0].role.sourceIps = ["203.0.113.5/24"]),
      'partners[0].role.sourceIps[0]: has host bits set (did you mean "203.0.113.0/24"?), got "203.0.113.5/24"',
    ],
    [
      "any address",
      (c) => (c.partners[0].role.sourceIps = ["0.0.0.0/0"]),
      "partners[0].role.sourceIps[0]: 0.0.0.0/0 matches every address; leave sourceIps out instead",
    ],
    [
      "UTC offset out of range",
      (c) => (c.partners[0].validUntil = "2027-12-31T23:59:59+25:00"),
      'partners[0].validUntil: must be an ISO 8601 date-time with a zone, such as 2027-12-31T23:59:59+08:00, got "2027-12-31T23:59:59+25:00"',
    ],
    [
      "UTC offset beyond -12:00",
      (c) => (c.partners[0].validUntil = "2027-12-31T23:59:59-14:59"),
      'partners[0].validUntil: must be an ISO 8601 date-time with a zone, such as 2027-12-31T23:59:59+08:00, got "2027-12-31T23:59:59-14:59"',
    ],
    [
      "system policy twice, in another case",
      (c) => (c.partners[0].systemPolicies = ["AliyunEventBridgeReadOnlyAccess", "aliyuneventbridgereadonlyaccess"]),
      'partners[0].systemPolicies[1]: duplicate system policy "aliyuneventbridgereadonlyaccess" (also at [0])',
    ],
    [
      "a read beyond the bus",
      (c) => (c.partners[0].grants[0].actions = ["eventbridge:GetConnection"]),
      "partners[0].grants[0].actions[0]: eventbridge:GetConnection cannot be scoped to the grant's bus (RAM checks it against acs:eventbridge:{#regionId}:{#accountId}:connection/{#ConnectionName}); extra actions act on the bus, its rules or its event sources",
    ],
    [
      "addresses covering everything",
      (c) => (c.partners[0].role.sourceIps = ["0.0.0.0/1", "128.0.0.0/1"]),
      "partners[0].role.sourceIps: together these cover every address; leave sourceIps out instead",
    ],
    [
      "principal kind",
      (c) => (c.partners[0].role.trustedPrincipals = ["group/ops"]),
      `partners[0].role.trustedPrincipals[0]: must be root, user/<name> or role/<name> (a RAM user or role in the partner's account), got "group/ops"`,
    ],
    [
      "duplicate principal",
      (c) => (c.partners[0].role.trustedPrincipals = ["root", "root"]),
      'partners[0].role.trustedPrincipals[1]: duplicate principal "root" (also at [0])',
    ],
    [
      "no principal",
      (c) => (c.partners[0].role.trustedPrincipals = []),
      "partners[0].role.trustedPrincipals: must name at least one principal (root trusts the whole account)",
    ],
    [
      "date without zone",
      (c) => (c.partners[0].validUntil = "2027-12-31T23:59:59"),
      'partners[0].validUntil: must be an ISO 8601 date-time with a zone, such as 2027-12-31T23:59:59+08:00, got "2027-12-31T23:59:59"',
    ],
    [
      "impossible date",
      (c) => (c.partners[0].validUntil = "2027-02-30T00:00:00Z"),
      'partners[0].validUntil: must be an ISO 8601 date-time with a zone, such as 2027-12-31T23:59:59+08:00, got "2027-02-30T00:00:00Z"',
    ],
    [
      "empty bus",
      (c) => (c.partners[0].grants[0].eventBus = ""),
      `partners[0].grants[0].eventBus: must be an event bus name (1-127 of letters, digits, '-' and '_'), got ""`,
    ],
    [
      "wildcard bus",
      (c) => (c.partners[0].grants[0].eventBus = "*"),
      `partners[0].grants[0].eventBus: must be an event bus name (1-127 of letters, digits, '-' and '_'), got "*"`,
    ],
    [
      "permission level",
      (c) => (c.partners[0].grants[0].permissions = ["pubish"]),
      'partners[0].grants[0].permissions[0]: must be one of publish, read, manage-rules, got "pubish" (did you mean "publish"?)',
    ],
    [
      "no permission",
      (c) => (c.partners[0].grants[0].permissions = []),
      "partners[0].grants[0].permissions: must list at least one of publish, read, manage-rules",
    ],
    [
      "unknown action",
      (c) => (c.partners[0].grants[0].actions = ["eventbridge:PutEvent"]),
      'partners[0].grants[0].actions[0]: unknown EventBridge action "eventbridge:PutEvent" (did you mean "eventbridge:PutEvents"?)',
    ],
    [
      "action without prefix",
      (c) => (c.partners[0].grants[0].actions = ["GetEventBus"]),
      'partners[0].grants[0].actions[0]: unknown EventBridge action "GetEventBus" (did you mean "eventbridge:GetEventBus"?)',
    ],
    [
      "star action",
      (c) => (c.partners[0].grants[0].actions = ["*"]),
      'partners[0].grants[0].actions[0]: wildcards are not allowed; list each action instead, got "*"',
    ],
    [
      "service wildcard",
      (c) => (c.partners[0].grants[0].actions = ["eventbridge:*"]),
      'partners[0].grants[0].actions[0]: wildcards are not allowed; list each action instead, got "eventbridge:*"',
    ],
    [
      "admin policy",
      (c) => (c.partners[0].systemPolicies = ["AdministratorAccess"]),
      "partners[0].systemPolicies[0]: AdministratorAccess is refused: it grants every action on every resource; allowed: AliyunEventBridgeReadOnlyAccess, AliyunEventBridgePutEventsPolicy",
    ],
    [
      "full access",
      (c) => (c.partners[0].systemPolicies = ["AliyunEventBridgeFullAccess"]),
      "partners[0].systemPolicies[0]: AliyunEventBridgeFullAccess is refused: it grants every EventBridge action (eventbridge:*) and creates RAM service-linked roles; allowed: AliyunEventBridgeReadOnlyAccess, AliyunEventBridgePutEventsPolicy",
    ],
    [
      "RAM policy",
      (c) => (c.partners[0].systemPolicies = ["AliyunRAMReadOnlyAccess"]),
      "partners[0].systemPolicies[0]: AliyunRAMReadOnlyAccess is refused: it is not one of the EventBridge system policies that grant neither full access nor writes on every resource; allowed: AliyunEventBridgeReadOnlyAccess, AliyunEventBridgePutEventsPolicy",
    ],
    [
      "STS policy, any case",
      (c) => (c.partners[0].systemPolicies = ["aliyunstsassumeroleaccess"]),
      "partners[0].systemPolicies[0]: aliyunstsassumeroleaccess is refused: it is not one of the EventBridge system policies that grant neither full access nor writes on every resource; allowed: AliyunEventBridgeReadOnlyAccess, AliyunEventBridgePutEventsPolicy",
    ],
    [
      "read on every service",
      (c) => (c.partners[0].systemPolicies = ["ReadOnlyAccess"]),
      "partners[0].systemPolicies[0]: ReadOnlyAccess is refused: it is not one of the EventBridge system policies that grant neither full access nor writes on every resource; allowed: AliyunEventBridgeReadOnlyAccess, AliyunEventBridgePutEventsPolicy",
    ],
    [
      "another service's policy",
      (c) => (c.partners[0].systemPolicies = ["AliyunKMSCryptoUserAccess"]),
      "partners[0].systemPolicies[0]: AliyunKMSCryptoUserAccess is refused: it is not one of the EventBridge system policies that grant neither full access nor writes on every resource; allowed: AliyunEventBridgeReadOnlyAccess, AliyunEventBridgePutEventsPolicy",
    ],
    [
      "EventBridge writes on every resource",
      (c) => (c.partners[0].systemPolicies = ["AliyunEventBridgeResourceDeletePolicy"]),
      "partners[0].systemPolicies[0]: AliyunEventBridgeResourceDeletePolicy is refused: it deletes any bus, rule, connection or API destination of the account (*); allowed: AliyunEventBridgeReadOnlyAccess, AliyunEventBridgePutEventsPolicy",
    ],
    [
      "group name",
      (c) => (c.partners[0].partnerSide.groupName = "b group"),
      `partners[0].partnerSide.groupName: must be 1-64 of letters, digits, '.', '_' and '-', got "b group"`,
    ],
    [
      "user name",
      (c) => (c.partners[0].partnerSide.users[0].name = "ci/bot"),
      `partners[0].partnerSide.users[0].name: must be 1-64 of letters, digits, '.', '_' and '-', got "ci/bot"`,
    ],
    [
      "assume policy",
      (c) => (c.partners[0].partnerSide.assumePolicy = "sys"),
      'partners[0].partnerSide.assumePolicy: must be one of scoped, system, got "sys"',
    ],
    ["backend type", (c) => (c.owner.backend = { type: "s3" }), 'owner.backend.type: must be local or oss, got "s3"'],
    [
      "oss without bucket",
      (c) => (c.owner.backend = { type: "oss", region: "cn-hangzhou" }),
      "owner.backend.bucket: required: an OSS bucket name (3-63 lowercase letters, digits and '-')",
    ],
    [
      "oss without region",
      (c) => (c.owner.backend = { type: "oss", bucket: "a-state" }),
      "owner.backend.region: required: an Alibaba Cloud region id such as cn-hangzhou",
    ],
    [
      "numeric tag value",
      (c) => (c.owner.tags = { CostCenter: 4711 }),
      "owner.tags.CostCenter: expected a string (quote numbers), got number 4711",
    ],
    [
      "reserved tag key",
      (c) => (c.owner.tags = { "acs:x": "y" }),
      `owner.tags["acs:x"]: must be a tag key of 1-128 characters not starting with aliyun or acs:, got "acs:x"`,
    ],
    [
      "assume role ARN",
      (c) => (c.owner.assumeRoleArn = "arn:aws:iam::1:role/x"),
      'owner.assumeRoleArn: must be a role ARN acs:ram::<16-digit account>:role/<name>, got "arn:aws:iam::1:role/x"',
    ],
    ["partners not a list", (c) => (c.partners = { name: "b" }), "partners: expected a list, got a mapping"],
  ])("%s", (_name, edit, expected) => {
    expect(example(edit)).toEqual([expected]);
  });

  it("refuses unknown keys with a suggestion and the allowed keys", () => {
    expect(example((c) => (c.partners[0].role.maxSesionDuration = 3600))).toEqual([
      'partners[0].role.maxSesionDuration: unknown key (did you mean "maxSessionDuration"?); allowed here: name, description, maxSessionDuration, trustedPrincipals, externalId, requireMfa, sourceIps',
    ]);
    expect(example((c) => (c.extra = true))[0]).toMatch(/^extra: unknown key; allowed here: owner, partners$/);
  });

  it("reports every problem at once", () => {
    const lines = example((c) => {
      c.owner.name = "A";
      c.partners[0].role.maxSessionDuration = 1;
      c.partners[0].grants[0].permissions = ["write"];
    });
    expect(lines.map((l) => l.split(":")[0])).toEqual([
      "owner.name",
      "partners[0].role.maxSessionDuration",
      "partners[0].grants[0].permissions[0]",
    ]);
  });

  it("says what is missing from an empty config, and what the file is when it is not a mapping", () => {
    const empty = "delegation.yaml: the config is empty; it needs owner and partners, or partner and delegations";
    expect(() => parseConfig(null, "delegation.yaml")).toThrow(new RegExp(`^${empty}$`));
    expect(() => parseConfig({}, "delegation.yaml")).toThrow(new RegExp(`^${empty}$`));
    expect(() => parseConfig([], "delegation.yaml")).toThrow(
      /^delegation\.yaml: must be a mapping with owner and partners, or partner and delegations, got a list$/,
    );
    expect(() => parseConfig("owner", "delegation.yaml")).toThrow(
      /^delegation\.yaml: must be a mapping with owner and partners, or partner and delegations, got "owner"$/,
    );
  });
});

describe("hostile config files", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "hostile-"));
  const write = (name: string, content: string | Buffer) => {
    const file = path.join(dir, name);
    writeFileSync(file, content);
    return file;
  };
  const loadProblems = (file: string) => {
    try {
      loadConfig(file);
      return [];
    } catch (e) {
      if (e instanceof ConfigError) return e.message.split("\n");
      throw e;
    }
  };
  const exampleText = readFileSync(EXAMPLE_FILE, "utf8");
  const exampleJson = JSON.stringify(rawConfig(EXAMPLE_FILE), null, 2);

  it("refuses an endless file (/dev/zero) without reading it: it is not a regular file", () => {
    expect(loadProblems("/dev/zero")).toEqual(["/dev/zero: is a device, not a regular file; refusing to read it"]);
  });

  it("refuses a file over the size cap", () => {
    const file = write("big.yaml", `${exampleText}\n# ${"x".repeat(9 * 1024 * 1024)}\n`);
    expect(loadProblems(file)).toEqual([`${file}: larger than 8 MiB; refusing to read it`]);
  });

  it("refuses invalid UTF-8 instead of replacing it, in YAML and in JSON", () => {
    const bad = Buffer.from([0x66, 0x6f, 0xff, 0x6f]); // "fo\xffo"
    const yaml = write("bad.yaml", Buffer.concat([Buffer.from(exampleText.replace("CI publisher", "CI ")), bad]));
    expect(loadProblems(yaml)).toEqual([`${yaml}: not valid UTF-8 text`]);
    const json = write("bad.json", Buffer.concat([Buffer.from(exampleJson.slice(0, -2)), bad, Buffer.from("}")]));
    expect(loadProblems(json)).toEqual([`${json}: not valid UTF-8 text`]);
  });

  it("reads a leading byte order mark the same way in YAML and JSON", () => {
    const bom = "\uFEFF";
    expect(loadProblems(write("bom.yaml", bom + exampleText))).toEqual([]);
    expect(loadProblems(write("bom.json", bom + exampleJson))).toEqual([]);
    expect(loadConfig(write("bom2.json", bom + exampleJson))).toEqual(loadConfig(EXAMPLE_FILE));
  });

  it("refuses duplicate keys in JSON as in YAML", () => {
    const twice = exampleJson.replace(
      '"externalId": "b-orders-4f7c2a"',
      '"externalId": "b-orders-4f7c2a",\n        "externalId": "attacker"',
    );
    expect(twice).not.toBe(exampleJson);
    const [json] = loadProblems(write("twice.json", twice));
    expect(json).toMatch(/twice\.json: not valid JSON: a key appears twice in one object \(line \d+, column \d+\)$/);
    const yaml = exampleText.replace("externalId: b-orders-4f7c2a", "externalId: b-orders-4f7c2a\n      externalId: attacker");
    expect(yaml).not.toBe(exampleText);
    expect(loadProblems(write("twice.yaml", yaml))[0]).toMatch(/not valid YAML: .*unique/i);
  });

  it("property: any JSON without a repeated key reads as JSON.parse reads it; a repeated key anywhere is refused", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.nat(), fc.boolean(), (value, pick, pretty) => {
        const text = JSON.stringify(value, null, pretty ? 2 : undefined);
        expect(parseJsonStrict(text)).toEqual(JSON.parse(text));
        // repeat one member name of one object, if there is one
        const objects: Record<string, unknown>[] = [];
        const visit = (v: unknown): void => {
          if (Array.isArray(v)) v.forEach(visit);
          else if (v !== null && typeof v === "object") {
            if (Object.keys(v).length > 0) objects.push(v as Record<string, unknown>);
            Object.values(v).forEach(visit);
          }
        };
        visit(value);
        if (objects.length === 0) return;
        const target = objects[pick % objects.length];
        const key = Object.keys(target)[pick % Object.keys(target).length];
        const repeated = JSON.stringify(value, (_k, v) =>
          v === target ? Object.fromEntries([...Object.entries(v), [`${key}\u0000`, 0]]) : v,
        ).replace(`${JSON.stringify(`${key}\u0000`)}:`, () => `${JSON.stringify(key)}:`);
        expect(() => parseJsonStrict(repeated)).toThrow(/a key appears twice in one object/);
      }),
      { numRuns: 300 },
    );
  });

  it("cuts long values and keys in messages", () => {
    const huge = "x".repeat(10 * 1024 * 1024);
    const lines = example((c) => {
      c.partners[0].role.name = huge;
      c.partners[0][huge] = 1;
    });
    expect(lines.every((l) => l.length < 400)).toBe(true);
    expect(lines).toContain(
      `partners[0].role.name: must be 1-64 of letters, digits, '.' and '-', got "${"x".repeat(80)}…" (${huge.length} characters)`,
    );
  });
});

describe("account aliases", () => {
  it("accepts RAM's alias form on the owner and on partners", () => {
    expect(multi((c) => ((c.owner.accountAlias = "northwind"), (c.partners[0].accountAlias = "contoso-2")))).toEqual([]);
  });

  it.each(["ab", "-contoso", "contoso-", "con--toso", "Contoso", "contoso_x", "a".repeat(33)])(
    "refuses %s, naming the field",
    (bad) => {
      expect(multi((c) => (c.partners[1].accountAlias = bad))).toEqual([
        `partners[1].accountAlias: must be an account alias: 3-32 lowercase letters, digits and inner hyphens, no --, got "${bad}"`,
      ]);
    },
  );
});

describe("rule-name prefixes", () => {
  const rules = (list: unknown[]) => multi((c) => (c.partners[0].grants[0].rules = list));

  it("accepts a name, a prefix ending in * and *", () => {
    expect(rules(["orders-*", "orders-audit", "*"])).toEqual([]);
  });

  it.each(["*orders", "or*ders", "orders-**", "orders-?", "orders/*"])("refuses %s, naming the field", (bad) => {
    expect(rules(["orders-audit", bad])).toEqual([
      `partners[0].grants[0].rules[1]: must be a rule name, a prefix ending in * (orders-*), or *, got "${bad}"`,
    ]);
  });
});

describe("checks across fields and partners", () => {
  it.each<[string, (c: any) => void, string]>([
    [
      "partner is the owner",
      (c) => (c.partners[0].accountId = c.owner.accountId),
      'partners[0].accountId: must differ from owner.accountId: a partner is another account, got "1000000000000001"',
    ],
    [
      "deployer role in another account",
      (c) => (c.owner.assumeRoleArn = "acs:ram::9000000000000009:role/deployer"),
      'owner.assumeRoleArn: must be a role in the owner account 1000000000000001 (Terraform would act in account 9000000000000009), got "acs:ram::9000000000000009:role/deployer"',
    ],
    [
      "validity window backwards",
      (c) => (c.partners[0].validFrom = "2028-01-01T00:00:00Z"),
      'partners[0].validUntil: must be later than validFrom (2028-01-01T00:00:00Z), got "2027-12-31T23:59:59+08:00"',
    ],
    [
      "nothing granted",
      (c) => (c.partners[0].grants = []),
      "partners[0].grants: the partner is granted nothing: add a grant or a system policy",
    ],
    [
      "rules without manage-rules",
      (c) => (c.partners[0].grants[0].rules = ["r1"]),
      "partners[0].grants[0].rules: rules only apply to manage-rules and to extra actions on rules; add one or remove rules",
    ],
    [
      "duplicate grant",
      (c) => c.partners[0].grants.push({ eventBus: "orders", permissions: ["read"] }),
      'partners[0].grants[1].eventBus: duplicate grant for bus "orders" in cn-hangzhou (also at grants[0]); merge them into one grant',
    ],
    [
      "duplicate user, any case",
      (c) => c.partners[0].partnerSide.users.push({ name: "Alice" }),
      'partners[0].partnerSide.users[2].name: duplicate user "Alice" (also at users[1])',
    ],
    [
      "created and existing",
      (c) => (c.partners[0].partnerSide.existingUsers = ["alice"]),
      'partners[0].partnerSide.existingUsers[0]: "alice" is also in users; list a user either as created (users) or as existing, not both',
    ],
    [
      "too many tags",
      (c) => (c.owner.tags = Object.fromEntries(Array.from({ length: 19 }, (_, i) => [`t${i}`, "v"]))),
      "owner.tags: at most 18 tags (RAM allows 20, 2 are set by the product), got 19",
    ],
    [
      "lock table without endpoint",
      (c) => (c.owner.backend = { type: "oss", bucket: "a-state", region: "cn-hangzhou", tablestoreTable: "lock" }),
      "owner.backend.tablestoreEndpoint: required with the other Tablestore setting: state locking needs both the endpoint and the table",
    ],
    [
      "acknowledge unknown rule",
      (c) => (c.partners[0].acknowledge = [{ rule: "TRUST-ROOT", reason: "because we said so" }]),
      'partners[0].acknowledge[0].rule: unknown check "TRUST-ROOT"',
    ],
    [
      "acknowledge misspelt rule",
      (c) => (c.partners[0].acknowledge = [{ rule: "VALIDITY-ENDNG", reason: "because we said so" }]),
      'partners[0].acknowledge[0].rule: unknown check "VALIDITY-ENDNG" (did you mean "VALIDITY-ENDING"?)',
    ],
    [
      "acknowledge an error",
      (c) => (c.partners[0].acknowledge = [{ rule: "POLICY-WILDCARD", reason: "because we said so" }]),
      "partners[0].acknowledge[0].rule: POLICY-WILDCARD is an error and cannot be acknowledged; fix the config instead",
    ],
    [
      "acknowledge the acknowledgement check",
      (c) => (c.partners[0].acknowledge = [{ rule: "ACK-UNUSED", reason: "because we said so" }]),
      "partners[0].acknowledge[0].rule: ACK-UNUSED cannot be acknowledged; remove the unused acknowledgement instead",
    ],
    [
      "acknowledge without a reason",
      (c) => (c.partners[0].acknowledge = [{ rule: "VALIDITY-ENDING", reason: "ok" }]),
      'partners[0].acknowledge[0].reason: must say why, in at least 10 characters, got "ok"',
    ],
    [
      "acknowledge without reason key",
      (c) => (c.partners[0].acknowledge = [{ rule: "VALIDITY-ENDING" }]),
      "partners[0].acknowledge[0].reason: required: a written reason",
    ],
    [
      "acknowledge twice",
      (c) =>
        (c.partners[0].acknowledge = [
          { rule: "VALIDITY-ENDING", reason: "renewal is signed" },
          { rule: "VALIDITY-ENDING", reason: "renewal is signed" },
        ]),
      "partners[0].acknowledge[1].rule: VALIDITY-ENDING is already acknowledged at [0]",
    ],
    [
      "managed tag",
      (c) => (c.owner.tags = { managedby: "me" }),
      'owner.tags.managedby: "managedby" is set by the product on every resource; choose another tag name',
    ],
  ])("%s", (_name, edit, expected) => {
    expect(example(edit)).toEqual([expected]);
  });

  it("compares the validity window to the second, as the policies carry it", () => {
    expect(
      example((c) => {
        c.partners[0].validFrom = "2027-01-01T00:00:00.1Z";
        c.partners[0].validUntil = "2027-01-01T00:00:00.9Z";
      }),
    ).toEqual(['partners[0].validUntil: must be later than validFrom (2027-01-01T00:00:00.1Z), got "2027-01-01T00:00:00.9Z"']);
  });

  it("tells grants apart by the region they resolve to (default: owner.region)", () => {
    const grants = (gs: object[]) =>
      example((c) => {
        c.partners[0].region = "cn-shanghai";
        c.partners[0].grants = gs;
      });
    expect(
      grants([
        { eventBus: "orders", permissions: ["publish"] },
        { eventBus: "orders", region: "cn-shanghai", permissions: ["read"] },
      ]),
    ).toEqual([]);
    expect(
      grants([
        { eventBus: "orders", permissions: ["publish"] },
        { eventBus: "orders", region: "cn-hangzhou", permissions: ["read"] },
      ]),
    ).toEqual([
      'partners[0].grants[1].eventBus: duplicate grant for bus "orders" in cn-hangzhou (also at grants[0]); merge them into one grant',
    ]);
  });

  it("lets rules narrow extra actions on rules, and accepts offsets from -12:00 to +14:00", () => {
    expect(
      example(
        (c) =>
          (c.partners[0].grants[0] = {
            eventBus: "orders",
            permissions: ["publish"],
            actions: ["eventbridge:DeleteRule"],
            rules: ["r1"],
          }),
      ),
    ).toEqual([]);
    expect(example((c) => (c.partners[0].validUntil = "2027-12-31T23:59:59-12:00"))).toEqual([]);
    expect(example((c) => (c.partners[0].validUntil = "2027-12-31T23:59:59+14:00"))).toEqual([]);
  });

  it("keeps partner names and role names unique", () => {
    const lines = example((c) => c.partners.push({ ...structuredClone(c.partners[0]), accountId: "3000000000000003" }));
    expect(lines).toEqual([
      'partners[1].name: duplicate partner name "enterprise-b" (also at partners[0])',
      'partners[1].role.name: role "eventbridge-publisher-b" is already used by partners[0]; role names are unique in the owner account',
    ]);
  });

  it("keeps group and user names unique per partner account", () => {
    const lines = multi((c) => {
      c.partners[1].partnerSide.groupName = "eventbridge-delegates";
      c.partners[1].partnerSide.users = [{ name: "alice" }];
    });
    expect(lines).toEqual([
      'partners[1].partnerSide.groupName: group "eventbridge-delegates" is already created in account 2000000000000002 by partners[0]; group names are unique per account',
      'partners[1].partnerSide.users[0].name: user "alice" is already created in account 2000000000000002 by partners[0]; list it under existingUsers here',
    ]);
  });

  it("allows the same group name in different accounts", () => {
    expect(multi((c) => (c.partners[2].partnerSide.groupName = "eventbridge-delegates"))).toEqual([]);
  });
});

describe("config files", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "cfg-"));
  const write = (name: string, text: string) => {
    const file = path.join(dir, name);
    writeFileSync(file, text);
    return file;
  };

  it("names a missing file and the variable that chooses another", () => {
    expect(() => loadConfig(path.join(dir, "nope.yaml"))).toThrow(
      /nope\.yaml: file not found \(set DELEGATION_CONFIG to use another file\)/,
    );
  });

  it("reports YAML syntax errors with their line", () => {
    expect(() => loadConfig(write("bad.yaml", "owner:\n  name: a\n   region: x\n"))).toThrow(
      /bad\.yaml: not valid YAML: line 2, column \d+: Nested mappings/,
    );
  });

  it("refuses duplicate YAML keys", () => {
    expect(() => loadConfig(write("dup.yaml", "owner: {}\nowner: {}\npartners: []\n"))).toThrow(
      /not valid YAML: .*[Mm]ap keys must be unique/,
    );
  });

  it("refuses a YAML alias bomb with a message, not a crash", () => {
    const levels = Array.from({ length: 6 }, (_, i) => `l${i + 1}: &l${i + 1} [${Array(10).fill(`*l${i}`).join(", ")}]`);
    const bomb = write("bomb.yaml", ["l0: &l0 x", ...levels, "owner: *l6", "partners: []", ""].join("\n"));
    expect(() => loadConfig(bomb)).toThrow(/bomb\.yaml: not usable YAML: /);
  });

  it("reports JSON syntax errors", () => {
    expect(() => loadConfig(write("bad.json", "{"))).toThrow(/bad\.json: not valid JSON/);
  });
});

describe("helpers", () => {
  it("formats paths like code", () => {
    expect(formatPath(["partners", 1, "role", "name"])).toBe("partners[1].role.name");
    expect(formatPath(["owner", "tags", "acs:x"])).toBe('owner.tags["acs:x"]');
  });

  it("suggests only plausible names", () => {
    expect(closest("pubish", ["publish", "read"])).toBe("publish");
    expect(closest("xyz", ["publish", "read"])).toBeUndefined();
  });

  it("checks dates and addresses", () => {
    expect(isIsoDateTimeWithZone("2027-12-31T23:59:59+08:00")).toBe(true);
    expect(isIsoDateTimeWithZone("2027-12-31T24:00:00Z")).toBe(false);
    expect(isIsoDateTimeWithZone("2027-12-31")).toBe(false);
    expect(checkIpv4OrCidr("10.0.0.0/8")).toBeUndefined();
    expect(checkIpv4OrCidr("10.0.0.1")).toBeUndefined();
    expect(checkIpv4OrCidr("10.0.0.0/33")).toMatch(/must be an IPv4 address/);
  });
});

describe("RAM's account limits", () => {
  /** n partners of the example's shape, all in partner account 2000000000000002 unless told. */
  const partners = (n: number, edit: (p: any, i: number) => void = () => {}) =>
    edited(EXAMPLE_FILE, (c) => {
      const base = c.partners[0];
      c.partners = Array.from({ length: n }, (_, i) => {
        const p = structuredClone(base);
        p.name = `p${i}`;
        p.role.name = `role-${i}`;
        p.partnerSide.groupName = `group-${i}`;
        p.partnerSide.users = [];
        p.partnerSide.existingUsers = [];
        edit(p, i);
        return p;
      });
    });

  it("at most 300 groups in one partner account", () => {
    expect(problems(partners(300))).toEqual([]);
    expect(problems(partners(301))).toEqual([
      "partners[300].partnerSide.groupName: 301 groups in account 2000000000000002; RAM's default account limits allow 300",
    ]);
  });

  it("at most 5000 users in one partner account", () => {
    const users = (last: number) => (p: any, i: number) =>
      (p.partnerSide.users = Array.from({ length: i < 50 ? 100 : last }, (_, j) => ({ name: `u${i}-${j}` })));
    expect(problems(partners(50, users(0)))).toEqual([]);
    expect(problems(partners(51, users(1)))).toEqual([
      "partners[50].partnerSide.users: 5001 users in account 2000000000000002; RAM's default account limits allow 5000",
    ]);
  });

  it("at most 10 groups per user", () => {
    const shared = (p: any, i: number) =>
      i === 0 ? (p.partnerSide.users = [{ name: "ops" }]) : (p.partnerSide.existingUsers = ["ops"]);
    expect(problems(partners(10, shared))).toEqual([]);
    expect(problems(partners(11, shared))).toEqual([
      'partners[10].partnerSide: user "ops" would be in 11 groups in account 2000000000000002; RAM\'s default account limits allow 10 per user',
    ]);
  });

  it("at most 1000 roles in the owner account; revoked partners have none", () => {
    const spread = (p: any, i: number) => (p.accountId = String(3_000_000_000_000_000 + i));
    expect(problems(partners(1001, spread))).toEqual([
      "partners: 1001 active partners need 1001 roles in the owner account; RAM's default account limits allow 1000",
    ]);
    expect(problems(partners(1001, (p, i) => (spread(p, i), (p.revoked = i === 0))))).toEqual([]);
  });
});

describe("free text is data: control characters and bidirectional overrides are refused, the field named", () => {
  const PARTNER_FILE = path.join(ROOT_DIR, "examples", "two-companies", "enterprise-b", "delegation.yaml");
  const partnerForm = (edit: (c: any) => void): string[] => {
    try {
      parseAnyConfig(edited(PARTNER_FILE, edit), PARTNER_FILE);
    } catch (e) {
      if (e instanceof ConfigError) return e.message.split("\n");
      throw e;
    }
    return [];
  };
  const ack = (reason: string) => [{ rule: "TRUST-ROOT-UNCONDITIONED", reason }];

  it.each<[string, (c: any) => void, RegExp]>([
    [
      "a display name",
      (c) => (c.partners[0].partnerSide.users[0].displayName = "CI\x1b[2J"),
      /^partners\[0\]\.partnerSide\.users\[0\]\.displayName: must not contain control characters.*U\+001B at character 3$/,
    ],
    [
      "a role description",
      (c) => (c.partners[0].role.description = "publishes \u202Esredro"),
      /^partners\[0\]\.role\.description: must not contain .*U\+202E/,
    ],
    [
      "an acknowledgement reason",
      (c) => (c.partners[0].acknowledge = ack("accepted because\x9b2J of the contract")),
      /^partners\[0\]\.acknowledge\[0\]\.reason: must not contain .*U\+009B/,
    ],
    [
      "a reason over two lines",
      (c) => (c.partners[0].acknowledge = ack("accepted because\n# 0 broadening")),
      /^partners\[0\]\.acknowledge\[0\]\.reason: must not contain .*line breaks.*U\+000A/,
    ],
    ["a tag value", (c) => (c.owner.tags = { CostCenter: "12\x0734" }), /^owner\.tags\.CostCenter: must not contain .*U\+0007/],
    [
      "a tag key",
      (c) => (c.owner.tags = { "Cost\u2066Center": "1234" }),
      /^owner\.tags\["Cost\\u2066Center"\]: tag key must not contain .*U\+2066/,
    ],
  ])("in %s", (_what, edit, expected) => {
    const lines = example(edit);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(expected);
    // eslint-disable-next-line no-control-regex -- matching control characters is the point
    expect(lines[0]).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
  });

  it("in the partner form too", () => {
    expect(partnerForm((c) => (c.delegations[0].users[0].displayName = "Shipment\x1b]0;owned\x07"))).toEqual([
      expect.stringMatching(/^delegations\[0\]\.users\[0\]\.displayName: must not contain .*U\+001B/),
    ]);
    expect(partnerForm((c) => (c.delegations[0].acknowledge = ack("because we said so\u202E")))).toEqual([
      expect.stringMatching(/^delegations\[0\]\.acknowledge\[0\]\.reason: must not contain .*U\+202E/),
    ]);
  });

  it("accepts what people write, in any script", () => {
    expect(example((c) => (c.partners[0].role.description = "Enterprise B 发布订单事件 — Zoë's team (#12)"))).toEqual([]);
  });
});
