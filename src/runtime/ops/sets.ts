/**
 * Ops whose output size depends on the values (computed on the host, then moved with gather where
 * values of a float tensor are kept, so those stay differentiable): unique, setdiff1dAsync,
 * booleanMaskAsync, whereAsync, bincount, denseBincount, inTopKAsync, bitwiseAnd.
 */
import { getEngine } from "../engine.js";
import type { Tensor, TensorLike } from "../tensor.js";
import { typedArrayFor } from "../backend.js";
import { convert } from "./convert.js";
import { gather, reshape, transpose } from "./shape.js";
import { normAxis, shapeStr } from "./util.js";

function int32Tensor(values: ArrayLike<number>, shape: number[]): Tensor {
  return getEngine().makeTensor(Int32Array.from(values), shape, "int32");
}

function requireInt32(op: string, name: string, t: Tensor): void {
  if (t.dtype !== "int32") throw new Error(`${op}: ${name} must be int32, got ${t.dtype}`);
}

/**
 * The distinct slices of `x` along `axis` in order of first appearance (`values`), and for each
 * slice of `x` the int32 position of its value in `values` (`indices`).
 * Example: `tf.unique(tf.tensor1d([1, 1, 2, 4, 4, 4, 7]))` → values [1, 2, 4, 7], indices [0, 0, 1, 2, 2, 2, 3].
 */
export function unique(x: TensorLike, axis = 0): { values: Tensor; indices: Tensor } {
  const t = convert(x, "x", "unique");
  if (t.rank === 0) throw new Error("unique: the input must be at least 1-D");
  const a = normAxis("unique", axis, t.rank);
  const perm = [a, ...t.shape.map((_, i) => i).filter((i) => i !== a)];
  const moved = a === 0 ? t : transpose(t, perm);
  const n = t.shape[a];
  const width = n === 0 ? 0 : t.size / n;
  const data = moved.dataSync();
  const seen = new Map<string, number>();
  const first: number[] = [];
  const indices = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const key = Array.prototype.join.call(data.subarray(i * width, (i + 1) * width), ",");
    let k = seen.get(key);
    if (k === undefined) {
      k = first.length;
      seen.set(key, k);
      first.push(i);
    }
    indices[i] = k;
  }
  return { values: gather(t, int32Tensor(first, [first.length]), a), indices: int32Tensor(indices, [n]) };
}

/**
 * The values of 1-D `x` that are not in `y`, in their order in `x`, and their int32 positions in `x`.
 * Example: `const [out, idx] = await tf.setdiff1dAsync([1, 2, 3, 4], [1, 3])` → [2, 4], [1, 3].
 */
export async function setdiff1dAsync(x: TensorLike, y: TensorLike): Promise<[Tensor, Tensor]> {
  const a = convert(x, "x", "setdiff1d");
  const b = convert(y, "y", "setdiff1d", a.dtype);
  if (a.dtype !== b.dtype) throw new Error(`setdiff1d: x and y must have one dtype, got ${a.dtype} and ${b.dtype}`);
  if (a.rank !== 1 || b.rank !== 1) {
    throw new Error(`setdiff1d: x and y must be 1-D, got ${shapeStr(a.shape)} and ${shapeStr(b.shape)}`);
  }
  const drop = new Set(Array.from(await b.data()));
  const values = await a.data();
  const keep: number[] = [];
  values.forEach((v, i) => {
    if (!drop.has(v)) keep.push(i);
  });
  const out = typedArrayFor(a.dtype, keep.length);
  keep.forEach((i, k) => (out[k] = values[i]));
  return [getEngine().makeTensor(out, [keep.length], a.dtype), int32Tensor(keep, [keep.length])];
}

/**
 * The int32 coordinates `[count, rank]` of the true elements of bool `condition`, in row-major order.
 * Example: `await tf.whereAsync(tf.tensor1d([true, false, true], "bool"))` → [[0], [2]].
 */
