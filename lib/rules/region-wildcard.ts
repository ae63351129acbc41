import { parseArn } from "../ram/arn";
import type { OwnerSubject, Rule } from "./rule";

/** REGION-WILDCARD: a grant covers a bus name in every region. */
export const regionWildcard: Rule<OwnerSubject> = {
  id: "REGION-WILDCARD",
  severity: "warning",
  title: "Grants name one region",
  rationale: "A bus of the same name created later in any other region would be covered by the grant without review.",
  check({ permissions }) {
    const arns = new Set(
      permissions
        .flatMap((p) => p.statements ?? [])
        .flatMap((s) => s.resources)
        .filter((r) => r.includes(":eventbus/") && parseArn(r)?.region === "*"),
    );
    return [...arns].sort().map((arn) => `[Resource::${arn}] ${arn} covers every region`);
  },
};
