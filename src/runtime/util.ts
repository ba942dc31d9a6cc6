/** `tf.util`: small helpers TF.js code commonly uses. */
import { generatorFor } from "./random.js";

/** Number of elements of a shape. Example: `tf.util.sizeFromShape([2, 3])` → 6. */
export function sizeFromShape(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** True when two arrays (or typed arrays) have the same length and equal elements. Example: `tf.util.arraysEqual(t.shape, [2, 3])`. */
export function arraysEqual(a: ArrayLike<unknown>, b: ArrayLike<unknown>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Shuffles an array in place (Fisher–Yates; reproducible after `tf.setSeed`, or with `seed`). */
export function shuffle<T>(array: { length: number; [i: number]: T }, seed?: number): void {
  const g = generatorFor(seed);
  for (let i = array.length - 1; i > 0; i--) {
    const j = Math.floor(g.next() * (i + 1));
    const t = array[i];
    array[i] = array[j];
    array[j] = t;
  }
}

/** `[0, n)` shuffled, as a Uint32Array. */
export function createShuffledIndices(n: number, seed?: number): Uint32Array {
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  shuffle(out, seed);
  return out;
}

/** Flattens nested arrays into one array. */
export function flatten(value: unknown, out: unknown[] = []): unknown[] {
  if (Array.isArray(value)) for (const v of value) flatten(v, out);
  else if (ArrayBuffer.isView(value) && !(value instanceof DataView))
    out.push(...(value as unknown as ArrayLike<number> & Iterable<number>));
  else out.push(value);
  return out;
}

/** Throws an Error with `msg` (a string, or a function making it) unless `expr` is true. Example: `tf.util.assert(x.rank === 2, () => "x must be a matrix")`. */
export function assert(expr: boolean, msg: string | (() => string)): asserts expr {
  if (!expr) throw new Error(typeof msg === "string" ? msg : msg());
}

/** Milliseconds, high resolution. */
export function now(): number {
  return performance.now();
}
