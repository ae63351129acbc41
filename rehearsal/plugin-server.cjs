/**
 * The process side of a Terraform plugin: go-plugin's handshake line, AutoMTLS with a
 * self-signed certificate, the gRPC services, and a clean exit. A TEST COMPONENT (see
 * provider.cjs); facts: FACTS.md (NOTES = the plugin protocol and Terraform 1.11).
 */
"use strict";
const { execFileSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const grpc = require("@grpc/grpc-js");
const protoLoader = require("@grpc/proto-loader");

const MAGIC_COOKIE = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2"; // NOTES: go-plugin handshake

/** Serves `handlers` as Terraform's provider protocol 5, once Terraform has started this process. */
function serve(handlers) {
  if (process.env.TF_PLUGIN_MAGIC_COOKIE !== MAGIC_COOKIE) {
    process.stderr.write("This is a Terraform plugin (the rehearsal's stand-in provider); Terraform starts it.\n");
    process.exit(1);
  }
  // a unix socket path has room for about 100 bytes (sun_path): fall back to /tmp when TMPDIR is deep
  const base = os.tmpdir().length <= 60 ? os.tmpdir() : "/tmp";
  const dir = fs.mkdtempSync(path.join(base, "rehearsal-provider-"));
  const cleanup = () => fs.rmSync(dir, { recursive: true, force: true });
  process.on("exit", cleanup);
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, () => process.exit(0));

  // NOTES: AutoMTLS: answer with a self-signed certificate, trust only Terraform's client certificate
  const key = path.join(dir, "key.pem");
  const cert = path.join(dir, "cert.pem");
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:prime256v1",
      "-nodes",
      "-keyout",
      key,
      "-out",
      cert,
      "-days",
      "1",
      "-subj",
      "/CN=localhost",
      "-addext",
      "subjectAltName=DNS:localhost",
      "-addext",
      "basicConstraints=critical,CA:TRUE",
      "-addext",
      "keyUsage=critical,digitalSignature,keyEncipherment,keyCertSign",
      "-addext",
      "extendedKeyUsage=serverAuth,clientAuth",
    ],
    { stdio: "ignore" },
  );
  const certPem = fs.readFileSync(cert, "utf8");
  const der = certPem
    .replace(/-----[^-]+-----/g, "")
    .replace(/\s+/g, "")
    .replace(/=+$/, "");
  const clientCert = process.env.PLUGIN_CLIENT_CERT;
  const credentials = clientCert
    ? grpc.ServerCredentials.createSsl(
        Buffer.from(clientCert),
        [{ private_key: fs.readFileSync(key), cert_chain: Buffer.from(certPem) }],
        true,
      )
    : grpc.ServerCredentials.createInsecure();

  // protobufjs reads a backslash in a file's path as a separator, so the proto files are named
  // relative to this directory: a checkout path holding one still loads
  const cwd = process.cwd();
  process.chdir(__dirname);
  const load = (file) =>
    grpc.loadPackageDefinition(protoLoader.loadSync(file, { keepCase: true, enums: String, longs: Number, defaults: true }));
  const tf = load("plugin.proto").tfplugin5;
  const plugin = load("go-plugin.proto").plugin;
  const health = load("health.proto").grpc.health.v1;
  process.chdir(cwd);
  const server = new grpc.Server();
  server.addService(tf.Provider.service, handlers);
  server.addService(plugin.GRPCController.service, {
    Shutdown(_call, done) {
      done(null, {});
      setImmediate(() => server.tryShutdown(() => process.exit(0)));
    },
  });
  server.addService(health.Health.service, { Check: (_call, done) => done(null, { status: "SERVING" }) });
  const socket = path.join(dir, "plugin.sock");
  server.bindAsync(`unix://${socket}`, credentials, (err) => {
    if (err) {
      process.stderr.write(`rehearsal provider: ${err.message}\n`);
      process.exit(1);
    }
    // NOTES: core protocol 1, provider protocol 5, then the server certificate (base64 DER, no padding)
    process.stdout.write(`1|5|unix|${socket}|grpc|${clientCert ? der : ""}\n`);
  });
}

module.exports = { serve };
