/**
 * Every RAM name the config's stacks create, checked per account across all of them: RAM names
 * are unique per account and kind, compared without case (RAM treats `Ops` and `ops` as one
 * name), so two sources of one name would make the second apply fail half-way with
 * EntityAlreadyExists. The config checks already refuse the names a person writes twice (roles,
 * groups, users); this check covers the names the product derives, and every other name again.
 *
 * The permission policies in the owner's account (`eventbridge-delegation-<partner>-<n>`) cannot
 * meet: partner names are unique slugs ending in a letter or digit and `<n>` is all digits, so a
 * name tells its partner and number apart (lib/names/names.ts). The assume policy in a partner's account
 * joins two names (`eventbridge-assume-<owner>-<stack name>`), which a partner-form config with
 * handoffs from several owners can make ambiguous (owner `a-b` and stack `c`, owner `a` and stack
 * `b-c`): that is refused here, and `name` on either delegation tells them apart.
 */
import type { ConfigIssue, ConfigPath } from "../config/issues";
import type { DelegationModel } from "./model";

type Kind = "role" | "policy" | "group" | "user";

/** One RAM name a stack creates, and where in the config it comes from. */
export interface NameClaim {
  readonly account: string;
  readonly kind: Kind;
  readonly name: string;
  /** The config entry (`partners[0]`, `delegations[1]`) and the field to change. */
  readonly entry: string;
  readonly path: ConfigPath;
  /** How the name is made, when the product derives it. */
  readonly from?: string;
}

/** `delegations[1]` → `["delegations", 1]`. */
function pathOf(configPath: string): (string | number)[] {
  return [...configPath.matchAll(/([A-Za-z]+)|\[(\d+)\]/g)].map((m) => (m[1] !== undefined ? m[1] : Number(m[2])));
}

/** Every RAM name the model's stacks create, with its account. */
export function nameClaims(model: DelegationModel): NameClaim[] {
  const claims: NameClaim[] = [];
  for (const p of model.partners) {
    if (p.revoked) continue; // the owner stack keeps nothing for it
    const at = pathOf(p.configPath);
    claims.push({
      account: p.owner.accountId,
      kind: "role",
      name: p.role.name,
      entry: p.configPath,
      path: [...at, "role", "name"],
    });
  }
  for (const s of model.partnerSides) {
    const at = pathOf(s.configPath);
    const side = at[0] === "partners" ? [...at, "partnerSide"] : at;
    const account = s.accountId;
    const entry = s.configPath;
    claims.push({ account, kind: "group", name: s.groupName, entry, path: [...side, "groupName"] });
    s.users.forEach((u, i) => claims.push({ account, kind: "user", name: u.name, entry, path: [...side, "users", i, "name"] }));
    if (s.assumePolicy === "scoped")
      claims.push({
        account,
        kind: "policy",
        name: s.assumePolicyName,
        entry,
        path: [...at, "name"],
        from: `owner ${s.handoff.owner.name} and stack name ${s.name}`,
      });
  }
  return claims;
}

/** A problem for each RAM name that two sources would create in one account. */
export function nameCollisions(model: DelegationModel): ConfigIssue[] {
  const first = new Map<string, NameClaim>();
  const out: ConfigIssue[] = [];
  for (const c of nameClaims(model)) {
    const key = `${c.account}\u0000${c.kind}\u0000${c.name.toLowerCase()}`;
    const earlier = first.get(key);
    if (!earlier) {
      first.set(key, c);
      continue;
    }
    const how = (x: NameClaim) => `${x.entry}${x.from ? ` (from ${x.from})` : ""}`;
    out.push({
      path: c.path,
      message:
        `makes the RAM ${c.kind} "${c.name}" in account ${c.account}, which ${how(earlier)} makes too: ` +
        `the second would fail with EntityAlreadyExists${c.from ? "; set name on one of them to tell them apart" : ""} (this one: ${how(c)})`,
    });
  }
  return out;
}
