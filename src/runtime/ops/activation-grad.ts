/** An activation's gradient from its output in one kernel (internal: used by unary.ts and the recurrent layers). */
import { getEngine } from "../engine.js";
import type { Tensor } from "../tensor.js";
import { mul, sub } from "./arithmetic.js";

export type GradActivation = "relu" | "sigmoid" | "tanh";

/**
 * `dy·∂y/∂x` for `y = activation(x)`, computed from float32 `y` (see the ActivationGrad kernel).
 * Its own gradient (for gradients of gradients): linear in `dy`, and through `y` for sigmoid
 * (`dy·y·(1 − y)`) and tanh (`dy·(1 − y²)`); relu's is 0 almost everywhere.
 */
export function activationGrad(activation: GradActivation, y: Tensor, dy: Tensor): Tensor {
  return getEngine().runKernel(
    "ActivationGrad",
    [y, dy],
    { activation },
    { shape: y.shape.slice(), dtype: "float32" },
    (g, [ys, dys], _out, needed) => {
      let dYs: Tensor | null = null;
      if (needed[0] && activation === "sigmoid") dYs = mul(mul(g, dys), sub(1, mul(ys, 2)));
      if (needed[0] && activation === "tanh") dYs = mul(mul(g, dys), mul(ys, -2));
      return [dYs, needed[1] ? activationGrad(activation, ys, g) : null];
    },
  );
}
