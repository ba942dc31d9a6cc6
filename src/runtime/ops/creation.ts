/** Creating tensors: from values, constants, ranges, identity, one-hot, and random distributions. */
import { typedArrayFor, type DType } from "../backend.js";
import { getEngine } from "../engine.js";
import { generatorFor } from "../random.js";
import type { Rank, Scalar, Tensor, Tensor1D, Tensor2D, Tensor3D, Tensor4D, TensorLike, Variable } from "../tensor.js";
import { checkDtype, checkShape, convert, inferShape, tensor } from "./convert.js";
import { cast, reshape } from "./shape.js";
import { equal } from "./logical.js";
import { where } from "./logical.js";

export { tensor };

/** A rank-0 tensor. Example: `tf.scalar(3.5)`. */
export function scalar(value: number | boolean, dtype?: DType): Scalar {
  if (typeof value !== "number" && typeof value !== "boolean") {
    throw new Error(`scalar: expected a number or boolean, got ${Array.isArray(value) ? "an array" : typeof value}`);
  }
  return tensor(value, [], dtype);
}

function ranked(op: string, rank: number, values: TensorLike, shape?: number[], dtype?: DType): Tensor {
  const got = shape ?? inferShape(op, values);
  if (got.length !== rank) {
    throw new Error(`${op}: expected rank ${rank} values, got shape [${got}]`);
  }
  return tensor(values, shape, dtype);
}

/** Example: `tf.tensor1d([1, 2, 3])`. */
export function tensor1d(values: TensorLike, dtype?: DType): Tensor1D {
  return ranked("tensor1d", 1, values, undefined, dtype);
}
/** Example: `tf.tensor2d([[1, 2], [3, 4]])` or `tf.tensor2d([1, 2, 3, 4], [2, 2])`. */
export function tensor2d(values: TensorLike, shape?: [number, number], dtype?: DType): Tensor2D {
  return ranked("tensor2d", 2, values, shape, dtype);
}
/** Example: `tf.tensor3d([[[1], [2]], [[3], [4]]])` (shape [2, 2, 1]). */
export function tensor3d(values: TensorLike, shape?: [number, number, number], dtype?: DType): Tensor3D {
  return ranked("tensor3d", 3, values, shape, dtype);
}
/** Example: `tf.tensor4d(pixels, [1, 28, 28, 1])`: a batch of one 28×28 image with one channel. */
export function tensor4d(values: TensorLike, shape?: [number, number, number, number], dtype?: DType): Tensor4D {
  return ranked("tensor4d", 4, values, shape, dtype);
}

/** A tensor of `shape` with every element `value`. Example: `tf.fill([2, 3], 7)`. */
// biome-ignore lint/suspicious/noExplicitAny: an unknown rank (see Tensor)
export function fill<R extends Rank = any>(shape: number[], value: number, dtype?: DType): Tensor<R> {
  checkShape("fill", shape);
  const dt = dtype === undefined ? "float32" : checkDtype("fill", dtype);
  // Zeros come zeroed (a fresh array is zeros already: filling it again would touch every page).
  const zero = Object.is(value, 0);
  const data = getEngine().newData(
    dt,
    shape.reduce((a, b) => a * b, 1),
    zero,
  );
  if (!zero) data.fill(dt === "bool" ? (value ? 1 : 0) : value);
  return getEngine().makeTensor(data, shape.slice(), dt);
}

/** Example: `tf.zeros([2, 2])`. */
// biome-ignore lint/suspicious/noExplicitAny: an unknown rank (see Tensor)
export function zeros<R extends Rank = any>(shape: number[], dtype: DType = "float32"): Tensor<R> {
  return fill(shape, 0, dtype);
}
/** Example: `tf.ones([3])`. */
// biome-ignore lint/suspicious/noExplicitAny: an unknown rank (see Tensor)
export function ones<R extends Rank = any>(shape: number[], dtype: DType = "float32"): Tensor<R> {
  return fill(shape, 1, dtype);
}
/** Zeros with the shape and dtype of `x`. Example: `tf.zerosLike(tf.ones([2]))` → [0, 0]. */
export function zerosLike(x: TensorLike): Tensor {
  const t = convert(x, "x", "zerosLike");
  return fill(t.shape, 0, t.dtype);
}
/** Ones with the shape and dtype of `x`. Example: `tf.onesLike(tf.zeros([2]))` → [1, 1]. */
export function onesLike(x: TensorLike): Tensor {
  const t = convert(x, "x", "onesLike");
  return fill(t.shape, 1, t.dtype);
}

/** `[start, start+step, …)` below `stop`. `tf.range(5)` = [0..4]; `tf.range(0, 1, 0.25)`. */
export function range(start: number, stop?: number, step = 1, dtype: DType = "float32"): Tensor {
  if (stop === undefined) {
    stop = start;
    start = 0;
  }
  if (step === 0) throw new Error("range: step must not be 0");
  const n = Math.max(0, Math.ceil((stop - start) / step));
  const data = typedArrayFor(checkDtype("range", dtype), n);
  for (let i = 0; i < n; i++) data[i] = start + i * step;
  return getEngine().makeTensor(data, [n], dtype);
}

