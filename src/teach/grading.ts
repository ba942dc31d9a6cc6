/**
 * Small tools the graders share: reading an answer as numbers, comparing with tolerance, formatting
 * values for messages, and deterministic case data (graders never draw from `tf`'s global random
 * state, so checking an exercise does not change what later cells compute).
 */
import * as tf from "../tf.js";
import { describe, wrong } from "./exercise.js";

/** A number for messages: up to 4 significant digits, no trailing zeros. */
export function fmt(value: number | number[] | number[][]): string {
  if (Array.isArray(value)) return `[${(value as (number | number[])[]).map((v) => fmt(v)).join(", ")}]`;
  if (Number.isNaN(value)) return "NaN";
  if (!Number.isFinite(value)) return value > 0 ? "Infinity" : "-Infinity";
  if (value !== 0 && (Math.abs(value) < 1e-3 || Math.abs(value) >= 1e5)) return value.toExponential(2);
  return String(Number(value.toPrecision(4)));
}

/** True when `a` and `b` agree to `tol`, relative to their size (absolute near zero). */
export function close(a: number, b: number, tol = 1e-4): boolean {
  return Math.abs(a - b) <= tol * Math.max(1, Math.abs(a), Math.abs(b));
}

/** True when every pair agrees (and the lengths match). */
export function allClose(a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-4): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!close(a[i]!, b[i]!, tol)) return false;
  return true;
}

/** The answer as a tensor, or the problem "… should be a tensor". */
export function tensorOf(value: unknown, what: string): tf.Tensor {
  if (value instanceof tf.Tensor) {
    if (value.isDisposed) wrong(`${what} is a tensor that was already disposed.`);
    return value;
  }
  return wrong(`${what} should be a tensor, but it is ${describe(value)}.`);
}

/** A tensor's values as plain numbers. */
export function valuesOf(t: tf.Tensor): number[] {
  return Array.from(t.dataSync() as ArrayLike<number>, Number);
}

/** The answer as one finite number, or the problem. */
export function numberOf(value: unknown, what: string): number {
  let n: number | undefined;
  if (typeof value === "number") n = value;
  else if (value instanceof tf.Tensor && value.size === 1) n = valuesOf(value)[0];
  if (n === undefined) return wrong(`${what} should be a number, but it is ${describe(value)}.`);
  if (!Number.isFinite(n)) return wrong(`${what} is ${fmt(n)}; it should be a finite number.`);
  return n;
}

/** The answer as an array of numbers (a number[] or a rank-1 tensor), or the problem. */
export function vectorOf(value: unknown, what: string, length?: number): number[] {
  let v: number[] | undefined;
  if (Array.isArray(value) && value.every((x) => typeof x === "number")) v = value as number[];
  else if (value instanceof tf.Tensor && value.rank === 1) v = valuesOf(value);
  if (!v) return wrong(`${what} should be an array of numbers, but it is ${describe(value)}.`);
  if (length !== undefined && v.length !== length) wrong(`${what} has ${v.length} numbers; it should have ${length}.`);
  return v;
}

/** The answer as a matrix (number[][] or a rank-2 tensor) of the expected size, or the problem. */
export function matrixOf(value: unknown, what: string, rows?: number, cols?: number): number[][] {
  let m: number[][] | undefined;
  if (Array.isArray(value) && value.every((r) => Array.isArray(r) && r.every((x) => typeof x === "number")))
    m = value as number[][];
  else if (value instanceof tf.Tensor && value.rank === 2) m = value.arraySync() as number[][];
  if (!m) return wrong(`${what} should be a matrix (an array of rows of numbers), but it is ${describe(value)}.`);
  const widths = new Set(m.map((r) => r.length));
  if (widths.size > 1) wrong(`the rows of ${what} have different lengths (${[...widths].join(", ")}).`);
  const [r, c] = [m.length, m[0]?.length ?? 0];
  if ((rows !== undefined && r !== rows) || (cols !== undefined && c !== cols))
    wrong(`${what} is ${r}×${c}; it should be ${rows ?? r}×${cols ?? c}.`);
  return m;
}

/** Throws the problem when `t`'s shape is not `shape`; `hint` says what usually causes it. */
export function expectShape(t: tf.Tensor, shape: number[], what: string, hint = ""): void {
  if (t.shape.length === shape.length && t.shape.every((d, i) => d === shape[i])) return;
  wrong(`${what} has shape [${t.shape}]; it should be [${shape}].${hint ? ` ${hint}` : ""}`);
}

/** The first position where two equally long lists differ by more than `tol`, or -1. */
export function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-4): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (!close(a[i]!, b[i]!, tol)) return i;
  return a.length === b.length ? -1 : Math.min(a.length, b.length);
}

/**
 * Deterministic pseudo-random numbers for case data (a fixed linear congruential sequence per seed),
 * uniform in [lo, hi).
 */
export function caseNumbers(count: number, seed: number, lo = -1, hi = 1): number[] {
  let s = (seed * 2654435761) % 2147483647 || 1;
  return Array.from({ length: count }, () => {
    s = (s * 48271) % 2147483647;
    return lo + ((hi - lo) * s) / 2147483647;
  });
}

/** A `rows`×`cols` case matrix (see {@link caseNumbers}). */
export function caseMatrix(rows: number, cols: number, seed: number, lo = -1, hi = 1): number[][] {
  const flat = caseNumbers(rows * cols, seed, lo, hi);
  return Array.from({ length: rows }, (_, r) => flat.slice(r * cols, (r + 1) * cols));
}