export async function whereAsync(condition: TensorLike): Promise<Tensor> {
  const c = convert(condition, "condition", "whereAsync", "bool");
  if (c.dtype !== "bool") throw new Error(`whereAsync: condition must be bool, got ${c.dtype}`);
  const values = await c.data();
  const strides = c.shape.map((_, i) => c.shape.slice(i + 1).reduce((p, d) => p * d, 1));
  const coords: number[] = [];
  let count = 0;
  values.forEach((v, i) => {
    if (!v) return;
    count++;
    strides.forEach((stride, d) => coords.push(Math.floor(i / stride) % c.shape[d]));
  });
  return int32Tensor(coords, [count, c.rank]);
}

/**
 * The slices of `tensor` where bool `mask` is true: `mask` covers axes `axis … axis + mask.rank − 1`,
 * which become one axis of the selected slices. Example:
 * `await tf.booleanMaskAsync(tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2]), tf.tensor1d([1, 0, 1], "bool"))` → [[1, 2], [5, 6]].
 */
export async function booleanMaskAsync(tensor: TensorLike, mask: TensorLike, axis = 0): Promise<Tensor> {
  const t = convert(tensor, "tensor", "booleanMask");
  const m = convert(mask, "mask", "booleanMask", "bool");
  if (m.dtype !== "bool") throw new Error(`booleanMask: mask must be bool, got ${m.dtype}`);
  if (m.rank === 0) throw new Error("booleanMask: mask cannot be a scalar");
  const a = normAxis("booleanMask", axis, t.rank);
  const covered = t.shape.slice(a, a + m.rank);
  if (covered.length !== m.rank || covered.some((d, i) => d !== m.shape[i])) {
    throw new Error(
      `booleanMask: mask shape ${shapeStr(m.shape)} must match axes ${a}… of tensor ${shapeStr(t.shape)}`,
    );
  }
  const merged = reshape(t, [...t.shape.slice(0, a), m.size, ...t.shape.slice(a + m.rank)]);
  const keep: number[] = [];
  (await m.data()).forEach((v, i) => {
    if (v) keep.push(i);
  });
  return gather(merged, int32Tensor(keep, [keep.length]), a);
}

function binCounts(
  op: string,
  xs: ArrayLike<number>,
  weights: ArrayLike<number> | null,
  size: number,
  binaryOutput: boolean,
  out: { [i: number]: number },
  offset: number,
): void {
  for (let i = 0; i < xs.length; i++) {
    const v = xs[i];
    if (v < 0) throw new Error(`${op}: input values must be non-negative, got ${v}`);
    if (v >= size) continue;
    if (binaryOutput) out[offset + v] = 1;
    else out[offset + v] += weights ? weights[i] : 1;
  }
}

function bincountArgs(op: string, x: TensorLike, weights: TensorLike, size: number) {
  const t = convert(x, "x", op, "int32");
  requireInt32(op, "x", t);
  const w = convert(weights, "weights", op);
  if (!Number.isInteger(size) || size < 0) throw new Error(`${op}: size must be a non-negative integer, got ${size}`);
  if (w.size !== t.size && w.size !== 0) {
    throw new Error(`${op}: weights ${shapeStr(w.shape)} must have x's size ${shapeStr(t.shape)} or be empty`);
  }
  return { t, w };
}

/**
 * Counts (or sums `weights` of) each value of int32 1-D `x` in `[0, size)`; larger values are ignored.
 * The result has `weights`'s dtype. Example: `tf.bincount(tf.tensor1d([1, 1, 3], "int32"), [], 4)` → [0, 2, 0, 1].
 */
export function bincount(x: TensorLike, weights: TensorLike, size: number): Tensor {
  const { t, w } = bincountArgs("bincount", x, weights, size);
  if (t.rank !== 1) throw new Error(`bincount: x must be 1-D, got ${shapeStr(t.shape)}`);
  const out = typedArrayFor(w.dtype === "bool" ? "int32" : w.dtype, size);
  binCounts("bincount", t.dataSync(), w.size ? w.dataSync() : null, size, false, out, 0);
  return getEngine().makeTensor(out, [size], w.dtype === "bool" ? "int32" : w.dtype);
}

