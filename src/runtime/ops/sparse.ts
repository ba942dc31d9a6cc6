/**
 * `tf.sparse`: operations on sparse tensors given as (indices, values, dense shape): filling empty
 * rows, reshaping, and segment sums/means over gathered rows (differentiable in the data).
 */
import { getEngine } from "../engine.js";
import type { Tensor, TensorLike } from "../tensor.js";
import { typedArrayFor } from "../backend.js";
import { div } from "./arithmetic.js";
import { convert } from "./convert.js";
import { gather, reshape, unsortedSegmentSum } from "./shape.js";
import { shapeStr } from "./util.js";

function int32(values: ArrayLike<number>, shape: number[]): Tensor {
  return getEngine().makeTensor(Int32Array.from(values), shape, "int32");
}

function ints(op: string, name: string, x: TensorLike, rank: number): { v: Int32Array; shape: number[] } {
  const t = convert(x, name, op, "int32");
  if (t.dtype !== "int32") throw new Error(`${op}: ${name} must be int32, got ${t.dtype}`);
  if (t.rank !== rank) throw new Error(`${op}: ${name} must be rank ${rank}, got ${shapeStr(t.shape)}`);
  return { v: Int32Array.from(t.dataSync()), shape: t.shape.slice() };
}

/**
 * Adds an entry `[row, 0, …]` with `defaultValue` for every row of the dense shape that has no
 * entry, ordering entries by row. Returns the new indices and values, a bool per row saying whether
 * it was empty, and where each input entry went (`reverseIndexMap`).
 * Example: `tf.sparse.sparseFillEmptyRows(indices, values, [5, 6], -1)`.
 */
export function sparseFillEmptyRows(
  indices: TensorLike,
  values: TensorLike,
  denseShape: TensorLike,
  defaultValue: TensorLike,
): { outputIndices: Tensor; outputValues: Tensor; emptyRowIndicator: Tensor; reverseIndexMap: Tensor } {
  const op = "sparseFillEmptyRows";
  const idx = ints(op, "indices", indices, 2);
  const vals = convert(values, "values", op);
  const shape = ints(op, "denseShape", denseShape, 1).v;
  const dflt = convert(defaultValue, "defaultValue", op, vals.dtype);
  const [count, rank] = idx.shape;
  if (vals.rank !== 1 || vals.shape[0] !== count)
    throw new Error(`${op}: values must be [${count}], got ${shapeStr(vals.shape)}`);
  if (dflt.rank !== 0) throw new Error(`${op}: defaultValue must be a scalar`);
  const rows = shape[0];
  const perRow = new Array<number>(rows).fill(0);
  for (let i = 0; i < count; i++) {
    const row = idx.v[i * rank];
    if (row < 0 || row >= rows) throw new Error(`${op}: indices[${i}] = [${row}, …] is outside the ${rows} dense rows`);
    perRow[row]++;
  }
  const empty = new Uint8Array(rows);
  // start[r]: the output position of row r's first entry (each row has at least one).
  const start = new Array<number>(rows + 1).fill(0);
  for (let r = 0; r < rows; r++) {
    empty[r] = perRow[r] === 0 ? 1 : 0;
    start[r + 1] = start[r] + Math.max(perRow[r], 1);
  }
  const total = start[rows];
  const outIdx = new Int32Array(total * rank);
  const vv = vals.dataSync();
  const outVals = typedArrayFor(vals.dtype, total);
  const placed = new Array<number>(rows).fill(0);
  const reverse = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const row = idx.v[i * rank];
    const at = start[row] + placed[row]++;
    for (let j = 0; j < rank; j++) outIdx[at * rank + j] = idx.v[i * rank + j];
    outVals[at] = vv[i];
    reverse[i] = at;
  }
  const fill = dflt.dataSync()[0];
  for (let r = 0; r < rows; r++) {
    if (!empty[r]) continue;
    outIdx[start[r] * rank] = r;
    outVals[start[r]] = fill;
  }
  const e = getEngine();
  return {
    outputIndices: int32(outIdx, [total, rank]),
    outputValues: e.makeTensor(outVals, [total], vals.dtype),
    emptyRowIndicator: e.makeTensor(empty, [rows], "bool"),
    reverseIndexMap: int32(reverse, [count]),
  };
}

/**
 * Re-indexes a sparse tensor's entries for a new dense shape of the same size (`-1` infers one axis).
 * Example: `tf.sparse.sparseReshape(indices, [2, 3, 6], [9, -1])` → `{ outputIndices, outputShape }`.
 */
