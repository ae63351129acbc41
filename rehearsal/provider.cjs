/**
 * The rehearsal's stand-in for the alicloud provider: a Terraform plugin that serves exactly the
 * committed provider schema (providers/aliyun-alicloud-1.289.0.json) and plans and applies the RAM
 * resources our stacks use against a fake RAM (ram.cjs). A TEST COMPONENT: it tests Terraform's
 * handling of our JSON and our model of RAM, not Alibaba Cloud.
 *
 * Started by Terraform through a filesystem mirror (rehearsal/run.ts), never by `cdktf deploy`.
 * It needs REHEARSAL_RAM_FILE (the fake RAM of the stack's account) and REHEARSAL_ACCOUNT_ID.
 * Every behaviour it imitates names its fact (FACTS.md beside this file: TF = the provider's source,
 * NOTES = the plugin protocol and Terraform 1.11).
 */
"use strict";
const { execFileSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const grpc = require("@grpc/grpc-js");
const protoLoader = require("@grpc/proto-loader");
const { ExtensionCodec, decode, encode } = require("@msgpack/msgpack");
const { FakeRam, RamError, operations } = require("./ram.cjs");

const SCHEMA_FILE = path.join(__dirname, "..", "providers", "aliyun-alicloud-1.289.0.json");
const MAGIC_COOKIE = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2"; // NOTES: go-plugin handshake

// ---- values: cty's msgpack encoding -----------------------------------------------------------

/** An unknown value (planned, known after apply). */
const UNKNOWN = Symbol("unknown");
const codec = new ExtensionCodec();
// NOTES: unknown values are extension type 0; Terraform adds refinements as type 12
codec.register({ type: 0, encode: (v) => (v === UNKNOWN ? new Uint8Array([0]) : null), decode: () => UNKNOWN });
codec.register({ type: 12, encode: () => null, decode: () => UNKNOWN });
const fromMsgpack = (dv) => (dv && dv.msgpack && dv.msgpack.length > 0 ? decode(dv.msgpack, { extensionCodec: codec }) : null);
const toMsgpack = (value) => ({ msgpack: Buffer.from(encode(value, { extensionCodec: codec, ignoreUndefined: false })) });

// ---- the schema -------------------------------------------------------------------------------

const providerSchema = JSON.parse(fs.readFileSync(SCHEMA_FILE, "utf8")).provider_schemas["registry.terraform.io/aliyun/alicloud"];
const NESTING = { single: "SINGLE", list: "LIST", set: "SET", map: "MAP", group: "GROUP" };

function protoBlock(block) {
  return {
    version: 0,
    attributes: Object.entries(block.attributes ?? {})
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([name, a]) => ({
        name,
        type: Buffer.from(JSON.stringify(a.type)),
        description: a.description ?? "",
        required: !!a.required,
        optional: !!a.optional,
        computed: !!a.computed,
        sensitive: !!a.sensitive,
        deprecated: !!a.deprecated,
      })),
    block_types: Object.entries(block.block_types ?? {})
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([name, b]) => ({
        type_name: name,
        block: protoBlock(b.block),
        nesting: NESTING[b.nesting_mode],
        min_items: b.min_items ?? 0,
        max_items: b.max_items ?? 0,
      })),
    deprecated: !!block.deprecated,
  };
}
const protoSchema = (s) => ({ version: s.version ?? 0, block: protoBlock(s.block) });

/** A value with every attribute and block of its schema present (cty objects are complete). */
function complete(block, value) {
  if (value === null || value === undefined) return null;
  const out = {};
  for (const name of Object.keys(block.attributes ?? {})) out[name] = value[name] === undefined ? null : value[name];
  for (const [name, b] of Object.entries(block.block_types ?? {})) {
    const v = value[name];
    if (b.nesting_mode === "single" || b.nesting_mode === "group") out[name] = v ? complete(b.block, v) : null;
    else if (b.nesting_mode === "map")
      out[name] = v ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, complete(b.block, x)])) : {};
    else out[name] = Array.isArray(v) ? v.map((x) => complete(b.block, x)) : [];
  }
  return out;
}

const ERROR = "ERROR";
const diagnostic = (summary, detail = "", attribute) => ({
  severity: ERROR,
  summary,
  detail,
  ...(attribute ? { attribute: { steps: [{ attribute_name: attribute }] } } : {}),
});

