/**
 * Reading files the product is handed (configs, handoffs, synth outputs and their manifests,
 * Terraform state) as the hostile input they may be: regular files only (a FIFO would block the
 * read forever, a device such as /dev/zero never ends, a directory is no file), checked on the
 * open descriptor before anything is read, and the open itself cannot block; never more than a
 * size cap; strict UTF-8 (an invalid byte is an error, never silently replaced), a leading byte
 * order mark dropped the same way for every format; JSON with duplicate keys refused (JSON.parse
 * would silently keep the last one). Errors name the file and where in it, never its content.
 */
import fs from "node:fs";
import { parseDocument } from "yaml";

/** A file that cannot be used; `reason` completes "<file>: ...". */
export class UnreadableFile extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`${file}: ${reason}`);
    this.name = "UnreadableFile";
  }
}

/** Size caps, in bytes: far above any real input, far below what would exhaust memory. */
export const MAX_BYTES = {
  /** A config: 1,000 partners with every setting is under 2 MiB. */
  config: 8 * 1024 * 1024,
  /** Terraform JSON (stacks, state) and manifests: 1,000 partners' owner state is about 10 MiB. */
  json: 256 * 1024 * 1024,
} as const;

const mib = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MiB`;

/** What a file that is not a regular file is, for a message; undefined for a regular file. */
function notRegular(stat: fs.Stats): string | undefined {
  if (stat.isFile()) return undefined;
  if (stat.isDirectory()) return "a directory";
  if (stat.isFIFO()) return "a FIFO (named pipe)";
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return "a device";
  if (stat.isSocket()) return "a socket";
  return "not a file";
}

/** Reads at most `limit` bytes of a regular file as strict UTF-8 text, without a BOM. */
export function readText(file: string, limit: number): string {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO for reading waits for a writer, forever if none comes
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK | fs.constants.O_NOCTTY);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UnreadableFile(file, code === "ENOENT" ? "file not found" : `cannot be read (${code ?? (e as Error).message})`);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    const kind = notRegular(fs.fstatSync(fd));
    if (kind) throw new UnreadableFile(file, `is ${kind}, not a regular file; refusing to read it`);
    const chunk = Buffer.allocUnsafe(1024 * 1024);
    for (;;) {
      let n: number;
      try {
        n = fs.readSync(fd, chunk, 0, chunk.length, null);
      } catch (e) {
        throw new UnreadableFile(file, `cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
      }
      if (n === 0) break;
      total += n;
      if (total > limit) throw new UnreadableFile(file, `larger than ${mib(limit)}; refusing to read it`);
      chunks.push(Buffer.from(chunk.subarray(0, n)));
    }
  } finally {
    fs.closeSync(fd);
  }
  try {
    // a BOM is dropped (ignoreBOM: false), whatever the format
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(Buffer.concat(chunks, total));
  } catch {
    throw new UnreadableFile(file, "not valid UTF-8 text");
  }
}

/**
 * Parses JSON text strictly: JSON's own syntax, and no object with the same key twice (which
 * JSON.parse would resolve silently to the last value). Throws a plain message on failure.
 */
export function parseJsonStrict(text: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new Error(`not valid JSON: ${jsonSyntaxError(text, (e as Error).message)}`, { cause: e });
  }
  // A key that appears twice leaves fewer keys in the value than names in the text. Only then is
  // the text parsed again, with YAML's parser (JSON is YAML 1.2 flow syntax), which says where:
  // it takes a hundred times longer than JSON.parse (a quarter of a second for 1,000 partners).
  if (memberNames(text) === keyCount(value)) return value;
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
  const at = doc.errors.find((e) => e.code === "DUPLICATE_KEY")?.linePos?.[0];
  throw new Error(`not valid JSON: a key appears twice in one object${at ? ` (line ${at.line}, column ${at.col})` : ""}`);
}

/**
 * JSON.parse's complaint without the piece of the text it quotes (`Unexpected token 'h',
 * "hello worl"... is not valid JSON`): where the error is, never what the file holds.
 */
function jsonSyntaxError(text: string, message: string): string {
  const given = /at position (\d+)/.exec(message);
  const what = /^Unexpected token/.test(message)
    ? "unexpected character"
    : message.replace(/ (?:in JSON )?at position \d+.*$/s, "").replace(/^Unexpected end of JSON input$/, "unexpected end");
  const offset = given ? Number(given[1]) : jsonErrorOffset(text);
  return offset === undefined ? what : `${what[0].toLowerCase()}${what.slice(1)} (${lineAndColumn(text, offset)})`;
}

function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  return `line ${line}, column ${offset - before.lastIndexOf("\n")}`;
}

/** Where JSON text first breaks JSON's grammar (only asked once JSON.parse has failed). */
function jsonErrorOffset(text: string): number | undefined {
  let i = 0;
  const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
  const space = () => {
    while (i < text.length && " \t\n\r".includes(text[i])) i++;
  };
  const fail = (): never => {
    throw new SyntaxAt(i);
  };
  const string = () => {
    i++;
    for (;;) {
      const c = text.charCodeAt(i);
      if (Number.isNaN(c) || c < 0x20) fail();
      if (c === 0x22) return void i++;
      if (c === 0x5c) {
        if (
          text[i + 1] === "u" ? !/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6)) : !'"\\/bfnrt'.includes(text[i + 1] ?? "x")
        ) {
          i++;
          fail();
        }
        i += text[i + 1] === "u" ? 6 : 2;
      } else i++;
    }
  };
  const value = (): void => {
    space();
    const c = text[i];
    if (c === "{" || c === "[") {
      const close = c === "{" ? "}" : "]";
      i++;
      space();
      if (text[i] === close) return void i++;
      for (;;) {
        space();
        if (c === "{") {
          if (text[i] !== '"') fail();
          string();
          space();
          if (text[i] !== ":") fail();
          i++;
        }
        value();
        space();
        if (text[i] === ",") i++;
        else if (text[i] === close) return void i++;
        else fail();
      }
    }
    if (c === '"') return string();
    for (const word of ["true", "false", "null"]) if (text.startsWith(word, i)) return void (i += word.length);
    NUMBER.lastIndex = i;
    if (NUMBER.test(text)) return void (i = NUMBER.lastIndex);
    fail();
  };
  try {
    value();
    space();
    if (i < text.length) fail();
    return undefined;
  } catch (e) {
    if (e instanceof SyntaxAt) return e.offset;
    return undefined; // nesting deeper than the stack: no position
  }
}

class SyntaxAt {
  constructor(readonly offset: number) {}
}

/** The number of member names (strings followed by `:`) in text that JSON.parse accepted. */
function memberNames(text: string): number {
  let names = 0;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) !== 0x22) continue;
    let end = i + 1;
    while (text.charCodeAt(end) !== 0x22) end += text.charCodeAt(end) === 0x5c ? 2 : 1;
    let next = end + 1;
    while (next < text.length && " \t\n\r".includes(text[next])) next++;
    if (text.charCodeAt(next) === 0x3a) names++;
    i = end;
  }
  return names;
}

/** The number of keys of every object in a parsed JSON value. */
function keyCount(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((n: number, v) => n + keyCount(v), 0);
  if (value === null || typeof value !== "object") return 0;
  return Object.entries(value).reduce((n, [, v]) => n + 1 + keyCount(v), 0);
}
