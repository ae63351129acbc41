/**
 * The rehearsal's stand-in for the alicloud provider: a Terraform plugin that serves exactly the
 * committed provider schema (providers/aliyun-alicloud-1.289.0.json) and plans and applies the RAM
 * resources our stacks use against a fake RAM (ram.cjs). A TEST COMPONENT: it tests Terraform's
 * handling of our JSON and our model of RAM, not Alibaba Cloud.
 *
 * Started by Terraform through a filesystem mirror (rehearsal/run.ts), never by `cdktf deploy`.
 * Its parts: cty.cjs (values, schema), resources.cjs (the RAM resources), plugin-server.cjs (the
 * process). It needs REHEARSAL_RAM_FILE (the fake RAM of the stack's account) and REHEARSAL_ACCOUNT_ID.
 * Every behaviour it imitates names its fact (FACTS.md beside this file: TF = the provider's source,
 * NOTES = the plugin protocol and Terraform 1.11).
 */
"use strict";
const { FakeRam, RamError } = require("./ram.cjs");
const { UNKNOWN, fromMsgpack, toMsgpack, providerSchema, protoSchema, complete, blockOf, diagnostic } = require("./cty.cjs");
const { RESOURCES, sameJson } = require("./resources.cjs");

// ---- the provider -----------------------------------------------------------------------------

let ram;

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

if (require.main === module) require("./plugin-server.cjs").serve(handlers);
else module.exports = { RESOURCES, plan }; // for the tests of its planning