/**
 * `bincount` for 1-D or 2-D (per row) int32 `x`; `binaryOutput` marks presence (1) instead of counting.
 * Example: `tf.denseBincount(tf.tensor2d([[1, 1], [0, 2]], [2, 2], "int32"), [], 3)` → [[0, 2, 0], [1, 0, 1]].
 */
export function denseBincount(x: TensorLike, weights: TensorLike, size: number, binaryOutput = false): Tensor {
  const { t, w } = bincountArgs("denseBincount", x, weights, size);
  if (t.rank > 2) throw new Error(`denseBincount: x must be at most rank 2, got ${shapeStr(t.shape)}`);
  const rows = t.rank === 2 ? t.shape[0] : 1;
  const width = t.rank === 0 ? 1 : t.shape[t.rank - 1];
  const dtype = w.dtype === "bool" ? "int32" : w.dtype;
  const out = typedArrayFor(dtype, rows * size);
  const xs = t.dataSync();
  const ws = w.size ? w.dataSync() : null;
  for (let r = 0; r < rows; r++) {
    binCounts(
      "denseBincount",
      xs.subarray(r * width, (r + 1) * width),
      ws ? ws.subarray(r * width, (r + 1) * width) : null,
      size,
      binaryOutput,
      out,
      r * size,
    );
  }
  return getEngine().makeTensor(out, t.rank === 2 ? [rows, size] : [size], dtype);
}

/**
 * Whether each row's `targets` class is among its `k` largest `predictions` (bool `[batch]`), ranking
 * equal predictions by class index as TF.js does.
 * Example: `await tf.inTopKAsync(tf.tensor2d([[0.1, 0.8, 0.1]]), tf.tensor1d([1], "int32"), 1)` → [true].
 */
export async function inTopKAsync(predictions: TensorLike, targets: TensorLike, k = 1): Promise<Tensor> {
  const p = convert(predictions, "predictions", "inTopK");
  const tg = convert(targets, "targets", "inTopK", "int32");
  if (p.rank < 1) throw new Error("inTopK: predictions must have rank >= 1");
  if (tg.rank !== p.rank - 1 || tg.shape.some((d, i) => d !== p.shape[i])) {
    throw new Error(
      `inTopK: targets ${shapeStr(tg.shape)} must be predictions ${shapeStr(p.shape)} without its last axis`,
    );
  }
  const classes = p.shape[p.rank - 1];
  if (!Number.isInteger(k) || k < 1 || k > classes) throw new Error(`inTopK: k must be in [1, ${classes}], got ${k}`);
  const values = await p.data();
  const target = await tg.data();
  const out = new Uint8Array(target.length);
  const order = Array.from({ length: classes }, (_, i) => i);
  for (let b = 0; b < target.length; b++) {
    const base = b * classes;
    order.sort((i, j) => values[base + j] - values[base + i] || i - j);
    out[b] = order.slice(0, k).includes(target[b]) ? 1 : 0;
    for (let i = 0; i < classes; i++) order[i] = i;
  }
  return getEngine().makeTensor(out, tg.shape.slice(), "bool");
}

/** Bitwise AND of two int32 tensors of one shape. Example: `tf.bitwiseAnd([5, 3], [3, 6])` as int32 → [1, 2]. */
export function bitwiseAnd(x: TensorLike, y: TensorLike): Tensor {
  const a = convert(x, "x", "bitwiseAnd", "int32");
  const b = convert(y, "y", "bitwiseAnd", "int32");
  if (a.rank !== b.rank || a.shape.some((d, i) => d !== b.shape[i])) {
    throw new Error(`bitwiseAnd: tensors must have the same shape, got ${shapeStr(a.shape)} and ${shapeStr(b.shape)}`);
  }
  requireInt32("bitwiseAnd", "x", a);
  requireInt32("bitwiseAnd", "y", b);
  const av = a.dataSync();
  const bv = b.dataSync();
  const out = new Int32Array(av.length);
  for (let i = 0; i < out.length; i++) out[i] = av[i] & bv[i];
  return getEngine().makeTensor(out, a.shape.slice(), "int32");
}
