/**
 * Gradients of gradients: `tf.grad(tf.grad(f))`, Hessian-vector products, gradient penalties through
 * `tf.variableGrads`, mixed partials through `tf.grads`. Checked on every backend against finite
 * differences of the first gradient (`tf.gradCheck` of a function that returns a gradient), and
 * against PyTorch (`torch.autograd.grad(create_graph=True)`, fixtures/higher-order-torch.json,
 * made by fixtures/higher-order-torch.py).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as tf from "../../src/tf.js";
import { expectGradOk, expectValues, forEachBackend } from "./backends.js";

const torch: Record<string, any> = JSON.parse(
  readFileSync(new URL("./fixtures/higher-order-torch.json", import.meta.url), "utf8"),
).cases;

const t = (v: number[] | number[][] | number[][][][]) => tf.tensor(v as number[]);

/** A fixed pseudo-random float tensor. */
function seeded(shape: number[], seed: number, lo = -1, hi = 1): tf.Tensor {
  let s = seed * 2654435761;
  const n = shape.reduce((a, b) => a * b, 1);
  const v = Float32Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return lo + ((hi - lo) * s) / 2147483648;
  });
  return tf.tensor(v, shape);
}

/** `x ↦ ∇f(x)`, weighted by fixed random `dy` inside gradCheck: its gradient is a Hessian-vector product. */
const gradOf = (f: (x: tf.Tensor) => tf.Tensor) => (x: tf.Tensor) => tf.grad(f)(x);

/** The gradient of `Σ f(x)·w` for fixed weights `w`, on the cpu backend (the reference for headlessgl). */
function onCpu(f: (x: tf.Tensor) => tf.Tensor, x: tf.Tensor): number[] {
  const previous = tf.getBackend();
  void tf.setBackend("cpu");
  try {
    return Array.from(weightedGrad(f, x).dataSync());
  } finally {
    void tf.setBackend(previous);
  }
}

function weightedGrad(f: (x: tf.Tensor) => tf.Tensor, x: tf.Tensor): tf.Tensor {
  return tf.grad((y) => {
    const out = f(y);
    return out.mul(seeded(out.shape, 77)).sum();
  })(x);
}

