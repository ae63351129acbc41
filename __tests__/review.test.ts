import { shortDigest } from "../lib/handoff/handoff";
import { readHandoff } from "../lib/handoff/read";
import { Parser } from "commonmark";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import fc from "fast-check";
import { stringify } from "yaml";
import { beforeAll, describe, expect, it } from "vitest";
import { accessReport, type AccessReport } from "../lib/review/access";
import { auditDelegations, type StateFile } from "../lib/audit/state";
import { diffAccess } from "../lib/review/diff";
import { renderReport } from "../lib/review/report";
import { patternCovers, patternMatches } from "../lib/policy/patterns";
import { InputError, readSynthOutput, type StackJson } from "../lib/readers/files";
import { readState } from "../lib/readers/terraform";
import { synthesize } from "../lib/synth/synth";
import { MULTI_FILE, NOW, ROOT, edited, model, modelOf } from "./helpers";
import { resourceAt, stateFromStack, type StateJson } from "./state";

const work = mkdtempSync(path.join(tmpdir(), "review-"));

/** Synthesizes a raw config (or a config file) into a fresh directory. */
async function synth(config: string | object, name: string): Promise<string> {
  const file = typeof config === "string" ? config : path.join(work, `${name}.yaml`);
  if (typeof config !== "string") writeFileSync(file, stringify(config));
  const outdir = path.join(work, name);
  await synthesize({ configFile: file, outdir, now: NOW });
  return outdir;
}

const report = async (config: string | object, name: string): Promise<AccessReport> =>
  accessReport(readSynthOutput(await synth(config, name)));

let multi: string;
let multiReport: AccessReport;
beforeAll(async () => {
  multi = await synth(MULTI_FILE, "multi");
  multiReport = accessReport(readSynthOutput(multi));
});

