/**
 * Fused optimizer updates (one kernel each instead of a dozen elementwise ops). They compute new
 * values only; the optimizer assigns them to its variables. Not differentiable (no gradient is recorded).
 */
import { getEngine } from "../engine.js";
import type { Tensor } from "../tensor.js";
import { shapeStr } from "./util.js";

function checkFloat(op: string, name: string, t: Tensor): void {
  t.throwIfDisposed();
  if (t.dtype !== "float32") throw new Error(`${op}: ${name} must be float32, got ${t.dtype}`);
}

function checkPacked(op: string, moments: Tensor, like: Tensor): void {
  const ok =
    moments.rank === like.rank + 1 && moments.shape[0] === 2 && like.shape.every((d, i) => d === moments.shape[i + 1]);
  if (!ok) throw new Error(`${op}: moments ${shapeStr(moments.shape)} must be [2, ...${shapeStr(like.shape)}]`);
}

/**
 * Adam's moment update. `moments` packs `[2, ...g.shape]`: the first moment m, then the second v.
 * Returns the updated pair in the same layout: `m' = β1·m + (1 − β1)·g`, `v' = β2·v + (1 − β2)·g²`.
 */
export function adamMoments(moments: Tensor, g: Tensor, beta1: number, beta2: number): Tensor {
  checkFloat("adamMoments", "moments", moments);
  checkFloat("adamMoments", "g", g);
  checkPacked("adamMoments", moments, g);
  return getEngine().runKernel(
    "AdamMoments",
    [moments, g],
    { beta1, beta2 },
    { shape: moments.shape.slice(), dtype: "float32" },
  );
}

/**
 * Adam's new weights from updated moments (see `adamMoments`):
 * `w − learningRate · m̂ / (√v̂ + ε)` with `m̂ = m / (1 − beta1Power)`, `v̂ = v / (1 − beta2Power)`.
 */
export function adamStep(
  w: Tensor,
  moments: Tensor,
  learningRate: number,
  beta1Power: number,
  beta2Power: number,
  epsilon: number,
): Tensor {
  checkFloat("adamStep", "w", w);
  checkFloat("adamStep", "moments", moments);
  checkPacked("adamStep", moments, w);
  return getEngine().runKernel(
    "AdamStep",
    [w, moments],
    { learningRate, beta1Power, beta2Power, epsilon },
    { shape: w.shape.slice(), dtype: "float32" },
  );
}
