/** ARNs and names, the action catalog, and the trust and permission policies built from a partner. */
import { describe, expect, it } from "vitest";
import { catalogAction, catalogActionNames, grantableOnBus, isReadOnlyAction } from "../lib/catalog/actions";
import { ACCEPTED_UNVERIFIED_ACTIONS } from "../lib/facts";
import { eventBusArn, expandArnPattern, parseArn, ramPrincipalArn, roleArn } from "../lib/ram/arn";
import { buildModel } from "../lib/describe/model";
import { toUtc } from "../lib/model/build";
import { outputName, tfName } from "../lib/names/names";
import { renderPolicy } from "../lib/policy/document";
import { permissionPolicy, PERMISSION_ACTIONS, trustPolicy } from "../lib/policy/policies";
import { parseConfig } from "../lib/config/load";
import { EXAMPLE_FILE, MULTI_FILE, edited, model, modelOf } from "./helpers";

describe("ARNs and names", () => {
  it("builds RAM and EventBridge ARNs", () => {
    expect(roleArn("1000000000000001", "publisher")).toBe("acs:ram::1000000000000001:role/publisher");
    expect(ramPrincipalArn("2000000000000002", "root")).toBe("acs:ram::2000000000000002:root");
    expect(ramPrincipalArn("2000000000000002", "user/alice")).toBe("acs:ram::2000000000000002:user/alice");
    expect(eventBusArn("cn-hangzhou", "1000000000000001", "orders")).toBe(
      "acs:eventbridge:cn-hangzhou:1000000000000001:eventbus/orders",
    );
    expect(parseArn("acs:ram::1:role/x")).toEqual({ service: "ram", region: "", accountId: "1", resource: "role/x" });
    expect(parseArn("*")).toBeUndefined();
  });

  it("fills catalog patterns, with * for unknown placeholders", () => {
    const pattern = "acs:eventbridge:{#regionId}:{#accountId}:eventbus/{#EventBusName}/rule/{#RuleName}";
    expect(expandArnPattern(pattern, { regionId: "cn-hangzhou", accountId: "1", EventBusName: "b" })).toBe(
      "acs:eventbridge:cn-hangzhou:1:eventbus/b/rule/*",
    );
  });

  it("keeps Terraform names injective", () => {
    expect(tfName("enterprise-b")).toBe("enterprise-b");
    expect(tfName("bob.smith")).toMatch(/^_bob_smith_[0-9a-f]{6}$/);
    expect(tfName("bob.smith")).not.toBe(tfName("bob_smith"));
    expect(tfName("1st")).toMatch(/^_1st_[0-9a-f]{6}$/);
    expect(outputName("enterprise-b", "role_arn")).toBe("enterprise_b_role_arn");
  });

  it("normalizes times to UTC", () => {
    expect(toUtc("2027-12-31T23:59:59+08:00")).toBe("2027-12-31T15:59:59Z");
  });
});

describe("the action catalog", () => {
  it("knows every action a permission level uses", () => {
    for (const actions of Object.values(PERMISSION_ACTIONS)) {
      for (const a of actions) expect(catalogAction(a), a).toBeDefined();
    }
  });

  it("classifies reads and writes, unknown counting as write", () => {
    expect(isReadOnlyAction("eventbridge:GetEventBus")).toBe(true);
    expect(isReadOnlyAction("eventbridge:PutEvents")).toBe(false);
    expect(isReadOnlyAction("eventbridge:TestPutEvents")).toBe(false);
    expect(isReadOnlyAction("eventbridge:Nope")).toBe(false);
  });
});

