/**
 * Indexing ops composed from slice/gather/scatter primitives: stridedSlice, gatherND, scatterND,
 * tensorScatterUpdate, sparseToDense, mirrorPad, diag. Index arithmetic runs on the host (indices
 * are small int32 data); values move through Slice/Gather/UnsortedSegmentSum kernels, so gradients
 * come from theirs.
 */
import { getEngine } from "../engine.js";
import type { Tensor, TensorLike } from "../tensor.js";
import { mul } from "./arithmetic.js";
import { convert } from "./convert.js";
import { eye, fill } from "./creation.js";
import { equal, where } from "./logical.js";
import { gather, reshape, slice, unsortedSegmentSum } from "./shape.js";
import { shapeStr } from "./util.js";

function int32Tensor(values: ArrayLike<number>, shape: number[]): Tensor {
  return getEngine().makeTensor(Int32Array.from(values), shape, "int32");
}

function intsOf(op: string, name: string, t: TensorLike): { values: Int32Array; shape: number[] } {
  const x = convert(t, name, op, "int32");
  if (x.dtype !== "int32") throw new Error(`${op}: ${name} must be int32, got ${x.dtype}`);
  return { values: Int32Array.from(x.dataSync()), shape: x.shape.slice() };
}

const bit = (mask: number, i: number) => (mask & (1 << i)) !== 0;

/** One output axis of a strided slice: the input axis it reads (-1: a new axis) and its positions. */
interface SliceAxis {
  inputAxis: number;
  start: number;
  stride: number;
  size: number;
  shrink: boolean;
}

/** Resolves TF's strided-slice spec (masks, ellipsis, negative indices, clamping) into per-axis ranges. */
function stridedSliceAxes(
  shape: number[],
  begin: number[],
  end: number[],
  strides: number[],
  masks: { begin: number; end: number; ellipsis: number; newAxis: number; shrink: number },
): SliceAxis[] {
  const rank = shape.length;
  const n = begin.length;
  let ellipsisAt = -1;
  for (let i = 0; i < n; i++) {
    if (!bit(masks.ellipsis, i)) continue;
    if (ellipsisAt >= 0) throw new Error("stridedSlice: only one ellipsis is allowed");
    ellipsisAt = i;
  }
  // Dense dims the spec names explicitly (everything but new axes and the ellipsis).
  let named = 0;
  for (let i = 0; i < n; i++) if (i !== ellipsisAt && !bit(masks.newAxis, i)) named++;
  if (named > rank) {
    throw new Error(`stridedSlice: begin of length ${n} indexes more axes than the input's rank ${rank}`);
  }
  const axes: SliceAxis[] = [];
  const full = (axis: number): SliceAxis => ({
    inputAxis: axis,
    start: 0,
    stride: 1,
    size: shape[axis],
    shrink: false,
  });
  let axis = 0;
  for (let i = 0; i < n; i++) {
    if (i === ellipsisAt) {
      for (let k = 0; k < rank - named; k++) axes.push(full(axis++));
      continue;
    }
    if (bit(masks.newAxis, i)) {
      axes.push({ inputAxis: -1, start: 0, stride: 1, size: 1, shrink: false });
      continue;
    }
    const d = shape[axis];
    const s = strides[i] ?? 1;
    if (!Number.isInteger(s) || s === 0) throw new Error(`stridedSlice: strides must be non-zero integers, got ${s}`);
    if (bit(masks.shrink, i)) {
      let b = begin[i];
      if (b < 0) b += d;
      if (!(b >= 0 && b < d)) {
        throw new Error(`stridedSlice: index ${begin[i]} is out of range for axis ${axis} of length ${d}`);
      }
      axes.push({ inputAxis: axis++, start: b, stride: 1, size: 1, shrink: true });
      continue;
    }
    const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);
    const canonical = (v: number) => clamp(v < 0 ? v + d : v, s > 0 ? 0 : -1, s > 0 ? d : d - 1);
    const b = bit(masks.begin, i) ? (s > 0 ? 0 : d - 1) : canonical(begin[i]);
    const e = bit(masks.end, i) ? (s > 0 ? d : -1) : canonical(end[i]);
    const size = Math.max(0, Math.ceil((e - b) / s));
    axes.push({ inputAxis: axis++, start: b, stride: s, size, shrink: false });
  }
  while (axis < rank) axes.push(full(axis++));
  return axes;
}

