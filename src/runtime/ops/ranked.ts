/**
 * TF.js's rank-specific spellings (`concat2d`, `slice3d`, `pad1d`, `tensor5d`, `batchNorm4d` …): the
 * general op with the rank checked.
 */
import type { DType } from "../backend.js";
import type { Tensor, TensorLike } from "../tensor.js";
import { convert, tensor } from "./convert.js";
import { inferShape } from "./convert.js";
import { batchNorm } from "./nn.js";
import { concat, pad, reverse, slice } from "./shape.js";
import { shapeStr } from "./util.js";

function ranked(op: string, x: TensorLike, rank: number): Tensor {
  const t = convert(x, "x", op);
  if (t.rank !== rank) throw new Error(`${op}: expected a rank-${rank} tensor, got shape ${shapeStr(t.shape)}`);
  return t;
}

function rankedList(op: string, xs: TensorLike[], rank: number): Tensor[] {
  if (!Array.isArray(xs)) throw new Error(`${op}: expected an array of tensors`);
  return xs.map((x) => ranked(op, x, rank));
}

/** `concat` of 1-D tensors. Example: `tf.concat1d([a, b])`. */
export function concat1d(tensors: TensorLike[]): Tensor {
  return concat(rankedList("concat1d", tensors, 1), 0);
}
/** `concat` of 2-D tensors along `axis`. Example: `tf.concat2d([a, b], 1)`. */
export function concat2d(tensors: TensorLike[], axis: number): Tensor {
  return concat(rankedList("concat2d", tensors, 2), axis);
}
/** `concat` of 3-D tensors along `axis`. Example: `tf.concat3d([a, b], 2)`. */
export function concat3d(tensors: TensorLike[], axis: number): Tensor {
  return concat(rankedList("concat3d", tensors, 3), axis);
}
/** `concat` of 4-D tensors along `axis`. Example: `tf.concat4d([a, b], 3)`. */
export function concat4d(tensors: TensorLike[], axis: number): Tensor {
  return concat(rankedList("concat4d", tensors, 4), axis);
}

/** `slice` of a 1-D tensor: `size` elements from `begin`. Example: `tf.slice1d(v, 2, 3)`. */
export function slice1d(x: TensorLike, begin: number, size: number): Tensor {
  return slice(ranked("slice1d", x, 1), [begin], [size]);
}
/** `slice` of a 2-D tensor. Example: `tf.slice2d(m, [0, 1], [2, 2])`. */
export function slice2d(x: TensorLike, begin: [number, number], size: [number, number]): Tensor {
  return slice(ranked("slice2d", x, 2), begin, size);
}
/** `slice` of a 3-D tensor. Example: `tf.slice3d(x, [0, 1, 0], [1, 2, -1])`. */
export function slice3d(x: TensorLike, begin: [number, number, number], size: [number, number, number]): Tensor {
  return slice(ranked("slice3d", x, 3), begin, size);
}
/** `slice` of a 4-D tensor. Example: `tf.slice4d(x, [0, 0, 0, 0], [1, -1, -1, 3])`. */
export function slice4d(
  x: TensorLike,
  begin: [number, number, number, number],
  size: [number, number, number, number],
): Tensor {
  return slice(ranked("slice4d", x, 4), begin, size);
}

/** Reverses a 1-D tensor. Example: `tf.reverse1d(tf.tensor1d([1, 2, 3]))` → [3, 2, 1]. */
export function reverse1d(x: TensorLike): Tensor {
  return reverse(ranked("reverse1d", x, 1));
}
/** `reverse` of a 2-D tensor along `axis` (default: both). Example: `tf.reverse2d(m, 1)`. */
export function reverse2d(x: TensorLike, axis?: number | number[]): Tensor {
  return reverse(ranked("reverse2d", x, 2), axis);
}
/** `reverse` of a 3-D tensor along `axis` (default: all). Example: `tf.reverse3d(x, 0)`. */
export function reverse3d(x: TensorLike, axis?: number | number[]): Tensor {
  return reverse(ranked("reverse3d", x, 3), axis);
}
/** `reverse` of a 4-D tensor along `axis` (default: all). Example: `tf.reverse4d(x, [1, 2])`. */
export function reverse4d(x: TensorLike, axis?: number | number[]): Tensor {
  return reverse(ranked("reverse4d", x, 4), axis);
}

