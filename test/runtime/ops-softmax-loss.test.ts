/**
 * Activation gradients (one fused kernel from the output), softmax (fused over the last axis) and
 * the fused cross-entropy, with gradients, on every backend.
 */
import { expect, it } from "vitest";
import * as tf from "../../src/runtime/index.js";
import { crossEntropy, sparseCrossEntropy } from "../../src/runtime/ops/loss.js";
import { biasActivation } from "../../src/runtime/ops/bias-activation.js";
import { expectGradOk, expectValues, forEachBackend } from "./backends.js";

function softmaxRows(rows: number[][]): number[][] {
  return rows.map((r) => {
    const m = Math.max(...r);
    const e = r.map((v) => Math.exp(v - m));
    const s = e.reduce((a, b) => a + b, 0);
    return e.map((v) => v / s);
  });
}

function crossEntropyRows(t: number[][], p: number[][], eps: number): number[] {
  return p.map((row, i) => {
    const s = row.reduce((a, b) => a + b, 0);
    return -row.reduce((acc, v, j) => acc + t[i][j] * Math.log(Math.min(Math.max(v / s, eps), 1 - eps)), 0);
  });
}

forEachBackend(({ tol }) => {
  it("relu, sigmoid and tanh gradients come from their outputs", () => {
    const x = tf.tensor([-2, -0.5, 0, 0.25, 3, NaN]);
    const dy = tf.tensor([1, 2, 3, 4, 5, 6]);
    // relu: 0 at and below 0, and for NaN
    expectValues(tf.grad((t) => tf.relu(t))(x, dy), [0, 0, 0, 4, 5, 0], tol());
    const v = [-2, -0.5, 0, 0.25, 3];
    const s = v.map((a) => 1 / (1 + Math.exp(-a)));
    const d5 = tf.tensor([1, 2, 3, 4, 5]);
    expectValues(
      tf.grad((t) => tf.sigmoid(t))(tf.tensor(v), d5),
      s.map((y, i) => (i + 1) * y * (1 - y)),
      tol(),
    );
    expectValues(
      tf.grad((t) => tf.tanh(t))(tf.tensor(v), d5),
      v.map((a, i) => (i + 1) * (1 - Math.tanh(a) ** 2)),
      tol(),
    );
    expectValues(tf.relu(tf.tensor([-3, 4], [2], "int32")), [0, 4]);
  });

  it("biasActivation adds the bias along the last axis and activates, with gradients", () => {
    const xv = [
      [
        [-1, 0.5, 2],
        [0.25, -0.75, 1.5],
      ],
      [
        [0.3, -2, 0.1],
        [1, 1, -1],
      ],
    ];
    const bias = [0.2, -0.4, 0.6];
    const pre = xv.map((m) => m.map((r) => r.map((v, j) => v + bias[j])));
    const f = {
      linear: (v: number) => v,
      relu: (v: number) => Math.max(v, 0),
      sigmoid: (v: number) => 1 / (1 + Math.exp(-v)),
      tanh: Math.tanh,
    };
    for (const name of ["linear", "relu", "sigmoid", "tanh"] as const) {
      const y = biasActivation(tf.tensor(xv), tf.tensor(bias), name);
      expectValues(
        y,
        pre.map((m) => m.map((r) => r.map(f[name]))),
        tol(),
      );
      expectGradOk((x, b) => biasActivation(x, b, name).mul(tf.tensor([1, -2, 3])), [tf.tensor(xv), tf.tensor(bias)]);
    }
    expect(() => biasActivation(tf.zeros([2, 3]), tf.zeros([2]), "relu")).toThrow(/must be \[channels\]/);
  });

  const logits = [
    [1, 2, 3, -1, 0.5],
    [-2, 0, 0.25, 4, 1],
    [1000, 999, 998, 0, -1000],
  ];

  it("softmax over the last axis, stable for large logits", () => {
    expectValues(tf.softmax(tf.tensor(logits)), softmaxRows(logits), tol());
    const y = tf.softmax(tf.tensor([logits, logits.map((r) => r.map((v) => -v))]));
    expect(y.shape).toEqual([2, 3, 5]);
    expectValues(y.slice([1], [1]).reshape([3, 5]), softmaxRows(logits.map((r) => r.map((v) => -v))), tol());
  });

  it("softmax along another axis matches the last-axis result transposed", () => {
    const x = tf.tensor(logits.slice(0, 2));
    expectValues(tf.softmax(x, 0).transpose(), tf.softmax(x.transpose()).arraySync() as number[][], tol());
  });

  it("softmax gradient matches finite differences", () => {
    const w = tf.tensor([
      [0.3, -1, 2, 0.5, 1],
      [1, 0, -0.5, 2, -1],
    ]);
    expectGradOk((x) => tf.softmax(x).mul(w), [tf.tensor(logits.slice(0, 2))]);
    expectGradOk((x) => tf.softmax(x).square(), [tf.tensor([[[0.1, 0.2, -0.3]], [[1, -1, 0.5]]])]);
  });

  const probs = [
    [0.1, 0.6, 0.3],
    [0.25, 0.25, 0.5],
    [0.7, 0.2, 0.1],
  ];
  const onehot = [
    [0, 1, 0],
    [1, 0, 0],
    [0, 0, 1],
  ];

  it("crossEntropy per row, with the probabilities renormalised and clipped", () => {
    expectValues(crossEntropy(tf.tensor(onehot), tf.tensor(probs), 1e-7), crossEntropyRows(onehot, probs, 1e-7), tol());
    const soft = [
      [0.2, 0.5, 0.3],
      [0.1, 0.1, 0.8],
      [0.3, 0.3, 0.4],
    ];
    const unnormalised = probs.map((r) => r.map((v) => v * 3));
    expectValues(
      crossEntropy(tf.tensor(soft), tf.tensor(unnormalised), 1e-7),
      crossEntropyRows(soft, probs, 1e-7),
      tol(),
    );
    // A zero probability is clipped to ε: the loss is −log ε, not infinite.
    expectValues(crossEntropy(tf.tensor([[1, 0]]), tf.tensor([[0, 1]]), 1e-7), [-Math.log(1e-7)], tol());
  });

  it("crossEntropy gradients (probabilities and targets) match finite differences", () => {
    expectGradOk((p) => crossEntropy(tf.tensor(onehot), p, 1e-7).mul(tf.tensor([1, 2, -1])), [tf.tensor(probs)]);
    expectGradOk(
      (p) => crossEntropy(tf.tensor(onehot), p, 1e-7).sum(),
      [tf.tensor(probs.map((r) => r.map((v) => v * 2)))],
    );
    expectGradOk((t, p) => crossEntropy(t, p, 1e-7).sum(), [tf.tensor(onehot), tf.tensor(probs)]);
  });

  it("crossEntropy gives no gradient through a clipped probability", () => {
    // The target class has ratio 0.01 < ε = 0.05: the clip holds it at ε, so the loss is flat there
    // (unclipped, the gradient would be [-99, 1, 1]).
    const clipped = tf.grad((p) => crossEntropy(tf.tensor([[1, 0, 0]]), p, 0.05).sum())(tf.tensor([[0.01, 0.5, 0.49]]));
    expectValues(clipped, [[0, 0, 0]], tol());
    const free = tf.grad((p) => crossEntropy(tf.tensor([[1, 0, 0]]), p, 0.005).sum())(tf.tensor([[0.01, 0.5, 0.49]]));
    expectValues(free, [[-99, 1, 1]], tol() * 10);
  });

  it("sparseCrossEntropy equals crossEntropy against one-hot targets", () => {
    const labels = onehot.map((r) => r.indexOf(1));
    const reference = crossEntropyRows(onehot, probs, 1e-7);
    expectValues(sparseCrossEntropy(tf.tensor(labels), tf.tensor(probs), 1e-7), reference, tol());
    expectValues(sparseCrossEntropy(tf.tensor(labels, [3], "int32"), tf.tensor(probs), 1e-7), reference, tol());
    // unnormalised rows, more than one leading axis, a fractional label (its floor) and the clip at ε
    const unnormalised = probs.map((r) => r.map((v) => v * 3));
    const y = sparseCrossEntropy(
      tf.tensor([
        [1.75, 0],
        [2, 0],
      ]),
      tf.tensor([
        [unnormalised[0], unnormalised[1]],
        [unnormalised[2], [0, 0, 1]],
      ]),
      1e-7,
    );
    expect(y.shape).toEqual([2, 2]);
    expectValues(
      y,
      [
        [reference[0], reference[1]],
        [reference[2], -Math.log(1e-7)],
      ],
      tol(),
    );
  });

  it("sparseCrossEntropy gives 0 loss and gradient for labels outside the classes", () => {
    const p = tf.tensor(probs);
    const labels = tf.tensor([-1, 3, NaN]);
    expectValues(sparseCrossEntropy(labels, p, 1e-7), [0, 0, 0], tol());
    expectValues(
      tf.grad((q) => sparseCrossEntropy(labels, q, 1e-7).sum())(p),
      probs.map((r) => r.map(() => 0)),
      tol(),
    );
    const mixed = tf.grad((q) => sparseCrossEntropy(tf.tensor([5, 1, 0]), q, 1e-7).sum())(p);
    const oneHotGrad = tf.grad((q) =>
      crossEntropy(
        tf.tensor([
          [0, 0, 0],
          [0, 1, 0],
          [1, 0, 0],
        ]),
        q,
        1e-7,
      ).sum(),
    )(p);
    expectValues(mixed, oneHotGrad.arraySync() as number[][], tol());
  });

  it("sparseCrossEntropy gradient matches finite differences and crossEntropy's", () => {
    const labels = tf.tensor(onehot.map((r) => r.indexOf(1)));
    const w = tf.tensor([1, 2, -1]);
    expectGradOk((p) => sparseCrossEntropy(labels, p, 1e-7).mul(w), [tf.tensor(probs)]);
    expectGradOk((p) => sparseCrossEntropy(labels, p, 1e-7).sum(), [tf.tensor(probs.map((r) => r.map((v) => v * 2)))]);
    const sparse = tf.grad((p) => sparseCrossEntropy(labels, p, 1e-7).mul(w))(tf.tensor(probs));
    const dense = tf.grad((p) => crossEntropy(tf.tensor(onehot), p, 1e-7).mul(w))(tf.tensor(probs));
    expectValues(sparse, dense.arraySync() as number[][], tol());
    // the clip at ε = 0.05 holds the label's ratio 0.01: no gradient through it (as crossEntropy)
    const clipped = tf.grad((p) => sparseCrossEntropy(tf.tensor([0]), p, 0.05).sum())(tf.tensor([[0.01, 0.5, 0.49]]));
    expectValues(clipped, [[0, 0, 0]], tol());
  });

  it("sparseCrossEntropy rejects labels that do not match the rows", () => {
    expect(() => sparseCrossEntropy(tf.zeros([3]), tf.zeros([2, 4]), 1e-7)).toThrow(/without its last axis/);
    expect(() => sparseCrossEntropy(tf.zeros([2, 4]), tf.zeros([2, 4]), 1e-7)).toThrow(/without its last axis/);
  });

  it("crossEntropy rejects targets of another shape", () => {
    expect(() => crossEntropy(tf.zeros([2, 3]), tf.zeros([2, 4]), 1e-7)).toThrow(/must have one shape/);
  });
});
