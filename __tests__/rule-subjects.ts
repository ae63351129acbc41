/** What the rules judge: an owner subject and a partner subject built from the example's partner, or changed. */
import { renderPolicy } from "../lib/policy/document";
import { readPolicy } from "../lib/policy/read";
import { assumePolicy, permissionPolicies, trustPolicy } from "../lib/policy/policies";
import type { OwnerSubject, PartnerSubject } from "../lib/rules/rule";
import type { PartnerModel, PartnerSideModel } from "../lib/model/model";
import { EXAMPLE_FILE, NOW, model } from "./helpers";

export const good = model(EXAMPLE_FILE).partners[0];

export function ownerSubject(
  p: PartnerModel,
  override: { trustText?: string; permissionTexts?: string[] } = {},
  now = NOW,
): OwnerSubject {
  const trustText = override.trustText ?? renderPolicy(trustPolicy(p));
  const texts = override.permissionTexts ?? permissionPolicies(p).map(renderPolicy);
  return {
    partner: p,
    trustText,
    trust: readPolicy(trustText),
    permissions: texts.map((text, i) => ({ name: `policy-${i + 1}`, text, statements: readPolicy(text) })),
    attached: { custom: texts.length, system: p.systemPolicies },
    now,
  };
}

export const goodSide = model(EXAMPLE_FILE).partnerSides[0];

export function partnerSubject(side: PartnerSideModel, override: Partial<PartnerSubject> = {}, now = NOW): PartnerSubject {
  const assumeText = renderPolicy(assumePolicy(side.handoff.role.arn));
  return { side, assumeText, assume: readPolicy(assumeText), ownerRoleArn: side.handoff.role.arn, now, ...override };
}

/** A partner side as B's repository has it: built from a handoff file (same content). */
export const fromFile = (side: PartnerSideModel, handoff: Partial<PartnerSideModel["handoff"]> = {}): PartnerSideModel => ({
  ...side,
  handoffFile: "handoffs/enterprise-b.json",
  handoff: { ...side.handoff, ...handoff },
});

export const policyText = (statements: object[]) => JSON.stringify({ Version: "1", Statement: statements });