/**
 * NumPy-style `x[begin:end:strides]` with TF's masks: bit i of `beginMask`/`endMask` ignores
 * `begin[i]`/`end[i]` (take from the start/to the end), `ellipsisMask` marks `...`, `newAxisMask`
 * inserts an axis of length 1, `shrinkAxisMask` takes the single index `begin[i]` and drops the axis.
 * Negative indices count from the end; negative strides walk backwards.
 * Example: `tf.stridedSlice(x, [0, 1], [4, 0], [2, -1], 0, 2)` is `x[0:4:2, 1::-1]`.
 */
export function stridedSlice(
  x: TensorLike,
  begin: number[],
  end: number[],
  strides?: number[],
  beginMask = 0,
  endMask = 0,
  ellipsisMask = 0,
  newAxisMask = 0,
  shrinkAxisMask = 0,
): Tensor {
  const t = convert(x, "x", "stridedSlice");
  if (!Array.isArray(begin) || !Array.isArray(end) || begin.length !== end.length) {
    throw new Error(
      `stridedSlice: begin ${JSON.stringify(begin)} and end ${JSON.stringify(end)} must be arrays of one length`,
    );
  }
  const s = strides ?? begin.map(() => 1);
  if (s.length !== begin.length)
    throw new Error(`stridedSlice: strides ${JSON.stringify(strides)} must match begin's length`);
  const axes = stridedSliceAxes(t.shape, begin, end, s, {
    begin: beginMask,
    end: endMask,
    ellipsis: ellipsisMask,
    newAxis: newAxisMask,
    shrink: shrinkAxisMask,
  });
  let y = t;
  for (const a of axes) {
    if (a.inputAxis < 0) continue;
    const d = t.shape[a.inputAxis];
    if (a.stride === 1 && a.start === 0 && a.size === d) continue;
    if (a.stride === 1 || a.size <= 1) {
      const b = y.shape.map(() => 0);
      const size = y.shape.slice();
      b[a.inputAxis] = a.size === 0 ? 0 : a.start;
      size[a.inputAxis] = a.size;
      y = slice(y, b, size);
    } else {
      const idx = Array.from({ length: a.size }, (_, k) => a.start + k * a.stride);
      y = gather(y, int32Tensor(idx, [a.size]), a.inputAxis);
    }
  }
  return reshape(
    y,
    axes.filter((a) => !a.shrink).map((a) => a.size),
  );
}

/** Row-major linear positions of the index tuples in `indices` (`[..., k]`) within `shape`'s first k axes. */
function linearIndices(
  op: string,
  indices: TensorLike,
  shape: number[],
): { linear: Int32Array; outer: number[]; k: number } {
  const { values, shape: iShape } = intsOf(op, "indices", indices);
  if (iShape.length === 0) throw new Error(`${op}: indices must have rank >= 1`);
  const k = iShape[iShape.length - 1];
  if (k > shape.length) {
    throw new Error(
      `${op}: index tuples of length ${k} (indices ${shapeStr(iShape)}) exceed the rank of shape ${shapeStr(shape)}`,
    );
  }
  const count = k === 0 ? values.length : values.length / k;
  const linear = new Int32Array(count);
  for (let n = 0; n < count; n++) {
    let pos = 0;
    for (let j = 0; j < k; j++) {
      const v = values[n * k + j];
      if (v < 0 || v >= shape[j]) {
        throw new Error(`${op}: index ${v} at position ${n} is out of range for axis ${j} of length ${shape[j]}`);
      }
      pos = pos * shape[j] + v;
    }
    linear[n] = pos;
  }
  return { linear, outer: iShape.slice(0, -1), k };
}

/**
 * Gathers slices of `x` at the index tuples in the last axis of int32 `indices`: the result has shape
 * `indices.shape[:-1] + x.shape[k:]` for tuples of length k.
 * Example: `tf.gatherND(tf.tensor2d([[1, 2], [3, 4]]), tf.tensor2d([[1, 0]], [1, 2], "int32"))` → [3].
 */
