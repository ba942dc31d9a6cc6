/** The cpu reference of the fused optimizer kernels, by hand-computed values. */
import { describe, expect, it } from "vitest";
import { expectClose, run, tensor } from "./cpu-helpers.js";

describe("cpu optimizer kernels", () => {
  it("AdamMoments: m' = β1·m + (1 − β1)·g and v' = β2·v + (1 − β2)·g², packed [2, n]", () => {
    const moments = tensor([1, -2, 0.5, 4], [2, 2]);
    const g = tensor([2, 4], [2]);
    // m' = 0.5·[1, −2] + 0.5·[2, 4] = [1.5, 1]; v' = 0.75·[0.5, 4] + 0.25·[4, 16] = [1.375, 7]
    expectClose(run("AdamMoments", [moments, g], { beta1: 0.5, beta2: 0.75 }, [2, 2]), [1.5, 1, 1.375, 7]);
  });

  it("AdamStep: w − lr·m̂/(√v̂ + ε)", () => {
    const w = tensor([1, 2], [2]);
    const moments = tensor([0.5, -0.25, 0.75, 3], [2, 2]);
    // β powers 0.5 and 0.25: m̂ = [1, −0.5], v̂ = [1, 4] → w − 0.1·[1/1, −0.5/2] = [0.9, 2.025]
    expectClose(
      run("AdamStep", [w, moments], { learningRate: 0.1, beta1Power: 0.5, beta2Power: 0.25, epsilon: 0 }, [2]),
      [0.9, 2.025],
    );
  });

  it("AdamMoments rejects moments that are not twice the gradient's size", () => {
    expect(() =>
      run("AdamMoments", [tensor([1, 2, 3], [3]), tensor([1, 2], [2])], { beta1: 0.9, beta2: 0.999 }, [3]),
    ).toThrow(/moments/);
  });
});
