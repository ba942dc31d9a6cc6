/**
 * Inverse trigonometric (from `atan2`'s kernel) and inverse hyperbolic functions, composed from other
 * ops with their own derivative (written with ops too, so gradients of gradients work).
 */
import type { Tensor, TensorLike } from "../tensor.js";
import { add, atan2, div, mul, sub } from "./arithmetic.js";
import { abs, log1p, neg, sign, sqrt, square } from "./unary.js";
import { elementwiseWithDerivative } from "./with-derivative.js";

/** `√((1 − x)(1 + x))` = `√(1 − x²)` without cancellation near ±1. */
function cosOfAsin(t: Tensor): Tensor {
  return sqrt(mul(sub(1, t), add(1, t)));
}

/** Arcsine in [-π/2, π/2] (NaN outside [-1, 1]). Example: `tf.asin(tf.tensor([-1, 0, 0.5]))`. */
export function asin(x: TensorLike): Tensor {
  return elementwiseWithDerivative(
    "asin",
    x,
    (t) => atan2(t, cosOfAsin(t)),
    (t) => div(1, cosOfAsin(t)),
  );
}

/** Arccosine in [0, π] (NaN outside [-1, 1]). Example: `tf.acos(tf.tensor([-1, 0, 0.5]))`. */
export function acos(x: TensorLike): Tensor {
  return elementwiseWithDerivative(
    "acos",
    x,
    (t) => atan2(cosOfAsin(t), t),
    (t) => neg(div(1, cosOfAsin(t))),
  );
}

/** Arctangent in (-π/2, π/2). Example: `tf.atan(tf.tensor([-1, 0, 10]))`. */
export function atan(x: TensorLike): Tensor {
  return elementwiseWithDerivative(
    "atan",
    x,
    (t) => atan2(t, 1),
    (t) => div(1, add(1, square(t))),
  );
}

/** Inverse hyperbolic sine. Example: `tf.asinh(tf.tensor([-1, 0, 2]))`. */
export function asinh(x: TensorLike): Tensor {
  return elementwiseWithDerivative(
    "asinh",
    x,
    // sign(x)·log1p(|x| + x²/(1 + √(x² + 1))): accurate near 0 and for negative x.
    (t) => {
      const a = abs(t);
      const sq = square(a);
      return mul(sign(t), log1p(add(a, div(sq, add(1, sqrt(add(sq, 1)))))));
    },
    (t) => div(1, sqrt(add(square(t), 1))),
  );
}

/** Inverse hyperbolic cosine (NaN below 1). Example: `tf.acosh(tf.tensor([1, 2, 10]))`. */
export function acosh(x: TensorLike): Tensor {
  return elementwiseWithDerivative(
    "acosh",
    x,
    // log(x + √(x² − 1)) = log1p((x − 1) + √((x − 1)(x + 1))).
    (t) => {
      const m = sub(t, 1);
      return log1p(add(m, sqrt(mul(m, add(t, 1)))));
    },
    (t) => div(1, sqrt(mul(sub(t, 1), add(t, 1)))),
  );
}

/** Inverse hyperbolic tangent (NaN outside [-1, 1]). Example: `tf.atanh(tf.tensor([-0.5, 0, 0.9]))`. */
export function atanh(x: TensorLike): Tensor {
  return elementwiseWithDerivative(
    "atanh",
    x,
    (t) => mul(0.5, sub(log1p(t), log1p(mul(t, -1)))),
    (t) => div(1, mul(sub(1, t), add(1, t))),
  );
}
