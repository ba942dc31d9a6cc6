/** Neural-network composites: softmax, logSoftmax, dropout, batchNorm. */
import { generatorFor } from "../random.js";
import type { Tensor, TensorLike } from "../tensor.js";
import { add, div, mul, sub } from "./arithmetic.js";
import { convert } from "./convert.js";
import { getEngine } from "../engine.js";
import { max, sum } from "./reduction.js";
import { cast, stopGradient } from "./shape.js";
import { exp, log, rsqrt } from "./unary.js";
import { normAxis, shapeStr } from "./util.js";

function floatArg(op: string, v: TensorLike, name: string): Tensor {
  const t = convert(v, name, op);
  return t.dtype === "float32" ? t : cast(t, "float32");
}

/** `exp(x) / sum(exp(x))` along `dim` (default last). Example: `tf.softmax(logits)`. */
export function softmax(logits: TensorLike, dim = -1): Tensor {
  const x = floatArg("softmax", logits, "logits");
  if (x.rank === 0) throw new Error("softmax: logits must have rank >= 1");
  const axis = normAxis("softmax", dim, x.rank);
  if (axis === x.rank - 1) {
    return getEngine().runKernel("Softmax", [x], {}, { shape: x.shape.slice(), dtype: "float32" }, (dy, _x, y) => [
      softmaxGrad(y, dy),
    ]);
  }
  // Shifting by the (constant) maximum avoids overflow and does not change the result or its gradient.
  const e = exp(sub(x, stopGradient(max(x, axis, true))));
  return div(e, sum(e, axis, true));
}

/**
 * Softmax's gradient over the last axis from its output: `y·(dy − Σ dy·y)`. Its own gradient (for
 * gradients of gradients): the same map of `g` for `dy` (the Jacobian is symmetric), and
 * `g·(dy − Σ dy·y) − dy·Σ g·y` for `y`.
 */
function softmaxGrad(y: Tensor, dy: Tensor): Tensor {
  return getEngine().runKernel(
    "SoftmaxGrad",
    [y, dy],
    {},
    { shape: y.shape.slice(), dtype: "float32" },
    (g, [ys, dys], _out, needed) => [
      needed[0] ? sub(mul(g, sub(dys, sum(mul(dys, ys), -1, true))), mul(dys, sum(mul(g, ys), -1, true))) : null,
      needed[1] ? softmaxGrad(ys, g) : null,
    ],
  );
}

/** `x - logSumExp(x)` along `axis` (default last), computed stably. */
export function logSoftmax(logits: TensorLike, axis = -1): Tensor {
  const x = floatArg("logSoftmax", logits, "logits");
  if (x.rank === 0) throw new Error("logSoftmax: logits must have rank >= 1");
  const a = normAxis("logSoftmax", axis, x.rank);
  const shifted = sub(x, stopGradient(max(x, a, true)));
  return sub(shifted, log(sum(exp(shifted), a, true)));
}

/**
 * Zeroes each element with probability `rate` and scales the rest by `1 / (1 - rate)`.
 * `noiseShape` (broadcast to x) shares the mask along axes of length 1; `seed` makes it reproducible
 * (otherwise the global generator, see `tf.setSeed`). Example: `tf.dropout(x, 0.5)`.
 */
export function dropout(x: TensorLike, rate: number, noiseShape?: number[], seed?: number): Tensor {
  const t = floatArg("dropout", x, "x");
  if (!(rate >= 0 && rate < 1)) throw new Error(`dropout: rate must be in [0, 1), got ${rate}`);
  if (rate === 0) return getEngine().runView("Identity", t, t.shape.slice(), (dy) => [dy]);
  const shape = noiseShape ?? t.shape;
  const g = generatorFor(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  const mask = new Float32Array(n);
  const scale = 1 / (1 - rate);
  for (let i = 0; i < n; i++) mask[i] = g.next() >= rate ? scale : 0;
  const m = getEngine().makeTensor(mask, shape.slice(), "float32");
  return mul(t, m);
}

/**
 * Batch normalisation: `(x - mean) / sqrt(variance + varianceEpsilon) * scale + offset`
 * (all broadcast against x). Example: `tf.batchNorm(x, mean, variance, beta, gamma, 1e-3)`.
 */
export function batchNorm(
  x: TensorLike,
  mean: TensorLike,
  variance: TensorLike,
  offset?: TensorLike,
  scale?: TensorLike,
  varianceEpsilon = 0.001,
): Tensor {
  const t = floatArg("batchNorm", x, "x");
  const m = floatArg("batchNorm", mean, "mean");
  const v = floatArg("batchNorm", variance, "variance");
  for (const [name, p] of [
    ["mean", m],
    ["variance", v],
  ] as const) {
    if (p.rank > t.rank)
      throw new Error(`batchNorm: ${name} shape ${shapeStr(p.shape)} has a higher rank than x ${shapeStr(t.shape)}`);
  }
  let y = mul(sub(t, m), rsqrt(add(v, varianceEpsilon)));
  if (scale !== undefined && scale !== null) y = mul(y, floatArg("batchNorm", scale, "scale"));
  if (offset !== undefined && offset !== null) y = add(y, floatArg("batchNorm", offset, "offset"));
  return y;
}