describe("trust policy", () => {
  it("trusts the partner's root with every configured condition", () => {
    const p = model(MULTI_FILE).partners[0];
    const [s] = JSON.parse(renderPolicy(trustPolicy(p))).Statement;
    expect(s.Principal.RAM).toEqual([
      "acs:ram::2000000000000002:role/b-automation",
      "acs:ram::2000000000000002:root",
      "acs:ram::2000000000000002:user/ci-publisher",
    ]);
    expect(s.Action).toEqual(["sts:AssumeRole"]);
    expect(s.Condition).toEqual({
      Bool: { "acs:MFAPresent": ["true"] },
      DateGreaterThan: { "acs:CurrentTime": ["2026-11-30T16:00:00Z"] },
      DateLessThan: { "acs:CurrentTime": ["2027-12-31T15:59:59Z"] },
      IpAddress: { "acs:SourceIp": ["198.51.100.7", "203.0.113.0/24"] },
      StringEquals: { "sts:ExternalId": ["b-4f7c2a"] },
    });
  });

  it("has no Condition when nothing is configured", () => {
    const p = model(MULTI_FILE).partners[2];
    expect(JSON.parse(renderPolicy(trustPolicy(p))).Statement[0].Condition).toBeUndefined();
  });
});

describe("permission policy", () => {
  const grant = (g: object, extra: (c: any) => void = () => {}) =>
    modelOf(
      edited(EXAMPLE_FILE, (c) => {
        c.partners[0].grants = [g];
        extra(c);
      }),
    ).partners[0];
  const statements = (g: object, extra?: (c: any) => void) =>
    JSON.parse(renderPolicy(permissionPolicy(grant(g, extra))!)).Statement;

  it("publish is PutEvents on the bus only", () => {
    const [s] = statements({ eventBus: "orders", permissions: ["publish"] });
    expect(s.Action).toEqual(["eventbridge:PutEvents"]);
    expect(s.Resource).toEqual(["acs:eventbridge:cn-hangzhou:1000000000000001:eventbus/orders"]);
  });

  // RAM's current authorization tables: ListRules is checked against `…/eventbus/<bus>/rule/*`
  // (not the bus), ListEventBuses against `…:eventbus/*` (not `*`).
  it("read covers the bus and its rules, and lists buses on the account's eventbus/*", () => {
    const byAction = Object.fromEntries(
      statements({ eventBus: "orders", permissions: ["read"] }).flatMap((s: any) => s.Action.map((a: string) => [a, s.Resource])),
    );
    expect(byAction).toEqual({
      "eventbridge:GetEventBus": ["acs:eventbridge:cn-hangzhou:1000000000000001:eventbus/orders"],
      "eventbridge:ListRules": ["acs:eventbridge:cn-hangzhou:1000000000000001:eventbus/orders/rule/*"],
      "eventbridge:GetRule": ["acs:eventbridge:cn-hangzhou:1000000000000001:eventbus/orders/rule/*"],
      "eventbridge:ListTargets": ["acs:eventbridge:cn-hangzhou:1000000000000001:eventbus/orders/rule/*"],
      "eventbridge:ListEventBuses": ["acs:eventbridge:cn-hangzhou:1000000000000001:eventbus/*"],
    });
  });

  it("grants only verified catalog rows, and PutEvents as the one named unverified fact", () => {
    for (const [level, actions] of Object.entries(PERMISSION_ACTIONS)) {
      for (const action of actions) {
        const entry = catalogAction(action)!;
        expect(entry.verified || ACCEPTED_UNVERIFIED_ACTIONS.includes(action), `${level}: ${action}`).toBe(true);
      }
    }
    expect(ACCEPTED_UNVERIFIED_ACTIONS).toEqual(["eventbridge:PutEvents"]);
    expect(catalogAction("eventbridge:PutEvents")!.verified).toBe(false);
    // every action any config can add as an extra action is a verified row on the bus
    for (const action of catalogActionNames().filter(grantableOnBus)) {
      expect(catalogAction(action)!.verified || ACCEPTED_UNVERIFIED_ACTIONS.includes(action), action).toBe(true);
    }
    expect(grantableOnBus("eventbridge:TestEventPattern")).toBe(false);
    expect(grantableOnBus("eventbridge:QueryEventByEventId")).toBe(false);
  });

  it("manage-rules is scoped to the listed rules", () => {
    const all = statements({ eventBus: "orders", permissions: ["manage-rules"], rules: ["r1", "r2"] });
    expect(all).toHaveLength(1);
    expect(all[0].Resource).toEqual([
      "acs:eventbridge:cn-hangzhou:1000000000000001:eventbus/orders/rule/r1",
      "acs:eventbridge:cn-hangzhou:1000000000000001:eventbus/orders/rule/r2",
    ]);
    expect(all[0].Action).toContain("eventbridge:PutTargets");
    expect(all[0].Action).not.toContain("eventbridge:PutEvents");
  });

  it("drops resources a wildcard of the same action covers", () => {
    const all = statements({ eventBus: "orders", permissions: ["read", "manage-rules"], rules: ["r1"] });
    const getRule = all.find((s: any) => s.Action.includes("eventbridge:GetRule"));
    expect(getRule.Resource).toEqual(["acs:eventbridge:cn-hangzhou:1000000000000001:eventbus/orders/rule/*"]);
  });

  it("grants a rule-name prefix as rule/<prefix>*, and drops the rules it covers", () => {
    const all = statements({ eventBus: "orders", permissions: ["manage-rules"], rules: ["orders-*", "orders-audit", "billing"] });
    const put = all.find((s: any) => s.Action.includes("eventbridge:PutTargets"));
    expect(put.Resource).toEqual([
      "acs:eventbridge:cn-hangzhou:1000000000000001:eventbus/orders/rule/billing",
      "acs:eventbridge:cn-hangzhou:1000000000000001:eventbus/orders/rule/orders-*",
    ]);
  });

  it("gives extra actions the ARN the catalog documents", () => {
    const [s] = statements({ eventBus: "orders", permissions: ["publish"], actions: ["eventbridge:QueryEvent"] }).filter(
      (x: any) => x.Action.includes("eventbridge:QueryEvent"),
    );
    expect(s.Resource).toEqual(["acs:eventbridge:cn-hangzhou:1000000000000001:eventbus/orders"]);
  });

  it("merges buses that share actions and honours the grant region", () => {
    const p = modelOf(
      edited(EXAMPLE_FILE, (c) => {
        c.partners[0].grants = [
          { eventBus: "orders", permissions: ["publish"] },
          { eventBus: "invoices", region: "cn-beijing", permissions: ["publish"] },
        ];
      }),
    ).partners[0];
    const [s] = JSON.parse(renderPolicy(permissionPolicy(p)!)).Statement;
    expect(s.Resource).toEqual([
      "acs:eventbridge:cn-beijing:1000000000000001:eventbus/invoices",
      "acs:eventbridge:cn-hangzhou:1000000000000001:eventbus/orders",
    ]);
  });

  it("applies the validity window and source IPs to every statement", () => {
    const all = statements({ eventBus: "orders", permissions: ["publish", "read"] }, (c) => {
      c.partners[0].validFrom = "2027-01-01T00:00:00Z";
      c.partners[0].role.sourceIps = ["10.0.0.0/8"];
    });
    for (const s of all) {
      expect(s.Condition).toEqual({
        DateGreaterThan: { "acs:CurrentTime": ["2027-01-01T00:00:00Z"] },
        DateLessThan: { "acs:CurrentTime": ["2027-12-31T15:59:59Z"] },
        IpAddress: { "acs:SourceIp": ["10.0.0.0/8"] },
      });
    }
  });

  it("does not depend on the order of grants, permissions or actions", () => {
    const a = edited(MULTI_FILE, () => {});
    const b = edited(MULTI_FILE, (c) => {
      c.partners[0].grants.reverse();
      c.partners[0].grants[1].permissions.reverse();
      c.partners[0].grants[0].actions.reverse();
      c.partners[0].role.sourceIps.reverse();
    });
    const render = (raw: unknown) => renderPolicy(permissionPolicy(buildModel(parseConfig(raw)).partners[0])!);
    expect(render(b)).toBe(render(a));
  });

  it("is absent when the partner only has system policies", () => {
    expect(permissionPolicy(model(MULTI_FILE).partners[2])).toBeUndefined();
  });
});
