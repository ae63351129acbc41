/**
 * A fake RAM for one account, kept in a JSON file: the RAM objects our stacks create, and the
 * checks RAM makes on them. It is a test component: every behaviour below comes from a documented
 * fact listed in FACTS.md beside this file (named by its label: RAM = Alibaba Cloud's RAM
 * documentation, TF = the alicloud provider's source at v1.289.0, NOTES = the plugin protocol and
 * Terraform 1.11), and anything RAM does that is not listed is not imitated. The operations on it are in
 * ram-operations.cjs.
 */
"use strict";
const fs = require("node:fs");

/** A RAM API error: `code` as Alibaba Cloud names it. */
class RamError extends Error {
  constructor(code, message) {
    super(`${code}: ${message}`);
    this.code = code;
  }
}

/** Limits the fake enforces, as lib/facts.ts states them (RAM 2.4, "Updates verified later"). */
const LIMITS = {
  policyDocumentChars: 6144, // RAM 2.4: custom policy document 1-6,144 characters
  policyVersions: 5, // RAM 2.4: 5 versions per custom policy
  customPoliciesPerRole: 10, // RAM 2.4: 10 custom policies attached to a role
  systemPoliciesPerRole: 20,
};

/** Names RAM accepts (RAM 2.4 policy, RAM 3 role, RAM 5 user and group names). */
const NAMES = {
  Role: /^[A-Za-z0-9.-]{1,64}$/,
  Policy: /^[A-Za-z0-9-]{1,128}$/,
  User: /^[A-Za-z0-9._-]{1,64}$/,
  Group: /^[A-Za-z0-9._-]{1,64}$/,
};

/**
 * System policies that exist in every account: EventBridge's six (RAM 1.5), the STS policy the
 * partner side may attach (RAM 4, AliyunSTSAssumeRoleAccess) and AdministratorAccess.
 */
const SYSTEM_POLICIES = new Set([
  "AdministratorAccess",
  "AliyunSTSAssumeRoleAccess",
  "AliyunEventBridgeFullAccess",
  "AliyunEventBridgeReadOnlyAccess",
  "AliyunEventBridgePutEventsPolicy",
  "AliyunEventBridgeResourceCreatePolicy",
  "AliyunEventBridgeResourceUpdatePolicy",
  "AliyunEventBridgeResourceDeletePolicy",
]);

/** An account with nothing in it, as its file holds it. */
const empty = () => ({
  next: 1,
  clock: 0,
  roles: {},
  policies: {},
  roleAttachments: [],
  users: {},
  groups: {},
  members: [],
  groupAttachments: [],
  userAttachments: [],
  loginProfiles: {},
});

class FakeRam {
  /** @param {string} file the account's RAM, created empty when missing; @param {string} accountId */
  constructor(file, accountId) {
    this.file = file;
    this.accountId = accountId;
  }

  /**
   * The account's RAM. It is parsed again only when its file changed (another inode, time or
   * size: every save is a rename, so each has an inode of its own), so that reading a large
   * account once per resource does not parse it once per resource. Callers read it, never change
   * it: `change` does.
   */
  load() {
    let stat;
    try {
      stat = fs.statSync(this.file);
    } catch (e) {
      if (e.code === "ENOENT") return empty();
      throw e;
    }
    const stamp = `${stat.ino}:${stat.mtimeMs}:${stat.size}`;
    if (this.cached?.stamp !== stamp) this.cached = { stamp, ram: JSON.parse(fs.readFileSync(this.file, "utf8")) };
    return this.cached.ram;
  }

  /** Runs `change` on the account's RAM and saves it (written to a temporary file, then renamed). */
  change(fn) {
    const ram = this.load();
    let result;
    try {
      result = fn(ram);
    } catch (e) {
      // RAM refused: what `fn` changed before it threw is not saved, so it must not be cached
      this.cached = undefined;
      throw e;
    }
    const tmp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(ram, null, 1));
    fs.renameSync(tmp, this.file);
    const stat = fs.statSync(this.file);
    this.cached = { stamp: `${stat.ino}:${stat.mtimeMs}:${stat.size}`, ram };
    return result;
  }

  /** A deterministic id and timestamp, so that two rehearsals of one config give the same state. */
  static stamp(ram) {
    ram.clock += 1;
    const id = `3${String(ram.next++).padStart(17, "0")}`;
    const at = new Date(Date.UTC(2026, 0, 1, 0, 0, ram.clock)).toISOString().replace(/\.000Z$/, "Z");
    return { id, at };
  }
}

module.exports = { FakeRam, RamError, LIMITS, NAMES, SYSTEM_POLICIES, emptyAccount: empty };
