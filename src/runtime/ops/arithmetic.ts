/** Elementwise arithmetic of two tensors with NumPy broadcasting, and their gradients. */
import type { DType } from "../backend.js";
import { getEngine, type GradFunc } from "../engine.js";
import type { BinaryKernelName } from "../kernels.js";
import { Tensor, type TensorLike } from "../tensor.js";
import { convert } from "./convert.js";
import { greaterEqual, less, lessEqual, greater, equal, where } from "./logical.js";
import { sum } from "./reduction.js";
import { cast, reshape } from "./shape.js";
import { floor, log, neg, square } from "./unary.js";
import { broadcastedAxes, broadcastShapes, upcast } from "./util.js";
import { ones, zerosLike } from "./creation.js";
import { matMul } from "./linalg.js";

/** Converts two op arguments; a JS literal takes the dtype of the tensor beside it. Then both are upcast to one dtype. */
export function convertPair(op: string, a: TensorLike, b: TensorLike): [Tensor, Tensor] {
  let x: Tensor;
  let y: Tensor;
  if (a instanceof Tensor) {
    x = convert(a, "a", op);
    y = convert(b, "b", op, x.dtype);
  } else {
    y = convert(b, "b", op);
    x = convert(a, "a", op, y.dtype);
  }
  if (x.dtype !== y.dtype) {
    const dt = upcast(x.dtype, y.dtype);
    if (x.dtype !== dt) x = cast(x, dt);
    if (y.dtype !== dt) y = cast(y, dt);
  }
  return [x, y];
}

/** Sums `dy` over the axes broadcasting added, giving a tensor of `shape` (the gradient of a broadcast input). */
export function reduceTo(dy: Tensor, shape: number[]): Tensor {
  const axes = broadcastedAxes(shape, dy.shape);
  if (axes.length === 0) return dy.shape.length === shape.length ? dy : reshape(dy, shape);
  // Leading axes only (a bias's gradient): a row of ones times dy as a matrix sums the rows without
  // moving the reduced axes to the end first.
  if (dy.dtype === "float32" && axes.every((axis, i) => axis === i)) {
    let rows = 1;
    for (const axis of axes) rows *= dy.shape[axis];
    const cols = dy.size / rows;
    if (rows > 1 && cols > 0) return reshape(matMul(ones([1, rows]), reshape(dy, [rows, cols])), shape);
  }
  return reshape(sum(dy, axes, true), shape);
}

/** Runs a broadcasting binary kernel; `grad` gets the gradient at the output shape and reduces it here. */
export function binaryOp(
  op: string,
  kernel: BinaryKernelName,
  x: Tensor,
  y: Tensor,
  outDtype: DType,
  grad?: (dy: Tensor, a: Tensor, b: Tensor, out: Tensor, needed: readonly boolean[]) => [Tensor | null, Tensor | null],
  gradReadsShapesOnly = false,
): Tensor {
  const shape = broadcastShapes(op, x.shape, y.shape);
  const g: GradFunc | undefined =
    grad &&
    ((dy, [a, b], out, needed) => {
      const [da, db] = grad(dy, a, b, out, needed);
      return [da && needed[0] ? reduceTo(da, a.shape) : null, db && needed[1] ? reduceTo(db, b.shape) : null];
    });
  return getEngine().runKernel(kernel, [x, y], {}, { shape, dtype: outDtype }, g, gradReadsShapesOnly);
}

function arith(x: Tensor, y: Tensor): [Tensor, Tensor, DType] {
  if (x.dtype === "bool") {
    x = cast(x, "int32");
    y = cast(y, "int32");
  }
  return [x, y, x.dtype];
}

/** `a + b` (broadcasting). Example: `tf.add(tf.tensor([1, 2]), 10)` → [11, 12]. */
export function add(a: TensorLike, b: TensorLike): Tensor {
  const [x, y, dt] = arith(...convertPair("add", a, b));
  return binaryOp("add", "Add", x, y, dt, (dy) => [dy, dy], true);
}

/** `a - b`. */
export function sub(a: TensorLike, b: TensorLike): Tensor {
  const [x, y, dt] = arith(...convertPair("sub", a, b));
  return binaryOp("sub", "Sub", x, y, dt, (dy, _a, _b, _out, needed) => [dy, needed[1] ? neg(dy) : null], true);
}

/** `a * b` elementwise. */
export function mul(a: TensorLike, b: TensorLike): Tensor {
  const [x, y, dt] = arith(...convertPair("mul", a, b));
  return binaryOp("mul", "Mul", x, y, dt, (dy, a, b, _out, needed) => [
    needed[0] ? mul(dy, b) : null,
    needed[1] ? mul(dy, a) : null,
  ]);
}