// ---- the resources ----------------------------------------------------------------------------

const str = (v) => (typeof v === "string" ? v : undefined);
const sameJson = (a, b) => {
  try {
    return JSON.stringify(JSON.parse(a)) === JSON.stringify(JSON.parse(b));
  } catch {
    return false;
  }
};

/** A role's settings, from the current attributes or their deprecated names. */
const roleFields = (v) => ({
  name: v.role_name ?? v.name,
  document: v.assume_role_policy_document ?? v.document,
  description: v.description,
  maxSessionDuration: v.max_session_duration,
  tags: v.tags,
});

/** Creating and updating a login profile are one RAM call. */
const setLoginProfile = (ram, v) =>
  operations.setLoginProfile(ram, {
    user: v.user_name,
    password: v.password,
    passwordResetRequired: v.password_reset_required,
    mfaBindRequired: v.mfa_bind_required,
  });

/**
 * Per resource type: which attributes replace the resource when they change (`forceNew`: exactly the
 * attributes marked ForceNew in the provider's Go schema at v1.289.0, file named beside each; every
 * other attribute the provider updates in place, so a change to it plans an update), which
 * hold JSON compared by meaning (TF: DiffSuppressFunc compareJsonTemplateAreEquivalent), which are
 * deprecated mirrors the provider fills from their replacement (TF: deprecations), how the id is
 * formed, and the RAM calls for create, read, update and delete.
 */
