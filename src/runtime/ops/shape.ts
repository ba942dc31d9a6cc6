/** Ops that rearrange values without arithmetic: reshape, transpose, slicing, joining, gather … */
import type { DType } from "../backend.js";
import { getEngine } from "../engine.js";
import type { Tensor, TensorLike } from "../tensor.js";
import { checkDtype, convert, setCastImpl } from "./convert.js";
import { zeros, zerosLike } from "./creation.js";
import { sum } from "./reduction.js";
import { assert, normAxis, parseAxes, shapeStr } from "./util.js";

/** Converts dtype (float → int truncates toward zero; to bool is `!= 0`). Example: `x.cast("int32")`. */
export function cast(x: TensorLike, dtype: DType): Tensor {
  const t = convert(x, "x", "cast");
  checkDtype("cast", dtype);
  if (t.dtype === dtype) return getEngine().runView("Identity", t, t.shape.slice(), (dy) => [dy]);
  const differentiable = dtype === "float32" && t.dtype === "float32";
  return getEngine().runKernel("Cast", [t], { dtype }, { shape: t.shape.slice(), dtype }, (dy, [xs]) => [
    differentiable ? dy : zerosLike(xs),
  ]);
}
setCastImpl(cast);

/** Same values, new shape (one entry may be -1). Shares data with `x`. Example: `tf.reshape(x, [2, -1])`. */
export function reshape(x: TensorLike, shape: number[]): Tensor {
  const t = convert(x, "x", "reshape");
  const resolved = resolveShape(t, shape);
  return getEngine().runView("Reshape", t, resolved, (dy, [xs]) => [reshape(dy, xs.shape)]);
}

function resolveShape(t: Tensor, shape: number[]): number[] {
  if (!Array.isArray(shape)) throw new Error(`reshape: shape must be an array, got ${JSON.stringify(shape)}`);
  const out = shape.slice();
  const free = out.indexOf(-1);
  if (out.some((d, i) => (d !== -1 || i !== free) && (!Number.isInteger(d) || d < 0))) {
    throw new Error(
      `reshape: invalid shape ${shapeStr(shape)} (dimensions must be non-negative integers, at most one -1)`,
    );
  }
  if (free >= 0) {
    const known = out.reduce((a, d, i) => (i === free ? a : a * d), 1);
    if (known === 0 || t.size % known !== 0) {
      throw new Error(
        `reshape: cannot reshape a tensor of shape ${shapeStr(t.shape)} (${t.size} elements) into ${shapeStr(shape)}`,
      );
    }
    out[free] = t.size / known;
  }
  const n = out.reduce((a, b) => a * b, 1);
  if (n !== t.size) {
    throw new Error(
      `reshape: cannot reshape a tensor of shape ${shapeStr(t.shape)} (${t.size} elements) into ${shapeStr(shape)} (${n} elements)`,
    );
  }
  return out;
}

/**
 * Flattens axes `startAxis…` into one: `tf.flatten(x)` is 1-D, `tf.flatten(x, 1)` keeps the batch
 * axis (`[b, h, w, c]` → `[b, h·w·c]`, like the Flatten layer).
 */
export function flatten(x: TensorLike, startAxis = 0): Tensor {
  const t = convert(x, "x", "flatten");
  if (t.rank === 0) return reshape(t, [1]);
  const a = normAxis("flatten", startAxis, t.rank);
  return reshape(t, [...t.shape.slice(0, a), -1]);
}

/** Permutes axes (default: reverses them). Example: `tf.transpose(m)` for a matrix transpose. */
export function transpose(x: TensorLike, perm?: number[]): Tensor {
  const t = convert(x, "x", "transpose");
  const p = perm ?? t.shape.map((_, i) => t.rank - 1 - i);
  const sorted = p.slice().sort((a, b) => a - b);
  if (p.length !== t.rank || sorted.some((v, i) => v !== i)) {
    throw new Error(
      `transpose: perm ${JSON.stringify(perm)} is not a permutation of the axes of a rank-${t.rank} tensor`,
    );
  }
  if (p.every((v, i) => v === i)) return reshape(t, t.shape);
  const shape = p.map((a) => t.shape[a]);
  return getEngine().runKernel("Transpose", [t], { perm: p }, { shape, dtype: t.dtype }, (dy) => {
    const inverse = new Array<number>(p.length);
    p.forEach((a, i) => (inverse[a] = i));
    return [transpose(dy, inverse)];
  });
}

/** Inserts an axis of length 1 at `axis`. */
export function expandDims(x: TensorLike, axis = 0): Tensor {
  const t = convert(x, "x", "expandDims");
  const a = normAxis("expandDims", axis, t.rank + 1);
  const shape = t.shape.slice();
  shape.splice(a, 0, 1);
  return reshape(t, shape);
}

