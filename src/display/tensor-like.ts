/**
 * Structural view of a tensor, so display works with any TF.js-shaped tensor
 * (deepts's runtime, TF.js itself, or a test double) without importing the runtime.
 */

/** What display needs from a tensor. */
export interface TensorLike {
  shape: number[];
  dtype: string;
  /** Values in row-major order (typed array, or strings for string tensors). */
  dataSync(): ArrayLike<number | string | boolean> | Iterable<number | string | boolean>;
}

/** True for objects with `shape` (array of integers), `dtype` (string) and `dataSync()`. */
export function isTensorLike(value: unknown): value is TensorLike {
  if (value === null || typeof value !== "object") return false;
  const v = value as Record<string, unknown>;
  return (
    Array.isArray(v.shape) &&
    v.shape.every((d) => Number.isInteger(d) && (d as number) >= 0) &&
    typeof v.dtype === "string" &&
    typeof v.dataSync === "function"
  );
}

export function tensorSize(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** The tensor's values as numbers (booleans become 0/1; strings are not numeric and throw). */
export function numericValues(t: TensorLike): Float64Array {
  const data = Array.from(t.dataSync() as ArrayLike<unknown>);
  const out = new Float64Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (typeof v === "number") out[i] = v;
    else if (typeof v === "boolean") out[i] = v ? 1 : 0;
    else throw new Error(`Expected a numeric tensor, got dtype '${t.dtype}'`);
  }
  return out;
}

/** A plain nested-number matrix from a rank-2 tensor, a rank-1 tensor (one row) or nested arrays. */
export function toMatrix(value: unknown, what = "value"): number[][] {
  if (isTensorLike(value)) {
    const v = numericValues(value);
    if (value.shape.length === 1) return [Array.from(v)];
    if (value.shape.length !== 2)
      throw new Error(`${what}: expected a rank-2 tensor, got shape [${value.shape.join(", ")}]`);
    const [rows, cols] = value.shape as [number, number];
    return Array.from({ length: rows }, (_, r) => Array.from(v.subarray(r * cols, (r + 1) * cols)));
  }
  if (Array.isArray(value) && value.every((row) => Array.isArray(row) || ArrayBuffer.isView(row))) {
    const rows = value.map((row) => Array.from(row as ArrayLike<number>, Number));
    const cols = rows[0]?.length ?? 0;
    if (rows.some((r) => r.length !== cols)) throw new Error(`${what}: rows have different lengths`);
    return rows;
  }
  throw new Error(`${what}: expected a matrix (number[][]) or a rank-2 tensor`);
}

/** A plain number array from a tensor (any rank, flattened), typed array or array. */
export function toNumbers(value: unknown, what = "value"): number[] {
  if (isTensorLike(value)) return Array.from(numericValues(value));
  if (ArrayBuffer.isView(value) && !(value instanceof DataView))
    return Array.from(value as unknown as ArrayLike<number>, Number);
  if (Array.isArray(value) && value.every((v) => typeof v === "number" || v === null))
    return value.map((v) => (v === null ? NaN : (v as number)));
  throw new Error(`${what}: expected numbers (number[], a typed array or a tensor)`);
}