const RESOURCES = {
  alicloud_ram_role: {
    // TF resource_alicloud_ram_role.go: role_name and name are ForceNew; description,
    // max_session_duration, tags and the trust document are updated in place (UpdateRole, tags)
    forceNew: ["role_name", "name"],
    json: ["assume_role_policy_document", "document"],
    mirrors: { name: "role_name", document: "assume_role_policy_document" },
    key: (v) => str(v.role_name) ?? str(v.name),
    create: (ram, v, account) => operations.createRole(ram, roleFields(v), account),
    update: (ram, v) => operations.updateRole(ram, roleFields(v)),
    read: (ram, key) => ram.roles[key],
    remove: (ram, key) => operations.deleteRole(ram, { name: key }),
    state: (r) => ({
      id: r.name,
      role_name: r.name,
      name: r.name,
      arn: r.arn,
      role_id: r.id,
      create_time: r.createTime,
      assume_role_policy_document: r.document,
      document: r.document,
      description: r.description || null,
      max_session_duration: r.maxSessionDuration,
      tags: Object.keys(r.tags).length > 0 ? r.tags : null,
    }),
  },
  alicloud_ram_policy: {
    // TF resource_alicloud_ram_policy.go: policy_name and name are ForceNew; a new document is a new
    // policy version (rotate_strategy at the version limit), description and tags update in place
    forceNew: ["policy_name", "name"],
    json: ["policy_document", "document"],
    mirrors: { name: "policy_name", document: "policy_document" },
    changesWith: { policy_document: ["default_version", "version_id", "document"] },
    key: (v) => str(v.policy_name) ?? str(v.name),
    create: (ram, v) =>
      operations.createPolicy(ram, {
        name: v.policy_name ?? v.name,
        document: v.policy_document ?? v.document,
        description: v.description,
        tags: v.tags,
      }),
    update: (ram, v) =>
      operations.updatePolicy(ram, {
        name: v.policy_name,
        document: v.policy_document,
        description: v.description,
        tags: v.tags,
        rotateStrategy: v.rotate_strategy,
      }),
    read: (ram, key) => ram.policies[key],
    remove: (ram, key) => operations.deletePolicy(ram, { name: key }),
    state: (p, ram) => {
      const doc = p.versions.find((x) => x.id === p.defaultVersion).document;
      const count = [...ram.roleAttachments, ...ram.groupAttachments, ...ram.userAttachments].filter(
        (a) => a.type === "Custom" && a.policy === p.name,
      ).length;
      return {
        id: p.name,
        policy_name: p.name,
        name: p.name,
        policy_document: doc,
        document: doc,
        description: p.description || null,
        type: "Custom",
        default_version: p.defaultVersion,
        version_id: p.defaultVersion,
        attachment_count: count,
        create_time: p.createTime,
        tags: Object.keys(p.tags).length > 0 ? p.tags : null,
      };
    },
  },
  alicloud_ram_user: {
    // TF resource_alicloud_ram_user.go: no attribute is ForceNew; a new name renames the user
    // (UpdateUser NewUserName), display_name and comments update in place
    forceNew: [],
    key: (v) => str(v.name),
    create: (ram, v) => operations.createUser(ram, { name: v.name, displayName: v.display_name, comments: v.comments }),
    update: (ram, v, _account, prior) =>
      operations.updateUser(ram, { name: prior.name, newName: v.name, displayName: v.display_name, comments: v.comments }),
    read: (ram, key) => ram.users[key],
    remove: (ram, key) => operations.deleteUser(ram, { name: key }),
    state: (u) => ({ id: u.id, name: u.name, display_name: u.displayName || null, comments: u.comments || null }),
  },
  alicloud_ram_group: {
    // TF resource_alicloud_ram_group.go: group_name and name are ForceNew; comments update in place
    forceNew: ["group_name", "name"],
    mirrors: { name: "group_name" },
    key: (v) => str(v.group_name) ?? str(v.name),
    create: (ram, v) => operations.createGroup(ram, { name: v.group_name ?? v.name, comments: v.comments }),
    update: (ram, v) => operations.updateGroup(ram, { name: v.group_name, comments: v.comments }),
    read: (ram, key) => ram.groups[key],
    remove: (ram, key) => operations.deleteGroup(ram, { name: key }),
    state: (g) => ({ id: g.name, group_name: g.name, name: g.name, comments: g.comments || null, create_time: g.createTime }),
  },
  alicloud_ram_user_group_attachment: {
    // TF resource_alicloud_ram_user_group_attachment.go: group_name and user_name are ForceNew (no update)
    forceNew: ["group_name", "user_name"],
    key: (v) => `${v.group_name}:${v.user_name}`,
    create: (ram, v) => operations.addMember(ram, { group: v.group_name, user: v.user_name }),
    read: (ram, key) => ram.members.find((m) => `${m.group}:${m.user}` === key),
    remove: (ram, key) => operations.removeMember(ram, { group: key.split(":")[0], user: key.split(":").slice(1).join(":") }),
    state: (m) => ({ id: `${m.group}:${m.user}`, group_name: m.group, user_name: m.user }),
  },
  alicloud_ram_login_profile: {
    // TF resource_alicloud_ram_login_profile.go: user_name is ForceNew; password,
    // password_reset_required and mfa_bind_required update in place (UpdateLoginProfile)
    forceNew: ["user_name"],
    key: (v) => str(v.user_name),
    create: (ram, v) => setLoginProfile(ram, v),
    update: (ram, v) => setLoginProfile(ram, v),
    read: (ram, key) => ram.loginProfiles[key],
    remove: (ram, key) => operations.deleteLoginProfile(ram, { user: key }),
    // the password is never read back from RAM: state keeps what Terraform sent
    state: (l) => ({
      id: l.user,
      user_name: l.user,
      password_reset_required: l.passwordResetRequired,
      mfa_bind_required: l.mfaBindRequired,
    }),
  },
};
for (const [to, target] of [
  ["role", "role_name"],
  ["group", "group_name"],
  ["user", "user_name"],
]) {
  const list = { role: "roleAttachments", group: "groupAttachments", user: "userAttachments" }[to];
  RESOURCES[`alicloud_ram_${to}_policy_attachment`] = {
    // TF resource_alicloud_ram_{role,group,user}_policy_attachment.go: every argument is ForceNew (no update)
    forceNew: [target, "policy_name", "policy_type"],
    key: (v) => `${to}:${v.policy_name}:${v.policy_type}:${v[target]}`,
    create: (ram, v) => operations.attach(ram, { to, target: v[target], policy: v.policy_name, type: v.policy_type }),
    read: (ram, key) => ram[list].find((a) => `${to}:${a.policy}:${a.type}:${a[to]}` === key),
    remove: (ram, key) => {
      const [, policy, type, ...rest] = key.split(":");
      operations.detach(ram, { to, target: rest.join(":"), policy, type });
    },
    state: (a) => ({ id: `${to}:${a.policy}:${a.type}:${a[to]}`, [target]: a[to], policy_name: a.policy, policy_type: a.type }),
  };
}

// ---- the provider -----------------------------------------------------------------------------

let ram;
const blockOf = (type) => providerSchema.resource_schemas[type]?.block;

