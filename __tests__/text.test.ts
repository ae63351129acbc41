import { Parser } from "commonmark";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { freeTextProblem } from "../lib/text/free-text";
import { markdownCode, markdownLink, markdownText } from "../lib/text/markdown";
import { terminalLines, terminalText } from "../lib/text/terminal";
import { quote } from "../lib/text/quote";

/** What the attack put in an acknowledgement reason: it closed <details>, faked a heading and embedded an image. */
const ATTACK =
  "ok</details>\n\n# 0 broadening\n\n![x](https://attacker.example/x.png) <img src=x> [click](javascript:alert(1)) @org/team `code`\n```\n> quote\n- item\n1. item\n\x1b[2J\u202e";

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u2028\u2029]/;

/** The node types CommonMark's reference parser builds for some Markdown, and its text. */
function parse(markdown: string): { types: string[]; text: string } {
  const walker = new Parser().parse(markdown).walker();
  const types = new Set<string>();
  let text = "";
  for (let e = walker.next(); e; e = walker.next()) {
    if (!e.entering) continue;
    types.add(e.node.type);
    if (e.node.type === "text") text += e.node.literal;
  }
  return { types: [...types].sort(), text };
}

/** Strings heavy in what Markdown, HTML and terminals give a meaning to. */
const hostile = fc.string({
  unit: fc.oneof(
    fc.constantFrom(..."<>&|[]()!`#*_~$\\-+=.:/@ \n\t\r\x1b\x9b\u202e\u2066\u2028wW1"),
    fc.constantFrom("://", "www.", "1.", "- ", "```", "<!--", "</details>", "&amp;", "&#60;"),
    fc.string({ unit: "grapheme", maxLength: 2 }),
  ),
  maxLength: 40,
});

describe("the free-text rule", () => {
  it.each([
    ["an escape sequence", "CI \x1b[2Jpublisher", "U+001B at character 4"],
    ["a C1 control (CSI)", "a\x9b31m", "U+009B at character 2"],
    ["a bidirectional override", "abc\u202Efed", "U+202E at character 4"],
    ["a bidirectional isolate", "\u2066x", "U+2066 at character 1"],
    ["a line break", "one\ntwo", "U+000A at character 4"],
    ["a tab", "a\tb", "U+0009"],
    ["DEL", "a\x7f", "U+007F"],
    ["a line separator", "a\u2028b", "U+2028"],
  ])("refuses %s", (_what, value, where) => {
    expect(freeTextProblem(value)).toMatch(where);
  });

  it("accepts what people write", () => {
    for (const ok of [
      "CI publisher",
      "Enterprise B publishes order events (see #12)",
      "发布订单事件",
      "Zoë's bot 🚚",
      "עברית ושלום",
    ])
      expect(freeTextProblem(ok)).toBeUndefined();
  });
});

describe("Markdown: one escaping function", () => {
  it("leaves nothing of the attack but text", () => {
    const md = `Acknowledged: ${markdownText(ATTACK)}`;
    expect(parse(md).types).toEqual(["document", "paragraph", "text"]);
    expect(md).not.toMatch(/[<>\n]/);
    expect(md).not.toMatch(/@org/);
    expect(md).not.toMatch(/https:\/\//);
  });

  it("renders every string as its own characters, on a line of its own or inside one, in no element", () => {
    const contexts = [
      ["", ""],
      ["text ", " text"],
      ["| cell | ", " |"],
      ["- ", ""],
      ["> ", ""],
    ];
    fc.assert(
      fc.property(hostile, (value) => {
        const escaped = markdownText(value);
        expect(escaped).not.toMatch(CONTROL);
        expect(escaped).not.toMatch(/[<>|]/);
        if (terminalText(value).trim() === "") return;
        for (const [before, after] of contexts) {
          const { types, text } = parse(`${before}${escaped}${after}`);
          expect(types).toEqual(parse(`${before}x${after}`).types);
          // the zero-width spaces after @, :// and www. only break GitHub's automatic links
          const shown = `${/^[->] $/.test(before) ? "" : before}${terminalText(value)}${after}`;
          expect(text.replace(/\u200b/g, "").trim()).toBe(shown.trim());
        }
      }),
      { numRuns: 2000 },
    );
  });

  it("markdownCode is the same text inside <code>", () => {
    expect(markdownCode("a_b|c")).toBe("<code>a\\_b&#124;c</code>");
  });

  it("markdownLink links to the page it is given, exactly as built, and shows anything else as text", () => {
    const page = "https://signin.aliyun.com/switchRole.htm?";
    const url = `${page}parentAlias=northwind.onaliyun.com&roleName=eventbridge-publisher-b`;
    const md = markdownLink(url, page);
    expect(md).toBe(`<${url}>`);
    const walker = new Parser().parse(md).walker();
    const links: string[] = [];
    for (let e = walker.next(); e; e = walker.next())
      if (e.entering && e.node.type === "link") links.push(String(e.node.destination));
    expect(links).toEqual([url]);
    for (const other of [
      "https://signin.aliyun.com.attacker.example/switchRole.htm?x=1",
      "https://attacker.example/?https://signin.aliyun.com/switchRole.htm?",
      `${page}roleName=a b`,
      `${page}roleName=a>b<img src=x>`,
      `${page}x=1)[y](javascript:alert(1))`,
      `${page}x=@org/team`,
      `${page}x=1\u202e`,
    ]) {
      expect(markdownLink(other, page)).toBe(markdownCode(other));
      expect(parse(`link: ${markdownLink(other, page)}`).types).not.toContain("link");
    }
    // a prefix that is not one https page cannot widen what is linked
    expect(markdownLink("https://a.example/x?y", "https://")).toBe(markdownCode("https://a.example/x?y"));
  });
});

describe("terminal: one function makes control characters visible", () => {
  it("shows escapes instead of acting on them", () => {
    expect(terminalText("reason \x1b[2J\x1b]0;title\x07 \x9b31m \u202egnp.exe")).toBe(
      "reason \\u001b[2J\\u001b]0;title\\u0007 \\u009b31m \\u202egnp.exe",
    );
    fc.assert(
      fc.property(hostile, (value) => {
        expect(terminalText(value)).not.toMatch(CONTROL);
      }),
    );
  });

  it("keeps the lines of a message and nothing else", () => {
    expect(terminalLines("one\x1b[A\ntwo\r")).toBe("one\\u001b[A\ntwo\\u000d");
  });

  it("quotes in messages show C1 controls and overrides too", () => {
    expect(quote("a\x9b\u202e")).toBe('"a\\u009b\\u202e"');
  });
});
