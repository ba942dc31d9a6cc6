/** Running products and sorted-sequence searches: cumprod, searchSorted, lowerBound, upperBound. */
import { getEngine } from "../engine.js";
import type { Tensor, TensorLike } from "../tensor.js";
import { mul } from "./arithmetic.js";
import { convert } from "./convert.js";
import { ones } from "./creation.js";
import { cast, concat, reshape, reverse, slice } from "./shape.js";
import { normAxis, shapeStr } from "./util.js";

/** `t` moved `shift` places along `axis`, the vacated places filled with 1. */
function shiftedWithOnes(t: Tensor, axis: number, shift: number): Tensor {
  const n = t.shape[axis];
  const fillShape = t.shape.slice();
  fillShape[axis] = Math.min(shift, n);
  if (shift >= n) return ones(fillShape, t.dtype);
  const size = t.shape.slice();
  size[axis] = n - shift;
  return concat(
    [
      ones(fillShape, t.dtype),
      slice(
        t,
        t.shape.map(() => 0),
        size,
      ),
    ],
    axis,
  );
}

/**
 * Running product along `axis` (`exclusive`: each entry leaves itself out; `reverse`: from the end).
 * Computed in ⌈log₂ n⌉ multiply steps, so its gradient (from mul's) is exact even with zeros.
 * Example: `tf.cumprod(tf.tensor([1, 2, 3, 4]))` → [1, 2, 6, 24].
 */
export function cumprod(x: TensorLike, axis = 0, exclusive = false, reverseAxis = false): Tensor {
  let t = convert(x, "x", "cumprod");
  if (t.rank === 0) throw new Error("cumprod: input must have rank >= 1");
  if (t.dtype === "bool") t = cast(t, "int32");
  const a = normAxis("cumprod", axis, t.rank);
  if (reverseAxis) t = reverse(t, a);
  let y = exclusive ? shiftedWithOnes(t, a, 1) : t;
  for (let shift = 1; shift < t.shape[a]; shift *= 2) y = mul(y, shiftedWithOnes(y, a, shift));
  if (y === t) y = reshape(t, t.shape);
  return reverseAxis ? reverse(y, a) : y;
}

/**
 * For each value, the position in the sorted last axis of `sortedSequence` where it would be inserted
 * (int32): `side` 'left' gives the first such position, 'right' the last. Leading axes are batches
 * and must match `values`'s. Example: `tf.searchSorted([1, 3, 5], [0, 3, 6])` → [0, 1, 3].
 */
export function searchSorted(sortedSequence: TensorLike, values: TensorLike, side: "left" | "right" = "left"): Tensor {
  const seq = convert(sortedSequence, "sortedSequence", "searchSorted");
  const v = convert(values, "values", "searchSorted", seq.dtype);
  if (side !== "left" && side !== "right")
    throw new Error(`searchSorted: side must be 'left' or 'right', got '${String(side)}'`);
  if (seq.rank < 1) throw new Error("searchSorted: sortedSequence must have rank >= 1");
  if (v.rank !== seq.rank || seq.shape.slice(0, -1).some((d, i) => d !== v.shape[i])) {
    throw new Error(
      `searchSorted: sortedSequence ${shapeStr(seq.shape)} and values ${shapeStr(v.shape)} must have the same rank and leading axes`,
    );
  }
  const m = seq.shape[seq.rank - 1];
  const n = v.rank === 0 ? 1 : v.shape[v.rank - 1];
  const s = seq.dataSync();
  const q = v.dataSync();
  const out = new Int32Array(q.length);
  for (let i = 0; i < q.length; i++) {
    const base = Math.floor(i / n) * m;
    let lo = 0;
    let hi = m;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const before = side === "left" ? s[base + mid] < q[i] : s[base + mid] <= q[i];
      if (before) lo = mid + 1;
      else hi = mid;
    }
    out[i] = lo;
  }
  return getEngine().makeTensor(out, v.shape.slice(), "int32");
}

/** `searchSorted(sortedSequence, values, 'left')`: the first position where each value fits. Example: `tf.lowerBound([1, 2, 2, 5], [2])` → [1]. */
export function lowerBound(sortedSequence: TensorLike, values: TensorLike): Tensor {
  return searchSorted(sortedSequence, values, "left");
}

/** `searchSorted(sortedSequence, values, 'right')`: the position after the last equal entry. Example: `tf.upperBound([1, 2, 2, 5], [2])` → [3]. */
export function upperBound(sortedSequence: TensorLike, values: TensorLike): Tensor {
  return searchSorted(sortedSequence, values, "right");
}