function unsupported(type) {
  return diagnostic(
    `${type} is not supported by the rehearsal provider`,
    "The rehearsal applies only the RAM resources the delegation stacks create.",
  );
}

/** Validations the provider makes in code (TF: ValidateFunc), on known values only. */
function validate(type, v) {
  const out = [];
  const spec = RESOURCES[type];
  if (!spec) return [unsupported(type)];
  for (const name of spec.json ?? []) {
    if (typeof v[name] === "string") {
      try {
        JSON.parse(v[name]);
      } catch {
        out.push(diagnostic(`${name} must be valid JSON`, "validation.StringIsJSON", name));
      }
    }
  }
  for (const name of ["policy_type"]) {
    if (typeof v[name] === "string" && !["System", "Custom"].includes(v[name]))
      out.push(diagnostic(`${name} must be System or Custom`, "", name));
  }
  if (
    typeof v.rotate_strategy === "string" &&
    !["None", "DeleteOldestNonDefaultVersionWhenLimitExceeded"].includes(v.rotate_strategy)
  )
    out.push(diagnostic("rotate_strategy must be None or DeleteOldestNonDefaultVersionWhenLimitExceeded", "", "rotate_strategy"));
  if (typeof v.comments === "string" && Buffer.byteLength(v.comments) > 128)
    out.push(diagnostic("comments must be at most 128 bytes", "", "comments"));
  return out;
}

/**
 * The planned value and the attributes that force a replacement. As the SDK's diff does, only an
 * argument set in the configuration can force one: a computed mirror (the deprecated `name`
 * beside `role_name`) follows its source without forcing anything itself.
 */
function plan(type, prior, proposed, config) {
  const spec = RESOURCES[type];
  const block = blockOf(type);
  if (proposed === null) return { planned: null, replace: [] };
  const planned = { ...proposed };
  const replace = [];
  for (const name of spec.json ?? []) {
    if (prior && typeof prior[name] === "string" && typeof planned[name] === "string" && sameJson(prior[name], planned[name]))
      planned[name] = prior[name];
  }
  // deprecated mirrors follow their replacement
  for (const [mirror, source] of Object.entries(spec.mirrors ?? {})) {
    if (planned[source] !== null && planned[source] !== UNKNOWN && (prior === null || planned[mirror] === prior[mirror]))
      planned[mirror] = planned[source];
  }
  if (prior === null) {
    for (const [name, a] of Object.entries(block.attributes)) if (a.computed && planned[name] === null) planned[name] = UNKNOWN;
  } else {
    for (const name of spec.forceNew) {
      const configured = config && config[name] !== null && config[name] !== undefined;
      if (configured && planned[name] !== null && JSON.stringify(planned[name]) !== JSON.stringify(prior[name]))
        replace.push({ steps: [{ attribute_name: name }] });
    }
    for (const [source, dependents] of Object.entries(spec.changesWith ?? {})) {
      if (planned[source] !== prior[source]) for (const d of dependents) if (d !== "document") planned[d] = UNKNOWN;
    }
    if (replace.length > 0 || !spec.update) {
      for (const [name, a] of Object.entries(block.attributes)) {
        if (a.computed && !a.optional && replace.length > 0) planned[name] = UNKNOWN;
      }
    }
  }
  return { planned: complete(block, planned), replace };
}

/**
 * Resolves the planned value with what RAM now holds, keeping what RAM does not return. After an
 * apply (`keepKnown`), a value the plan already knew stays as planned: Terraform refuses a new
 * state that differs from a known planned value (NOTES: provider consistency), and a computed
 * count that changed meanwhile (a policy's attachment_count while its attachments are replaced)
 * is read back at the next refresh, as the SDK-based provider's is.
 */
function withState(type, planned, found, account, keepKnown = false) {
  const spec = RESOURCES[type];
  const fromRam = spec.state(found, ram.load(), account);
  const out = { ...planned };
  for (const [k, v] of Object.entries(fromRam)) if (k in out && !(keepKnown && planned[k] !== UNKNOWN)) out[k] = v;
  for (const [k, v] of Object.entries(out)) if (v === UNKNOWN) out[k] = null;
  return complete(blockOf(type), out);
}