export function gatherND(x: TensorLike, indices: TensorLike): Tensor {
  const t = convert(x, "x", "gatherND");
  const { linear, outer, k } = linearIndices("gatherND", indices, t.shape);
  const rest = t.shape.slice(k);
  const rows = t.shape.slice(0, k).reduce((a, b) => a * b, 1);
  const flat = reshape(t, [rows, ...rest]);
  const picked = gather(flat, int32Tensor(linear, [linear.length]), 0);
  return reshape(picked, [...outer, ...rest]);
}

/**
 * A tensor of `shape`, zero except for `updates` placed (and summed, for repeated indices) at the
 * index tuples in int32 `indices` (`updates.shape` = `indices.shape[:-1] + shape[k:]`).
 * Example: `tf.scatterND(tf.tensor2d([[0], [2]], [2, 1], "int32"), tf.tensor1d([5, 7]), [4])` → [5, 0, 7, 0].
 */
export function scatterND(indices: TensorLike, updates: TensorLike, shape: number[]): Tensor {
  const u = convert(updates, "updates", "scatterND");
  if (!Array.isArray(shape)) throw new Error(`scatterND: shape must be an array, got ${JSON.stringify(shape)}`);
  const { linear, outer, k } = linearIndices("scatterND", indices, shape);
  const rest = shape.slice(k);
  const expected = [...outer, ...rest];
  if (u.rank !== expected.length || u.shape.some((d, i) => d !== expected[i])) {
    throw new Error(
      `scatterND: updates shape ${shapeStr(u.shape)} must be ${shapeStr(expected)} for these indices and shape`,
    );
  }
  const rows = shape.slice(0, k).reduce((a, b) => a * b, 1);
  const flat = reshape(u, [linear.length, ...rest]);
  return reshape(unsortedSegmentSum(flat, int32Tensor(linear, [linear.length]), rows), shape);
}

/** For repeated targets, keeps the last update: which rows of the updates survive, and their targets. */
function lastWriteWins(linear: Int32Array): { keep: number[]; targets: number[] } {
  const last = new Map<number, number>();
  linear.forEach((pos, n) => last.set(pos, n));
  const keep = [...last.values()].sort((a, b) => a - b);
  return { keep, targets: keep.map((n) => linear[n]) };
}

/**
 * `tensor` with the slices at the index tuples in `indices` replaced by `updates` (the last one wins
 * for repeated indices). Example:
 * `tf.tensorScatterUpdate(tf.zeros([4]), tf.tensor2d([[1], [3]], [2, 1], "int32"), tf.tensor1d([9, 8]))` → [0, 9, 0, 8].
 */
export function tensorScatterUpdate(tensor: TensorLike, indices: TensorLike, updates: TensorLike): Tensor {
  const t = convert(tensor, "tensor", "tensorScatterUpdate");
  const u = convert(updates, "updates", "tensorScatterUpdate", t.dtype);
  if (u.dtype !== t.dtype)
    throw new Error(`tensorScatterUpdate: updates dtype ${u.dtype} differs from tensor's ${t.dtype}`);
  const { linear, outer, k } = linearIndices("tensorScatterUpdate", indices, t.shape);
  const rest = t.shape.slice(k);
  const expected = [...outer, ...rest];
  if (u.rank !== expected.length || u.shape.some((d, i) => d !== expected[i])) {
    throw new Error(`tensorScatterUpdate: updates shape ${shapeStr(u.shape)} must be ${shapeStr(expected)}`);
  }
  const rows = t.shape.slice(0, k).reduce((a, b) => a * b, 1);
  const { keep, targets } = lastWriteWins(linear);
  const kept = gather(reshape(u, [linear.length, ...rest]), int32Tensor(keep, [keep.length]), 0);
  const placed = unsortedSegmentSum(kept, int32Tensor(targets, [targets.length]), rows);
  const hit = new Uint8Array(rows);
  for (const p of targets) hit[p] = 1;
  const mask = getEngine().makeTensor(hit, [rows, ...rest.map(() => 1)], "bool");
  return reshape(where(mask, placed, reshape(t, [rows, ...rest])), t.shape);
}

/**
 * A dense tensor of `outputShape` filled with `defaultValue`, with `sparseValues` at `sparseIndices`
 * (a scalar or `[n]` index for a vector, `[n, rank]` index tuples otherwise).
 * Example: `tf.sparseToDense(tf.tensor1d([0, 3], "int32"), tf.tensor1d([5, 6]), [5])` → [5, 0, 0, 6, 0].
 */
