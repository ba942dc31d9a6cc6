/** Comparisons, boolean logic and `where` (select). Comparisons have no gradient. */
import { getEngine } from "../engine.js";
import type { BinaryKernelName } from "../kernels.js";
import type { Tensor, TensorLike } from "../tensor.js";
import { convertPair, reduceTo } from "./arithmetic.js";
import { convert } from "./convert.js";
import { zerosLike } from "./creation.js";
import { broadcastShapes } from "./util.js";

function compare(op: string, kernel: BinaryKernelName, a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = convertPair(op, a, b);
  const shape = broadcastShapes(op, x.shape, y.shape);
  return getEngine().runKernel(kernel, [x, y], {}, { shape, dtype: "bool" });
}

/** `a == b` elementwise (bool). */
export function equal(a: TensorLike, b: TensorLike): Tensor {
  return compare("equal", "Equal", a, b);
}
/** A bool tensor, true where `a` differs from `b` (broadcasting). Example: `tf.notEqual(labels, preds)`. */
export function notEqual(a: TensorLike, b: TensorLike): Tensor {
  return compare("notEqual", "NotEqual", a, b);
}
/** A bool tensor, true where `a > b` (broadcasting). Example: `tf.greater(probs, 0.5)`. */
export function greater(a: TensorLike, b: TensorLike): Tensor {
  return compare("greater", "Greater", a, b);
}
/** A bool tensor, true where `a >= b` (broadcasting). */
export function greaterEqual(a: TensorLike, b: TensorLike): Tensor {
  return compare("greaterEqual", "GreaterEqual", a, b);
}
/** A bool tensor, true where `a < b` (broadcasting). Example: `tf.less(x, 0)`. */
export function less(a: TensorLike, b: TensorLike): Tensor {
  return compare("less", "Less", a, b);
}
/** A bool tensor, true where `a <= b` (broadcasting). */
export function lessEqual(a: TensorLike, b: TensorLike): Tensor {
  return compare("lessEqual", "LessEqual", a, b);
}

function logical(op: string, kernel: BinaryKernelName, a: TensorLike, b: TensorLike): Tensor {
  const x = convert(a, "a", op);
  const y = convert(b, "b", op);
  if (x.dtype !== "bool" || y.dtype !== "bool") {
    throw new Error(`${op}: inputs must be bool tensors, got ${x.dtype} and ${y.dtype}`);
  }
  return getEngine().runKernel(kernel, [x, y], {}, { shape: broadcastShapes(op, x.shape, y.shape), dtype: "bool" });
}

/** Element-wise AND of two bool tensors (broadcasting). Example: `tf.logicalAnd(tf.greater(x, 0), tf.less(x, 1))`. */
export function logicalAnd(a: TensorLike, b: TensorLike): Tensor {
  return logical("logicalAnd", "LogicalAnd", a, b);
}
/** Element-wise OR of two bool tensors (broadcasting). */
export function logicalOr(a: TensorLike, b: TensorLike): Tensor {
  return logical("logicalOr", "LogicalOr", a, b);
}
/** Exclusive or of two bool tensors. */
export function logicalXor(a: TensorLike, b: TensorLike): Tensor {
  return logicalAnd(logicalOr(a, b), logicalNot(logicalAnd(a, b)));
}
/** Element-wise NOT of a bool tensor. Example: `tf.logicalNot(mask)`. */
export function logicalNot(x: TensorLike): Tensor {
  const t = convert(x, "x", "logicalNot");
  if (t.dtype !== "bool") throw new Error(`logicalNot: input must be a bool tensor, got ${t.dtype}`);
  return getEngine().runKernel("LogicalNot", [t], {}, { shape: t.shape.slice(), dtype: "bool" });
}

/**
 * `condition ? a : b` elementwise; all three broadcast. Example: `tf.where(x.greater(0), x, 0)`.
 */
export function where(condition: TensorLike, a: TensorLike, b: TensorLike): Tensor {
  const cond = convert(condition, "condition", "where");
  if (cond.dtype !== "bool") throw new Error(`where: condition must be a bool tensor, got ${cond.dtype}`);
  const [x, y] = convertPair("where", a, b);
  const shape = broadcastShapes("where", broadcastShapes("where", cond.shape, x.shape), y.shape);
  return getEngine().runKernel("Select", [cond, x, y], {}, { shape, dtype: x.dtype }, (dy, [c, a, b]) => {
    const zero = zerosLike(dy);
    return [null, reduceTo(where(c, dy, zero), a.shape), reduceTo(where(c, zero, dy), b.shape)];
  });
}