/** `num` evenly spaced values from `start` to `stop` inclusive. Example: `tf.linspace(0, 1, 5)`. */
export function linspace(start: number, stop: number, num: number): Tensor {
  if (!Number.isInteger(num) || num < 1) throw new Error(`linspace: num must be a positive integer, got ${num}`);
  const data = new Float32Array(num);
  const step = num > 1 ? (stop - start) / (num - 1) : 0;
  for (let i = 0; i < num; i++) data[i] = start + i * step;
  return getEngine().makeTensor(data, [num], "float32");
}

/** Identity matrix (optionally rectangular and batched). Example: `tf.eye(3)`. */
export function eye(
  numRows: number,
  numColumns = numRows,
  batchShape: number[] = [],
  dtype: DType = "float32",
): Tensor {
  const batch = batchShape.reduce((a, b) => a * b, 1);
  const data = typedArrayFor(checkDtype("eye", dtype), batch * numRows * numColumns);
  for (let b = 0; b < batch; b++) {
    for (let i = 0; i < Math.min(numRows, numColumns); i++) data[b * numRows * numColumns + i * numColumns + i] = 1;
  }
  return getEngine().makeTensor(data, [...batchShape, numRows, numColumns], dtype);
}

/**
 * One-hot encoding along a new last axis. Example: `tf.oneHot(tf.tensor1d([0, 2], "int32"), 3)`
 * → [[1, 0, 0], [0, 0, 1]] (int32 by default, like TF.js).
 */
export function oneHot(indices: TensorLike, depth: number, onValue = 1, offValue = 0, dtype: DType = "int32"): Tensor {
  const idx = convert(indices, "indices", "oneHot", "int32");
  if (idx.dtype !== "int32") throw new Error(`oneHot: indices must be int32, got ${idx.dtype}`);
  if (!Number.isInteger(depth) || depth < 1) throw new Error(`oneHot: depth must be a positive integer, got ${depth}`);
  return getEngine().tidy(() => {
    const hits = equal(reshape(idx, [...idx.shape, 1]), range(0, depth, 1, "int32"));
    return cast(where(hits, scalar(onValue, dtype), scalar(offValue, dtype)), dtype);
  });
}

function randomTensor(op: string, shape: number[], dtype: DType, draw: () => number): Tensor {
  checkShape(op, shape);
  if (dtype === "bool") throw new Error(`${op}: dtype bool is not supported`);
  const data = typedArrayFor(
    checkDtype(op, dtype),
    shape.reduce((a, b) => a * b, 1),
  );
  for (let i = 0; i < data.length; i++) data[i] = draw();
  return getEngine().makeTensor(data, shape.slice(), dtype);
}

/** Normal samples. Example: `tf.randomNormal([2, 3], 0, 1, "float32", 42)` (same seed, same values). */
// biome-ignore lint/suspicious/noExplicitAny: an unknown rank (see Tensor)
export function randomNormal<R extends Rank = any>(
  shape: number[],
  mean = 0,
  stdDev = 1,
  dtype: DType = "float32",
  seed?: number,
): Tensor<R> {
  const g = generatorFor(seed);
  return randomTensor("randomNormal", shape, dtype, () => mean + stdDev * g.normal());
}

/** Standard normal samples (mean 0, standard deviation 1). */
export function randomStandardNormal(shape: number[], dtype: DType = "float32", seed?: number): Tensor {
  return randomNormal(shape, 0, 1, dtype, seed);
}

/** Uniform samples in `[minval, maxval)`. Example: `tf.randomUniform([3], -1, 1, "float32", 7)`. */
// biome-ignore lint/suspicious/noExplicitAny: an unknown rank (see Tensor)
export function randomUniform<R extends Rank = any>(
  shape: number[],
  minval = 0,
  maxval = 1,
  dtype: DType = "float32",
  seed?: number,
): Tensor<R> {
  const g = generatorFor(seed);
  const draw =
    dtype === "int32"
      ? () => Math.floor(minval + (maxval - minval) * g.next())
      : () => minval + (maxval - minval) * g.next();
  return randomTensor("randomUniform", shape, dtype, draw);
}

/** Normal samples redrawn when more than two standard deviations from the mean. */
// biome-ignore lint/suspicious/noExplicitAny: an unknown rank (see Tensor)
export function truncatedNormal<R extends Rank = any>(
  shape: number[],
  mean = 0,
  stdDev = 1,
  dtype: DType = "float32",
  seed?: number,
): Tensor<R> {
  const g = generatorFor(seed);
  return randomTensor("truncatedNormal", shape, dtype, () => {
    let z = g.normal();
    while (Math.abs(z) > 2) z = g.normal();
    return mean + stdDev * z;
  });
}

/**
 * A mutable tensor (model weights). Example: `const w = tf.variable(tf.zeros([2]), true, "w"); w.assign(tf.ones([2]))`.
 * A second variable with the same name replaces the first in the registry (re-running a notebook cell is fine).
 */
// biome-ignore lint/suspicious/noExplicitAny: an unknown rank (see Tensor)
export function variable<R extends Rank = any>(
  initialValue: TensorLike,
  trainable = true,
  name?: string,
  dtype?: DType,
): Variable<R> {
  let init = convert(initialValue, "initialValue", "variable");
  if (dtype && dtype !== init.dtype) init = cast(init, dtype);
  return getEngine().makeVariable(init, trainable, name);
}

/** A copy of `x` (a new tensor sharing its data). */
export function clone(x: TensorLike): Tensor {
  const t = convert(x, "x", "clone");
  return getEngine().runView("Identity", t, t.shape.slice(), (dy) => [dy]);
}
