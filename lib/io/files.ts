/**
 * Reading files the product is handed (configs, handoffs, synth outputs, Terraform state) as the
 * hostile input they may be: never more than a size cap (also from a pipe or a device such as
 * /dev/zero, which have no size), strict UTF-8 (an invalid byte is an error, never silently
 * replaced), a leading byte order mark dropped the same way for every format, and JSON with
 * duplicate keys refused (JSON.parse would silently keep the last one).
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

/** Reads at most `limit` bytes of a file (or pipe, or device) as strict UTF-8 text, without a BOM. */
export function readText(file: string, limit: number): string {
  let fd: number;
  try {
    fd = fs.openSync(file, "r");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UnreadableFile(file, code === "ENOENT" ? "file not found" : `cannot be read (${code ?? (e as Error).message})`);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    if (fs.fstatSync(fd).isDirectory()) throw new UnreadableFile(file, "is a directory, not a file");
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
    throw new Error(`not valid JSON: ${(e as Error).message}`, { cause: e });
  }
  // A key that appears twice leaves fewer keys in the value than names in the text. Only then is
  // the text parsed again, with YAML's parser (JSON is YAML 1.2 flow syntax), which says where:
  // it takes a hundred times longer than JSON.parse (a quarter of a second for 1,000 partners).
  if (memberNames(text) === keyCount(value)) return value;
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
  const at = doc.errors.find((e) => e.code === "DUPLICATE_KEY")?.linePos?.[0];
  throw new Error(`not valid JSON: a key appears twice in one object${at ? ` (line ${at.line}, column ${at.col})` : ""}`);
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
