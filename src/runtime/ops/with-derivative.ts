/** An elementwise op written with other ops whose gradient is given as its derivative (internal). */
import { customGrad } from "../tape.js";
import type { Tensor, TensorLike } from "../tensor.js";
import { mul } from "./arithmetic.js";
import { convert } from "./convert.js";
import { cast } from "./shape.js";

function floatArg(op: string, x: TensorLike): Tensor {
  const t = convert(x, "x", op);
  return t.dtype === "float32" ? t : cast(t, "float32");
}

/** `forward(x)` whose gradient is `dy · derivative(x)` (instead of the gradient of forward's ops). */
export function elementwiseWithDerivative(
  op: string,
  x: TensorLike,
  forward: (x: Tensor) => Tensor,
  derivative: (x: Tensor) => Tensor,
): Tensor {
  const fn = customGrad((t: Tensor, save: (ts: Tensor[]) => void) => {
    save([t]);
    return { value: forward(t), gradFunc: (dy: Tensor, [xs]: Tensor[]) => mul(dy, derivative(xs)) };
  });
  return fn(floatArg(op, x));
}
