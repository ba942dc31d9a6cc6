/** A layer's bias and activation as one kernel (internal: used by the Dense and convolution layers). */
import { getEngine } from "../engine.js";
import type { Tensor } from "../tensor.js";
import { activationGrad } from "./activation-grad.js";
import { reduceTo } from "./arithmetic.js";
import { shapeStr } from "./util.js";

export type BiasActivationName = "linear" | "relu" | "sigmoid" | "tanh";

/**
 * `activation(x + bias)` with `bias` (`[channels]`) along the last axis of float32 `x`. Its gradient
 * is one ActivationGrad kernel from the output, and the bias's gradient the sum over the other axes.
 */
export function biasActivation(x: Tensor, bias: Tensor, activation: BiasActivationName): Tensor {
  if (x.dtype !== "float32" || bias.dtype !== "float32")
    throw new Error(`biasActivation: x and bias must be float32, got ${x.dtype} and ${bias.dtype}`);
  if (x.rank === 0 || bias.rank !== 1 || bias.shape[0] !== x.shape[x.rank - 1]) {
    throw new Error(`biasActivation: bias ${shapeStr(bias.shape)} must be [channels] for x ${shapeStr(x.shape)}`);
  }
  return getEngine().runKernel(
    "BiasActivation",
    [x, bias],
    { activation },
    { shape: x.shape.slice(), dtype: "float32" },
    (dy, [, b], y, needed) => {
      const dz = activation === "linear" ? dy : activationGrad(activation, y, dy);
      return [needed[0] ? dz : null, needed[1] ? reduceTo(dz, b.shape) : null];
    },
  );
}
