/** Elementwise functions of one tensor (math and activations), and their gradients. */
import type { DType } from "../backend.js";
import { getEngine } from "../engine.js";
import type { UnaryKernelName } from "../kernels.js";
import type { Tensor, TensorLike } from "../tensor.js";
import { add, div, maximum, minimum, mul, sub } from "./arithmetic.js";
import { activationGrad } from "./activation-grad.js";
import { convert } from "./convert.js";
import { zerosLike } from "./creation.js";
import { equal, greater, logicalNot, logicalOr, where } from "./logical.js";
import { cast } from "./shape.js";

type UnaryGrad = (dy: Tensor, x: Tensor, y: Tensor) => Tensor;

function unaryOp(
  op: string,
  kernel: UnaryKernelName,
  xLike: TensorLike,
  grad: UnaryGrad | null,
  opts: { float?: boolean; outDtype?: DType } = {},
): Tensor {
  let x = convert(xLike, "x", op);
  if (opts.float && x.dtype !== "float32") x = cast(x, "float32");
  // Arithmetic on bool works on 0/1 as int32.
  const dtype = opts.outDtype ?? (x.dtype === "bool" ? "int32" : x.dtype);
  if (x.dtype === "bool" && dtype !== "bool") x = cast(x, dtype);
  return getEngine().runKernel(
    kernel,
    [x],
    {},
    { shape: x.shape.slice(), dtype },
    grad ? (dy, [xs], y) => [grad(dy, xs, y)] : undefined,
  );
}

const FLOAT = { float: true };

/** `-x`. */
export function neg(x: TensorLike): Tensor {
  return unaryOp("neg", "Neg", x, (dy) => neg(dy));
}
/** `|x|`. */
export function abs(x: TensorLike): Tensor {
  return unaryOp("abs", "Abs", x, (dy, x) => mul(dy, sign(x)));
}
/** `e^x`. */
export function exp(x: TensorLike): Tensor {
  return unaryOp("exp", "Exp", x, (dy, _x, y) => mul(dy, y), FLOAT);
}
/** `e^x - 1`, accurate near 0. */
export function expm1(x: TensorLike): Tensor {
  return unaryOp("expm1", "Expm1", x, (dy, x) => mul(dy, exp(x)), FLOAT);
}
/** Natural logarithm. */
export function log(x: TensorLike): Tensor {
  return unaryOp("log", "Log", x, (dy, x) => div(dy, x), FLOAT);
}
/** `log(1 + x)`, accurate near 0. */
export function log1p(x: TensorLike): Tensor {
  return unaryOp("log1p", "Log1p", x, (dy, x) => div(dy, add(x, 1)), FLOAT);
}
/** Square root. */
export function sqrt(x: TensorLike): Tensor {
  return unaryOp("sqrt", "Sqrt", x, (dy, _x, y) => div(dy, mul(y, 2)), FLOAT);
}
/** `1 / sqrt(x)`. */
export function rsqrt(x: TensorLike): Tensor {
  return unaryOp("rsqrt", "Rsqrt", x, (dy, x, y) => mul(dy, mul(div(y, x), -0.5)), FLOAT);
}
/** `x²`. */
export function square(x: TensorLike): Tensor {
  return unaryOp("square", "Square", x, (dy, x) => mul(dy, mul(x, 2)));
}
/** `1 / x`. */
export function reciprocal(x: TensorLike): Tensor {
  return unaryOp("reciprocal", "Reciprocal", x, (dy, _x, y) => neg(mul(dy, mul(y, y))), FLOAT);
}
/** -1, 0 or 1. */
export function sign(x: TensorLike): Tensor {
  return unaryOp("sign", "Sign", x, (dy) => zerosLike(dy));
}
/** Each element rounded down. Example: `tf.floor(tf.tensor1d([1.7, -1.2]))` → [1, -2]. */
export function floor(x: TensorLike): Tensor {
  return unaryOp("floor", "Floor", x, (dy) => zerosLike(dy));
}
/** Each element rounded up. Example: `tf.ceil(tf.tensor1d([1.2, -1.7]))` → [2, -1]. */
export function ceil(x: TensorLike): Tensor {
  return unaryOp("ceil", "Ceil", x, (dy) => zerosLike(dy));
}
/** Rounds half to even (like TF.js). */
export function round(x: TensorLike): Tensor {
  return unaryOp("round", "Round", x, (dy) => zerosLike(dy));
}
/** Sine of each element (radians). Example: `tf.sin(tf.linspace(0, Math.PI, 5))`. */
export function sin(x: TensorLike): Tensor {
  return unaryOp("sin", "Sin", x, (dy, x) => mul(dy, cos(x)), FLOAT);
}
/** Cosine of each element (radians). Example: `tf.cos(tf.scalar(0))` → 1. */
export function cos(x: TensorLike): Tensor {
  return unaryOp("cos", "Cos", x, (dy, x) => neg(mul(dy, sin(x))), FLOAT);
}
/** The Gauss error function. */
export function erf(x: TensorLike): Tensor {
  return unaryOp("erf", "Erf", x, (dy, x) => mul(dy, mul(exp(neg(mul(x, x))), 2 / Math.sqrt(Math.PI))), FLOAT);
}
/** `1 / (1 + e^-x)`. */
export function sigmoid(x: TensorLike): Tensor {
  return unaryOp("sigmoid", "Sigmoid", x, (dy, _x, y) => activationGrad("sigmoid", y, dy), FLOAT);
}
/** Hyperbolic tangent of each element, in (-1, 1): a common activation. Example: `tf.tanh(tf.tensor1d([-2, 0, 2]))`. */
export function tanh(x: TensorLike): Tensor {
  return unaryOp("tanh", "Tanh", x, (dy, _x, y) => activationGrad("tanh", y, dy), FLOAT);
}
/** `max(x, 0)`. */
export function relu(x: TensorLike): Tensor {
  const t = convert(x, "x", "relu");
  // float32: the gradient is one kernel on the output (y > 0 exactly where x > 0, NaN gives 0 either way).
  if (t.dtype === "float32") return unaryOp("relu", "Relu", t, (dy, _x, y) => activationGrad("relu", y, dy));
  return unaryOp("relu", "Relu", t, (dy, xs) => where(greater(xs, 0), dy, 0));
}
/** `log(1 + e^x)`. */
export function softplus(x: TensorLike): Tensor {
  return unaryOp("softplus", "Softplus", x, (dy, x) => mul(dy, sigmoid(x)), FLOAT);
}
/** True where `x` is NaN. */
export function isNaN(x: TensorLike): Tensor {
  return unaryOp("isNaN", "IsNaN", x, null, { outDtype: "bool" });
}

