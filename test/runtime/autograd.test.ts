import { expect, it } from "vitest";
import * as tf from "../../src/runtime/index.js";
import { expectValues, forEachBackend } from "./backends.js";

forEachBackend(({ tol }) => {
  it("grad of x² is 2x; dy weights a non-scalar result", () => {
    const g = tf.grad((x) => x.square())(tf.tensor([1, 2, 3]));
    expectValues(g, [2, 4, 6]);
    const w = tf.grad((x) => x.square())(tf.tensor([1, 2, 3]), tf.tensor([1, 0, 10]));
    expectValues(w, [2, 0, 60]);
  });

  it("grads of several arguments; a tensor used twice sums its gradients", () => {
    const [ga, gb] = tf.grads((a, b) => a.mul(b).add(a.square()))([tf.tensor([2, 3]), tf.tensor([5, 7])]);
    expectValues(ga, [5 + 4, 7 + 6]);
    expectValues(gb, [2, 3]);
  });

  it("each gradient is a tensor of its own, even when the math makes them the same", () => {
    const [ga, gb] = tf.grads((a, b) => a.add(b).mul(2))([tf.tensor([1]), tf.tensor([2])]);
    expect(ga).not.toBe(gb);
    ga.dispose();
    expectValues(gb, [2]);
    const [gx, gy] = tf.grads((a, b) => a.add(b))([tf.tensor([1]), tf.tensor([2])], tf.tensor([5]));
    expect(gx).not.toBe(gy);
    expectValues(gx, [5]);
  });

  it("valueAndGrad / valueAndGrads", () => {
    const { value, grad } = tf.valueAndGrad((x) => x.exp().sum())(tf.tensor([0, 1]));
    expectValues(value, 1 + Math.E, tol() * 10);
    expectValues(grad, [1, Math.E], tol() * 10);
    const r = tf.valueAndGrads((a, b) => a.div(b))([tf.scalar(6), tf.scalar(3)]);
    expectValues(r.value, 2);
    expectValues(r.grads[0], 1 / 3, tol());
    expectValues(r.grads[1], -6 / 9, tol());
  });

  it("variableGrads differentiates the trainable variables used", () => {
    const w = tf.variable(tf.tensor([[1], [2]]), true, "autograd-w");
    const b = tf.variable(tf.scalar(0.5), true, "autograd-b");
    const frozen = tf.variable(tf.scalar(3), false, "autograd-frozen");
    const unused = tf.variable(tf.scalar(1), true, "autograd-unused");
    const x = tf.tensor([
      [1, 1],
      [2, 3],
    ]);
    const { value, grads } = tf.variableGrads(() => x.matMul(w).add(b).mul(frozen).sum());
    // y = 3·Σ(xw + b) → dw = 3·Σ_rows x, db = 3·rows
    expectValues(value, 3 * (3 + 8 + 2 * 0.5), tol());
    expectValues(grads["autograd-w"], [[9], [12]], tol());
    expectValues(grads["autograd-b"], 6, tol());
    expect(grads["autograd-frozen"]).toBeUndefined();
    expect(grads["autograd-unused"]).toBeUndefined();
    const only = tf.variableGrads(() => w.sum(), [w]);
    expect(Object.keys(only.grads)).toEqual(["autograd-w"]);
    expect(() => tf.variableGrads(() => w.sum().reshape([1]))).toThrow(
      "variableGrads: f must return a scalar tensor, got shape [1]",
    );
    tf.dispose([w, b, frozen, unused]);
  });

  it("customGrad replaces the gradient", () => {
    const clippedSquare = tf.customGrad((x: tf.Tensor, save: tf.GradSaveFunc) => {
      save([x]);
      return {
        value: x.square(),
        gradFunc: (dy, [saved]) => dy.mul(saved).mul(2).clipByValue(-1, 1),
      };
    });
    expectValues(clippedSquare(tf.tensor([0.2, 3])), [0.04, 9], tol());
    expectValues(tf.grad((x) => clippedSquare(x))(tf.tensor([0.2, 3])), [0.4, 1], tol());
  });

  it("no path from x to y is an error; int inputs and comparisons carry no gradient", () => {
    expect(() => tf.grad(() => tf.scalar(1))(tf.scalar(2))).toThrow(
      /Cannot compute the gradient of y = f\(x\) with respect to x/,
    );
    expect(() => tf.grad((x) => x.greater(0).cast("float32"))(tf.tensor([1]))).toThrow(/Cannot compute the gradient/);
  });

  it("gradients through reshape, broadcasting and composite ops", () => {
    const f = (x: tf.Tensor) =>
      x
        .reshape([2, 2])
        .add(tf.tensor([1, 2]))
        .softmax()
        .mul(
          tf.tensor([
            [1, 2],
            [3, 4],
          ]),
        )
        .sum();
    expect(tf.gradCheck(f, [tf.tensor([0.1, 0.4, -0.3, 0.8])]).ok).toBe(true);
  });

  it("gradCheck reports errors of a wrong gradient", () => {
    const wrong = tf.customGrad((x: tf.Tensor) => ({
      value: x.square(),
      gradFunc: (dy) => dy.mul(3),
    }));
    const r = tf.gradCheck((x) => wrong(x), [tf.tensor([1, 2])]);
    expect(r.ok).toBe(false);
    expect(r.maxRelError).toBeGreaterThan(0.1);
    const good = tf.gradCheck((x) => x.square(), [tf.tensor([1, 2])]);
    expect(good.ok).toBe(true);
    expect(good.maxRelError).toBeLessThan(1e-3);
  });

  it("grads leave no tensors behind except the results", () => {
    const x = tf.tensor([1, 2, 3]);
    const before = tf.memory().numTensors;
    const g = tf.grad((t) => t.mul(t).exp().sum())(x);
    expect(tf.memory().numTensors).toBe(before + 1);
    g.dispose();
    const { value, grad } = tf.valueAndGrad((t) => t.softmax().sum())(x);
    expect(tf.memory().numTensors).toBe(before + 2);
    tf.dispose([value, grad]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it("trace lists ops and marks the gradient path", () => {
    const w = tf.tensor([[1], [2]]);
    const x = tf.tensor([[3, 4]]);
    const other = tf.tensor([5]);
    const { result, ops } = tf.trace(
      () => {
        other.mul(2); // not on the path
        return x.matMul(w).relu().sum();
      },
      { sources: [w] },
    );
    expectValues(result, 11);
    const names = ops.map((o) => o.op);
    expect(names).toContain("BatchMatMul");
    expect(names).toContain("Relu");
    const mul = ops.find((o) => o.op === "Mul")!;
    expect(mul.onGradientPath).toBe(false);
    expect(ops.find((o) => o.op === "Relu")!.onGradientPath).toBe(true);
    const mm = ops.find((o) => o.op === "BatchMatMul")!;
    // matrices go to BatchMatMul as they are (the kernel sees them as one-matrix batches)
    expect(mm.inputs.map((i) => i.shape)).toEqual([
      [1, 2],
      [2, 1],
    ]);
    expect(mm.output.shape).toEqual([1, 1]);
    expect(ops[ops.length - 1].output.id).toBe(result.id);
  });
});