export function sparseToDense(
  sparseIndices: TensorLike,
  sparseValues: TensorLike,
  outputShape: number[],
  defaultValue: TensorLike = 0,
): Tensor {
  const v = convert(sparseValues, "sparseValues", "sparseToDense");
  const idx = convert(sparseIndices, "sparseIndices", "sparseToDense", "int32");
  const tuples = idx.rank <= 1 ? reshape(idx, [idx.size, 1]) : idx;
  const count = tuples.shape[0];
  if (tuples.shape[1] !== outputShape.length && !(idx.rank <= 1 && outputShape.length === 1)) {
    throw new Error(
      `sparseToDense: index tuples of length ${tuples.shape[1]} do not match outputShape ${shapeStr(outputShape)}`,
    );
  }
  if (v.rank > 1 || (v.rank === 1 && v.shape[0] !== count)) {
    throw new Error(`sparseToDense: sparseValues shape ${shapeStr(v.shape)} must be a scalar or [${count}]`);
  }
  const values = v.rank === 0 ? mul(v, fill([count], 1, v.dtype)) : v;
  const d = convert(defaultValue, "defaultValue", "sparseToDense", v.dtype);
  if (d.rank !== 0) throw new Error(`sparseToDense: defaultValue must be a scalar`);
  return tensorScatterUpdate(mul(d, fill(outputShape, 1, v.dtype)), tuples, values);
}

/**
 * Pads by mirroring the edges: `'reflect'` leaves the edge out (`[1, 2, 3]` → `3 2 [1 2 3] 2 1`),
 * `'symmetric'` repeats it (`2 1 [1 2 3] 3 2`). `paddings[i] = [before, after]` per axis.
 * Example: `tf.mirrorPad(x, [[1, 1], [2, 2]], "reflect")`.
 */
export function mirrorPad(x: TensorLike, paddings: [number, number][], mode: "reflect" | "symmetric"): Tensor {
  const t = convert(x, "x", "mirrorPad");
  if (mode !== "reflect" && mode !== "symmetric") {
    throw new Error(`mirrorPad: mode must be 'reflect' or 'symmetric', got '${String(mode)}'`);
  }
  if (!Array.isArray(paddings) || paddings.length !== t.rank) {
    throw new Error(
      `mirrorPad: paddings ${JSON.stringify(paddings)} must have one [before, after] pair per axis of ${shapeStr(t.shape)}`,
    );
  }
  const shift = mode === "reflect" ? 1 : 0;
  let y = t;
  paddings.forEach(([before, after], axis) => {
    const d = t.shape[axis];
    const limit = d - shift;
    if (
      !(
        Number.isInteger(before) &&
        Number.isInteger(after) &&
        before >= 0 &&
        after >= 0 &&
        before <= limit &&
        after <= limit
      )
    ) {
      throw new Error(
        `mirrorPad: padding [${before}, ${after}] of axis ${axis} (length ${d}) must be within [0, ${limit}] in '${mode}' mode`,
      );
    }
    if (before === 0 && after === 0) return;
    const idx: number[] = [];
    for (let i = before; i > 0; i--) idx.push(i - 1 + shift);
    for (let i = 0; i < d; i++) idx.push(i);
    for (let i = 1; i <= after; i++) idx.push(d - i - shift);
    y = gather(y, int32Tensor(idx, [idx.length]), axis);
  });
  return y === t ? reshape(t, t.shape) : y;
}

/**
 * A tensor with `x`'s values on its diagonal: shape `x.shape ++ x.shape`.
 * Example: `tf.diag(tf.tensor1d([1, 2]))` → [[1, 0], [0, 2]].
 */
export function diag(x: TensorLike): Tensor {
  const t = convert(x, "x", "diag");
  const n = t.size;
  const identity = t.dtype === "bool" ? equal(eye(n), 1) : eye(n, n, undefined, t.dtype);
  const flat = reshape(t, [n, 1]);
  const spread = t.dtype === "bool" ? where(identity, flat, false) : mul(flat, identity);
  return reshape(spread, [...t.shape, ...t.shape]);
}