forEachBackend(({ name, tol }) => {
  const loose = name === "cpu" || name === "native" ? 1e-4 : 2e-3;
  // Finite differences on headlessgl's software WebGL renderer take minutes: there the derivative is
  // compared with cpu's instead, which passed the finite-difference check.
  const expectDerivativeOk = (f: (x: tf.Tensor) => tf.Tensor, x: tf.Tensor) => {
    if (name !== "headlessgl") return expectGradOk(f, [x], 5e-3);
    expectValues(weightedGrad(f, x), onCpu(f, x), loose * 5, x.shape);
  };

  it("tf.grad(tf.grad(f)) and a third derivative of a polynomial", () => {
    const x = tf.tensor([1, 2, -0.5]);
    expectValues(tf.grad(tf.grad((x) => x.mul(x).mul(x)))(x), [6, 12, -3], tol() * 10);
    expectValues(tf.grad(tf.grad(tf.grad((x) => x.mul(x).mul(x))))(x), [6, 6, 6], tol() * 10);
    expectValues(tf.grad(tf.grad((x) => x.pow(4)))(x), [12, 48, 3], tol() * 10);
  });

  describe("second derivatives match finite differences of the first", () => {
    const x = seeded([2, 3], 1, -1.5, 1.5);
    const pos = seeded([2, 3], 2, 0.3, 2);
    const cases: [string, (x: tf.Tensor) => tf.Tensor, tf.Tensor][] = [
      ["exp/log/sqrt", (x) => x.exp().add(x.square().add(1).log()).add(x.square().add(1).sqrt()), x],
      [
        "div/reciprocal/rsqrt",
        (x) =>
          x
            .reciprocal()
            .add(tf.div(1, x.add(3)))
            .add(x.rsqrt()),
        pos,
      ],
      ["sigmoid/tanh/softplus", (x) => x.sigmoid().mul(x.tanh()).add(tf.softplus(x)), x],
      ["sin/cos/erf", (x) => x.sin().mul(x.cos()).add(tf.erf(x)), x],
      ["pow with a tensor exponent", (x) => tf.pow(x, x), pos],
      ["elu/selu/leakyRelu", (x) => tf.elu(x).add(tf.selu(x)).mul(tf.leakyRelu(x, 0.1)), x],
      ["softmax", (x) => tf.softmax(x).mul(seeded([2, 3], 3)), x],
      ["softmax on axis 0", (x) => tf.softmax(x, 0).mul(seeded([2, 3], 3)), x],
      ["logSoftmax/logSumExp", (x) => tf.logSoftmax(x).mul(tf.logSumExp(x, 1, true)), x],
      ["matMul", (x) => tf.matMul(x, x, false, true).square(), x],
      ["sum/mean/prod/max", (x) => x.sum(0).mul(x.mean(1, true)).add(x.prod(1, true)).mul(x.max(1, true)), pos],
      ["transpose/slice/concat/gather", (x) => tf.concat([x.transpose().slice([1, 0], [2, 2]), x], 1).square(), x],
      [
        "gather/tile/reverse",
        (x) =>
          tf
            .gather(x, tf.tensor1d([2, 0, 2], "int32"), 1)
            .tile([1, 2])
            .reverse(1)
            .mul(x.tile([1, 2])),
        x,
      ],
      ["where/maximum/minimum", (x) => tf.where(x.greater(0), x.square(), x.mul(3)).mul(tf.maximum(x, 0.2)), x],
      ["cumsum", (x) => tf.cumsum(x.square(), 1).mul(x), x],
      ["moments/norm", (x) => tf.moments(x, 1).variance.mul(tf.norm(x, "euclidean", 1)), x],
    ];
    for (const [label, f, input] of cases) {
      it(label, () => expectDerivativeOk(gradOf(f), input));
    }

    it("conv2d, depthwiseConv2d and pooling", () => {
      const img = seeded([1, 5, 5, 2], 4);
      const k = seeded([3, 3, 2, 2], 5);
      const kd = seeded([2, 2, 2, 2], 6);
      const f = (x: tf.Tensor) => {
        const h = tf.tanh(tf.conv2d(x, k, 1, "same"));
        const d = tf.sigmoid(tf.depthwiseConv2d(h, kd, 1, "valid"));
        return tf.avgPool(tf.maxPool(d, 2, 1, "valid"), 2, 1, "same").square();
      };
      expectDerivativeOk(gradOf(f), img);
      // The filters' second derivatives: conv2d's input-gradient and filter-gradient kernels differentiated.
      expectDerivativeOk((w) => tf.grad((x) => tf.conv2d(x, w, 1, "same").square())(img), k);
      expectDerivativeOk((w) => tf.grad((x) => tf.depthwiseConv2d(x, w, 1, "same").square())(img), kd);
      expectDerivativeOk((x) => tf.grad((w) => tf.conv2d(x, w, 2, "same").tanh())(k), img);
    });
  });

  it("Hessian-vector product of an MLP loss matches PyTorch", () => {
    const c = torch["mlp-hvp"];
    const [x, labels, w1, b1, w2, v1] = [c.x, c.labels, c.w1, c.b1, c.w2, c.v1].map(t);
    const loss = (w1: tf.Tensor, b1: tf.Tensor, w2: tf.Tensor) =>
      tf.losses.softmaxCrossEntropy(labels, tf.tanh(x.matMul(w1).add(b1)).matMul(w2));
    const hv = tf.grads((w1, b1, w2) => tf.grads(loss)([w1, b1, w2])[0].mul(v1).sum())([w1, b1, w2]);
    hv.forEach((h, i) => expectValues(h, c.hv[i], loose));
  });

  it("Hessian-vector product through softmax and the fused cross-entropy of probabilities matches PyTorch", () => {
    const c = torch["mlp-hvp"];
    const [x, labels, w1, b1, w2, v1] = [c.x, c.labels, c.w1, c.b1, c.w2, c.v1].map(t);
    const loss = (w1: tf.Tensor, b1: tf.Tensor, w2: tf.Tensor) =>
      tf.losses.categoricalCrossentropy(labels, tf.softmax(tf.sigmoid(x.matMul(w1).add(b1)).matMul(w2)));
    const hv = tf.grads((w1, b1, w2) => tf.grads(loss)([w1, b1, w2])[0].mul(v1).sum())([w1, b1, w2]);
    hv.forEach((h, i) => expectValues(h, torch["probabilities-hvp"].hv[i], loose));
  });

  it("a WGAN-GP gradient penalty through tf.variableGrads matches PyTorch", () => {
    const c = torch["gradient-penalty"];
    const x = t(c.x);
    const c1 = tf.variable(t(c.c1), true, `gp-c1-${name}`);
    const d1 = tf.variable(t(c.d1), true, `gp-d1-${name}`);
    const c2 = tf.variable(t(c.c2), true, `gp-c2-${name}`);
    const critic = (xx: tf.Tensor) => tf.sigmoid(tf.leakyRelu(xx.matMul(c1).add(d1), 0.2).matMul(c2));
    const { value, grads } = tf.variableGrads(() => {
      const gx = tf.grad(critic)(x);
      return gx.square().sum(-1).sqrt().sub(1).square().mean();
    }, [c1, d1, c2]);
    expectValues(value, c.penalty, loose);
    [c1, d1, c2].forEach((v, i) => expectValues(grads[v.name], c.grads[i], loose));
    tf.dispose([c1, d1, c2]);
  });

  it("a convolutional critic's gradient penalty (conv2d, depthwise, max and average pooling) matches PyTorch", () => {
    const c = torch["conv-penalty"];
    const [img, k1, kd, wout] = [c.x, c.k1, c.kd, c.wout].map(t);
    const critic = (k1: tf.Tensor, kd: tf.Tensor) => (x: tf.Tensor) => {
      const h = tf.tanh(tf.conv2d(x, k1, 1, "same"));
      const d = tf.sigmoid(tf.depthwiseConv2d(h, kd, 1, "same"));
      return tf
        .avgPool(tf.maxPool(d, 2, 2, "valid"), 2, 1, "valid")
        .mul(wout)
        .sum();
    };
    const { value, grads } = tf.valueAndGrads((k1, kd) => tf.grad(critic(k1, kd))(img).square().sum())([k1, kd]);
    expectValues(value, c.penalty, loose);
    grads.forEach((g, i) => expectValues(g, c.grads[i], loose));
  });

  it("mixed partials through tf.grads match PyTorch", () => {
    const c = torch["mixed-partials"];
    const f = (a: tf.Tensor, b: tf.Tensor) => a.square().mul(b.pow(3)).sum().add(a.mul(b).sin().sum());
    const mixed = tf.grads((a, b) => tf.grads(f)([a, b])[0].sum())([t(c.a), t(c.b)]);
    mixed.forEach((m, i) => expectValues(m, c.daa_dab[i], loose));
  });

  it("a third derivative of an elementwise function matches PyTorch", () => {
    const c = torch["elementwise-third"];
    const f = (x: tf.Tensor) => x.pow(3).mul(x.sin()).add(x.mul(0.5).exp().mul(x.tanh()));
    const x = t(c.x);
    expectValues(tf.grad(f)(x), c.g1, loose);
    expectValues(tf.grad(tf.grad(f))(x), c.g2, loose);
    expectValues(tf.grad(tf.grad(tf.grad(f)))(x), c.g3, loose * 10);
  });

  it("nested gradients leave no tensors behind; an inner error restores the tapes", () => {
    const x = tf.tensor([0.5, -1, 2]);
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      const hv = tf.grad((x) =>
        tf
          .grad((y) => y.sigmoid().mul(y).sum())(x)
          .mul(x)
          .sum(),
      )(x);
      expect(hv.shape).toEqual([3]);
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(() =>
      tf.grad((x) =>
        tf
          .grad(() => tf.scalar(1))(x)
          .sum(),
      )(x),
    ).toThrow(/Cannot compute the gradient/);
    expect(tf.memory().numTensors).toBe(before);
    // The tapes were unwound: a plain gradient afterwards is first order and correct.
    expect(tf.engine().tape).toBeUndefined();
    expect(tf.engine().outerTapes).toEqual([]);
    expectValues(tf.grad((x) => x.square().sum())(x), [1, -2, 4], tol());
  });
});

describe("second-order limits", () => {
  it("simpleRNN's fused recurrence refuses a second-order gradient instead of giving a wrong one", async () => {
    const layer = tf.layers.simpleRNN({ units: 2, inputShape: [3, 2] });
    const x = seeded([1, 3, 2], 9);
    layer.apply(x);
    expect(() =>
      tf.grad((x) =>
        tf
          .grad((y) => (layer.apply(y) as tf.Tensor).sum())(x)
          .sum(),
      )(x),
    ).toThrow(/second-order gradients through simpleRNN/);
  });
});
