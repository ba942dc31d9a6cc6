/**
 * Ragged tensors in TF's encoding (row partitions such as `row_splits` over flat values): building
 * ranges, gathering rows, and converting to a padded dense tensor. Index bookkeeping runs on the
 * host; the values move with gather, so `raggedGather` is differentiable in them.
 */
import { getEngine } from "../engine.js";
import type { Tensor, TensorLike } from "../tensor.js";
import { typedArrayFor } from "../backend.js";
import { convert } from "./convert.js";
import { gather } from "./shape.js";
import { shapeStr } from "./util.js";

function int32(values: ArrayLike<number>, shape: number[]): Tensor {
  return getEngine().makeTensor(Int32Array.from(values), shape, "int32");
}

function intValues(op: string, name: string, x: TensorLike): Int32Array {
  const t = convert(x, name, op, "int32");
  if (t.dtype !== "int32") throw new Error(`${op}: ${name} must be int32, got ${t.dtype}`);
  return Int32Array.from(t.dataSync());
}

/**
 * For each i, the range `starts[i], starts[i] + deltas[i], …` below `limits[i]` (scalars broadcast),
 * as one ragged tensor: `rtNestedSplits` (int32 row splits) over `rtDenseValues`.
 * Example: `tf.raggedRange([0, 5], [3, 8], 1)` → splits [0, 3, 6], values [0, 1, 2, 5, 6, 7].
 */
export function raggedRange(
  starts: TensorLike,
  limits: TensorLike,
  deltas: TensorLike,
): { rtNestedSplits: Tensor; rtDenseValues: Tensor } {
  const op = "raggedRange";
  const s = convert(starts, "starts", op);
  const l = convert(limits, "limits", op, s.dtype);
  const d = convert(deltas, "deltas", op, s.dtype);
  for (const [name, t] of [
    ["starts", s],
    ["limits", l],
    ["deltas", d],
  ] as const) {
    if (t.rank > 1) throw new Error(`${op}: ${name} must be a scalar or 1-D, got ${shapeStr(t.shape)}`);
  }
  const lengths = [s, l, d].filter((t) => t.rank === 1).map((t) => t.size);
  const n = lengths.length ? lengths[0] : 1;
  if (lengths.some((k) => k !== n)) throw new Error(`${op}: starts, limits and deltas must have one length`);
  const at = (t: Tensor, i: number) => t.dataSync()[t.rank === 0 ? 0 : i];
  const splits = new Int32Array(n + 1);
  const values: number[] = [];
  for (let i = 0; i < n; i++) {
    const [start, limit, delta] = [at(s, i), at(l, i), at(d, i)];
    if (delta === 0) throw new Error(`${op}: deltas must not be 0`);
    const size = Math.max(0, Math.ceil((limit - start) / delta));
    for (let k = 0; k < size; k++) values.push(start + k * delta);
    splits[i + 1] = splits[i] + size;
  }
  const dense = typedArrayFor(s.dtype, values.length);
  dense.set(values);
  return {
    rtNestedSplits: int32(splits, [n + 1]),
    rtDenseValues: getEngine().makeTensor(dense, [values.length], s.dtype),
  };
}

/**
 * Gathers rows of a ragged tensor (`paramsNestedSplits` over `paramsDenseValues`) at int32 `indices`
 * (any rank); the result is ragged with rank `indices.rank − 1 + paramsNestedSplits.length`, which
 * `outputRaggedRank` must state. Example: rows 2 and 0 of splits [0, 2, 2, 5]:
 * `tf.raggedGather([splits], values, tf.tensor1d([2, 0], "int32"), 1)`.
 */
export function raggedGather(
  paramsNestedSplits: TensorLike[],
  paramsDenseValues: TensorLike,
  indices: TensorLike,
  outputRaggedRank: number,
): { outputNestedSplits: Tensor[]; outputDenseValues: Tensor } {
  const op = "raggedGather";
  if (!Array.isArray(paramsNestedSplits) || paramsNestedSplits.length === 0) {
    throw new Error(`${op}: paramsNestedSplits must list at least one row-splits tensor`);
  }
  const splits = paramsNestedSplits.map((t, i) => intValues(op, `paramsNestedSplits[${i}]`, t));
  const values = convert(paramsDenseValues, "paramsDenseValues", op);
  const idxT = convert(indices, "indices", op, "int32");
  const idx = intValues(op, "indices", idxT);
  const expected = idxT.rank - 1 + splits.length;
  if (outputRaggedRank !== expected) {
    throw new Error(
      `${op}: outputRaggedRank must be indices.rank − 1 + ${splits.length} = ${expected}, got ${outputRaggedRank}`,
    );
  }
  const out: Tensor[] = [];
  // The leading axes of indices become uniform row partitions.
  for (let d = 0; d < idxT.rank - 1; d++) {
    const rows = idxT.shape.slice(0, d + 1).reduce((a, b) => a * b, 1);
    const width = idxT.shape[d + 1];
    out.push(
      int32(
        Array.from({ length: rows + 1 }, (_, r) => r * width),
        [rows + 1],
      ),
    );
  }
  const nrows = splits[0].length - 1;
  let ranges: [number, number][] = Array.from(idx, (i) => {
    if (i < 0 || i >= nrows) throw new Error(`${op}: index ${i} is out of range for ${nrows} rows`);
    return [i, i + 1];
  });
  // Each level: the selected rows' spans of the next level, concatenated.
  for (const level of splits) {
    const next: [number, number][] = [];
    const outSplits = [0];
    for (const [a, b] of ranges) {
      for (let r = a; r < b; r++) {
        next.push([level[r], level[r + 1]]);
        outSplits.push(outSplits[outSplits.length - 1] + level[r + 1] - level[r]);
      }
    }
    out.push(int32(outSplits, [outSplits.length]));
    ranges = next;
  }
  const rows: number[] = [];
  for (const [a, b] of ranges) for (let r = a; r < b; r++) rows.push(r);
  return { outputNestedSplits: out, outputDenseValues: gather(values, int32(rows, [rows.length]), 0) };
}