/** `a / b`; on int32 inputs this is floor division (like TF.js). */
export function div(a: TensorLike, b: TensorLike): Tensor {
  const [x, y, dt] = arith(...convertPair("div", a, b));
  if (dt === "int32") return floorDiv(x, y);
  return binaryOp("div", "Div", x, y, dt, (dy, a, b, _out, needed) => [
    needed[0] ? div(dy, b) : null,
    needed[1] ? neg(div(mul(dy, a), square(b))) : null,
  ]);
}

/** Alias of `div` (TF.js name). */
export function realDiv(a: TensorLike, b: TensorLike): Tensor {
  return div(a, b);
}

/** `floor(a / b)`. */
export function floorDiv(a: TensorLike, b: TensorLike): Tensor {
  const [x, y, dt] = arith(...convertPair("floorDiv", a, b));
  return binaryOp("floorDiv", "FloorDiv", x, y, dt, (_dy, a, b) => [zerosLike(a), zerosLike(b)]);
}

/** Remainder with the sign of the divisor (`mod(-7, 3)` = 2). */
export function mod(a: TensorLike, b: TensorLike): Tensor {
  const [x, y, dt] = arith(...convertPair("mod", a, b));
  return binaryOp("mod", "Mod", x, y, dt, (dy, a, b) => [dy, mul(dy, neg(floor(div(a, b))))]);
}

/** `a ** b`. Example: `tf.pow(tf.tensor([2, 3]), 2)` → [4, 9]. */
export function pow(base: TensorLike, exp: TensorLike): Tensor {
  const [x, y, dt] = arith(...convertPair("pow", base, exp));
  return binaryOp("pow", "Pow", x, y, dt, (dy, a, b, out) => {
    const da = mul(dy, mul(b, pow(a, sub(b, 1))));
    // d/db a^b = a^b·log(a), taken as 0 where a <= 0 (log undefined).
    const positive = greater(a, 0);
    const logA = log(where(positive, a, 1));
    const db = mul(dy, where(positive, mul(out, logA), 0));
    return [da, db];
  });
}

/** Elementwise larger of `a` and `b` (ties send the gradient to `a`). */
export function maximum(a: TensorLike, b: TensorLike): Tensor {
  const [x, y, dt] = arith(...convertPair("maximum", a, b));
  return binaryOp("maximum", "Maximum", x, y, dt, (dy, a, b) => [
    mul(dy, cast(greaterEqual(a, b), dy.dtype)),
    mul(dy, cast(less(a, b), dy.dtype)),
  ]);
}

/** Elementwise smaller of `a` and `b` (ties send the gradient to `a`). */
export function minimum(a: TensorLike, b: TensorLike): Tensor {
  const [x, y, dt] = arith(...convertPair("minimum", a, b));
  return binaryOp("minimum", "Minimum", x, y, dt, (dy, a, b) => [
    mul(dy, cast(lessEqual(a, b), dy.dtype)),
    mul(dy, cast(greater(a, b), dy.dtype)),
  ]);
}

/**
 * The angle, in radians in [-π, π], of the point (`b`, `a`) from the positive x axis: `atan2(a, b)`
 * elementwise, broadcasting. int32 and bool inputs give float32.
 *
 * @example
 * tf.atan2(tf.tensor([1, 1, -1]), tf.tensor([1, -1, 0])); // [π/4, 3π/4, -π/2]
 */
export function atan2(a: TensorLike, b: TensorLike): Tensor {
  let [x, y] = convertPair("atan2", a, b);
  if (x.dtype !== "float32") {
    x = cast(x, "float32");
    y = cast(y, "float32");
  }
  // d/da = b / (a² + b²), d/db = −a / (a² + b²)
  return binaryOp("atan2", "Atan2", x, y, "float32", (dy, a, b, _out, needed) => {
    const r2 = add(square(a), square(b));
    return [needed[0] ? div(mul(dy, b), r2) : null, needed[1] ? neg(div(mul(dy, a), r2)) : null];
  });
}

/** `(a - b)²`. */
export function squaredDifference(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = convertPair("squaredDifference", a, b);
  return square(sub(x, y));
}

/** `a / b`, with 0 where `b` is 0. */
export function divNoNan(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = convertPair("divNoNan", a, b);
  const isZero = equal(y, 0);
  return where(isZero, 0, div(x, where(isZero, 1, y)));
}

/** Sum of a list of same-shape tensors. Example: `tf.addN([a, b, c])`. */
export function addN(tensors: TensorLike[]): Tensor {
  if (!Array.isArray(tensors) || tensors.length === 0) throw new Error("addN: expected a non-empty array of tensors");
  const ts = tensors.map((t, i) => convert(t, `tensors[${i}]`, "addN"));
  for (const t of ts) {
    if (t.shape.length !== ts[0].shape.length || t.shape.some((d, i) => d !== ts[0].shape[i])) {
      throw new Error(`addN: all tensors must have the same shape, got [${ts[0].shape}] and [${t.shape}]`);
    }
  }
  let acc = ts[0];
  for (let i = 1; i < ts.length; i++) acc = add(acc, ts[i]);
  return ts.length === 1 ? add(acc, 0) : acc;
}
