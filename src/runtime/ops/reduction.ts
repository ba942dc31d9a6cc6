/**
 * Reductions (sum, mean, max, argMax, logSumExp, moments, norm …) over any axes.
 *
 * The kernels reduce the innermost axis of a `[outer, reduceSize]` tensor, so each op transposes
 * the reduced axes to the end and reshapes; the gradients are written for that 2-D form and the
 * transpose/reshape gradients carry them back to the input's layout.
 */
import type { DType } from "../backend.js";
import { getEngine, type GradFunc } from "../engine.js";
import type { ReduceKernelName } from "../kernels.js";
import type { Tensor, TensorLike } from "../tensor.js";
import { add, div, mul, squaredDifference, sub } from "./arithmetic.js";
import { convert } from "./convert.js";
import { equal } from "./logical.js";
import { broadcastTo, cast, reshape, stopGradient, transpose } from "./shape.js";
import { abs, exp, log, sqrt } from "./unary.js";
import { normAxis, parseAxes } from "./util.js";

type Axis = number | number[] | null;

function reduceOp(
  op: string,
  kernel: ReduceKernelName,
  x: Tensor,
  axis: Axis | undefined,
  keepDims: boolean,
  outDtype: DType,
  grad?: (dy: Tensor, x2d: Tensor, y: Tensor) => Tensor,
): Tensor {
  const axes = parseAxes(op, axis, x.rank);
  const kept = x.shape.map((_, i) => i).filter((i) => !axes.includes(i));
  const outShape = keepDims ? x.shape.map((d, i) => (axes.includes(i) ? 1 : d)) : kept.map((i) => x.shape[i]);
  const perm = [...kept, ...axes];
  const moved = perm.every((p, i) => p === i) ? x : transpose(x, perm);
  const outer = kept.reduce((s, i) => s * x.shape[i], 1);
  const reduceSize = axes.reduce((s, i) => s * x.shape[i], 1);
  const x2d = reshape(moved, [outer, reduceSize]);
  const g: GradFunc | undefined = grad && ((dy, [xs], y) => [grad(dy, xs, y)]);
  const y = getEngine().runKernel(kernel, [x2d], { reduceSize }, { shape: [outer], dtype: outDtype }, g);
  return reshape(y, outShape);
}

/** Broadcasts a per-row `[outer]` tensor back over `[outer, reduceSize]`. */
function spread(v: Tensor, x2d: Tensor): Tensor {
  return broadcastTo(reshape(v, [x2d.shape[0], 1]), x2d.shape);
}

function numeric(op: string, x: TensorLike): Tensor {
  const t = convert(x, "x", op);
  return t.dtype === "bool" ? cast(t, "int32") : t;
}

/** Sum over `axis` (default: all). Example: `tf.sum(x, 1)`, `x.sum(-1, true)`. */
export function sum(x: TensorLike, axis?: Axis, keepDims = false): Tensor {
  const t = numeric("sum", x);
  return reduceOp("sum", "Sum", t, axis, keepDims, t.dtype, (dy, x2d) => spread(dy, x2d));
}

/** Product over `axis` (the gradient assumes no zeros in the input). */
export function prod(x: TensorLike, axis?: Axis, keepDims = false): Tensor {
  const t = numeric("prod", x);
  return reduceOp("prod", "Prod", t, axis, keepDims, t.dtype, (dy, x2d, y) => div(spread(mul(dy, y), x2d), x2d));
}

function extremum(op: string, kernel: "Max" | "Min", x: TensorLike, axis: Axis | undefined, keepDims: boolean): Tensor {
  const t = numeric(op, x);
  // Every position equal to the extremum gets the gradient (like TF.js).
  return reduceOp(op, kernel, t, axis, keepDims, t.dtype, (dy, x2d, y) =>
    mul(spread(dy, x2d), cast(equal(x2d, spread(y, x2d)), dy.dtype)),
  );
}

/** Maximum over `axis`. */
export function max(x: TensorLike, axis?: Axis, keepDims = false): Tensor {
  return extremum("max", "Max", x, axis, keepDims);
}
/** Minimum over `axis`. */
export function min(x: TensorLike, axis?: Axis, keepDims = false): Tensor {
  return extremum("min", "Min", x, axis, keepDims);
}

function argExtremum(op: string, kernel: "ArgMax" | "ArgMin", x: TensorLike, axis: number): Tensor {
  const t = numeric(op, x);
  if (t.rank === 0) throw new Error(`${op}: needs a tensor of rank >= 1`);
  return reduceOp(op, kernel, t, normAxis(op, axis, t.rank), false, "int32");
}

/** Index (int32) of the largest value along `axis` (default 0, like TF.js). Example: `logits.argMax(-1)`. */
export function argMax(x: TensorLike, axis = 0): Tensor {
  return argExtremum("argMax", "ArgMax", x, axis);
}
/** Index (int32) of the smallest value along `axis` (default 0). */
export function argMin(x: TensorLike, axis = 0): Tensor {
  return argExtremum("argMin", "ArgMin", x, axis);
}