/** Row splits of one ragged level from its partition tensor (`nrows`: rows of the level above). */
function toSplits(op: string, type: string, partition: Int32Array, nrows: number): Int32Array {
  switch (type) {
    case "ROW_SPLITS":
      return partition;
    case "ROW_LENGTHS": {
      const s = new Int32Array(partition.length + 1);
      partition.forEach((len, i) => (s[i + 1] = s[i] + len));
      return s;
    }
    case "VALUE_ROWIDS": {
      const s = new Int32Array(nrows + 1);
      for (const r of partition) {
        if (r < 0 || r >= nrows) throw new Error(`${op}: value row id ${r} is out of range for ${nrows} rows`);
        s[r + 1]++;
      }
      for (let r = 0; r < nrows; r++) s[r + 1] += s[r];
      return s;
    }
    default:
      throw new Error(
        `${op}: row partition type '${type}' is not supported (ROW_SPLITS, ROW_LENGTHS, VALUE_ROWIDS, FIRST_DIM_SIZE)`,
      );
  }
}

/**
 * A padded dense tensor from a ragged tensor given by `values` and its row partitions
 * (`rowPartitionTypes`: "ROW_SPLITS", "ROW_LENGTHS", or "FIRST_DIM_SIZE" followed by "VALUE_ROWIDS").
 * Missing positions take `defaultValue`; `shape` (`-1` entries: the largest row) truncates.
 * Example: `tf.raggedTensorToTensor([-1, -1], values, 0, [splits], ["ROW_SPLITS"])`.
 */
export function raggedTensorToTensor(
  shape: TensorLike,
  values: TensorLike,
  defaultValue: TensorLike,
  rowPartitionTensors: TensorLike[],
  rowPartitionTypes: string[],
): Tensor {
  const op = "raggedTensorToTensor";
  const v = convert(values, "values", op);
  const dflt = convert(defaultValue, "defaultValue", op, v.dtype);
  if (rowPartitionTensors.length !== rowPartitionTypes.length) {
    throw new Error(`${op}: rowPartitionTensors and rowPartitionTypes must have one length`);
  }
  const parts = rowPartitionTensors.map((t, i) => intValues(op, `rowPartitionTensors[${i}]`, t));
  let k = 0;
  let nrows: number;
  if (rowPartitionTypes[0] === "FIRST_DIM_SIZE") {
    nrows = parts[0][0];
    k = 1;
  } else {
    nrows = rowPartitionTypes[0] === "ROW_LENGTHS" ? parts[0].length : parts[0].length - 1;
  }
  const levels: Int32Array[] = [];
  for (let rows = nrows; k < parts.length; k++) {
    const s = toSplits(op, rowPartitionTypes[k], parts[k], rows);
    levels.push(s);
    rows = s[s.length - 1];
  }
  if (levels.length === 0) throw new Error(`${op}: at least one row partition besides FIRST_DIM_SIZE is needed`);
  const inner = v.shape.slice(1);
  const innerSize = inner.reduce((a, b) => a * b, 1);
  // Natural dense shape: rows, then the longest row of each ragged level, then the values' own axes.
  const natural = [levels[0].length - 1];
  for (const s of levels) {
    let longest = 0;
    for (let r = 0; r + 1 < s.length; r++) longest = Math.max(longest, s[r + 1] - s[r]);
    natural.push(longest);
  }
  natural.push(...inner);
  const requested = convert(shape, "shape", op, "int32");
  const req = requested.rank === 0 ? [] : Array.from(requested.dataSync());
  if (req.length && req.length !== natural.length) {
    throw new Error(`${op}: shape [${req}] must have rank ${natural.length}`);
  }
  const outShape = natural.map((d, i) => (req.length && req[i] >= 0 ? req[i] : d));
  const size = outShape.reduce((a, b) => a * b, 1);
  const out = typedArrayFor(v.dtype, size);
  const fill = dflt.dataSync();
  for (let i = 0; i < size; i++) out[i] = fill[dflt.size === 1 ? 0 : i % innerSize];
  const vals = v.dataSync();
  const strides = outShape.map((_, i) => outShape.slice(i + 1).reduce((a, b) => a * b, 1));
  // Walk down the partitions: each row of a level places its children at positions 0, 1, … below it.
  const place = (level: number, row: number, offset: number) => {
    const s = levels[level];
    for (let j = s[row]; j < s[row + 1]; j++) {
      const pos = j - s[row];
      if (pos >= outShape[level + 1]) break;
      const at = offset + pos * strides[level + 1];
      if (level + 1 < levels.length) place(level + 1, j, at);
      else for (let e = 0; e < innerSize; e++) out[at + e] = vals[j * innerSize + e];
    }
  };
  for (let r = 0; r < Math.min(levels[0].length - 1, outShape[0]); r++) place(0, r, r * strides[0]);
  return getEngine().makeTensor(out, outShape, v.dtype);
}