/** Removes axes of length 1 (all of them, or those in `axis`). */
export function squeeze(x: TensorLike, axis?: number | number[]): Tensor {
  const t = convert(x, "x", "squeeze");
  const axes =
    axis === undefined
      ? t.shape.map((d, i) => (d === 1 ? i : -1)).filter((i) => i >= 0)
      : parseAxes("squeeze", axis, t.rank);
  for (const a of axes) {
    if (t.shape[a] !== 1)
      throw new Error(`squeeze: axis ${a} of shape ${shapeStr(t.shape)} has length ${t.shape[a]}, not 1`);
  }
  return reshape(
    t,
    t.shape.filter((_, i) => !axes.includes(i)),
  );
}

/** Joins tensors along an existing axis. Example: `tf.concat([a, b], 1)`. */
export function concat(tensors: TensorLike[], axis = 0): Tensor {
  if (!Array.isArray(tensors) || tensors.length === 0) throw new Error("concat: expected a non-empty array of tensors");
  const ts = tensors.map((t, i) => convert(t, `tensors[${i}]`, "concat"));
  const first = ts[0];
  if (first.rank === 0) throw new Error("concat: cannot concatenate scalars (use tf.stack)");
  const a = normAxis("concat", axis, first.rank);
  for (const t of ts) {
    const ok = t.rank === first.rank && t.shape.every((d, i) => i === a || d === first.shape[i]);
    if (!ok) {
      throw new Error(`concat: shapes ${ts.map((x) => shapeStr(x.shape)).join(", ")} differ outside axis ${a}`);
    }
    if (t.dtype !== first.dtype) throw new Error(`concat: dtypes differ (${first.dtype} and ${t.dtype})`);
  }
  if (ts.length === 1) return reshape(first, first.shape);
  const shape = first.shape.slice();
  shape[a] = ts.reduce((s, t) => s + t.shape[a], 0);
  return getEngine().runKernel("Concat", ts, { axis: a }, { shape, dtype: first.dtype }, (dy, inputs) =>
    split(
      dy,
      inputs.map((t) => t.shape[a]),
      a,
    ),
  );
}

/** Joins same-shape tensors along a new axis. Example: `tf.stack([a, b])`. */
export function stack(tensors: TensorLike[], axis = 0): Tensor {
  if (!Array.isArray(tensors) || tensors.length === 0) throw new Error("stack: expected a non-empty array of tensors");
  const ts = tensors.map((t, i) => convert(t, `tensors[${i}]`, "stack"));
  for (const t of ts) {
    if (t.rank !== ts[0].rank || t.shape.some((d, i) => d !== ts[0].shape[i])) {
      throw new Error(
        `stack: all tensors must have the same shape, got ${ts.map((x) => shapeStr(x.shape)).join(", ")}`,
      );
    }
  }
  const a = normAxis("stack", axis, ts[0].rank + 1);
  // tidy: the expanded views (and tensors made from array inputs) are intermediates.
  return getEngine().tidy(() =>
    concat(
      ts.map((t) => expandDims(t, a)),
      a,
    ),
  );
}

/** Splits along `axis` into tensors of one less rank. */
export function unstack(x: TensorLike, axis = 0): Tensor[] {
  const t = convert(x, "x", "unstack");
  const a = normAxis("unstack", axis, t.rank);
  const outShape = t.shape.filter((_, i) => i !== a);
  return getEngine().tidy(() => split(t, t.shape[a], a).map((p) => reshape(p, outShape)));
}

/**
 * Splits along `axis` into `n` equal parts, or parts of the given sizes (one may be -1).
 * Example: `const [a, b] = tf.split(x, 2, 1)`.
 */
export function split(x: TensorLike, numOrSizeSplits: number | number[], axis = 0): Tensor[] {
  const t = convert(x, "x", "split");
  const a = normAxis("split", axis, t.rank);
  const dim = t.shape[a];
  let sizes: number[];
  if (typeof numOrSizeSplits === "number") {
    if (!Number.isInteger(numOrSizeSplits) || numOrSizeSplits < 1 || dim % numOrSizeSplits !== 0) {
      throw new Error(
        `split: axis ${a} of shape ${shapeStr(t.shape)} (length ${dim}) does not split into ${numOrSizeSplits} equal parts`,
      );
    }
    sizes = new Array(numOrSizeSplits).fill(dim / numOrSizeSplits);
  } else {
    sizes = numOrSizeSplits.slice();
    const free = sizes.indexOf(-1);
    if (free >= 0) sizes[free] = dim - sizes.reduce((s, v, i) => (i === free ? s : s + v), 0);
    if (sizes.some((s) => s < 0) || sizes.reduce((s, v) => s + v, 0) !== dim) {
      throw new Error(
        `split: sizes ${JSON.stringify(numOrSizeSplits)} do not add up to ${dim} (axis ${a} of ${shapeStr(t.shape)})`,
      );
    }
  }
  if (sizes.length === 1) return [reshape(t, t.shape)];
  // The pieces are Slice kernels, but the tape holds one node for them all: its gradient joins the
  // pieces' gradients with one Concat instead of padding each piece to the input's size and adding.
  const e = getEngine();
  const out: Tensor[] = [];
  let offset = 0;
  for (const s of sizes) {
    const begin = t.shape.map(() => 0);
    const size = t.shape.slice();
    begin[a] = offset;
    size[a] = s;
    out.push(e.runKernel("Slice", [t], { begin, size }, { shape: size.slice(), dtype: t.dtype }));
    offset += s;
  }
  e.recordMulti("Split", [t], out, (dys) => [
    concat(
      dys.map((dy, i) => dy ?? zeros(out[i].shape)),
      a,
    ),
  ]);
  return out;
}

