/**
 * "Did you mean …?": the candidate closest to `name` by edit distance (case differences cost
 * little), if it is close enough to be a likely misspelling.
 */
export function suggestName(name: string, candidates: Iterable<string>): string | undefined {
  const limit = Math.max(1, Math.floor(name.length * 0.34));
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  const seen = new Set<string>();
  for (const c of candidates) {
    if (c === name || seen.has(c) || c.startsWith("__deepts") || Math.abs(c.length - name.length) > limit) continue;
    seen.add(c);
    const d = distance(name, c);
    if (d <= limit && d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

/** Levenshtein distance where changing only the case of a letter costs 0.1. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const ca = a[i - 1]!;
      const cb = b[j - 1]!;
      const sub = ca === cb ? 0 : ca.toLowerCase() === cb.toLowerCase() ? 0.1 : 1;
      row.push(Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + sub));
    }
    prev = row;
  }
  return prev[b.length]!;
}
