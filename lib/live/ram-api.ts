/**
 * RAM's API as the live audit calls it: Alibaba's official SDK (@alicloud/ram20150501), the
 * credentials of @alicloud/credentials (the default chain, or the config's profile, and its
 * assumeRoleArn on top), every list read to its last page, at most `concurrency` calls at once,
 * throttled calls retried with exponential backoff and jitter, each call bounded by a timeout.
 * Facts: docs/ram-api-facts.md.
 */
import Credential, {
  CLIProfileCredentialsProvider,
  DefaultCredentialsProvider,
  RAMRoleARNCredentialsProvider,
  type CredentialsProvider,
} from "@alicloud/credentials";
import * as core from "@alicloud/openapi-core";
import Ram, * as $Ram from "@alicloud/ram20150501";
import Sts from "@alicloud/sts20150401";
import { LiveReadError } from "./errors";
import { Pool } from "./pool";

export { LiveReadError };

/**
 * Every RAM action the live audit calls, each the RAM action of the same name (F5). The auditor's
 * read-only policy in the README allows exactly these; a test holds the two to each other.
 */
export const RAM_ACTIONS = [
  "ListRoles",
  "GetRole",
  "ListPoliciesForRole",
  "GetPolicy",
  "GetPolicyVersion",
  "ListUsers",
  "ListGroups",
  "ListGroupsForUser",
  "ListUsersForGroup",
  "ListPoliciesForUser",
  "ListPoliciesForGroup",
  "ListAccessKeys",
  "GetLoginProfile",
] as const;
export type RamAction = (typeof RAM_ACTIONS)[number];

export interface LiveOptions {
  /** `host[:port]` or a URL (`http://127.0.0.1:8080`) of the RAM endpoint; default ram.aliyuncs.com. */
  readonly endpoint?: string;
  /** The STS endpoint (GetCallerIdentity, and AssumeRole for assumeRoleArn); default: `endpoint` when given, else sts.aliyuncs.com. */
  readonly stsEndpoint?: string;
  /** Calls in flight at once (default 8). */
  readonly concurrency?: number;
  /** Per call, in ms (default 15,000). */
  readonly timeoutMs?: number;
  /** Retries of a throttled or failed call (default 6); the delay doubles from `backoffMs`, with full jitter. */
  readonly retries?: number;
  readonly backoffMs?: number;
  /** MaxItems of each page of a list (default 100, RAM's own default; 1-1000). */
  readonly pageSize?: number;
  /** Called now and then with the calls done so far (for progress on stderr). */
  readonly progress?: (done: number, inFlight: number) => void;
}

export interface AccountTarget {
  readonly accountId: string;
  readonly profile?: string;
  readonly assumeRoleArn?: string;
}

/** `host[:port]` and protocol of an endpoint given as a URL or a bare host. */
function endpointOf(value: string): { endpoint: string; protocol: string } {
  const m = /^(https?):\/\/([^/]+)\/?$/.exec(value);
  if (m) return { protocol: m[1], endpoint: m[2] };
  if (/^[A-Za-z0-9.-]+(:\d+)?$/.test(value)) return { protocol: "https", endpoint: value };
  throw new LiveReadError(`--endpoint: expected a host or an http(s) URL, got ${JSON.stringify(value)}`);
}

/** The account's credentials: its CLI profile or the default chain, then its assumeRoleArn. */
function credentialFor(target: AccountTarget, stsEndpoint: string): Credential {
  let provider: CredentialsProvider = target.profile
    ? CLIProfileCredentialsProvider.builder().withProfileName(target.profile).build()
    : DefaultCredentialsProvider.builder().build();
  if (target.assumeRoleArn) {
    provider = RAMRoleARNCredentialsProvider.builder()
      .withCredentialsProvider(provider)
      .withRoleArn(target.assumeRoleArn)
      .withRoleSessionName("eventbridge-delegation-live-audit")
      .withStsEndpoint(stsEndpoint)
      .build();
  }
  return new Credential(null, provider);
}

interface SdkError {
  name?: string;
  code?: string;
  statusCode?: number;
  message?: string;
  retryAfter?: number;
}

const isThrottled = (e: SdkError) => e.name === "ThrottlingError" || /Throttling/.test(String(e.code ?? ""));
const isDenied = (e: SdkError) => e.statusCode === 403 || /^(NoPermission|Forbidden)/.test(String(e.code ?? ""));
/** Worth another try: throttling, RAM's 5xx, a timeout or a dropped connection. */
const isTransient = (e: SdkError) =>
  isThrottled(e) ||
  (e.statusCode !== undefined && e.statusCode >= 500) ||
  /ETIMEDOUT|ECONNRESET|ECONNREFUSED|EPIPE|socket hang up|timeout|timed out/i.test(String(e.message ?? e.code ?? ""));

