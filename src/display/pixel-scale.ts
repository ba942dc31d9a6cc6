/**
 * How image values become 0–255 bytes, the same for `plot.image` and tensor image grids:
 * - explicit `{ vmin, vmax }`: linear from vmin (black) to vmax (white), clipped;
 * - integer data (an int/bool dtype, or arrays of whole numbers) within 0..255 whose max is above 1: bytes as they are;
 * - data within 0..1 (floats, or a 0/1 integer mask): × 255;
 * - anything else (e.g. floats up to 37.5, negative values): min–max normalised to the full range.
 */
export interface PixelRange {
  /** The value shown black (with `vmax`, overrides the automatic choice). */
  vmin?: number;
  /** The value shown white. */
  vmax?: number;
}

/** The value → byte function for data with finite range `[lo, hi]`. Non-finite values are the caller's business. */
export function byteScale(lo: number, hi: number, integer: boolean, range: PixelRange = {}): (v: number) => number {
  if (range.vmin !== undefined || range.vmax !== undefined) {
    const a = range.vmin ?? lo;
    const b = range.vmax ?? hi;
    if (!Number.isFinite(a) || !Number.isFinite(b))
      throw new Error(`image: vmin and vmax must be finite numbers, got ${a} and ${b}`);
    return clipped((v) => ((v - a) / (b - a || 1)) * 255);
  }
  if (!Number.isFinite(lo)) return () => 0;
  if (lo >= 0 && hi <= 1) return clipped((v) => v * 255);
  if (integer && lo >= 0 && hi <= 255) return clipped((v) => v);
  return clipped((v) => ((v - lo) / (hi - lo || 1)) * 255);
}

function clipped(f: (v: number) => number): (v: number) => number {
  return (v) => Math.max(0, Math.min(255, Math.round(f(v))));
}

/** Whether values should be read as integers: an integer dtype, or (without one) whole numbers only. */
export function isIntegerData(values: ArrayLike<number>, dtype?: string): boolean {
  if (dtype !== undefined) return /^(u?int\d*|bool)$/.test(dtype);
  for (let i = 0; i < values.length; i++)
    if (!Number.isInteger(values[i]!) && Number.isFinite(values[i]!)) return false;
  return true;
}