describe("access report", () => {
  it("reads who may do what from the synthesized stacks", () => {
    const b = multiReport.partners.find((p) => p.name === "enterprise-b")!;
    expect(multiReport.owner).toEqual({ name: "enterprise-a", accountId: "1000000000000001" });
    expect(b).toMatchObject({
      accountId: "2000000000000002",
      revoked: false,
      roleArn: "acs:ram::1000000000000001:role/eventbridge-publisher-b",
      maxSessionDuration: 7200,
      validFrom: "2026-11-30T16:00:00Z",
      validUntil: "2027-12-31T15:59:59Z",
      trustedPrincipals: [
        "acs:ram::2000000000000002:role/b-automation",
        "acs:ram::2000000000000002:root",
        "acs:ram::2000000000000002:user/ci-publisher",
      ],
      conditions: {
        externalId: true,
        externalIdValue: "b-4f7c2a",
        mfa: true,
        sourceIps: ["198.51.100.7", "203.0.113.0/24"],
        other: [],
      },
      systemPolicies: ["AliyunEventBridgeReadOnlyAccess"],
      customPolicies: ["eventbridge-delegation-enterprise-b-1"],
    });
    expect(b.actions).toContain("eventbridge:PutEvents");
    expect(b.resources).toContain("acs:eventbridge:cn-beijing:1000000000000001:eventbus/invoices");
    expect(b.partnerSide).toEqual({
      stack: "partner-enterprise-b",
      groupName: "eventbridge-delegates",
      users: ["alice", "bob.smith", "ci-publisher"],
      members: ["alice", "bob.smith", "ci-publisher", "ops-oncall"],
      logins: [
        { user: "alice", passwordResetRequired: true, mfaBindRequired: true },
        { user: "bob.smith", passwordResetRequired: true, mfaBindRequired: true },
      ],
      assume: { scope: "role", roles: ["acs:ram::1000000000000001:role/eventbridge-publisher-b"] },
      logonNameFormat: "<user>@2000000000000002.onaliyun.com",
    });
    expect(b.switchRoleUrl).toBe(
      "https://signin.aliyun.com/switchRole.htm?parentAlias=1000000000000001.onaliyun.com&roleName=eventbridge-publisher-b",
    );
  });

  it("names the accounts' aliases once they are set, in the Switch Role link and the logon names", async () => {
    const aliased = await report(
      edited(MULTI_FILE, (c) => {
        c.owner.accountAlias = "northwind";
        c.partners[0].accountAlias = "contoso";
      }),
      "aliases",
    );
    const b = aliased.partners.find((p) => p.name === "enterprise-b")!;
    expect(aliased.owner).toEqual({ name: "enterprise-a", accountId: "1000000000000001", accountAlias: "northwind" });
    expect(b.switchRoleUrl).toBe(
      "https://signin.aliyun.com/switchRole.htm?parentAlias=northwind.onaliyun.com&roleName=eventbridge-publisher-b",
    );
    expect(b.partnerSide!.logonNameFormat).toBe("<user>@contoso.onaliyun.com");
    // a partner without an alias signs in with its account id
    const c = aliased.partners.find((p) => p.name === "enterprise-c")!;
    expect(c.partnerSide!.logonNameFormat).toBe("<user>@3000000000000003.onaliyun.com");
    const markdown = renderReport(aliased, "out");
    expect(markdown).toContain("(account 1000000000000001, alias <code>northwind</code>)");
    expect(markdown).toContain(
      "Console Switch Role link: <code>https:&#8203;//signin.aliyun.com/switchRole.htm?parentAlias=northwind.onaliyun.com&amp;roleName=",
    );
    expect(markdown).toContain("They sign in as <code>&lt;user&gt;@&#8203;contoso.onaliyun.com</code>.");
  });

  it("shows revoked partners, system assume scope, warnings and acknowledgements", () => {
    const byName = Object.fromEntries(multiReport.partners.map((p) => [p.name, p]));
    expect(byName["enterprise-d"]).toMatchObject({ revoked: true, grants: [], partnerSide: { assume: { scope: "none" } } });
    expect(byName["enterprise-b-audit"].partnerSide!.assume).toEqual({ scope: "any-role", policy: "AliyunSTSAssumeRoleAccess" });
    expect(byName["enterprise-b-audit"].findings.map((f) => [f.rule, f.level])).toEqual([["ASSUME-SYSTEM-POLICY", "warning"]]);
    expect(byName["enterprise-c"].findings).toEqual([
      {
        rule: "TRUST-ROOT-UNCONDITIONED",
        level: "acknowledged",
        message:
          "[Principal::acs:ram::3000000000000003:root] the role trusts the whole partner account with neither externalId, requireMfa nor sourceIps",
        reason: "Read-only system policy; C's account is dedicated to this audit",
      },
    ]);
  });

  it("keeps a hostile acknowledgement reason as text in ACCESS.md: no element, heading, link or image", async () => {
    const attack =
      "ok</details> # 0 broadening ![x](https://attacker.example/x.png) <img src=x> [click](javascript:alert(1)) @org/team `code`";
    const out = await synth(
      edited(MULTI_FILE, (c) => (c.partners[0].acknowledge[0].reason = attack)),
      "hostile-reason",
    );
    const run = spawnSync(process.execPath, [path.join(ROOT, "scripts", "launch.cjs"), "report", "--outdir", out], {
      cwd: work,
      encoding: "utf8",
    });
    expect(run.status).toBe(0);
    const markdown = readFileSync(path.join(out, "ACCESS.md"), "utf8");
    const walker = new Parser().parse(markdown).walker();
    const html: string[] = [];
    const headings: string[] = [];
    let text = "";
    let inHeading = false;
    for (let e = walker.next(); e; e = walker.next()) {
      if (e.node.type === "heading") inHeading = e.entering;
      if (!e.entering) continue;
      expect(["link", "image", "html_block", "code_block", "block_quote"]).not.toContain(e.node.type);
      if (e.node.type === "html_inline") html.push(e.node.literal ?? "");
      if (e.node.type === "heading") headings.push("");
      if (e.node.type === "text") {
        text += e.node.literal;
        if (inHeading) headings[headings.length - 1] += e.node.literal;
      }
    }
    // the only markup is the report's own monospace spans; the attack reads back as its own text
    expect(new Set(html)).toEqual(new Set(["<code>", "</code>"]));
    expect(headings.filter((h) => h.includes("broadening"))).toEqual([]);
    // (zero-width spaces keep URLs and mentions from turning into links)
    expect(text.replaceAll("\u200b", "")).toContain(attack);
  });

  it("npm run report writes ACCESS.md, prints it, and prints JSON with --json", () => {
    const run = (...args: string[]) =>
      spawnSync(process.execPath, [path.join(ROOT, "scripts", "launch.cjs"), "report", ...args], { cwd: work, encoding: "utf8" });
    const md = run("--outdir", multi);
    expect(md.status).toBe(0);
    expect(md.stdout).toBe(readFileSync(path.join(multi, "ACCESS.md"), "utf8"));
    expect(md.stdout).toContain("## enterprise-b (account 2000000000000002)");
    expect(md.stdout).toContain("| ExternalId | required (<code>b-4f7c2a</code>) |");
    expect(md.stdout).toContain(
      "may assume **any role that trusts the partner account** (<code>AliyunSTSAssumeRoleAccess</code>)",
    );
    expect(md.stdout).toContain("**Revoked**: the owner stack keeps no role for this partner.");
    expect(md.stdout).toContain("Acknowledged:\n- <code>TRUST-ROOT-UNCONDITIONED</code>");
    const json = JSON.parse(run("--outdir", multi, "--json").stdout);
    expect(json).toEqual(JSON.parse(JSON.stringify(multiReport)));
    for (const p of json.partners) {
      for (const key of ["name", "accountId", "actions", "resources", "conditions", "revoked"]) expect(p).toHaveProperty(key);
    }
    const bad = run("--outdir", path.join(work, "nowhere"));
    expect(bad.status).toBe(3);
    expect(bad.stderr.trim()).toBe(`${path.join(work, "nowhere", "manifest.json")}: not found (run npm run synth first)`);
  });
});

