/**
 * The audit's comparisons: one side as the config describes it against the same side as a state
 * reads, both `OwnerSideDescription`s or both `PartnerSideDescription`s, with names compared the
 * way RAM compares them.
 */
import { systemPolicyRefusal } from "../facts";
import type { PartnerModel, PartnerSideModel } from "../model/model";
import type { OwnerSideDescription, PartnerSideDescription } from "../describe/sides";
import { readPolicy, samePolicy } from "../policy/read";
import { ramNameKey, sameRamName } from "../ram/names";
import { broadAllows } from "../rules/policy-wildcard";
import { partnerAccess } from "../review/access";
import { partnerChanges } from "../review/diff";

export interface AuditFinding {
  readonly severity: "error" | "warning";
  readonly partner: string;
  /** A stable id for the kind of finding. */
  readonly check: string;
  readonly message: string;
}

type Push = (check: string, message: string, severity?: AuditFinding["severity"]) => void;

const pusher =
  (out: AuditFinding[], partner: string): Push =>
  (check, message, severity = "error") =>
    void out.push({ severity, partner, check, message });

/**
 * What a deployed role may do that no delegation should: broad custom grants, system policies off
 * the allow list, and documents that cannot be read at all (which the audit will not call clean).
 */
export function broadGrants(partner: string, deployed: OwnerSideDescription): AuditFinding[] {
  const out: AuditFinding[] = [];
  const push = pusher(out, partner);
  for (const policy of deployed.policies) {
    const statements = readPolicy(policy.document);
    if (!statements) {
      push(
        "UNREADABLE-POLICY",
        `the document of policy ${policy.name} is not a policy document; what it grants cannot be judged`,
      );
      continue;
    }
    for (const b of broadAllows(statements)) {
      const what =
        b.kind === "all-but"
          ? "everything but a list (NotAction/NotResource)"
          : b.kind === "wildcard-action"
            ? `wildcard action ${b.action}`
            : `write action ${b.action} on ${b.resource === "*" ? "every resource" : `${b.resource}, beyond any one bus`}`;
      push("BROAD-GRANT", `policy ${policy.name} allows ${what}`);
    }
  }
  for (const a of deployed.attachments.filter((x) => x.policyType === "System")) {
    const refusal = systemPolicyRefusal(a.policyName);
    if (refusal) push("BROAD-GRANT", `system policy ${a.policyName} is attached: ${refusal}`);
  }
  return out;
}

/** Tag changes, one message each (tags can carry access: RAM policies may condition on them). */
function tagChanges(expected: Readonly<Record<string, string>>, deployed: Readonly<Record<string, string>>): string[] {
  const keys = [...new Set([...Object.keys(expected), ...Object.keys(deployed)])].sort();
  return keys.flatMap((k) =>
    !(k in deployed)
      ? [`tag ${k} is missing (the config sets ${JSON.stringify(expected[k])})`]
      : !(k in expected)
        ? [`tag ${k}=${JSON.stringify(deployed[k])} is deployed but not in the config`]
        : expected[k] !== deployed[k]
          ? [`tag ${k} is ${JSON.stringify(deployed[k])}; the config says ${JSON.stringify(expected[k])}`]
          : [],
  );
}

/** Members of two lists that the other lacks, names compared as RAM compares them. */
function missingFrom(have: readonly string[], want: readonly string[]): string[] {
  const keys = new Set(have.map(ramNameKey));
  return want.filter((x) => !keys.has(ramNameKey(x)));
}