/** `pad` of a 1-D tensor: `paddings` = `[before, after]`. Example: `tf.pad1d(v, [1, 2])`. */
export function pad1d(x: TensorLike, paddings: [number, number], constantValue = 0): Tensor {
  return pad(ranked("pad1d", x, 1), [paddings], constantValue);
}
/** `pad` of a 2-D tensor. Example: `tf.pad2d(m, [[1, 1], [2, 2]])`. */
export function pad2d(x: TensorLike, paddings: [[number, number], [number, number]], constantValue = 0): Tensor {
  return pad(ranked("pad2d", x, 2), paddings, constantValue);
}
/** `pad` of a 3-D tensor. Example: `tf.pad3d(x, [[0, 0], [1, 1], [1, 1]])`. */
export function pad3d(x: TensorLike, paddings: [number, number][], constantValue = 0): Tensor {
  return pad(ranked("pad3d", x, 3), paddings, constantValue);
}
/** `pad` of a 4-D tensor. Example: `tf.pad4d(x, [[0, 0], [1, 1], [1, 1], [0, 0]])`. */
export function pad4d(x: TensorLike, paddings: [number, number][], constantValue = 0): Tensor {
  return pad(ranked("pad4d", x, 4), paddings, constantValue);
}

function rankedTensor(op: string, rank: number, values: TensorLike, shape?: number[], dtype?: DType): Tensor {
  const got = shape ?? inferShape(op, values);
  if (got.length !== rank) throw new Error(`${op}: expected rank ${rank} values, got shape [${got}]`);
  return tensor(values, shape, dtype);
}

/** A rank-5 tensor. Example: `tf.tensor5d([1, 2, 3, 4], [1, 1, 2, 2, 1])`. */
export function tensor5d(values: TensorLike, shape?: number[], dtype?: DType): Tensor {
  return rankedTensor("tensor5d", 5, values, shape, dtype);
}
/** A rank-6 tensor. Example: `tf.tensor6d([1, 2], [1, 1, 1, 1, 1, 2])`. */
export function tensor6d(values: TensorLike, shape?: number[], dtype?: DType): Tensor {
  return rankedTensor("tensor6d", 6, values, shape, dtype);
}

/** `batchNorm` of a 2-D input. Example: `tf.batchNorm2d(x, mean, variance, offset, scale)`. */
export function batchNorm2d(
  x: TensorLike,
  mean: TensorLike,
  variance: TensorLike,
  offset?: TensorLike,
  scale?: TensorLike,
  varianceEpsilon?: number,
): Tensor {
  return batchNorm(ranked("batchNorm2d", x, 2), mean, variance, offset, scale, varianceEpsilon);
}
/** `batchNorm` of a 3-D input. Example: `tf.batchNorm3d(x, mean, variance)`. */
export function batchNorm3d(
  x: TensorLike,
  mean: TensorLike,
  variance: TensorLike,
  offset?: TensorLike,
  scale?: TensorLike,
  varianceEpsilon?: number,
): Tensor {
  return batchNorm(ranked("batchNorm3d", x, 3), mean, variance, offset, scale, varianceEpsilon);
}
/** `batchNorm` of a 4-D input. Example: `tf.batchNorm4d(x, mean, variance, offset, scale, 1e-3)`. */
export function batchNorm4d(
  x: TensorLike,
  mean: TensorLike,
  variance: TensorLike,
  offset?: TensorLike,
  scale?: TensorLike,
  varianceEpsilon?: number,
): Tensor {
  return batchNorm(ranked("batchNorm4d", x, 4), mean, variance, offset, scale, varianceEpsilon);
}