describe("access diff", () => {
  const changed = async (edit: (c: any) => void, name: string) =>
    diffAccess(multiReport, await report(edited(MULTI_FILE, edit), name));

  it("finds nothing between identical outputs", () => {
    expect(diffAccess(multiReport, multiReport)).toEqual({ broadening: 0, narrowing: 0, unaccounted: 0, changes: [] });
  });

  it.each<[string, (c: any) => void, string[], number?]>([
    [
      "new partner",
      (c) =>
        c.partners.push({
          name: "enterprise-e",
          accountId: "5000000000000005",
          role: { name: "r-e", externalId: "e-1234" },
          grants: [{ eventBus: "orders", permissions: ["publish"] }],
          partnerSide: { groupName: "g-e" },
        }),
      ["enterprise-e: new partner (account 5000000000000005) with 1 grants"],
    ],
    [
      "new action",
      (c) => (c.partners[1].grants[0].permissions = ["read", "publish"]),
      ["enterprise-b-audit: eventbridge:PutEvents on acs:eventbridge:cn-hangzhou:1000000000000001:eventbus/orders"],
    ],
    [
      "wider resource",
      (c) => (c.partners[0].grants[0].rules = ["*"]),
      ["enterprise-b: eventbridge:CreateRule on acs:eventbridge:cn-hangzhou:1000000000000001:eventbus/orders/rule/*"],
      7,
    ],
    [
      "removed ExternalId",
      (c) => delete c.partners[1].role.externalId,
      ["enterprise-b-audit: trust: ExternalId no longer required"],
    ],
    ["MFA off", (c) => (c.partners[0].role.requireMfa = false), ["enterprise-b: trust: MFA no longer required"]],
    [
      "wider source IPs",
      (c) => (c.partners[0].role.sourceIps = ["203.0.0.0/16", "198.51.100.7"]),
      [
        "enterprise-b: deny changed: * on * when NotIpAddress acs:SourceIp 198.51.100.7,203.0.0.0/16 (was * on * when NotIpAddress acs:SourceIp 198.51.100.7,203.0.113.0/24)",
        "enterprise-b: grants: source IPs now include 203.0.0.0/16",
        "enterprise-b: trust: source IPs now include 203.0.0.0/16",
      ],
    ],
    [
      "later validUntil",
      (c) => (c.partners[0].validUntil = "2028-06-30T00:00:00Z"),
      [
        "enterprise-b: deny changed: * on * when DateGreaterThan acs:CurrentTime 2028-06-30T00:00:00Z (was * on * when DateGreaterThan acs:CurrentTime 2027-12-31T15:59:59Z)",
        "enterprise-b: grants: valid until 2028-06-30T00:00:00Z (was 2027-12-31T15:59:59Z)",
        "enterprise-b: trust: valid until 2028-06-30T00:00:00Z (was 2027-12-31T15:59:59Z)",
      ],
    ],
    [
      "system assume policy",
      (c) => (c.partners[2].partnerSide.assumePolicy = "system"),
      ["enterprise-c: partner users may assume any role (was role acs:ram::1000000000000001:role/eventbridge-readonly-c)"],
    ],
    [
      "longer sessions",
      (c) => (c.partners[2].role.maxSessionDuration = 7200),
      ["enterprise-c: sessions up to 7200 s (was 3600 s)"],
    ],
    [
      "new group member",
      (c) => c.partners[2].partnerSide.users.push({ name: "mallory" }),
      ["enterprise-c: user mallory added to group eventbridge-readers"],
    ],
    ["reinstated partner", (c) => (c.partners[3].revoked = false), ["enterprise-d: reinstated: the partner gets a role again"]],
  ])("broadening: %s", async (name, edit, expected, count) => {
    const diff = await changed(edit, name.replace(/\W+/g, "-"));
    const broad = diff.changes.filter((c) => c.effect === "broadening").map((c) => `${c.partner}: ${c.description}`);
    expect(broad).toEqual(expect.arrayContaining(expected));
    expect(broad).toHaveLength(count ?? expected.length);
    expect(diff.broadening).toBe(broad.length);
  });

  it("detaching the last system policy narrows: its deny guards go, but every allow keeps the conditions", async () => {
    const without = await report(
      edited(MULTI_FILE, (c) => (c.partners[0].systemPolicies = [])),
      "no-system",
    );
    const diff = diffAccess(multiReport, without);
    expect(diff.broadening).toBe(0);
    expect(diff.changes.filter((c) => c.kind === "system policy").map((c) => c.effect)).toEqual(["narrowing"]);
    expect(diff.changes.filter((c) => c.kind === "deny").map((c) => c.effect)).toEqual(["neutral", "neutral", "neutral"]);
  });

  it("a new principal broadens unless the whole account was trusted already", async () => {
    const named = (principals: string[]) => edited(MULTI_FILE, (c) => (c.partners[1].role.trustedPrincipals = principals));
    const base = await report(named(["user/ci-publisher"]), "p-base");
    const more = diffAccess(base, await report(named(["user/ci-publisher", "user/new-bot"]), "p-more"));
    expect(more.changes.map((c) => [c.effect, c.description])).toEqual([
      ["broadening", "new trusted principal acs:ram::2000000000000002:user/new-bot"],
      // the partner gets a new handoff, which both sides compare by digest
      ["neutral", expect.stringMatching(/^handoff changed: digest [0-9a-f]{12} \(was [0-9a-f]{12}\)$/)],
    ]);
    const underRoot = diffAccess(multiReport, await report(named(["root", "user/new-bot"]), "p-root"));
    expect(underRoot.changes.map((c) => c.kind)).toEqual(["handoff"]);
  });

  it.each<[string, (c: any) => void, string[]]>([
    ["revoked", (c) => (c.partners[2].revoked = true), ["enterprise-c: revoked: the role and its grants are removed"]],
    ["fewer actions", (c) => (c.partners[0].grants[0].permissions = ["publish", "manage-rules"]), []],
    ["narrower resource", (c) => (c.partners[0].grants[0].rules = ["orders-audit"]), []],
    [
      "earlier validUntil",
      (c) => (c.partners[0].validUntil = "2027-06-30T00:00:00Z"),
      [
        "enterprise-b: deny changed: * on * when DateGreaterThan acs:CurrentTime 2027-06-30T00:00:00Z (was * on * when DateGreaterThan acs:CurrentTime 2027-12-31T15:59:59Z)",
        "enterprise-b: grants: valid until 2027-06-30T00:00:00Z (was 2027-12-31T15:59:59Z)",
        "enterprise-b: trust: valid until 2027-06-30T00:00:00Z (was 2027-12-31T15:59:59Z)",
      ],
    ],
    ["partner removed", (c) => c.partners.splice(2, 1), ["enterprise-c: partner removed"]],
  ])("narrowing: %s", async (name, edit, expected) => {
    const diff = await changed(edit, `n-${name.replace(/\W+/g, "-")}`);
    expect(diff.changes.filter((c) => c.effect === "broadening")).toEqual([]);
    const narrow = diff.changes.filter((c) => c.effect === "narrowing").map((c) => `${c.partner}: ${c.description}`);
    expect(narrow.length).toBeGreaterThan(0);
    if (expected.length > 0) expect(narrow).toEqual(expected);
  });

  it("matches RAM wildcards by what they cover", () => {
    expect(patternMatches("acs:eventbridge:*:1:eventbus/orders", "acs:eventbridge:cn-hangzhou:1:eventbus/orders")).toBe(true);
    expect(patternMatches("eventbridge:Get?vent*", "eventbridge:GetEventBus")).toBe(true);
    expect(patternCovers("a/rule/*", "a/rule/r1")).toBe(true);
    expect(patternCovers("a/rule/r1", "a/rule/*")).toBe(false);
    // rule-name prefixes: covered by rule/*, covering the rules they name
    expect(patternCovers("a/rule/orders-*", "a/rule/orders-audit")).toBe(true);
    expect(patternCovers("a/rule/*", "a/rule/orders-*")).toBe(true);
    expect(patternCovers("a/rule/orders-*", "a/rule/*")).toBe(false);
    expect(patternCovers("a/rule/o*", "a/rule/orders-*")).toBe(true);
    expect(patternCovers("a/rule/orders-*", "a/rule/o*")).toBe(false);
    expect(patternCovers("a/rule/orders-*", "a/rule/billing-x")).toBe(false);
    // a `?` stands for one character, never for the run a `*` matches
    expect(patternCovers("a/rule/r?", "a/rule/r*")).toBe(false);
    expect(patternCovers("a/rule/r?", "a/rule/r?")).toBe(true);
    expect(patternCovers("a/rule/r*", "a/rule/r?")).toBe(true);
  });

  it("a rule-name prefix is wider than the rules it names and narrower than every rule", async () => {
    const rules = (list: string[]) => edited(MULTI_FILE, (c) => (c.partners[0].grants[0].rules = list));
    const prefix = await report(rules(["orders-*"]), "r-prefix");
    const effects = (d: ReturnType<typeof diffAccess>) => [
      ...new Set(d.changes.filter((c) => c.kind !== "handoff").map((c) => c.effect)),
    ];
    const named = diffAccess(multiReport, prefix);
    expect(effects(named)).toEqual(["broadening"]);
    expect(named.changes.every((c) => c.kind === "handoff" || c.description.includes("/rule/orders-*"))).toBe(true);
    expect(effects(diffAccess(prefix, multiReport))).toEqual(["narrowing"]);
    const every = await report(rules(["*"]), "r-every");
    expect(effects(diffAccess(prefix, every))).toEqual(["broadening"]);
    expect(effects(diffAccess(every, prefix))).toEqual(["narrowing"]);
  });

  it("never reads outside an output directory, whatever its manifest says", async () => {
    const hostile = await synth(MULTI_FILE, "hostile-manifest");
    const manifestFile = path.join(hostile, "manifest.json");
    const manifest = JSON.parse(readFileSync(manifestFile, "utf8"));
    const cli = (command: string, ...args: string[]) =>
      spawnSync(process.execPath, [path.join(ROOT, "scripts", "launch.cjs"), command, ...args], { cwd: work, encoding: "utf8" });
    const secret = path.join(work, "secret.json");
    writeFileSync(
      secret,
      JSON.stringify({ resource: {}, "//": { delegation: { side: "owner", owner: { name: "x", accountId: "1" } } } }),
    );
    for (const [stackPath, why] of [
      ["../../../../etc/passwd", "leaves the output directory"],
      [secret, "must be a relative path inside"],
      ["../secret.json", "leaves the output directory"],
      ["stacks/../../secret.json", "leaves the output directory"],
    ]) {
      manifest.stacks.owner.synthesizedStackPath = stackPath;
      writeFileSync(manifestFile, JSON.stringify(manifest));
      for (const out of [cli("access-diff", multi, hostile), cli("report", "--outdir", hostile)]) {
        expect(out.status, stackPath).toBe(3);
        expect(out.stderr).toContain(why);
        expect(out.stdout).not.toContain("root:");
      }
    }
    // a link inside the directory that points outside is refused too
    symlinkSync(secret, path.join(hostile, "stacks", "owner", "link.json"));
    manifest.stacks.owner.synthesizedStackPath = "stacks/owner/link.json";
    writeFileSync(manifestFile, JSON.stringify(manifest));
    expect(cli("report", "--outdir", hostile).stderr).toContain("leaves the output directory");
  });

  it("npm run access-diff exits 2 on broadening, 0 otherwise, with deterministic Markdown and JSON", async () => {
    const head = await synth(
      edited(MULTI_FILE, (c) => delete c.partners[1].role.externalId),
      "cli-head",
    );
    const run = (...args: string[]) =>
      spawnSync(process.execPath, [path.join(ROOT, "scripts", "launch.cjs"), "access-diff", ...args], {
        cwd: work,
        encoding: "utf8",
      });
    const broad = run(multi, head);
    expect(broad.status).toBe(2);
    const digest = (dir: string) => shortDigest(readHandoff(path.join(dir, "handoffs", "enterprise-b-audit.json")).digest);
    expect(digest(multi)).not.toBe(digest(head));
    expect(broad.stdout).toBe(
      [
        "# Access changes",
        "",
        `1 broadening, 0 narrowing, 1 other (from <code>${multi}</code> to <code>${head}</code>).`,
        "",
        "| Partner | Change | Effect |",
        "|---|---|---|",
        "| enterprise-b-audit | trust: ExternalId no longer required | **broadening** |",
        `| enterprise-b-audit | handoff changed: digest ${digest(head)} \\(was ${digest(multi)}\\) | neutral |`,
        "",
      ].join("\n"),
    );
    expect(run(multi, head).stdout).toBe(broad.stdout);
    const json = JSON.parse(run(multi, head, "--json").stdout);
    expect(json).toMatchObject({ base: multi, head, broadening: 1, narrowing: 0 });
    const narrow = run(head, multi);
    expect(narrow.status).toBe(0);
    expect(narrow.stdout).toContain("| enterprise-b-audit | trust: ExternalId now required | narrowing |");
    expect(run(multi, multi).status).toBe(0);
    expect(run().status).toBe(3);
    expect(run("--nope", multi).status).toBe(3);
  });
});

