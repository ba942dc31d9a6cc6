/** The cpu reference of the simple recurrence kernels, by hand on two steps of two units. */
import { describe, expect, it } from "vitest";
import { expectClose, run, tensor } from "./cpu-helpers.js";

describe("cpu recurrence kernels", () => {
  // [steps 2, batch 1, units 2]; u = [[0.5, -1], [1, 0.5]]
  const u = () => tensor([0.5, -1, 1, 0.5], [2, 2]);

  it("RnnForward: h_t = activation(xw_t + h_{t-1}·u), every state", () => {
    const xw = tensor([1, -2, 0.5, 1], [2, 1, 2]);
    const h0 = tensor([1, 0], [1, 2]);
    // step 1: [1, -2] + [0.5, -1] = [1.5, -3] → [1.5, 0]; step 2: [0.5, 1] + [0.75, -1.5] = [1.25, -0.5] → [1.25, 0]
    expectClose(run("RnnForward", [xw, h0, u()], { activation: "relu" }, [2, 1, 2]), [1.5, 0, 1.25, 0]);
    const [a, b] = [Math.tanh(1.5), Math.tanh(-3)];
    expectClose(run("RnnForward", [xw, h0, u()], { activation: "tanh" }, [2, 1, 2]), [
      a,
      b,
      Math.tanh(0.5 + 0.5 * a + b),
      Math.tanh(1 - a + 0.5 * b),
    ]);
    const s = (v: number) => 1 / (1 + Math.exp(-v));
    const [c, d] = [s(1.5), s(-3)];
    expectClose(run("RnnForward", [xw, h0, u()], { activation: "sigmoid" }, [2, 1, 2]), [
      c,
      d,
      s(0.5 + 0.5 * c + d),
      s(1 - c + 0.5 * d),
    ]);
  });

  it("RnnBackward: dz_t = activation'(h_t)·(dhs_t + dz_{t+1}·uᵀ)", () => {
    const dhs = tensor([1, 2, 3, 4], [2, 1, 2]);
    // relu: dz_2 = [3, 0]; dz_2·uᵀ = [1.5, 3] so dz_1 = [2.5, 5]·[1, 0]
    expectClose(
      run("RnnBackward", [tensor([1.5, 0, 1.25, 0], [2, 1, 2]), u(), dhs], { activation: "relu" }, [2, 1, 2]),
      [2.5, 0, 3, 0],
    );
    // sigmoid: dz_2 = [3·0.8·0.2, 4·0.1·0.9] = [0.48, 0.36]; g_1 = [0.88, 2.66]; dz_1 = [0.88·0.25, 2.66·0.1875]
    expectClose(
      run("RnnBackward", [tensor([0.5, 0.25, 0.8, 0.1], [2, 1, 2]), u(), dhs], { activation: "sigmoid" }, [2, 1, 2]),
      [0.22, 0.49875, 0.48, 0.36],
    );
    // tanh: dz_2 = [3·(1 − 0.25), 4·(1 − 0.01)] = [2.25, 3.96]; g_1 = [1 + 1.125 − 3.96, 2 + 2.25 + 1.98]
    expectClose(
      run("RnnBackward", [tensor([0.5, 0, 0.5, -0.1], [2, 1, 2]), u(), dhs], { activation: "tanh" }, [2, 1, 2]),
      [-1.835 * 0.75, 6.23, 2.25, 3.96],
    );
  });

  it("rejects a recurrent kernel that is not [units, units]", () => {
    const xw = tensor([1, 2, 3, 4], [2, 1, 2]);
    expect(() =>
      run("RnnForward", [xw, tensor([0, 0], [1, 2]), tensor([1, 2], [1, 2])], { activation: "tanh" }, [2, 1, 2]),
    ).toThrow(/recurrent kernel/);
  });
});