function apply(type, prior, planned) {
  const spec = RESOURCES[type];
  const account = process.env.REHEARSAL_ACCOUNT_ID;
  return ram.change((state) => {
    if (planned === null) {
      spec.remove(state, spec.key(prior));
      return null;
    }
    if (prior === null) spec.create(state, planned, account);
    else if (spec.update) spec.update(state, planned, account, prior);
    return spec.key(planned);
  });
}

function read(type, current) {
  const spec = RESOURCES[type];
  const found = spec.read(ram.load(), spec.key(current));
  if (!found) return null; // gone from RAM: Terraform plans to create it again
  return withState(type, current, found, process.env.REHEARSAL_ACCOUNT_ID);
}

const handlers = {
  GetSchema(_call, done) {
    done(null, {
      provider: protoSchema(providerSchema.provider),
      resource_schemas: Object.fromEntries(Object.entries(providerSchema.resource_schemas).map(([k, s]) => [k, protoSchema(s)])),
      data_source_schemas: Object.fromEntries(
        Object.entries(providerSchema.data_source_schemas ?? {}).map(([k, s]) => [k, protoSchema(s)]),
      ),
      diagnostics: [],
      server_capabilities: { plan_destroy: false },
    });
  },
  PrepareProviderConfig(call, done) {
    done(null, { prepared_config: call.request.config, diagnostics: [] });
  },
  ValidateResourceTypeConfig(call, done) {
    done(null, { diagnostics: validate(call.request.type_name, fromMsgpack(call.request.config) ?? {}) });
  },
  Configure(_call, done) {
    const file = process.env.REHEARSAL_RAM_FILE;
    if (!file || !process.env.REHEARSAL_ACCOUNT_ID) {
      done(null, {
        diagnostics: [
          diagnostic(
            "This is the rehearsal provider",
            "It runs only under npm run rehearse (REHEARSAL_RAM_FILE and REHEARSAL_ACCOUNT_ID are not set).",
          ),
        ],
      });
      return;
    }
    ram = new FakeRam(file, process.env.REHEARSAL_ACCOUNT_ID);
    done(null, { diagnostics: [] });
  },
  UpgradeResourceState(call, done) {
    const raw = call.request.raw_state?.json;
    const value = raw && raw.length > 0 ? JSON.parse(Buffer.from(raw).toString("utf8")) : null;
    done(null, { upgraded_state: toMsgpack(complete(blockOf(call.request.type_name), value)), diagnostics: [] });
  },
  ReadResource(call, done) {
    const { type_name: type, current_state } = call.request;
    try {
      done(null, {
        new_state: toMsgpack(read(type, fromMsgpack(current_state))),
        diagnostics: [],
        private: call.request.private,
      });
    } catch (e) {
      done(null, { new_state: current_state, diagnostics: [diagnostic(e.message)] });
    }
  },
  PlanResourceChange(call, done) {
    const { type_name: type, prior_state, proposed_new_state, config } = call.request;
    if (!RESOURCES[type]) return done(null, { diagnostics: [unsupported(type)] });
    const { planned, replace } = plan(type, fromMsgpack(prior_state), fromMsgpack(proposed_new_state), fromMsgpack(config));
    done(null, {
      planned_state: toMsgpack(planned),
      requires_replace: replace,
      planned_private: Buffer.alloc(0),
      diagnostics: [],
      legacy_type_system: false,
    });
  },
  ApplyResourceChange(call, done) {
    const { type_name: type, prior_state, planned_state } = call.request;
    const prior = fromMsgpack(prior_state);
    const planned = fromMsgpack(planned_state);
    try {
      const key = apply(type, prior, planned);
      const state =
        planned === null
          ? null
          : withState(type, planned, RESOURCES[type].read(ram.load(), key), process.env.REHEARSAL_ACCOUNT_ID, true);
      done(null, { new_state: toMsgpack(state), private: Buffer.alloc(0), diagnostics: [], legacy_type_system: false });
    } catch (e) {
      const summary = e instanceof RamError ? e.message : `rehearsal provider: ${e.message}`;
      done(null, {
        new_state: toMsgpack(prior === null ? null : complete(blockOf(type), prior)),
        diagnostics: [diagnostic(summary)],
      });
    }
  },
  Stop(_call, done) {
    done(null, { Error: "" });
  },
};

// ---- the plugin process: handshake, AutoMTLS, clean exit --------------------------------------

function main() {
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

if (require.main === module) main();
else module.exports = { RESOURCES, plan }; // for the tests of its planning
