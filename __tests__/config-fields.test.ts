/** Every field check of the config names the path, the expectation and what came. */
import { describe, expect, it } from "vitest";
import { parseConfig } from "../lib/config/load";
import { example } from "./config-problems";

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
