/**
 * Keeps long series drawable: at most `maxPoints` points, preserving each bucket's min and max.
 * Non-finite values (NaN, ±Infinity, or null from JSON) are gaps: a bucket holding one keeps a
 * NaN after its extremes, so a line drawn through the result still breaks there.
 */
export function decimate<X>(xs: X[], ys: number[], maxPoints: number): { x: X[]; y: number[] } {
  const n = ys.length;
  if (n <= maxPoints) return { x: xs, y: ys };
  const buckets = Math.max(1, Math.floor(maxPoints / 3));
  const size = n / buckets;
  const x: X[] = [];
  const y: number[] = [];
  for (let b = 0; b < buckets; b++) {
    const start = Math.floor(b * size);
    const end = Math.min(n, Math.floor((b + 1) * size));
    let lo = -1;
    let hi = -1;
    let gap = -1;
    for (let i = start; i < end; i++) {
      const v = ys[i]!;
      if (!Number.isFinite(v)) {
        gap = i;
        continue;
      }
      if (lo < 0 || v < ys[lo]!) lo = i;
      if (hi < 0 || v > ys[hi]!) hi = i;
    }
    const keep = lo < 0 ? [] : lo === hi ? [lo] : lo < hi ? [lo, hi] : [hi, lo];
    for (const i of keep) {
      x.push(xs[i]!);
      y.push(ys[i]!);
    }
    if (gap >= 0) {
      x.push(xs[gap]!);
      y.push(NaN);
    }
  }
  return { x, y };
}