// ---- composites (gradients come from the tape)

/** `min(max(x, lo), hi)`; the gradient passes where `lo <= x <= hi`. */
export function clipByValue(x: TensorLike, clipValueMin: number, clipValueMax: number): Tensor {
  if (!(clipValueMin <= clipValueMax)) {
    throw new Error(`clipByValue: clipValueMin (${clipValueMin}) must be <= clipValueMax (${clipValueMax})`);
  }
  return minimum(maximum(convert(x, "x", "clipByValue"), clipValueMin), clipValueMax);
}

/** `min(max(x, 0), 6)`. */
export function relu6(x: TensorLike): Tensor {
  return clipByValue(x, 0, 6);
}

/** `x` where positive, `alpha·x` elsewhere. */
export function leakyRelu(x: TensorLike, alpha = 0.2): Tensor {
  const t = convert(x, "x", "leakyRelu");
  return where(greater(t, 0), t, mul(t, alpha));
}

/** `x` where positive, `e^x - 1` elsewhere. */
export function elu(x: TensorLike): Tensor {
  const t = convert(x, "x", "elu");
  // expm1 of min(x, 0): the unused branch never overflows, so its gradient is never inf·0.
  return where(greater(t, 0), t, expm1(minimum(t, 0)));
}

const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;

/** Scaled ELU: `scale·x` where positive, `scale·alpha·(e^x - 1)` elsewhere. */
export function selu(x: TensorLike): Tensor {
  const t = convert(x, "x", "selu");
  return mul(where(greater(t, 0), t, mul(expm1(minimum(t, 0)), SELU_ALPHA)), SELU_SCALE);
}

/** Parametric ReLU: `x` where positive, `alpha·x` elsewhere (`alpha` broadcasts). */
export function prelu(x: TensorLike, alpha: TensorLike): Tensor {
  const t = convert(x, "x", "prelu");
  return where(greater(t, 0), t, mul(t, alpha));
}

/** `sin(x) / cos(x)`. */
export function tan(x: TensorLike): Tensor {
  const t = convert(x, "x", "tan");
  return div(sin(t), cos(t));
}

/** `(e^x - e^-x) / 2`. */
export function sinh(x: TensorLike): Tensor {
  const t = convert(x, "x", "sinh");
  return mul(sub(exp(t), exp(neg(t))), 0.5);
}

/** `(e^x + e^-x) / 2`. */
export function cosh(x: TensorLike): Tensor {
  const t = convert(x, "x", "cosh");
  return mul(add(exp(t), exp(neg(t))), 0.5);
}

/** `log(sigmoid(x))` = `-softplus(-x)`, stable for large |x|. */
export function logSigmoid(x: TensorLike): Tensor {
  return neg(softplus(neg(convert(x, "x", "logSigmoid"))));
}

/** 1 where `x > 0`, `alpha` elsewhere (no gradient). */
export function step(x: TensorLike, alpha = 0): Tensor {
  const t = convert(x, "x", "step");
  return where(greater(t, 0), 1, alpha);
}

/** True where `x` is +∞ or -∞. */
export function isInf(x: TensorLike): Tensor {
  return equal(abs(convert(x, "x", "isInf")), Infinity);
}

/** True where `x` is neither NaN nor infinite. */
export function isFinite(x: TensorLike): Tensor {
  const t = convert(x, "x", "isFinite");
  return logicalNot(logicalOr(isNaN(t), isInf(t)));
}
