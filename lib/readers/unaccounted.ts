/**
 * What a reader could not account for. Every reader lists, with its address and why, each block,
 * resource and attribute value it cannot place in a description: it never drops one.
 */

export interface Unaccounted {
  /** The Terraform address (`alicloud_ram_user.mallory`, `module.x`, `alicloud_ram_role.b.tags`). */
  readonly address: string;
  readonly why: string;
  /**
   * `unreadable`: a value of the wrong type, an expression, an unknown mode, a document the
   * policy reader refuses: the reader cannot see what it does. `unexplained`: readable, but no
   * delegation explains it (another resource type, another group, a flag the product never sets).
   */
  readonly kind: "unreadable" | "unexplained";
}

/** A value Terraform computes when it applies (a stack's `${...}`): an expression, not text a reader can judge. */
export class Expression {
  constructor(readonly text: string) {}
}

export const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

export function formatUnaccounted(u: Unaccounted): string {
  return `${u.address}: ${u.why}`;
}

/** Sorted, without repeats, so that two readings of the same input list the same. */
export function sortUnaccounted(xs: readonly Unaccounted[]): Unaccounted[] {
  const seen = new Map(xs.map((u) => [`${u.address}\u0000${u.why}`, u]));
  return [...seen.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, u]) => u);
}

const show = (v: unknown) => (v instanceof Expression ? v.text : JSON.stringify(v));

/**
 * Reads the attributes of one resource, each once, by type; at the end every attribute that was
 * not read and holds a value is listed. A value of the wrong type or an expression is listed and
 * read as absent.
 */
export class Attributes {
  private readonly read = new Set<string>();

  constructor(
    readonly address: string,
    private readonly values: Readonly<Record<string, unknown>>,
    private readonly out: Unaccounted[],
  ) {}

  private take(key: string): unknown {
    this.read.add(key);
    const v = this.values[key];
    if (v instanceof Expression) {
      this.out.push({
        address: `${this.address}.${key}`,
        why: `an expression instead of a literal: ${v.text}`,
        kind: "unreadable",
      });
      return undefined;
    }
    return v;
  }

  private wrong(key: string, what: string, v: unknown): undefined {
    this.out.push({ address: `${this.address}.${key}`, why: `expected ${what}, got ${show(v)}`, kind: "unreadable" });
    return undefined;
  }

  string(key: string): string | undefined {
    const v = this.take(key);
    return v === undefined || v === null ? undefined : typeof v === "string" ? v : this.wrong(key, "a string", v);
  }

  number(key: string): number | undefined {
    const v = this.take(key);
    return v === undefined || v === null ? undefined : typeof v === "number" ? v : this.wrong(key, "a number", v);
  }

  bool(key: string): boolean | undefined {
    const v = this.take(key);
    return v === undefined || v === null ? undefined : typeof v === "boolean" ? v : this.wrong(key, "true or false", v);
  }

  /** A map of strings (tags). */
  map(key: string): Record<string, string> | undefined {
    const v = this.take(key);
    if (v === undefined || v === null) return undefined;
    if (!isObject(v) || Object.values(v).some((x) => typeof x !== "string")) return this.wrong(key, "a map of strings", v);
    return v as Record<string, string>;
  }

  /** A list of strings. */
  strings(key: string): string[] | undefined {
    const v = this.take(key);
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v) || v.some((x) => typeof x !== "string")) return this.wrong(key, "a list of strings", v);
    return v as string[];
  }

  /**
   * Attributes the provider computes (ids, ARNs, times; `numbers` are numbers, the rest strings):
   * type-checked in a state, listed in a stack, where nobody sets them.
   */
  computed(strings: readonly string[], source: "stack" | "state", numbers: readonly string[] = []): void {
    if (source !== "state") return;
    for (const k of strings) if (!this.read.has(k)) this.string(k);
    for (const k of numbers) if (!this.read.has(k)) this.number(k);
  }

  /** Attributes that may be present but only empty (null, false, "", [] or {}). */
  empty(keys: readonly string[]): void {
    for (const k of keys) {
      this.read.add(k);
      const v = this.values[k];
      const isEmpty =
        v === undefined ||
        v === null ||
        v === false ||
        v === "" ||
        (Array.isArray(v) && v.length === 0) ||
        (isObject(v) && Object.keys(v).length === 0);
      if (!isEmpty)
        this.out.push({
          address: `${this.address}.${k}`,
          why: `set to ${show(v)}, which a delegation never sets`,
          kind: "unexplained",
        });
    }
  }

  /** Lists every attribute not read that holds a value; call last. */
  done(): void {
    for (const [k, v] of Object.entries(this.values)) {
      if (this.read.has(k) || v === null || v === undefined) continue;
      this.out.push({
        address: `${this.address}.${k}`,
        why: `attribute ${k} is not part of a delegation (${show(v)})`,
        kind: "unexplained",
      });
    }
  }
}

/** A problem with the files a review tool was given (not with what they describe): exit code 3. */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InputError";
  }
}
