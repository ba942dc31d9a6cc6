/** The simple recurrence as one kernel each way (internal: used by the SimpleRNN layer). */
import { getEngine } from "../engine.js";
import type { Tensor } from "../tensor.js";
import { matMul } from "./linalg.js";
import { concat, reshape, slice } from "./shape.js";
import { shapeStr } from "./util.js";

export type RnnActivation = "relu" | "sigmoid" | "tanh";

/**
 * Every state `[steps, batch, units]` of `h_t = activation(xw_t + h_{t−1}·u)` from time-major
 * projected inputs `xw` `[steps, batch, units]`, the first state `h0` `[batch, units]` and the
 * recurrent kernel `u` `[units, units]` (float32). Its gradient walks back through time in one
 * RnnBackward kernel; `h0`'s gradient is one product and `u`'s one product over all steps.
 */
export function rnnForward(xw: Tensor, h0: Tensor, u: Tensor, activation: RnnActivation): Tensor {
  if (xw.dtype !== "float32" || h0.dtype !== "float32" || u.dtype !== "float32") {
    throw new Error(`rnnForward: xw, h0 and u must be float32, got ${xw.dtype}, ${h0.dtype} and ${u.dtype}`);
  }
  const [steps, batch, units] = xw.shape;
  if (
    xw.rank !== 3 ||
    h0.rank !== 2 ||
    h0.shape[0] !== batch ||
    h0.shape[1] !== units ||
    u.rank !== 2 ||
    u.shape[0] !== units ||
    u.shape[1] !== units
  ) {
    throw new Error(
      `rnnForward: expects xw [steps, batch, units], h0 [batch, units], u [units, units], got ${shapeStr(xw.shape)}, ${shapeStr(h0.shape)}, ${shapeStr(u.shape)}`,
    );
  }
  return getEngine().runKernel(
    "RnnForward",
    [xw, h0, u],
    { activation },
    { shape: [steps, batch, units], dtype: "float32" },
    (dhs, [, h, uk], hs, needed) => {
      const dz = rnnBackward(hs, uk, dhs, activation);
      const dh0 = needed[1]
        ? matMul(reshape(slice(dz, [0, 0, 0], [1, batch, units]), [batch, units]), uk, false, true)
        : null;
      let du: Tensor | null = null;
      if (needed[2]) {
        // The state each step started from: h0, then h_1 … h_{T−1}.
        const before =
          steps === 1 ? h : concat([reshape(h, [1, batch, units]), slice(hs, [0, 0, 0], [steps - 1, batch, units])], 0);
        du = matMul(reshape(before, [steps * batch, units]), reshape(dz, [steps * batch, units]), true, false);
      }
      return [needed[0] ? dz : null, dh0, du];
    },
  );
}

/** The pre-activation gradients `[steps, batch, units]` of rnnForward from its states `hs` and their gradient `dhs`. */
export function rnnBackward(hs: Tensor, u: Tensor, dhs: Tensor, activation: RnnActivation): Tensor {
  return getEngine().runKernel(
    "RnnBackward",
    [hs, u, dhs],
    { activation },
    { shape: hs.shape.slice(), dtype: "float32" },
    () => {
      throw new Error(
        "second-order gradients through simpleRNN's fused recurrence are not supported " +
          "(differentiate its gradient with a model of lstm/gru layers or written with tf ops instead)",
      );
    },
  );
}