describe("audit of deployed state", () => {
  const stack = (outdir: string, id: string) =>
    JSON.parse(readFileSync(path.join(outdir, "stacks", id, "cdk.tf.json"), "utf8")) as StackJson;
  const OWNER = "1000000000000001";
  /** State files for every stack of a synth output. */
  const states = (outdir: string, ids: string[]) => ids.map((id) => ({ id, state: stateFromStack(stack(outdir, id), OWNER) }));
  const asFiles = (xs: { id: string; state: StateJson }[]): StateFile[] =>
    xs.map((x) => ({ file: `${x.id}.json`, read: readState(x.state, x.id) }));
  const ALL = ["owner", "partner-enterprise-b", "partner-enterprise-b-audit", "partner-enterprise-c", "partner-enterprise-d"];
  const audit = (xs: { id: string; state: StateJson }[], m = model(MULTI_FILE), now = NOW) =>
    auditDelegations(m, asFiles(xs), now);
  const checks = (r: ReturnType<typeof audit>) => r.findings.map((f) => `${f.severity} ${f.partner} ${f.check}: ${f.message}`);

  it("finds nothing when the state is what the config synthesizes", () => {
    const r = audit(states(multi, ALL));
    expect(r.findings).toEqual([]);
    expect(r.partnerSidesAudited).toEqual(["enterprise-b", "enterprise-b-audit", "enterprise-c", "enterprise-d"]);
  });

  it("compares parsed documents, not strings", () => {
    const s = states(multi, ["owner"]);
    const role = resourceAt(s[0].state, "alicloud_ram_role.enterprise-b");
    const doc = JSON.parse(role.values.assume_role_policy_document);
    doc.Statement[0].Action = "sts:AssumeRole"; // RAM's shorthand
    doc.Statement[0].Principal.RAM.reverse();
    role.values.assume_role_policy_document = JSON.stringify({ Statement: doc.Statement, Version: "1" }, null, 2);
    expect(audit(s).findings).toEqual([]);
  });

  it("reports drifted trust, broader access, extra attachments and broad grants", () => {
    const s = states(multi, ["owner"]);
    const role = resourceAt(s[0].state, "alicloud_ram_role.enterprise-b-audit");
    const doc = JSON.parse(role.values.assume_role_policy_document);
    delete doc.Statement[0].Condition;
    role.values.assume_role_policy_document = JSON.stringify(doc);
    s[0].state.values.root_module.resources.push({
      ...resourceAt(s[0].state, "alicloud_ram_role_policy_attachment.enterprise-c_system_AliyunEventBridgeReadOnlyAccess"),
      address: "alicloud_ram_role_policy_attachment.by-hand",
      name: "by-hand",
      values: {
        role_name: "eventbridge-readonly-c",
        policy_name: "AdministratorAccess",
        policy_type: "System",
        id: "role:AdministratorAccess:System:eventbridge-readonly-c",
      },
    });
    expect(checks(audit(s))).toEqual([
      "error enterprise-b-audit TRUST-DRIFT: the deployed trust policy differs from the config",
      "error enterprise-b-audit ACCESS-DRIFT: deployed broader than the config: trust: ExternalId no longer required",
      "error enterprise-c BROAD-GRANT: system policy AdministratorAccess is attached: it grants every action on every resource; allowed: AliyunEventBridgeReadOnlyAccess, AliyunEventBridgePutEventsPolicy",
      "error enterprise-c ATTACHMENT-DRIFT: System AdministratorAccess policy is attached but not in the config",
      "error enterprise-c ACCESS-DRIFT: deployed broader than the config: system policy AdministratorAccess attached",
    ]);
  });

  it("reports missing and extra roles, drifted permission policies and revoked partners still present", () => {
    const s = states(multi, ["owner"]);
    const resources = s[0].state.values.root_module.resources;
    s[0].state.values.root_module.resources = resources.filter((r) => !r.address.startsWith("alicloud_ram_role.enterprise-c"));
    const policy = resourceAt(s[0].state, "alicloud_ram_policy.enterprise-b-audit_permissions_1");
    const doc = JSON.parse(policy.values.policy_document);
    doc.Statement.push({ Effect: "Allow", Action: ["eventbridge:DeleteEventBus"], Resource: ["*"] });
    policy.values.policy_document = JSON.stringify(doc);
    const revoked = modelOf(edited(MULTI_FILE, (c) => (c.partners[0].revoked = true)));
    expect(checks(audit(s, revoked))).toEqual([
      "error enterprise-b REVOKED-PRESENT: the partner is revoked but role eventbridge-publisher-b still exists",
      "error enterprise-b-audit BROAD-GRANT: policy eventbridge-delegation-enterprise-b-audit-1 allows write action eventbridge:DeleteEventBus on every resource",
      "error enterprise-b-audit POLICY-DRIFT: the deployed document of eventbridge-delegation-enterprise-b-audit-1 differs from the config",
      "error enterprise-b-audit ACCESS-DRIFT: deployed broader than the config: eventbridge:DeleteEventBus on *",
      "error enterprise-c MISSING-ROLE: role eventbridge-readonly-c is not deployed",
      // the role went, its attachment stayed: a grant to a role the audit cannot see
      "error ? UNACCOUNTED: owner.json: alicloud_ram_role_policy_attachment.enterprise-c_system_AliyunEventBridgeReadOnlyAccess: attaches AliyunEventBridgeReadOnlyAccess to role eventbridge-readonly-c, which this stack does not hold",
    ]);
    const extra = audit(states(multi, ["owner"]), modelOf(edited(MULTI_FILE, (c) => c.partners.splice(2, 1))));
    expect(checks(extra)).toEqual([
      "error ? EXTRA-ROLE: role eventbridge-readonly-c is deployed but no partner in the config has it; it trusts acs:ram::3000000000000003:root, is tagged for partner enterprise-c",
    ]);
  });

  it("flags a deployed write on a wildcard beyond one bus", () => {
    const s = states(multi, ["owner"]);
    const policy = resourceAt(s[0].state, "alicloud_ram_policy.enterprise-b-audit_permissions_1");
    policy.values.policy_document = JSON.stringify({
      Version: "1",
      Statement: [{ Effect: "Allow", Action: "eventbridge:DeleteEventBus", Resource: "acs:eventbridge:*:*:*" }],
    });
    expect(checks(audit(s))).toContain(
      "error enterprise-b-audit BROAD-GRANT: policy eventbridge-delegation-enterprise-b-audit-1 allows write action eventbridge:DeleteEventBus on acs:eventbridge:*:*:*, beyond any one bus",
    );
  });

  it("sees through NotAction: allowing everything but a list is broad", () => {
    const s = states(multi, ["owner"]);
    const policy = resourceAt(s[0].state, "alicloud_ram_policy.enterprise-b-audit_permissions_1");
    policy.values.policy_document = JSON.stringify({
      Version: "1",
      Statement: [{ Effect: "Allow", NotAction: "ram:*", Resource: "*" }],
    });
    const found = checks(audit(s));
    expect(found).toContain(
      "error enterprise-b-audit BROAD-GRANT: policy eventbridge-delegation-enterprise-b-audit-1 allows everything but a list (NotAction/NotResource)",
    );
    expect(found).toContain("error enterprise-b-audit ACCESS-DRIFT: deployed broader than the config: * on *");
  });

  it("tells partner sides apart by their group's role even when group names repeat", async () => {
    const twins = edited(MULTI_FILE, (c) => {
      c.partners[2].partnerSide.groupName = "eventbridge-auditors"; // as enterprise-b-audit, in another account
      c.partners[2].partnerSide.assumePolicy = "system";
    });
    const out = await synth(twins, "twins");
    const r = auditDelegations(modelOf(twins), asFiles(states(out, ["partner-enterprise-b-audit", "partner-enterprise-c"])), NOW);
    expect(r.findings.filter((f) => f.check !== "ASSUME-SYSTEM-POLICY")).toEqual([]);
    expect(r.partnerSidesAudited).toEqual(["enterprise-b-audit", "enterprise-c"]);
  });

  it("warns about a partner past validUntil whose role still exists", () => {
    const r = audit(states(multi, ["owner"]), model(MULTI_FILE), new Date("2028-01-15T00:00:00Z"));
    expect(checks(r)).toEqual([
      "warning enterprise-b EXPIRED-PRESENT: the delegation ended at 2027-12-31T15:59:59Z but role eventbridge-publisher-b still exists; set revoked: true and deploy",
    ]);
  });

  it("audits the partner side: members, assume permission, revocation", () => {
    const s = states(multi, ["partner-enterprise-b", "partner-enterprise-d"]);
    const assume = resourceAt(s[0].state, "alicloud_ram_policy.assume");
    assume.values.policy_document = assume.values.policy_document.replace("role/eventbridge-publisher-b", "role/*");
    s[0].state.values.root_module.resources.push({
      ...resourceAt(s[0].state, "alicloud_ram_user_group_attachment.alice"),
      address: "alicloud_ram_user_group_attachment.mallory",
      name: "mallory",
      values: { group_name: "eventbridge-delegates", user_name: "mallory", id: "eventbridge-delegates:mallory" },
    });
    s[1].state.values.root_module.resources.push({
      ...resourceAt(s[0].state, "alicloud_ram_group_policy_attachment.assume"),
      values: { group_name: "eventbridge-publishers", policy_name: "AliyunSTSAssumeRoleAccess", policy_type: "System", id: "x" },
    });
    expect(checks(audit(s))).toEqual([
      "error enterprise-b MEMBER-DRIFT: group member mallory is deployed but not in the config",
      "error enterprise-b ASSUME-DRIFT: the deployed document of eventbridge-assume-enterprise-a-enterprise-b differs from the config",
      "error enterprise-d REVOKED-PRESENT: the partner is revoked but group eventbridge-publishers still has System AliyunSTSAssumeRoleAccess policy attached",
    ]);
  });

  it("cannot be talked into clean: empty, shapeless and unreadable state is refused with exit 3", () => {
    const dir = mkdtempSync(path.join(work, "audit-hostile-"));
    const run = (content: unknown) => {
      const file = path.join(dir, "state.json");
      writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content));
      return spawnSync(process.execPath, [path.join(ROOT, "scripts", "launch.cjs"), "audit", file], {
        cwd: dir,
        encoding: "utf8",
        env: { ...process.env, DELEGATION_CONFIG: MULTI_FILE },
      });
    };
    const cases: [unknown, string][] = [
      [{ format_version: "1.0" }, "holds no state (no values)"],
      [{ format_version: "1.0", values: { root_module: {} } }, "holds no resources"],
      [{ format_version: "1.0", values: { root_module: { resources: {} } } }, "values.root_module.resources is not a list"],
      [
        { format_version: "1.0", values: { root_module: { resources: [42] } } },
        "values.root_module.resources[0] is not an object",
      ],
      [{ format_version: "1.0", values: [] }, "values.root_module is not an object"],
      ['{"format_version":"1.0","format_version":"1.0"}', "a key appears twice"],
      ["", "empty file (did terraform show fail? it writes nothing on error)"],
      ["\n", "empty file (did terraform show fail?"],
    ];
    for (const [content, why] of cases) {
      const out = run(content);
      expect(out.status, why).toBe(3);
      expect(out.stderr.trim().split("\n"), why).toHaveLength(1);
      expect(out.stderr, why).toContain(why);
      expect(out.stdout).not.toContain("No findings");
    }
  });

  it("accounts for every role by name: an extra role carrying a partner's tag and AdministratorAccess is reported", () => {
    const s = states(multi, ["owner"]);
    const resources = s[0].state.values.root_module.resources;
    const real = resourceAt(s[0].state, "alicloud_ram_role.enterprise-b");
    // named to sort after the real role, tagged as the same partner, trusting the partner account
    resources.push(
      {
        ...real,
        address: "alicloud_ram_role.zz",
        name: "zz",
        values: { ...real.values, role_name: "zz-shadow", id: "zz-shadow" },
      },
      {
        ...resourceAt(s[0].state, "alicloud_ram_role_policy_attachment.enterprise-c_system_AliyunEventBridgeReadOnlyAccess"),
        address: "alicloud_ram_role_policy_attachment.zz",
        name: "zz",
        values: { role_name: "zz-shadow", policy_name: "AdministratorAccess", policy_type: "System", id: "x" },
      },
    );
    const found = checks(audit(s));
    expect(found).toContain(
      "error enterprise-b EXTRA-ROLE: role zz-shadow is deployed but no partner in the config has it; it trusts acs:ram::2000000000000002:role/b-automation, acs:ram::2000000000000002:root, acs:ram::2000000000000002:user/ci-publisher (account of enterprise-b, enterprise-b-audit), is tagged for partner enterprise-b",
    );
    expect(found.some((f) => f.includes("BROAD-GRANT: system policy AdministratorAccess is attached"))).toBe(true);
    // the real role is still compared as itself, and is clean
    expect(found.filter((f) => f.includes("eventbridge-publisher-b"))).toEqual([]);
  });

  it("reads RAM's shorthand before judging: one Statement object granting * on * is a broad grant", () => {
    const s = states(multi, ["owner"]);
    const policy = resourceAt(s[0].state, "alicloud_ram_policy.enterprise-b-audit_permissions_1");
    policy.values.policy_document = JSON.stringify({ Version: "1", Statement: { Effect: "Allow", Action: "*", Resource: "*" } });
    const found = checks(audit(s));
    expect(found).toContain(
      "error enterprise-b-audit BROAD-GRANT: policy eventbridge-delegation-enterprise-b-audit-1 allows wildcard action *",
    );
    expect(found.some((f) => f.includes("ACCESS-DRIFT: deployed broader than the config"))).toBe(true);
    expect(found.some((f) => f.includes("narrower"))).toBe(false);
    // and a document that is not a policy at all is never judged clean
    policy.values.policy_document = "not a policy";
    expect(checks(audit(s))).toContain(
      "error enterprise-b-audit UNREADABLE-POLICY: the document of policy eventbridge-delegation-enterprise-b-audit-1 is not a policy document; what it grants cannot be judged",
    );
  });

  it("sees user-level attachments, extra group attachments, tag drift and resources the product never creates", () => {
    const all = states(multi, ALL);
    const owner = all.find((x) => x.id === "owner")!.state;
    resourceAt(owner, "alicloud_ram_role.enterprise-b").values.tags = {
      ManagedBy: "someone-else",
      DelegationPartner: "enterprise-b",
    };
    const b = all.find((x) => x.id === "partner-enterprise-b")!.state;
    const group = resourceAt(b, "alicloud_ram_group_policy_attachment.assume");
    b.values.root_module.resources.push(
      {
        ...group,
        address: "alicloud_ram_user_policy_attachment.x",
        type: "alicloud_ram_user_policy_attachment",
        name: "x",
        values: { user_name: "alice", policy_name: "AdministratorAccess", policy_type: "System", id: "u" },
      },
      {
        ...group,
        address: "alicloud_ram_group_policy_attachment.y",
        name: "y",
        values: { ...group.values, policy_name: "AliyunECSFullAccess", policy_type: "System" },
      },
      {
        ...group,
        address: "alicloud_ram_access_key.k",
        type: "alicloud_ram_access_key",
        name: "k",
        values: { user_name: "alice" },
      },
    );
    const found = checks(audit(all));
    expect(found).toEqual(
      expect.arrayContaining([
        'error enterprise-b TAG-DRIFT: role eventbridge-publisher-b: tag ManagedBy is "someone-else"; the config says "eventbridge-delegation"',
        "error enterprise-b UNACCOUNTED: partner-enterprise-b.json: alicloud_ram_user_policy_attachment.x: a policy attached to a user directly; a delegation grants only through its group",
        "error enterprise-b UNACCOUNTED: partner-enterprise-b.json: alicloud_ram_group_policy_attachment.y: attaches System policy AliyunECSFullAccess to group eventbridge-delegates; a delegation grants the group only its assume permission",
        "error enterprise-b UNACCOUNTED: partner-enterprise-b.json: alicloud_ram_access_key.k: alicloud_ram_access_key is not part of a partner side",
      ]),
    );
  });

  it("property: a random change to a faithful state never audits clean, a reformatting always does", () => {
    const base = states(multi, ALL);
    type Mutation = { name: string; semantic: boolean; apply: (xs: { id: string; state: StateJson }[]) => void };
    const owner = (xs: { id: string; state: StateJson }[]) => xs[0].state;
    const docs = (xs: { id: string; state: StateJson }[]) =>
      owner(xs).values.root_module.resources.filter((r) => r.type === "alicloud_ram_policy" || r.type === "alicloud_ram_role");
    const docKey = (r: { type: string }) => (r.type === "alicloud_ram_role" ? "assume_role_policy_document" : "policy_document");
    const mutations = (i: number): Mutation[] => [
      {
        name: "reformat and reorder a document, in RAM's shorthand",
        semantic: false,
        apply: (xs) => {
          const r = docs(xs)[i % docs(xs).length];
          const d = JSON.parse(r.values[docKey(r)]);
          d.Statement = [...d.Statement].reverse().map((st: any) => ({
            ...st,
            Action: st.Action.length === 1 ? st.Action[0] : [...st.Action].reverse(),
            ...(st.Resource ? { Resource: st.Resource.length === 1 ? st.Resource[0] : [...st.Resource].reverse() } : {}),
          }));
          if (d.Statement.length === 1) d.Statement = d.Statement[0];
          r.values[docKey(r)] = JSON.stringify(d, null, 2);
        },
      },
      {
        name: "add an action",
        semantic: true,
        apply: (xs) => {
          const policies = docs(xs).filter((x) => x.type === "alicloud_ram_policy");
          const r = policies[i % policies.length];
          const d = JSON.parse(r.values.policy_document);
          d.Statement[0].Action = [...d.Statement[0].Action, "eventbridge:DeleteRule"];
          r.values.policy_document = JSON.stringify(d);
        },
      },
      {
        name: "drop a condition of a trust policy",
        semantic: true,
        apply: (xs) => {
          // only roles whose trust has conditions: dropping none is no change
          const roles = docs(xs).filter(
            (x) =>
              x.type === "alicloud_ram_role" &&
              Object.keys(JSON.parse(x.values.assume_role_policy_document).Statement[0].Condition ?? {}).length > 0,
          );
          const r = roles[i % roles.length];
          const d = JSON.parse(r.values.assume_role_policy_document);
          d.Statement[0].Condition = {};
          r.values.assume_role_policy_document = JSON.stringify(d);
        },
      },
      {
        name: "remove a resource",
        semantic: true,
        apply: (xs) => {
          const x = xs[i % xs.length].state.values.root_module.resources;
          x.splice(i % x.length, 1);
        },
      },
      {
        name: "change a tag",
        semantic: true,
        apply: (xs) => {
          const r = docs(xs).filter((x) => x.type === "alicloud_ram_role")[i % 3];
          r.values.tags = { ...r.values.tags, CostCenter: "9999" };
        },
      },
      {
        name: "longer sessions",
        semantic: true,
        apply: (xs) => {
          const r = docs(xs).filter((x) => x.type === "alicloud_ram_role")[i % 3];
          r.values.max_session_duration = 43200;
        },
      },
    ];
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 5 }), (i, which) => {
        const xs = structuredClone(base);
        const m = mutations(i)[which];
        m.apply(xs);
        // an audit that refuses its input (exit 3) is not clean either
        let errors: string[];
        try {
          errors = checks(audit(xs)).filter((f) => f.startsWith("error"));
        } catch (e) {
          if (!(e instanceof InputError)) throw e;
          errors = [`refused: ${e.message}`];
        }
        if (m.semantic) expect(errors.length, m.name).toBeGreaterThan(0);
        else expect(errors, m.name).toEqual([]);
      }),
      { numRuns: 120 },
    );
  });

  it("npm run audit: a table or JSON, exit 1 on errors, 0 when clean, 3 on unreadable input", () => {
    const dir = mkdtempSync(path.join(work, "audit-"));
    const files = states(multi, ALL).map(({ id, state }) => {
      const file = path.join(dir, `${id}.json`);
      writeFileSync(file, JSON.stringify(state));
      return file;
    });
    const run = (env: Record<string, string>, ...args: string[]) =>
      spawnSync(process.execPath, [path.join(ROOT, "scripts", "launch.cjs"), "audit", ...args], {
        cwd: dir,
        encoding: "utf8",
        env: { ...process.env, DELEGATION_CONFIG: MULTI_FILE, ...env },
      });
    const clean = run({}, ...files);
    expect(clean.status).toBe(0);
    expect(clean.stdout).toContain("0 errors, 0 warnings; 4 partners in the config");
    expect(clean.stdout).toContain("No findings in what was audited.");

    const revoked = path.join(dir, "revoked.yaml");
    writeFileSync(revoked, stringify(edited(MULTI_FILE, (c) => (c.partners[0].revoked = true))));
    const drift = run({ DELEGATION_CONFIG: revoked }, ...files);
    expect(drift.status).toBe(1);
    expect(drift.stdout).toContain(
      "| error | enterprise-b | REVOKED-PRESENT | the partner is revoked but role eventbridge-publisher-b still exists |",
    );
    const json = JSON.parse(run({ DELEGATION_CONFIG: revoked }, "--json", ...files).stdout);
    expect(json.findings.map((f: { check: string }) => f.check)).toEqual(["REVOKED-PRESENT", "REVOKED-PRESENT"]);

    const notState = path.join(dir, "not-state.json");
    writeFileSync(notState, JSON.stringify({ resources: [] }));
    const bad = run({}, notState);
    expect(bad.status).toBe(3);
    expect(bad.stderr.trim()).toBe(`${notState}: not Terraform JSON output (no format_version); use terraform show -json`);
    expect(run({}).status).toBe(3);
  });

  it("the example's state fixtures follow Terraform's JSON format", () => {
    const [owner] = states(multi, ["owner"]);
    expect(owner.state.format_version).toBe("1.0");
    for (const r of owner.state.values.root_module.resources) {
      expect(r.address).toBe(`${r.type}.${r.name}`);
      expect(JSON.stringify(r.values)).not.toContain("${");
    }
    expect(resourceAt(owner.state, "alicloud_ram_role.enterprise-b").values.arn).toBe(
      "acs:ram::1000000000000001:role/eventbridge-publisher-b",
    );
  });
});
