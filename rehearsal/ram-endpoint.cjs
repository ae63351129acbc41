/**
 * A fake RAM endpoint: the rehearsal's file-backed accounts (ram.cjs, one JSON file per account
 * in a directory) served over HTTP the way RAM's RPC-style API answers Alibaba's official SDK, so
 * that the live audit can be tested offline through the SDK's real request signing. It is a test
 * component, not Alibaba Cloud: it answers only the read operations the live audit makes, and
 * every behaviour below comes from docs/ram-api-facts.md (cited by section, e.g. "F1").
 *
 * Each AccessKey it knows belongs to one account; a request signed with it reads that account's
 * file, read anew whenever the file changes (a change made "in the console" shows at once).
 */
"use strict";
const crypto = require("node:crypto");
const fs = require("node:fs");
const http = require("node:http");
const path = require("node:path");
const { setTimeout: sleep } = require("node:timers/promises");
const { URL } = require("node:url");
const { ApiError, OPERATIONS, createAccessKey } = require("./ram-api.cjs");
const { emptyAccount } = require("./ram.cjs");

const RAM_VERSION = "2015-05-01"; // F1
const STS_VERSION = "2015-04-01"; // F4 GetCallerIdentity

/** RFC 3986 percent-encoding as the V3 signature uses it (F1). */
const encode = (s) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const sha256 = (data) => crypto.createHash("sha256").update(data).digest("hex");

/**
 * Checks an ACS3-HMAC-SHA256 signature (F1); returns the key's entry or throws RAM's error.
 * Every x-acs-* header, host and content-type present must be signed.
 */
function verify(req, query, body, keys) {
  const auth = /^ACS3-HMAC-SHA256 Credential=([^,]+),SignedHeaders=([^,]+),Signature=([0-9a-f]+)$/.exec(
    req.headers.authorization ?? "",
  );
  if (!auth) throw new ApiError(400, "IncompleteSignature", "The request signature does not conform to Alibaba Cloud standards.");
  const [, accessKeyId, signedList, signature] = auth;
  const key = keys[accessKeyId];
  if (!key) throw new ApiError(404, "InvalidAccessKeyId.NotFound", "Specified access key is not found."); // F2
  const signed = signedList.split(";");
  const mustSign = Object.keys(req.headers).filter((h) => h.startsWith("x-acs-") || h === "host" || h === "content-type");
  if (mustSign.some((h) => !signed.includes(h)) || signed.some((h) => req.headers[h] === undefined))
    throw new ApiError(400, "IncompleteSignature", "Not every x-acs-* header of the request is signed.");
  if (req.headers["x-acs-content-sha256"] !== sha256(body))
    throw new ApiError(400, "SignatureDoesNotMatch", "The request body does not match x-acs-content-sha256.");
  const canonicalQuery = [...query.keys()]
    .sort()
    .map((k) => `${k}=${encode(query.get(k))}`)
    .join("&");
  const canonicalHeaders = [...signed]
    .sort()
    .map((h) => `${h}:${String(req.headers[h]).trim()}\n`)
    .join("");
  const canonicalRequest = [req.method, "/", canonicalQuery, canonicalHeaders, signed.join(";"), sha256(body)].join("\n");
  const expected = crypto
    .createHmac("sha256", key.secret)
    .update(`ACS3-HMAC-SHA256\n${sha256(canonicalRequest)}`)
    .digest("hex");
  const ok = expected.length === signature.length && crypto.timingSafeEqual(Buffer.from(expected), Buffer.from(signature));
  if (!ok)
    throw new ApiError(
      400,
      "SignatureDoesNotMatch",
      "The request signature we calculated does not match the signature you provided.",
    ); // F2
  return { accessKeyId, ...key };
}

/** An account's RAM, parsed again only when its file changed. */
function accountReader(dir) {
  const cache = new Map();
  return (accountId) => {
    const file = path.join(dir, `${accountId}.json`);
    let stat;
    try {
      stat = fs.statSync(file);
    } catch {
      return emptyAccount();
    }
    const stamp = `${stat.mtimeMs}:${stat.size}`;
    const hit = cache.get(file);
    if (hit && hit.stamp === stamp) return hit.ram;
    const ram = { ...emptyAccount(), ...JSON.parse(fs.readFileSync(file, "utf8")) };
    cache.set(file, { stamp, ram });
    return ram;
  };
}

/**
 * Starts the endpoint on 127.0.0.1 (a free port unless `port` is given).
 * @param {{ dir: string, keys: Record<string, { secret: string, accountId: string, user?: string, deny?: string[] }>,
 *   latencyMs?: number, throttleEvery?: number, inlineDefaultVersion?: boolean, port?: number }} options
 *   `deny`: actions answered with NoPermission for that key (an auditor policy missing them);
 *   `latencyMs`: added before every answer; `throttleEvery`: every n-th call is throttled.
 */
function startRamEndpoint(options) {
  const read = accountReader(options.dir);
  const calls = [];
  let count = 0;
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", async () => {
      const body = Buffer.concat(chunks);
      const url = new URL(req.url ?? "/", "http://fake");
      const query = url.searchParams;
      const requestId = crypto.randomUUID().toUpperCase();
      const action = String(req.headers["x-acs-action"] ?? "");
      let status = 200;
      let answer;
      try {
        if (req.method !== "POST" || url.pathname !== "/")
          throw new ApiError(404, "InvalidAction.NotFound", "Specified api is not found."); // F1
        const key = verify(req, query, body, options.keys);
        calls.push({ action, accessKeyId: key.accessKeyId, params: Object.fromEntries(query) });
        if (options.throttleEvery && ++count % options.throttleEvery === 0)
          throw new ApiError(400, "Throttling.User", "Request was denied due to user flow control."); // F2
        if (action === "GetCallerIdentity" && req.headers["x-acs-version"] === STS_VERSION) {
          answer = {
            AccountId: key.accountId,
            Arn: `acs:ram::${key.accountId}:user/${key.user ?? "auditor"}`,
            IdentityType: "RAMUser",
            PrincipalId: key.accessKeyId,
          };
        } else {
          const op = OPERATIONS[action];
          if (!op || req.headers["x-acs-version"] !== RAM_VERSION)
            throw new ApiError(404, "InvalidAction.NotFound", "Specified api is not found.");
          if ((key.deny ?? []).includes(action))
            throw new ApiError(403, "NoPermission", "You are not authorized to do this action. You should be authorized by RAM."); // F2
          answer = op(read(key.accountId), query, options);
        }
      } catch (e) {
        const err = e instanceof ApiError ? e : new ApiError(500, "InternalError", String(e?.message ?? e));
        status = err.status;
        answer = { HostId: "ram.aliyuncs.com", Code: err.code, Message: err.message };
      }
      if (options.latencyMs) await sleep(options.latencyMs);
      res.writeHead(status, { "content-type": "application/json;charset=utf-8" });
      res.end(JSON.stringify({ RequestId: requestId, ...answer }));
    });
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => {
      const { port } = server.address();
      resolve({
        port,
        endpoint: `127.0.0.1:${port}`,
        url: `http://127.0.0.1:${port}`,
        calls,
        close: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}

module.exports = { startRamEndpoint, createAccessKey };
