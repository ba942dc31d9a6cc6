/** An activation's gradient from its output in one kernel (internal: used by unary.ts and the recurrent layers). */
import { getEngine } from "../engine.js";
import type { Tensor } from "../tensor.js";

export type GradActivation = "relu" | "sigmoid" | "tanh";

/** `dy·∂y/∂x` for `y = activation(x)`, computed from float32 `y` (see the ActivationGrad kernel). */
export function activationGrad(activation: GradActivation, y: Tensor, dy: Tensor): Tensor {
  return getEngine().runKernel("ActivationGrad", [y, dy], { activation }, { shape: y.shape.slice(), dtype: "float32" });
}