/**
 * `size[i]` elements from `begin[i]` on each axis (`size` -1 or missing: to the end).
 * Example: `tf.slice(x, [0, 1], [2, -1])`.
 */
export function slice(x: TensorLike, begin: number | number[], size?: number | number[]): Tensor {
  const t = convert(x, "x", "slice");
  const b = typeof begin === "number" ? [begin, ...new Array(t.rank - 1).fill(0)] : begin.slice();
  while (b.length < t.rank) b.push(0);
  let s: number[];
  if (size === undefined) s = new Array(t.rank).fill(-1);
  else if (typeof size === "number") s = [size, ...new Array(t.rank - 1).fill(-1)];
  else s = size.slice();
  while (s.length < t.rank) s.push(-1);
  if (b.length !== t.rank || s.length !== t.rank) {
    throw new Error(
      `slice: begin ${JSON.stringify(begin)} and size ${JSON.stringify(size)} do not match the rank of ${shapeStr(t.shape)}`,
    );
  }
  for (let i = 0; i < t.rank; i++) {
    if (s[i] === -1) s[i] = t.shape[i] - b[i];
    if (!Number.isInteger(b[i]) || b[i] < 0 || s[i] < 0 || b[i] + s[i] > t.shape[i]) {
      throw new Error(
        `slice: begin ${JSON.stringify(b)} size ${JSON.stringify(size)} is out of bounds for shape ${shapeStr(t.shape)}`,
      );
    }
  }
  if (s.every((d, i) => d === t.shape[i])) return reshape(t, t.shape);
  return getEngine().runKernel("Slice", [t], { begin: b, size: s }, { shape: s, dtype: t.dtype }, (dy, [xs]) => [
    pad(
      dy,
      xs.shape.map((d, i) => [b[i], d - b[i] - s[i]] as [number, number]),
    ),
  ]);
}

/**
 * Pads with `constantValue`: `paddings[i] = [before, after]` for each axis.
 * Example: `tf.pad(x, [[1, 1], [2, 2]])`.
 */
export function pad(x: TensorLike, paddings: [number, number][], constantValue = 0): Tensor {
  const t = convert(x, "x", "pad");
  if (
    !Array.isArray(paddings) ||
    paddings.length !== t.rank ||
    paddings.some((p) => !Array.isArray(p) || p.length !== 2 || p.some((v) => !Number.isInteger(v) || v < 0))
  ) {
    throw new Error(
      `pad: paddings ${JSON.stringify(paddings)} must be ${t.rank} pairs of non-negative integers for shape ${shapeStr(t.shape)}`,
    );
  }
  const shape = t.shape.map((d, i) => d + paddings[i][0] + paddings[i][1]);
  const pads = paddings.map((p) => [p[0], p[1]] as [number, number]);
  return getEngine().runKernel("Pad", [t], { paddings: pads, constantValue }, { shape, dtype: t.dtype }, (dy, [xs]) => [
    slice(
      dy,
      pads.map((p) => p[0]),
      xs.shape,
    ),
  ]);
}

/** Reverses the order along `axis` (default: all axes). */
export function reverse(x: TensorLike, axis?: number | number[]): Tensor {
  const t = convert(x, "x", "reverse");
  const axes = parseAxes("reverse", axis, t.rank);
  if (axes.length === 0) return reshape(t, t.shape);
  return getEngine().runKernel("Reverse", [t], { axes }, { shape: t.shape.slice(), dtype: t.dtype }, (dy) => [
    reverse(dy, axes),
  ]);
}

