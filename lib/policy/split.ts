/**
 * Splitting a policy document that is too long for RAM into several, each within the limit.
 * Statements keep their order; a statement that does not fit is split by resources. The result
 * depends only on the document, so the same grants always give the same numbered policies.
 */
import { renderPolicy, type PolicyDocument, type Statement } from "./document";

const length = (statements: readonly Statement[]) => renderPolicy({ statements }).length;

/** The largest n such that `current` plus `s` with its first n resources fits (0 if none). */
function largestFit(current: readonly Statement[], s: Statement, resources: readonly string[], limit: number): number {
  let lo = 0;
  let hi = resources.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (length([...current, { ...s, resources: resources.slice(0, mid) }]) <= limit) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * Documents that each render to at most `limit` characters. A single statement with a single
 * resource that is longer than the limit stays too long; the POLICY-SIZE check reports it.
 */
export function splitPolicy(doc: PolicyDocument, limit: number): PolicyDocument[] {
  if (renderPolicy(doc).length <= limit) return [doc];
  const chunks: Statement[][] = [];
  let current: Statement[] = [];
  const close = () => {
    if (current.length > 0) chunks.push(current);
    current = [];
  };
  for (const s of doc.statements) {
    if (length([...current, s]) <= limit) {
      current.push(s);
      continue;
    }
    let remaining = [...(s.resources ?? [])];
    if (remaining.length <= 1) {
      close();
      current.push(s);
      continue;
    }
    while (remaining.length > 0) {
      let n = largestFit(current, s, remaining, limit);
      if (n === 0) {
        if (current.length > 0) {
          close();
          continue;
        }
        n = 1;
      }
      current.push({ ...s, resources: remaining.slice(0, n) });
      remaining = remaining.slice(n);
      if (remaining.length > 0) close();
    }
  }
  close();
  return chunks.map((statements) => ({ statements }));
}
