/** "Nice" axis ticks: steps of 1, 2 or 5 × 10^k. */

/** Tick values covering `[min, max]` with about `count` ticks, all within the range. */
export function niceTicks(min: number, max: number, count = 6): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (min === max) return [min];
  if (min > max) [min, max] = [max, min];
  const step = niceStep((max - min) / Math.max(1, count));
  const first = Math.ceil(min / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let v = first; v <= max + step * 1e-9; v += step) ticks.push(roundTo(v, step));
  return ticks;
}

export function niceStep(rough: number): number {
  const p = Math.pow(10, Math.floor(Math.log10(rough)));
  const f = rough / p;
  return (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) * p;
}

/** The smallest round step (1, 2 or 5 × 10^k) not below `rough`. */
export function niceStepAtLeast(rough: number): number {
  const p = Math.pow(10, Math.floor(Math.log10(rough)));
  const f = rough / p;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
}

function roundTo(v: number, step: number): number {
  const decimals = Math.max(0, -Math.floor(Math.log10(step)) + 1);
  const r = Number(v.toFixed(Math.min(20, decimals)));
  return Object.is(r, -0) ? 0 : r;
}

/** Labels for ticks with just enough decimals to tell them apart. */
export function tickLabels(ticks: number[]): string[] {
  if (ticks.length === 0) return [];
  const step = ticks.length > 1 ? Math.abs(ticks[1]! - ticks[0]!) : Math.abs(ticks[0]!) || 1;
  const maxAbs = Math.max(...ticks.map(Math.abs));
  if (maxAbs >= 1e6 || (maxAbs > 0 && maxAbs < 1e-3)) {
    return ticks.map((t) =>
      t === 0 ? "0" : t.toExponential(Math.max(0, Math.min(6, Math.round(Math.log10(maxAbs / step))))),
    );
  }
  const decimals = Math.max(0, Math.min(10, -Math.floor(Math.log10(step) + 1e-9)));
  return ticks.map((t) => t.toFixed(decimals));
}
