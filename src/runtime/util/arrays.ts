/** `tf.util` helpers on plain arrays and numbers: shuffling, comparing, flattening, small math. */
import { generatorFor } from "../random.js";

type Indexable<T> = { length: number; [i: number]: T };
type FlatVector = ArrayLike<number>;

/**
 * Shuffles an array in place (Fisher–Yates; reproducible after `tf.setSeed`, or with `seed`).
 *
 * ```ts
 * const a = [1, 2, 3, 4]; tf.util.shuffle(a);
 * ```
 */
export function shuffle<T>(array: Indexable<T>, seed?: number): void {
  const g = generatorFor(seed);
  for (let i = array.length - 1; i > 0; i--) {
    const j = Math.floor(g.next() * (i + 1));
    swap(array, i, j);
  }
}

/**
 * Shuffles two arrays of the same length in place with the same permutation (keeps pairs together).
 *
 * ```ts
 * const xs = [1, 2, 3], ys = ["a", "b", "c"]; tf.util.shuffleCombo(xs, ys);
 * ```
 */
export function shuffleCombo<A, B>(array: Indexable<A>, array2: Indexable<B>, seed?: number): void {
  if (array.length !== array2.length)
    throw new Error(
      `Array sizes must match to be shuffled together First array length was ${array.length} Second array length was ${array2.length}`,
    );
  const g = generatorFor(seed);
  for (let i = array.length - 1; i > 0; i--) {
    const j = Math.floor(g.next() * (i + 1));
    swap(array, i, j);
    swap(array2, i, j);
  }
}

/**
 * `[0, n)` in random order, as a Uint32Array.
 *
 * ```ts
 * tf.util.createShuffledIndices(5); // e.g. Uint32Array [3, 0, 4, 1, 2]
 * ```
 */
export function createShuffledIndices(n: number, seed?: number): Uint32Array {
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  shuffle(out, seed);
  return out;
}

/** Exchanges `object[left]` and `object[right]`. */
export function swap<T>(object: Indexable<T>, left: number, right: number): void {
  const t = object[left];
  object[left] = object[right];
  object[right] = t;
}

/** `x` limited to `[min, max]`: `tf.util.clamp(0, 5, 3)` → 3. */
export function clamp(min: number, x: number, max: number): number {
  return Math.max(min, Math.min(x, max));
}

/** `val` if even, else `val + 1`. */
export function nearestLargerEven(val: number): number {
  return val % 2 === 0 ? val : val + 1;
}

/** The sum of the numbers. */
export function sum(arr: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < arr.length; i++) s += arr[i];
  return s;
}

/** A uniform random number in `[a, b)` (from the seeded global generator). */
export function randUniform(a: number, b: number): number {
  return a + generatorFor(undefined).next() * (b - a);
}

/** Squared Euclidean distance of two vectors of the same length. */
export function distSquared(a: FlatVector, b: FlatVector): number {
  if (a.length !== b.length)
    throw new Error(`distSquared: vectors must have the same length, got ${a.length} and ${b.length}`);
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return s;
}

/** Element-wise equality of two arrays (same length, `===` elements). */
export function arraysEqual(a: ArrayLike<unknown> | null, b: ArrayLike<unknown> | null): boolean {
  if (a === b) return true;
  if (a == null || b == null || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Like `arraysEqual`, but a null entry (an unknown dimension) matches anything. */
export function arraysEqualWithNull(a: (number | null)[] | null, b: (number | null)[] | null): boolean {
  if (a === b) return true;
  if (a == null || b == null || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== null && b[i] !== null && a[i] !== b[i]) return false;
  return true;
}

/** Whether `a` is an integer-valued number. */
export function isInt(a: number): boolean {
  return a % 1 === 0;
}

/** The hyperbolic tangent. */
export function tanh(x: number): number {
  return Math.tanh(x);
}

/** The smallest divisor of `size` that is at least `start` (or `size`). */
export function nearestDivisor(size: number, start: number): number {
  for (let i = start; i < size; i++) if (size % i === 0) return i;
  return size;
}

/** `a` padded with spaces on the right to `size` characters. */
export function rightPad(a: string, size: number): string {
  return size <= a.length ? a : a + " ".repeat(size - a.length);
}

/** Whether `value` is a Float32Array, Int32Array, Uint8Array or Uint8ClampedArray. */
export function isTypedArray(value: unknown): value is Float32Array | Int32Array | Uint8Array | Uint8ClampedArray {
  return (
    value instanceof Float32Array ||
    value instanceof Int32Array ||
    value instanceof Uint8Array ||
    value instanceof Uint8ClampedArray
  );
}

/** Whether `object` is a thenable. */
export function isPromise(object: unknown): object is Promise<unknown> {
  return (
    object !== null &&
    (typeof object === "object" || typeof object === "function") &&
    typeof (object as { then?: unknown }).then === "function"
  );
}

/**
 * The leaves of nested arrays (and typed arrays, unless `skipTypedArray`), in order.
 *
 * ```ts
 * tf.util.flatten([[1, 2], [3, [4]]]); // [1, 2, 3, 4]
 * ```
 */
export function flatten<T>(arr: unknown, result: T[] = [], skipTypedArray = false): T[] {
  const out = result ?? [];
  const walk = (v: unknown): void => {
    const leaf =
      v === null || v === undefined || typeof v !== "object" || isPromise(v) || (skipTypedArray && isTypedArray(v));
    if (leaf) out.push(v as T);
    else if (Array.isArray(v) || isTypedArray(v)) for (let i = 0; i < v.length; i++) walk(v[i]);
    else {
      const indices = Object.keys(v)
        .filter((k) => /^(0|[1-9]\d*)$/.test(k))
        .map(Number);
      const last = indices.length ? Math.max(...indices) : -1;
      for (let i = 0; i <= last; i++) walk((v as Record<number, unknown>)[i]);
    }
  };
  walk(arr);
  return out;
}

/** Whether `value` is a string. */
export function isString(value: unknown): value is string {
  return typeof value === "string" || value instanceof String;
}

/** Whether `value` is a boolean. */
export function isBoolean(value: unknown): boolean {
  return typeof value === "boolean";
}

/** Whether `value` is a number. */
export function isNumber(value: unknown): boolean {
  return typeof value === "number";
}

/** Whether `f` is callable. */
export function isFunction(f: unknown): boolean {
  return typeof f === "function";
}
