/**
 * The plan of a change read from Terraform's plan JSON (lib/plan/read.ts): counts as Terraform
 * counts actions, the attributes that force a replacement from `replace_paths`, what a loss means
 * for the delegation, and refusal of what it does not understand. The rehearsal drives it through
 * real Terraform plans (integration/kept-rehearsal.test.ts).
 */
import { Parser } from "commonmark";
import { describe, expect, it } from "vitest";
import { planCountsLine, planLossLines, PlanReadError, summarizePlan } from "../lib/plan/read";
import { renderPlanMarkdown } from "../lib/plan/markdown";

const change = (address: string, actions: string[], extra: Record<string, unknown> = {}) => ({
  address,
  mode: "managed",
  type: address.split(".")[0],
  name: address.split(".")[1],
  change: { actions, before: null, after: null, ...extra },
});
const plan = (...changes: unknown[]) => ({ format_version: "1.2", resource_changes: changes });
const role = { role_name: "eventbridge-publisher-b", arn: "acs:ram::1000000000000001:role/eventbridge-publisher-b" };

describe("the plan of a change", () => {
  it("counts additions, updates, replacements (either order) and destructions apart; no-ops and data reads are no change", () => {
    const p = summarizePlan(
      "owner",
      plan(
        change("alicloud_ram_policy.a", ["create"]),
        change("alicloud_ram_policy.b", ["update"]),
        change("alicloud_ram_policy.c", ["delete", "create"], { before: { policy_name: "c" } }),
        change("alicloud_ram_policy.d", ["create", "delete"], { before: { policy_name: "d" } }),
        change("alicloud_ram_policy.e", ["delete"], { before: { policy_name: "e" } }),
        change("alicloud_ram_policy.f", ["no-op"]),
        { ...change("data.alicloud_account.x", ["read"]), mode: "data" },
      ),
    );
    expect(planCountsLine(p)).toBe("owner: 1 to add, 1 to change, 2 to replace, 1 to destroy");
    expect(p.losses.map((l) => [l.address, l.action])).toEqual([
      ["alicloud_ram_policy.c", "replace"],
      ["alicloud_ram_policy.d", "replace"],
      ["alicloud_ram_policy.e", "destroy"],
    ]);
  });

  it("names the attributes that force a replacement from replace_paths, and a role's new ARN", () => {
    const p = summarizePlan(
      "owner",
      plan(
        change("alicloud_ram_role.b", ["delete", "create"], {
          before: role,
          after: { role_name: "eventbridge-publisher-c" },
          replace_paths: [["role_name"], ["tags", "Owner"], ["statement", 0, "effect"]],
        }),
      ),
    );
    const [line] = planLossLines(p);
    expect(line).toMatch(/^WARNING replaces alicloud_ram_role\.b \(forced by role_name, tags\.Owner, statement\[0\]\.effect\): /);
    expect(line).toContain("open STS sessions lose the role's permissions");
    expect(line).toContain("its ARN changes to acs:ram::1000000000000001:role/eventbridge-publisher-c");
    expect(line).toContain("names acs:ram::1000000000000001:role/eventbridge-publisher-b and points nowhere");
  });

  it("says what a destruction does to the partner's people", () => {
    const p = summarizePlan(
      "partner-b",
      plan(
        change("alicloud_ram_group.delegates", ["delete"], { before: { group_name: "publishers" } }),
        change("alicloud_ram_user_group_attachment.alice", ["delete"], {
          before: { group_name: "publishers", user_name: "alice" },
        }),
      ),
    );
    expect(planLossLines(p)).toEqual([
      "WARNING destroys alicloud_ram_group.delegates: group publishers is deleted: its users leave it and lose the permission to assume the role",
      "WARNING destroys alicloud_ram_user_group_attachment.alice: user alice leaves group publishers",
    ]);
  });

  it("lists an action it does not know instead of counting it as nothing", () => {
    const p = summarizePlan("owner", plan(change("alicloud_ram_role.b", ["forget"]), change("alicloud_ram_role.c", [])));
    expect(planCountsLine(p)).toBe("owner: 0 to add, 0 to change, 0 to replace, 0 to destroy, 2 NOT UNDERSTOOD");
    expect(planLossLines(p)).toEqual([
      "NOT UNDERSTOOD alicloud_ram_role.b (forget): review this plan with terraform show",
      "NOT UNDERSTOOD alicloud_ram_role.c (no actions): review this plan with terraform show",
    ]);
  });

  it("refuses what is not a plan", () => {
    expect(() => summarizePlan("owner", { values: {} })).toThrow(PlanReadError);
    expect(() => summarizePlan("owner", { format_version: "1.2", resource_changes: {} })).toThrow(
      /resource_changes is not a list/,
    );
    expect(() => summarizePlan("owner", null)).toThrow(/not a Terraform plan/);
  });

  it("renders for the PR comment: counts in a table, losses in a warning block, every plan value escaped", () => {
    const attack = "x</details>\n# 0 to destroy ![i](https://attacker.example/i.png) <img src=x>";
    const p = summarizePlan(
      "owner",
      plan(
        change("alicloud_ram_policy.a", ["update"]),
        change("alicloud_ram_group.g", ["delete"], { before: { group_name: attack } }),
        change(`alicloud_ram_role.${attack}`, ["delete", "create"], { before: role, replace_paths: [[attack]] }),
      ),
    );
    const md = renderPlanMarkdown([p], { onBase: true, leftBehind: [] });
    expect(md).toContain("| <code>owner</code> | 0 | 1 | 1 | 1 |");
    expect(md).toContain("> [!WARNING]\n> **This change replaces or destroys 2 resources of a deployed delegation.**");
    expect(md).toContain("> - **destroys** <code>alicloud\\_ram\\_group.g</code> in <code>owner</code>: group x&lt;/details&gt;");
    // CommonMark's reference parser finds no element, heading, image or link the plan put there
    const walker = new Parser().parse(md).walker();
    const types = new Set<string>();
    for (let e = walker.next(); e; e = walker.next()) if (e.entering) types.add(e.node.type);
    expect([...types].filter((t) => ["image", "link", "html_block"].includes(t))).toEqual([]);
    expect(md.match(/^#/gm)).toEqual(["#"]);
    expect(md).not.toContain("<img");
    expect(renderPlanMarkdown([p], { onBase: false, leftBehind: [] })).toContain("against **empty** accounts");
  });
});