function boolReduce(
  op: string,
  kernel: "Any" | "All",
  x: TensorLike,
  axis: Axis | undefined,
  keepDims: boolean,
): Tensor {
  const t = convert(x, "x", op);
  if (t.dtype !== "bool") throw new Error(`${op}: input must be a bool tensor, got ${t.dtype}`);
  return reduceOp(op, kernel, t, axis, keepDims, "bool");
}
/** True if any element along `axis` is true. */
export function any(x: TensorLike, axis?: Axis, keepDims = false): Tensor {
  return boolReduce("any", "Any", x, axis, keepDims);
}
/** True if every element along `axis` is true. */
export function all(x: TensorLike, axis?: Axis, keepDims = false): Tensor {
  return boolReduce("all", "All", x, axis, keepDims);
}

function reducedCount(x: Tensor, axis: Axis | undefined): number {
  return parseAxes("mean", axis, x.rank).reduce((s, a) => s * x.shape[a], 1);
}

/** Mean over `axis` (float32). Example: `tf.mean(x)`, `x.mean(0)`. */
export function mean(x: TensorLike, axis?: Axis, keepDims = false): Tensor {
  let t = convert(x, "x", "mean");
  if (t.dtype !== "float32") t = cast(t, "float32");
  return div(sum(t, axis, keepDims), reducedCount(t, axis));
}

/** `log(sum(exp(x)))` over `axis`, computed stably (shifted by the maximum). */
export function logSumExp(x: TensorLike, axis?: Axis, keepDims = false): Tensor {
  let t = convert(x, "x", "logSumExp");
  if (t.dtype !== "float32") t = cast(t, "float32");
  // The shift cancels mathematically, so it takes no gradient.
  const m = stopGradient(max(t, axis, true));
  const y = add(log(sum(exp(sub(t, m)), axis, true)), m);
  if (keepDims) return y;
  const axes = parseAxes("logSumExp", axis, t.rank);
  return reshape(
    y,
    t.shape.filter((_, i) => !axes.includes(i)),
  );
}

/** Mean and (population) variance over `axis`. Example: `const { mean, variance } = tf.moments(x, 0)`. */
export function moments(x: TensorLike, axis?: Axis, keepDims = false): { mean: Tensor; variance: Tensor } {
  let t = convert(x, "x", "moments");
  if (t.dtype !== "float32") t = cast(t, "float32");
  const m = mean(t, axis, true);
  const variance = mean(squaredDifference(t, m), axis, keepDims);
  if (keepDims) return { mean: m, variance };
  const axes = parseAxes("moments", axis, t.rank);
  return {
    mean: reshape(
      m,
      t.shape.filter((_, i) => !axes.includes(i)),
    ),
    variance,
  };
}

/**
 * Vector or matrix norms. With `axis` a number (or one axis, or none: all elements) the vector norm
 * for `ord` 'euclidean'/2 (default), 1, Infinity or -Infinity; with two axes `[rows, cols]` the matrix
 * norm for `ord` 'fro'/'euclidean', 1 (largest column sum), Infinity (largest row sum) or -Infinity
 * (smallest row sum), as TF.js. Example: `tf.norm(m, 1, [0, 1])`, `x.norm("euclidean", -1, true)`.
 */
export function norm(
  x: TensorLike,
  ord: number | "euclidean" | "fro" = "euclidean",
  axis?: Axis,
  keepDims = false,
): Tensor {
  let t = convert(x, "x", "norm");
  if (t.dtype !== "float32") t = cast(t, "float32");
  const axes = axis === undefined || axis === null ? null : Array.isArray(axis) ? axis : [axis];
  if (axes && axes.length === 2) {
    const [rows, cols] = parseAxes("norm", axes, t.rank);
    let y: Tensor;
    if (ord === "fro" || ord === "euclidean") y = sqrt(sum(mul(t, t), [rows, cols]));
    else if (ord === 1) y = max(sum(abs(t), rows), cols - 1);
    else if (ord === Infinity) y = max(sum(abs(t), cols), rows);
    else if (ord === -Infinity) y = min(sum(abs(t), cols), rows);
    else
      throw new Error(
        `norm: unsupported ord ${String(ord)} for a matrix norm (use 'fro', 'euclidean', 1, Infinity or -Infinity)`,
      );
    return keepDims
      ? reshape(
          y,
          t.shape.map((d, i) => (i === rows || i === cols ? 1 : d)),
        )
      : y;
  }
  if (axes && axes.length > 2) throw new Error(`norm: axis ${JSON.stringify(axis)} names more than two axes`);
  if (ord === "euclidean" || ord === "fro" || ord === 2) return sqrt(sum(mul(t, t), axis, keepDims));
  if (ord === 1) return sum(abs(t), axis, keepDims);
  if (ord === Infinity) return max(abs(t), axis, keepDims);
  if (ord === -Infinity) return min(abs(t), axis, keepDims);
  throw new Error(`norm: unsupported ord ${String(ord)} (use 'euclidean', 'fro', 1, 2, Infinity or -Infinity)`);
}

/** The Euclidean norm over `axis` (default: all elements). */
export function euclideanNorm(x: TensorLike, axis?: Axis, keepDims = false): Tensor {
  return norm(x, "euclidean", axis, keepDims);
}
