/** The cpu reference of the activation gradients and row kernels (softmax, cross-entropy and their gradients), by hand. */
import { describe, it } from "vitest";
import { expectClose, run, tensor } from "./cpu-helpers.js";

describe("cpu softmax and cross-entropy kernels", () => {
  it("BiasActivation: activation(x + bias) with the bias along the last axis", () => {
    const x = tensor([-1, 0.5, 2, -3, 0, 1], [3, 2]);
    const b = tensor([0.5, -1], [2]);
    // x + b = [-0.5, -0.5, 2.5, -4, 0.5, 0]
    expectClose(run("BiasActivation", [x, b], { activation: "linear" }, [3, 2]), [-0.5, -0.5, 2.5, -4, 0.5, 0]);
    expectClose(run("BiasActivation", [x, b], { activation: "relu" }, [3, 2]), [0, 0, 2.5, 0, 0.5, 0]);
    expectClose(
      run("BiasActivation", [x, b], { activation: "tanh" }, [3, 2]),
      [-0.5, -0.5, 2.5, -4, 0.5, 0].map(Math.tanh),
    );
    expectClose(
      run("BiasActivation", [x, b], { activation: "sigmoid" }, [3, 2]),
      [-0.5, -0.5, 2.5, -4, 0.5, 0].map((v) => 1 / (1 + Math.exp(-v))),
    );
  });

  it("ActivationGrad from the activation's output: relu, sigmoid, tanh", () => {
    const y = tensor([0, 0.5, 2, -0.25], [4]);
    const dy = tensor([1, 2, 3, 4], [4]);
    expectClose(run("ActivationGrad", [y, dy], { activation: "relu" }, [4]), [0, 2, 3, 0]);
    expectClose(run("ActivationGrad", [y, dy], { activation: "sigmoid" }, [4]), [0, 0.5, -6, -1.25]);
    expectClose(run("ActivationGrad", [y, dy], { activation: "tanh" }, [4]), [1, 1.5, -9, 3.75]);
  });

  it("Softmax over the last axis", () => {
    const e = [1, Math.E, Math.E ** 2];
    const s = e[0] + e[1] + e[2];
    expectClose(run("Softmax", [tensor([0, 1, 2, 5, 5, 5], [2, 3])], {}, [2, 3]), [
      ...e.map((v) => v / s),
      1 / 3,
      1 / 3,
      1 / 3,
    ]);
  });

  it("SoftmaxGrad: y·(dy − Σ dy·y)", () => {
    // y = [0.5, 0.5], dy = [1, 3]: Σ = 2 → [0.5·(1 − 2), 0.5·(3 − 2)]
    expectClose(run("SoftmaxGrad", [tensor([0.5, 0.5], [1, 2]), tensor([1, 3], [1, 2])], {}, [1, 2]), [-0.5, 0.5]);
  });

  it("CrossEntropy: −Σ t·log(clip(p / Σp))", () => {
    const t = tensor([0, 1, 1, 0], [2, 2]);
    const p = tensor([1, 3, 0, 2], [2, 2]);
    // row 0: −log(3/4); row 1: the target's probability 0 is clipped to ε
    expectClose(run("CrossEntropy", [t, p], { epsilon: 1e-7 }, [2]), [-Math.log(0.75), -Math.log(1e-7)]);
  });

  it("SparseCrossEntropy: −log(clip(p[label] / Σp)); no class outside [0, classes)", () => {
    const p = tensor([1, 3, 0, 2, 1, 1], [3, 2]);
    // row 0: label 1 → −log(3/4); row 1: label 0 has probability 0, clipped to ε; row 2: label 2 is no class
    expectClose(run("SparseCrossEntropy", [tensor([1, 0, 2], [3]), p], { epsilon: 1e-7 }, [3]), [
      -Math.log(0.75),
      -Math.log(1e-7),
      0,
    ]);
  });

  it("SparseCrossEntropyGrad: CrossEntropyGrad of the one-hot row; 0 for a row without a class", () => {
    const out = run(
      "SparseCrossEntropyGrad",
      [tensor([1, -1], [2]), tensor([1, 3, 1, 1], [2, 2]), tensor([2, 5], [2])],
      { epsilon: 1e-7 },
      [2, 2],
    );
    expectClose(out, [2 * 0.25, 2 * (-1 / 3 + 0.25), 0, 0]);
  });

  it("CrossEntropyGrad: dy·(u/Σp − Σu·p/(Σp)²) with u = −t/ratio", () => {
    // p = [1, 3], t = [0, 1], Σ = 4: u = [0, −4/3], Σu·p = −4 → dy·[0/4 + 4/16, (−4/3)/4 + 4/16] with dy = 2
    const out = run(
      "CrossEntropyGrad",
      [tensor([0, 1], [1, 2]), tensor([1, 3], [1, 2]), tensor([2], [1])],
      { epsilon: 1e-7 },
      [1, 2],
    );
    expectClose(out, [2 * 0.25, 2 * (-1 / 3 + 0.25)]);
  });
});
