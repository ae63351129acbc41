/** IPv4 addresses and CIDR blocks as integer ranges: one place for the arithmetic. */
import { isIPv4 } from "node:net";

export interface Block {
  /** The address as written, as an integer. */
  readonly address: number;
  readonly bits: number;
  /** First address of the block, and the one after its last. */
  readonly start: number;
  readonly end: number;
}

/** `203.0.113.0/24` or `198.51.100.7` as a block; undefined when it is neither. */
export function parseBlock(value: string): Block | undefined {
  const [address, prefix, ...rest] = value.split("/");
  if (rest.length > 0 || !isIPv4(address) || (prefix !== undefined && !/^(?:[0-9]|[12][0-9]|3[0-2])$/.test(prefix)))
    return undefined;
  const bits = prefix === undefined ? 32 : Number(prefix);
  const n = address.split(".").reduce((acc, octet) => acc * 256 + Number(octet), 0);
  const size = 2 ** (32 - bits);
  const start = n - (n % size);
  return { address: n, bits, start, end: start + size };
}

export function dotted(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join(".");
}

/** Whether block `a` contains block `b` (compared as written when either is not a block). */
export function blockCovers(a: string, b: string): boolean {
  const x = parseBlock(a);
  const y = parseBlock(b);
  if (!x || !y) return a === b;
  return x.start <= y.start && y.end <= x.end;
}

/** Whether blocks together cover all 2^32 addresses. */
export function coverEverything(values: readonly string[]): boolean {
  const blocks = values.flatMap((v) => parseBlock(v) ?? []).sort((a, b) => a.start - b.start);
  let reached = 0;
  for (const { start, end } of blocks) {
    if (start > reached) return false;
    reached = Math.max(reached, end);
  }
  return reached >= 2 ** 32;
}