export function sparseReshape(
  inputIndices: TensorLike,
  inputShape: TensorLike,
  newShape: TensorLike,
): { outputIndices: Tensor; outputShape: Tensor } {
  const op = "sparseReshape";
  const idx = ints(op, "inputIndices", inputIndices, 2);
  const from = Array.from(ints(op, "inputShape", inputShape, 1).v);
  const target = Array.from(ints(op, "newShape", newShape, 1).v);
  const size = from.reduce((a, b) => a * b, 1);
  const free = target.indexOf(-1);
  if (target.some((d, i) => d < -1 || (d === -1 && i !== free))) {
    throw new Error(`${op}: newShape ${JSON.stringify(target)} may hold at most one -1 and no other negative size`);
  }
  const known = target.reduce((a, d) => (d === -1 ? a : a * d), 1);
  if (free >= 0) {
    if (known <= 0 || size % known !== 0) throw new Error(`${op}: cannot reshape dense shape [${from}] to [${target}]`);
    target[free] = size / known;
  }
  if (target.reduce((a, b) => a * b, 1) !== size)
    throw new Error(`${op}: dense shapes [${from}] and [${target}] differ in size`);
  const [count, rank] = idx.shape;
  if (rank !== from.length)
    throw new Error(`${op}: indices have ${rank} columns for a dense shape of rank ${from.length}`);
  const strides = (s: number[]) => s.map((_, i) => s.slice(i + 1).reduce((a, b) => a * b, 1));
  const inStrides = strides(from);
  const outStrides = strides(target);
  const out = new Int32Array(count * target.length);
  for (let i = 0; i < count; i++) {
    let pos = 0;
    for (let j = 0; j < rank; j++) pos += idx.v[i * rank + j] * inStrides[j];
    outStrides.forEach((s, j) => {
      out[i * target.length + j] = Math.floor(pos / s);
      pos %= s;
    });
  }
  return { outputIndices: int32(out, [count, target.length]), outputShape: int32(target, [target.length]) };
}

function segmentReduce(
  op: string,
  data: TensorLike,
  indices: TensorLike,
  segmentIds: TensorLike,
  mean: boolean,
): Tensor {
  const d = convert(data, "data", op);
  if (d.rank < 1) throw new Error(`${op}: data must have rank >= 1`);
  const idx = ints(op, "indices", indices, 1).v;
  const seg = ints(op, "segmentIds", segmentIds, 1).v;
  if (idx.length !== seg.length)
    throw new Error(`${op}: indices and segmentIds must have one length, got ${idx.length} and ${seg.length}`);
  for (let i = 0; i < idx.length; i++) {
    if (idx[i] < 0 || idx[i] >= d.shape[0])
      throw new Error(`${op}: indices[${i}] = ${idx[i]} is out of range [0, ${d.shape[0]})`);
    if (seg[i] < 0) throw new Error(`${op}: segment ids must be non-negative`);
    if (i > 0 && seg[i] < seg[i - 1]) throw new Error(`${op}: segment ids must be sorted (non-decreasing)`);
  }
  const segments = seg.length ? seg[seg.length - 1] + 1 : 0;
  const rows = gather(d, int32(idx, [idx.length]), 0);
  const summed = unsortedSegmentSum(rows, int32(seg, [seg.length]), segments);
  if (!mean) return summed;
  const counts = new Float32Array(segments);
  for (const s of seg) counts[s]++;
  for (let s = 0; s < segments; s++) counts[s] = Math.max(counts[s], 1);
  return div(
    summed,
    reshape(getEngine().makeTensor(counts, [segments], "float32"), [segments, ...d.shape.slice(1).map(() => 1)]),
  );
}

/**
 * Sums rows `data[indices[i]]` into segment `segmentIds[i]` (sorted ids; output `[lastId + 1, …]`).
 * Example: `tf.sparse.sparseSegmentSum(data, [0, 1, 2], [0, 0, 1])`.
 */
export function sparseSegmentSum(data: TensorLike, indices: TensorLike, segmentIds: TensorLike): Tensor {
  return segmentReduce("sparseSegmentSum", data, indices, segmentIds, false);
}

/** Like sparseSegmentSum, averaging each segment's rows (empty segments give 0). Example: `tf.sparse.sparseSegmentMean(data, [0, 1, 2], [0, 0, 1])`. */
export function sparseSegmentMean(data: TensorLike, indices: TensorLike, segmentIds: TensorLike): Tensor {
  return segmentReduce("sparseSegmentMean", data, indices, segmentIds, true);
}

/** `tf.sparse`: `sparseFillEmptyRows`, `sparseReshape`, `sparseSegmentMean`, `sparseSegmentSum`. Example: `tf.sparse.sparseSegmentSum(data, idx, segs)`. */
export const sparse = { sparseFillEmptyRows, sparseReshape, sparseSegmentMean, sparseSegmentSum };