export function compareOwnerSide(p: PartnerModel, e: OwnerSideDescription, d: OwnerSideDescription, now: Date): AuditFinding[] {
  const out: AuditFinding[] = [];
  const push = pusher(out, p.name);
  if (!samePolicy(e.role.trustDocument, d.role.trustDocument))
    push("TRUST-DRIFT", "the deployed trust policy differs from the config");
  for (const change of tagChanges(e.role.tags, d.role.tags)) push("TAG-DRIFT", `role ${d.role.name}: ${change}`);
  if (d.role.maxSessionDuration !== e.role.maxSessionDuration)
    push("ROLE-DRIFT", `sessions last up to ${d.role.maxSessionDuration} s; the config says ${e.role.maxSessionDuration} s`);
  for (const want of e.policies) {
    const have = d.policies.find((x) => sameRamName(x.name, want.name));
    if (!have) push("POLICY-DRIFT", `custom policy ${want.name} is not attached`);
    else if (!samePolicy(want.document, have.document))
      push("POLICY-DRIFT", `the deployed document of ${want.name} differs from the config`);
  }
  const key = (a: { policyType: string; policyName: string }) => `${a.policyType} ${a.policyName}`;
  for (const a of missingFrom(e.attachments.map(key), d.attachments.map(key)))
    push("ATTACHMENT-DRIFT", `${a} policy is attached but not in the config`);
  for (const a of missingFrom(d.attachments.map(key), e.attachments.map(key)))
    if (!a.startsWith("Custom ")) push("ATTACHMENT-DRIFT", `${a} policy is not attached`);
  if (p.validUntil !== undefined && Date.parse(p.validUntil) <= now.getTime())
    push(
      "EXPIRED-PRESENT",
      `the delegation ended at ${p.validUntil} but role ${d.role.name} still exists; set revoked: true and deploy`,
      "warning",
    );
  // explain a difference as the access it changes, the way access-diff does
  const access = (o: OwnerSideDescription) => partnerAccess(p.name, p.accountId, o, undefined, []);
  for (const c of partnerChanges(access(e), access(d)))
    if (c.effect !== "neutral")
      push("ACCESS-DRIFT", `deployed ${c.effect === "broadening" ? "broader" : "narrower"} than the config: ${c.description}`);
  return out;
}

export function comparePartnerSide(side: PartnerSideModel, e: PartnerSideDescription, d: PartnerSideDescription): AuditFinding[] {
  const out: AuditFinding[] = [];
  const push = pusher(out, side.name);
  const revoked = side.handoff.revoked;
  if (!sameRamName(e.group.name, d.group.name))
    push("GROUP-DRIFT", `group ${d.group.name} is deployed; the config says ${e.group.name}`);
  const diff = (check: string, kind: string, want: readonly string[], have: readonly string[]) => {
    for (const x of missingFrom(want, have)) push(check, `${kind} ${x} is deployed but not in the config`);
    for (const x of missingFrom(have, want)) push(check, `${kind} ${x} is in the config but not deployed`);
  };
  diff(
    "MEMBER-DRIFT",
    "user",
    e.users.map((u) => u.name),
    d.users.map((u) => u.name),
  );
  diff(
    "MEMBER-DRIFT",
    "group member",
    e.members.map((m) => m.userName),
    d.members.map((m) => m.userName),
  );
  diff("LOGIN-DRIFT", "console login of", e.consoleUsers, d.consoleUsers);
  // every setting the stack writes on a login profile
  for (const want of e.users) {
    const have = d.users.find((u) => sameRamName(u.name, want.name));
    if (!want.login || !have?.login) continue;
    if (have.login.mfaBindRequired !== want.login.mfaBindRequired)
      push(
        "LOGIN-DRIFT",
        `login profile of ${have.name}: mfa_bind_required is ${have.login.mfaBindRequired}; the config says ${want.login.mfaBindRequired}`,
      );
    if (have.login.passwordResetRequired !== want.login.passwordResetRequired)
      push(
        "LOGIN-DRIFT",
        `login profile of ${have.name}: password_reset_required is ${have.login.passwordResetRequired}; the config says ${want.login.passwordResetRequired}`,
      );
  }
  const a = d.assume;
  const w = e.assume;
  const held = a ? `${a.attachment.policyType} ${a.attachment.policyName}` : "";
  if (revoked && a) push("REVOKED-PRESENT", `the partner is revoked but group ${d.group.name} still has ${held} policy attached`);
  else if (!revoked && w && !a) push("ASSUME-DRIFT", "the group has no assume permission");
  else if (!revoked && w && a) {
    if (w.attachment.policyType !== a.attachment.policyType)
      push(
        "ASSUME-DRIFT",
        `the group's assume permission is a ${a.attachment.policyType} policy; the config says ${w.attachment.policyType}`,
      );
    else if (!sameRamName(w.attachment.policyName, a.attachment.policyName))
      push(
        "ASSUME-DRIFT",
        `the group's assume permission is ${a.attachment.policyName}; the config says ${w.attachment.policyName}`,
      );
    else if (w.policy && a.policy && !samePolicy(w.policy.document, a.policy.document))
      push("ASSUME-DRIFT", `the deployed document of ${a.policy.name} differs from the config`);
  }
  return out;
}
