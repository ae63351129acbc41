/** The assume policy, rendering and reading policy documents, and splitting one over RAM's size limit. */
import { describe, expect, it } from "vitest";
import { renderPolicy, type PolicyDocument } from "../lib/policy/document";
import { splitPolicy } from "../lib/policy/split";
import { assumePolicy, permissionPolicies, permissionPolicy, trustPolicy } from "../lib/policy/policies";
import { readPolicy } from "../lib/policy/read";
import { EXAMPLE_FILE, edited, model, modelOf, sixtyBuses } from "./helpers";
describe("assume policy", () => {
  it("allows sts:AssumeRole on exactly the owner's role", () => {
    const p = model(EXAMPLE_FILE).partners[0];
    expect(JSON.parse(renderPolicy(assumePolicy(p.role.arn)))).toEqual({
      Version: "1",
      Statement: [
        { Effect: "Allow", Action: ["sts:AssumeRole"], Resource: ["acs:ram::1000000000000001:role/eventbridge-publisher-b"] },
      ],
    });
  });
});

describe("rendering and reading", () => {
  it("renders keys in a fixed order", () => {
    const text = renderPolicy(trustPolicy(model(EXAMPLE_FILE).partners[0]));
    expect(Object.keys(JSON.parse(text))).toEqual(["Version", "Statement"]);
    expect(Object.keys(JSON.parse(text).Statement[0])).toEqual(["Effect", "Principal", "Action", "Condition"]);
  });

  it("reads RAM's shorthand forms back as lists", () => {
    const [s] = readPolicy(
      '{"Version":"1","Statement":[{"Effect":"Allow","Action":"a:b","Resource":"*","Principal":{"RAM":"x"}}]}',
    )!;
    expect(s).toEqual({
      effect: "Allow",
      actions: ["a:b"],
      resources: ["*"],
      notActions: [],
      notResources: [],
      principals: { RAM: ["x"] },
      conditions: {},
    });
    const [n] = readPolicy(
      '{"Version":"1","Statement":[{"Effect":"Allow","NotAction":"ram:*","Resource":"*","Principal":"*"}]}',
    )!;
    expect([n.actions, n.notActions, n.principals]).toEqual([[], ["ram:*"], { "*": ["*"] }]);
    expect(readPolicy("not json")).toBeUndefined();
    // RAM requires Version "1": a document without it is not read at all
    expect(readPolicy('{"Statement":[{"Effect":"Allow","Action":"a:b","Resource":"*"}]}')).toBeUndefined();
  });
});

describe("splitting a permission policy over RAM's size limit", () => {
  const sixty = modelOf(
    edited(EXAMPLE_FILE, (c) => {
      c.partners[0].grants = sixtyBuses();
    }),
  ).partners[0];

  /** Every (action, resource, conditions) a set of documents allows. */
  const grantsOf = (docs: readonly PolicyDocument[]) =>
    new Set(
      docs.flatMap((d) =>
        d.statements.flatMap((s) =>
          s.actions.flatMap((a) => (s.resources ?? []).map((r) => `${a} ${r} ${JSON.stringify(s.conditions)}`)),
        ),
      ),
    );

  it("60 buses on every permission level: numbered documents, each within 6144 characters", () => {
    const docs = permissionPolicies(sixty);
    expect(docs.length).toBeGreaterThan(1);
    expect(docs.length).toBeLessThanOrEqual(10);
    for (const d of docs) expect(renderPolicy(d).length).toBeLessThanOrEqual(6144);
    expect(renderPolicy(permissionPolicy(sixty)!).length).toBeGreaterThan(6144);
  });

  it("allows exactly what the single document allows, with every statement's conditions", () => {
    expect(grantsOf(permissionPolicies(sixty))).toEqual(grantsOf([permissionPolicy(sixty)!]));
  });

  it("keeps one document when it fits", () => {
    expect(permissionPolicies(model(EXAMPLE_FILE).partners[0])).toHaveLength(1);
  });

  it("splits a single statement by resources and leaves an unsplittable one to the size check", () => {
    const arns = Array.from(
      { length: 100 },
      (_, i) => `acs:eventbridge:cn-hangzhou:1000000000000001:eventbus/bus-${String(i).padStart(3, "0")}`,
    );
    const docs = splitPolicy({ statements: [{ effect: "Allow", actions: ["eventbridge:PutEvents"], resources: arns }] }, 2000);
    expect(docs.length).toBeGreaterThan(3);
    expect(docs.flatMap((d) => d.statements.flatMap((s) => s.resources ?? []))).toEqual(arns);
    for (const d of docs) expect(renderPolicy(d).length).toBeLessThanOrEqual(2000);
    const huge = { statements: [{ effect: "Allow" as const, actions: ["a:b"], resources: ["x".repeat(3000)] }] };
    expect(splitPolicy(huge, 2000)).toEqual([huge]);
  });
});