/** One account's RAM, read through the SDK. */
export class LiveRam {
  private readonly ram: Ram;
  private readonly sts: Sts;
  private readonly pool: Pool;
  private readonly options: Required<Omit<LiveOptions, "endpoint" | "stsEndpoint" | "progress">> & LiveOptions;
  /** Calls made, by action (for the report and the benchmark). */
  readonly counts: Record<string, number> = {};
  private done = 0;

  constructor(target: AccountTarget, options: LiveOptions = {}) {
    this.options = { concurrency: 8, timeoutMs: 15_000, retries: 6, backoffMs: 200, pageSize: 100, ...options };
    const ram = endpointOf(options.endpoint ?? "ram.aliyuncs.com");
    const sts = endpointOf(options.stsEndpoint ?? options.endpoint ?? "sts.aliyuncs.com");
    const credential = credentialFor(target, `${sts.protocol}://${sts.endpoint}`);
    const config = (e: { endpoint: string; protocol: string }) =>
      new core.$OpenApiUtil.Config({
        credential,
        endpoint: e.endpoint,
        protocol: e.protocol,
        readTimeout: this.options.timeoutMs,
        connectTimeout: this.options.timeoutMs,
      });
    this.ram = new Ram(config(ram));
    this.sts = new Sts(config(sts));
    this.pool = new Pool(this.options.concurrency);
  }

  /** One call, in the pool, retried while throttled; RAM's refusal becomes a LiveReadError naming the call. */
  async call<T>(action: string, what: string, fn: () => Promise<T>): Promise<T> {
    return this.pool.run(async () => {
      for (let attempt = 0; ; attempt++) {
        this.counts[action] = (this.counts[action] ?? 0) + 1;
        try {
          const result = await withTimeout(fn(), this.options.timeoutMs, action);
          this.done++;
          this.options.progress?.(this.done, this.pool.active);
          return result;
        } catch (e) {
          const err = e as SdkError;
          if (isDenied(err))
            throw new LiveReadError(
              `ram:${action} (${what}) was denied (${err.code ?? err.statusCode}): the credentials' policy must allow it; the README lists the auditor's read-only policy`,
              action,
              err.code,
            );
          if (attempt >= this.options.retries || !isTransient(err))
            throw new LiveReadError(
              `${action} (${what}) failed${attempt > 0 ? ` after ${attempt + 1} attempts` : ""}: ${err.code ?? ""} ${firstLine(err.message)}`.trim(),
              action,
              err.code,
            );
          // exponential backoff with full jitter, or the wait RAM asks for
          const cap = this.options.backoffMs * 2 ** attempt;
          const wait = err.retryAfter && err.retryAfter > 0 ? err.retryAfter : Math.random() * cap;
          await new Promise((r) => setTimeout(r, wait));
        }
      }
    });
  }

  /** Every page of a list: `Marker` and `IsTruncated` (F3). */
  async all<P, I>(
    action: string,
    what: string,
    fetch: (marker: string | undefined) => Promise<P>,
    items: (page: P) => I[] | undefined,
    next: (page: P) => { isTruncated?: boolean; marker?: string } | undefined,
  ): Promise<I[]> {
    const out: I[] = [];
    let marker: string | undefined;
    for (;;) {
      const page = await this.call(action, what, () => fetch(marker));
      out.push(...(items(page) ?? []));
      const n = next(page);
      if (!n?.isTruncated) return out;
      if (!n.marker || n.marker === marker)
        throw new LiveReadError(`${action} (${what}): RAM said more pages follow but gave no new Marker`, action);
      marker = n.marker;
    }
  }

  /** The account the credentials belong to (STS GetCallerIdentity needs no permission, F4). */
  async callerAccount(): Promise<string> {
    const r = await this.call("GetCallerIdentity", "whose credentials", () => this.sts.getCallerIdentity());
    return String(r.body?.accountId ?? "");
  }

  get pageSize(): number {
    return this.options.pageSize;
  }

  get client(): Ram {
    return this.ram;
  }

  /** `GetX` that answers EntityNotExist.* when the entity is gone: undefined instead. */
  async maybe<T>(action: string, what: string, fn: () => Promise<T>): Promise<T | undefined> {
    try {
      return await this.call(action, what, fn);
    } catch (e) {
      if (e instanceof LiveReadError && /^EntityNotExist\./.test(e.code ?? "")) return undefined;
      throw e;
    }
  }
}

const firstLine = (s: string | undefined) => String(s ?? "").split("\n")[0];

async function withTimeout<T>(p: Promise<T>, ms: number, action: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(Object.assign(new Error(`${action} timed out after ${ms} ms`), { code: "timeout" })), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

export { $Ram };
