/**
 * Small TF.js utilities that are ops: broadcastArgs, meshgrid, ensureShape, movingAverage, the dtype
 * helpers sumOutType/upcastType, enclosingPowerOfTwo, and `tf.math.confusionMatrix`.
 */
import type { DType } from "../backend.js";
import { getEngine } from "../engine.js";
import type { Tensor, TensorLike } from "../tensor.js";
import { add, div, mul, pow, sub } from "./arithmetic.js";
import { convert } from "./convert.js";
import { oneHot } from "./creation.js";
import { matMul } from "./linalg.js";
import { cast, reshape, tile } from "./shape.js";
import { broadcastShapes, shapeStr, upcast } from "./util.js";

/**
 * The shape two int32 shape vectors broadcast to (NumPy rules), as an int32 vector.
 * Example: `tf.broadcastArgs(tf.tensor1d([2, 1], "int32"), tf.tensor1d([3], "int32"))` → [2, 3].
 */
export function broadcastArgs(s0: TensorLike, s1: TensorLike): Tensor {
  const a = convert(s0, "s0", "broadcastArgs", "int32");
  const b = convert(s1, "s1", "broadcastArgs", "int32");
  if (a.rank !== 1 || b.rank !== 1 || a.dtype !== "int32" || b.dtype !== "int32") {
    throw new Error("broadcastArgs: both shapes must be 1-D int32 tensors");
  }
  const out = broadcastShapes("broadcastArgs", Array.from(a.dataSync()), Array.from(b.dataSync()));
  return getEngine().makeTensor(Int32Array.from(out), [out.length], "int32");
}

/**
 * Coordinate grids from two vectors: with `indexing` 'xy' (default) both results are
 * `[y.size, x.size]`, with 'ij' `[x.size, y.size]`. Example: `const [X, Y] = tf.meshgrid(xs, ys)`.
 */
export function meshgrid(
  x?: TensorLike,
  y?: TensorLike,
  { indexing = "xy" }: { indexing?: "xy" | "ij" } = {},
): Tensor[] {
  if (indexing !== "xy" && indexing !== "ij")
    throw new Error(`meshgrid: indexing must be 'xy' or 'ij', got '${String(indexing)}'`);
  if (x === undefined) return [];
  const a = reshape(convert(x, "x", "meshgrid"), [-1]);
  if (y === undefined) return [a];
  const b = reshape(convert(y, "y", "meshgrid"), [-1]);
  const [w, h] = [a.size, b.size];
  if (indexing === "xy") return [tile(reshape(a, [1, w]), [h, 1]), tile(reshape(b, [h, 1]), [1, w])];
  return [tile(reshape(a, [w, 1]), [1, h]), tile(reshape(b, [1, h]), [w, 1])];
}

/**
 * Checks that `x` has `shape` (`null` entries match any length) and returns it; throws otherwise.
 * Example: `tf.ensureShape(batch, [null, 28, 28, 1])`.
 */
export function ensureShape(x: TensorLike, shape: (number | null)[]): Tensor {
  const t = convert(x, "x", "ensureShape");
  const ok = t.rank === shape.length && shape.every((d, i) => d === null || d === undefined || d === t.shape[i]);
  if (!ok)
    throw new Error(
      `ensureShape: tensor of shape ${shapeStr(t.shape)} does not match the expected shape [${shape.map(String)}]`,
    );
  return t;
}

/**
 * An exponential moving average step: `v + (x − v)·(1 − decay)`, divided by `1 − decay^step` when
 * `zeroDebias` (default true; needs `step`). Example: `avg = tf.movingAverage(avg, x, 0.99, step)`.
 */
export function movingAverage(
  v: TensorLike,
  x: TensorLike,
  decay: number | TensorLike,
  step?: number | TensorLike,
  zeroDebias = true,
): Tensor {
  const vt = convert(v, "v", "movingAverage");
  const xt = convert(x, "x", "movingAverage");
  if (vt.rank !== xt.rank || vt.shape.some((d, i) => d !== xt.shape[i])) {
    throw new Error(`movingAverage: v ${shapeStr(vt.shape)} and x ${shapeStr(xt.shape)} must have one shape`);
  }
  const d = convert(decay, "decay", "movingAverage");
  let update = mul(sub(xt, vt), sub(1, d));
  if (zeroDebias) {
    if (step === undefined || step === null) throw new Error("movingAverage: zeroDebias needs the step");
    update = div(update, sub(1, pow(d, convert(step, "step", "movingAverage", "float32"))));
  }
  return add(vt, update);
}

/** The dtype a sum of `dtype` values has: int32 for bool and int32, float32 for float32. Example: `tf.sumOutType("bool")` → "int32". */
export function sumOutType(dtype: DType): DType {
  return upcast(dtype, "int32");
}

/** The dtype two dtypes combine to (bool < int32 < float32). Example: `tf.upcastType("int32", "float32")`. */
export function upcastType(typeA: DType, typeB: DType): DType {
  return upcast(typeA, typeB);
}

/** The smallest power of two ≥ `value`. Example: `tf.enclosingPowerOfTwo(5)` → 8. */
export function enclosingPowerOfTwo(value: number): number {
  return Math.floor(2 ** Math.ceil(Math.log2(value)));
}

/**
 * `[numClasses, numClasses]` int32 counts: entry (i, j) is how many examples with label i were
 * predicted as j. Example: `tf.math.confusionMatrix(labels, predictions, 3)`.
 */
function confusionMatrix(labels: TensorLike, predictions: TensorLike, numClasses: number): Tensor {
  const l = convert(labels, "labels", "confusionMatrix", "int32");
  const p = convert(predictions, "predictions", "confusionMatrix", "int32");
  if (!Number.isInteger(numClasses) || numClasses < 1) {
    throw new Error(`confusionMatrix: numClasses must be a positive integer, got ${numClasses}`);
  }
  if (l.rank !== 1 || p.rank !== 1 || l.shape[0] !== p.shape[0]) {
    throw new Error(
      `confusionMatrix: labels ${shapeStr(l.shape)} and predictions ${shapeStr(p.shape)} must be 1-D of one length`,
    );
  }
  const hot = (t: Tensor) => oneHot(cast(t, "int32"), numClasses, 1, 0, "float32");
  return cast(matMul(hot(l), hot(p), true, false), "int32");
}

/** `tf.math`: `confusionMatrix`. Example: `tf.math.confusionMatrix(labels, predicted, 10)`. */
export const math = { confusionMatrix };