/** Repeats `x` `reps[i]` times along axis i. Example: `tf.tile(tf.tensor([1, 2]), [3])`. */
export function tile(x: TensorLike, reps: number[]): Tensor {
  const t = convert(x, "x", "tile");
  if (!Array.isArray(reps) || reps.length !== t.rank || reps.some((r) => !Number.isInteger(r) || r < 0)) {
    throw new Error(
      `tile: reps ${JSON.stringify(reps)} must be ${t.rank} non-negative integers for shape ${shapeStr(t.shape)}`,
    );
  }
  const shape = t.shape.map((d, i) => d * reps[i]);
  return getEngine().runKernel("Tile", [t], { reps: reps.slice() }, { shape, dtype: t.dtype }, (dy, [xs]) => {
    // The output is laid out as [r0, d0, r1, d1, …]: sum the r axes.
    const interleaved: number[] = [];
    xs.shape.forEach((d, i) => interleaved.push(reps[i], d));
    const summed = sum(
      reshape(dy, interleaved),
      reps.map((_, i) => 2 * i),
    );
    return [reshape(summed, xs.shape)];
  });
}

/** Repeats `x` along axes of length 1 (and new leading axes) to `shape`. */
export function broadcastTo(x: TensorLike, shape: number[]): Tensor {
  const t = convert(x, "x", "broadcastTo");
  if (shape.length < t.rank)
    throw new Error(`broadcastTo: cannot broadcast ${shapeStr(t.shape)} to the lower-rank ${shapeStr(shape)}`);
  const padded = [...new Array(shape.length - t.rank).fill(1), ...t.shape];
  const reps = padded.map((d, i) => {
    if (d !== shape[i] && d !== 1)
      throw new Error(`broadcastTo: cannot broadcast ${shapeStr(t.shape)} to ${shapeStr(shape)}`);
    return d === shape[i] ? 1 : shape[i];
  });
  if (reps.every((v) => v === 1)) return reshape(t, padded);
  const sameRank = padded.length === t.rank;
  return tile(sameRank ? t : reshape(t, padded), reps);
}

/**
 * Picks slices along `axis` at int32 `indices`. Example: `tf.gather(x, tf.tensor1d([2, 0], "int32"))`.
 */
export function gather(x: TensorLike, indices: TensorLike, axis = 0, batchDims = 0): Tensor {
  const t = convert(x, "x", "gather");
  const idx = convert(indices, "indices", "gather", "int32");
  if (idx.dtype !== "int32") throw new Error(`gather: indices must be int32, got ${idx.dtype}`);
  assert(batchDims === 0, () => "gather: batchDims other than 0 is not supported");
  const a = normAxis("gather", axis, t.rank);
  const shape = [...t.shape.slice(0, a), ...idx.shape, ...t.shape.slice(a + 1)];
  return getEngine().runKernel("Gather", [t, idx], { axis: a }, { shape, dtype: t.dtype }, (dy, [xs, ids]) => {
    // Move the gathered axis first, sum rows into their source positions, move it back.
    const flatIds = reshape(ids, [ids.size]);
    const dyFlat = reshape(dy, [...xs.shape.slice(0, a), ids.size, ...xs.shape.slice(a + 1)]);
    const perm = [a, ...xs.shape.map((_, i) => i).filter((i) => i !== a)];
    const summed = unsortedSegmentSum(transpose(dyFlat, perm), flatIds, xs.shape[a]);
    const inverse = new Array<number>(perm.length);
    perm.forEach((p, i) => (inverse[p] = i));
    return [transpose(summed, inverse), null];
  });
}

/** Sums rows of `x` into `numSegments` rows chosen by int32 `segmentIds` (shape `[x.shape[0]]`). */
export function unsortedSegmentSum(x: TensorLike, segmentIds: TensorLike, numSegments: number): Tensor {
  const t = convert(x, "x", "unsortedSegmentSum");
  const ids = convert(segmentIds, "segmentIds", "unsortedSegmentSum", "int32");
  if (ids.dtype !== "int32") throw new Error(`unsortedSegmentSum: segmentIds must be int32, got ${ids.dtype}`);
  if (ids.rank !== 1 || ids.shape[0] !== t.shape[0]) {
    throw new Error(
      `unsortedSegmentSum: segmentIds shape ${shapeStr(ids.shape)} must be [${t.shape[0]}] for x of shape ${shapeStr(t.shape)}`,
    );
  }
  if (!Number.isInteger(numSegments) || numSegments < 0)
    throw new Error(`unsortedSegmentSum: numSegments must be a non-negative integer`);
  const shape = [numSegments, ...t.shape.slice(1)];
  return getEngine().runKernel(
    "UnsortedSegmentSum",
    [t, ids],
    { numSegments },
    { shape, dtype: t.dtype },
    (dy, [, ids2]) => [gather(dy, ids2, 0), null],
  );
}

/** The same values with no gradient flowing back through them. */
export function stopGradient(x: TensorLike): Tensor {
  const t = convert(x, "x", "stopGradient");
  return getEngine().view(t);
}
