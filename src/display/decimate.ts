/** Keeps long series drawable: at most `maxPoints` points, preserving each bucket's min and max. */
export function decimate<X>(xs: X[], ys: number[], maxPoints: number): { x: X[]; y: number[] } {
  const n = ys.length;
  if (n <= maxPoints) return { x: xs, y: ys };
  const buckets = Math.max(1, Math.floor(maxPoints / 2));
  const size = n / buckets;
  const x: X[] = [];
  const y: number[] = [];
  for (let b = 0; b < buckets; b++) {
    const start = Math.floor(b * size);
    const end = Math.min(n, Math.floor((b + 1) * size));
    let lo = start;
    let hi = start;
    for (let i = start; i < end; i++) {
      if (ys[i]! < ys[lo]!) lo = i;
      if (ys[i]! > ys[hi]!) hi = i;
    }
    for (const i of lo === hi ? [lo] : lo < hi ? [lo, hi] : [hi, lo]) {
      x.push(xs[i]!);
      y.push(ys[i]!);
    }
  }
  return { x, y };
}
