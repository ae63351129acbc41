// The CommonMark reference parser (commonmark.js) ships no types; the tests use this much of it.
declare module "commonmark" {
  export interface Node {
    readonly type: string;
    readonly literal: string | null;
    readonly destination: string | null;
  }
  export class Parser {
    parse(text: string): { walker(): { next(): { entering: boolean; node: Node } | null } };
  }
}
