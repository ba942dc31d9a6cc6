/** Losses, metrics, initializers and regularizers, against TF.js and their definitions. */
import { describe, expect, test, beforeAll } from "vitest";
import * as tf from "../../src/runtime/index.js";
import { losses, metrics, initializers, regularizers } from "../../src/models/index.js";
import { getLoss } from "../../src/models/losses.js";
import { getMetric } from "../../src/models/metrics.js";
import { getInitializer } from "../../src/models/initializers.js";
import { tfc, tfl, oracleReady } from "./tfjs-oracle.js";
import { values, expectClose } from "./helpers.js";

beforeAll(oracleReady);

const probs = () =>
  tf.tensor([
    [0.7, 0.2, 0.1],
    [0.1, 0.1, 0.8],
    [0.3, 0.4, 0.3],
  ]);
const onehot = () =>
  tf.tensor([
    [1, 0, 0],
    [0, 0, 1],
    [1, 0, 0],
  ]);
const them = (t: tf.Tensor) => tfc.tensor(values(t), t.shape);
const theirMean = (t: { dataSync(): Float32Array }) => {
  const v = Array.from(t.dataSync());
  return v.reduce((a, b) => a + b, 0) / v.length;
};

describe("losses", () => {
  test("match TF.js's losses", () => {
    const yt = tf.tensor([
      [0, 1],
      [1, 0],
      [1, 1],
    ]);
    const yp = tf.tensor([
      [0.2, 0.9],
      [0.6, 0.3],
      [0.99, 0.4],
    ]);
    const pairs: [string, number, number][] = [
      [
        "mse",
        losses.meanSquaredError(yt, yp).dataSync()[0],
        theirMean(tfl.metrics.meanSquaredError(them(yt), them(yp))),
      ],
      [
        "mae",
        losses.meanAbsoluteError(yt, yp).dataSync()[0],
        theirMean(tfl.metrics.meanAbsoluteError(them(yt), them(yp))),
      ],
      [
        "bce",
        losses.binaryCrossentropy(yt, yp).dataSync()[0],
        theirMean(tfl.metrics.binaryCrossentropy(them(yt), them(yp))),
      ],
      [
        "cce",
        losses.categoricalCrossentropy(onehot(), probs()).dataSync()[0],
        theirMean(tfl.metrics.categoricalCrossentropy(them(onehot()), them(probs()))),
      ],
      [
        "huber",
        losses.huberLoss(yt, tf.mul(yp, 3)).dataSync()[0],
        tfc.losses.huberLoss(them(yt), them(tf.mul(yp, 3))).dataSync()[0],
      ],
      // hinge with ±1 labels: mean(max(0, 1 − t·p)); KL: Σ t·log(t/p) per row, then the mean.
      [
        "hinge",
        losses.hinge(tf.sub(tf.mul(yt, 2), 1), yp).dataSync()[0],
        [1.2 + 0.1, 0.4 + 1.3, 0.01 + 0.6].reduce((a, b) => a + b / 2, 0) / 3,
      ],
      [
        "kld",
        losses.kullbackLeiblerDivergence(probs(), tf.reverse(probs(), [1])).dataSync()[0],
        [
          [0.7, 0.2, 0.1],
          [0.1, 0.1, 0.8],
          [0.3, 0.4, 0.3],
        ]
          .map((r) => r.reduce((a, t, i) => a + t * Math.log(t / r[2 - i]), 0))
          .reduce((a, b) => a + b, 0) / 3,
      ],
    ];
    for (const [name, ours, theirs] of pairs) {
      expect(Number.isFinite(ours), name).toBe(true);
      expectClose([ours], [theirs], 1e-5);
    }
  });

  test("sparse and one-hot, logits and probabilities agree", () => {
    const logits = tf.tensor([
      [2, -1, 0.5],
      [0, 3, -2],
    ]);
    const labels = tf.tensor([0, 1]);
    const oh = tf.oneHot(tf.tensor([0, 1], [2], "int32"), 3);
    const p = tf.softmax(logits);
    const expected = -(Math.log(values(p)[0]) + Math.log(values(p)[4])) / 2;
    for (const v of [
      losses.sparseCategoricalCrossentropy(labels, logits, true),
      losses.sparseCategoricalCrossentropy(labels, p),
      losses.categoricalCrossentropy(oh, logits, true),
      losses.categoricalCrossentropy(oh, p),
      losses.softmaxCrossEntropy(oh, logits),
    ])
      expect(v.dataSync()[0]).toBeCloseTo(expected, 5);
    const z = tf.tensor([[-3], [4]]);
    const t = tf.tensor([[0], [1]]);
    expect(losses.binaryCrossentropy(t, z, true).dataSync()[0]).toBeCloseTo(
      losses.binaryCrossentropy(t, tf.sigmoid(z)).dataSync()[0],
      5,
    );
  });

  test("no NaN or Infinity with 0/1 targets and saturated predictions, nor in gradients", () => {
    const t = tf.tensor([
      [0, 1],
      [1, 0],
    ]);
    const p = tf.tensor([
      [0, 1],
      [0, 1],
    ]);
    const logits = tf.tensor([
      [-1000, 1000],
      [1000, -1000],
    ]);
    const checks = [
      losses.binaryCrossentropy(t, p),
      losses.categoricalCrossentropy(t, p),
      losses.sparseCategoricalCrossentropy(tf.tensor([1, 1]), p),
      losses.kullbackLeiblerDivergence(t, p),
      losses.binaryCrossentropy(t, logits, true),
      losses.categoricalCrossentropy(t, logits, true),
    ];
    for (const c of checks) expect(Number.isFinite(c.dataSync()[0])).toBe(true);
    const g = tf.grad((x: tf.Tensor) => losses.categoricalCrossentropy(t, x, true))(logits);
    expect(values(g).every(Number.isFinite)).toBe(true);
    const gb = tf.grad((x: tf.Tensor) => losses.binaryCrossentropy(t, x, true))(logits);
    expect(values(gb).every(Number.isFinite)).toBe(true);
  });

  test("Keras and TF.js names resolve to the same function", () => {
    expect(getLoss("sparse_categorical_crossentropy").fn).toBe(getLoss("sparseCategoricalCrossentropy").fn);
    expect(getLoss("mse").fn).toBe(getLoss("mean_squared_error").fn);
    expect(getLoss("kld").fn).toBe(getLoss("kullbackLeiblerDivergence").fn);
  });
});

describe("metrics", () => {
  test("accuracies, precision and recall", () => {
    expect(values(metrics.categoricalAccuracy(onehot(), probs()))).toEqual([1, 1, 0]);
    expect(values(metrics.sparseCategoricalAccuracy(tf.tensor([0, 2, 0]), probs()))).toEqual([1, 1, 0]);
    const yt = tf.tensor([[1], [1], [0], [0], [1]]);
    const yp = tf.tensor([[0.9], [0.2], [0.7], [0.1], [0.6]]);
    expect(values(metrics.binaryAccuracy(yt, yp))).toEqual([1, 0, 0, 1, 1]);
    expect(metrics.precision(yt, yp).dataSync()[0]).toBeCloseTo(2 / 3, 6); // tp 2, fp 1
    expect(metrics.recall(yt, yp).dataSync()[0]).toBeCloseTo(2 / 3, 6); // tp 2, fn 1
    expect(metrics.precision(tf.zeros([3, 1]), tf.zeros([3, 1])).dataSync()[0]).toBe(0);
  });

  test("'accuracy' picks the variant from the loss and the shapes, as Keras does", () => {
    expect(getMetric("accuracy", "binaryCrossentropy", [null, 1]).fn).toBe(metrics.binaryAccuracy);
    expect(getMetric("acc", "sparse_categorical_crossentropy", [null, 10]).fn).toBe(metrics.sparseCategoricalAccuracy);
    expect(getMetric("accuracy", "categoricalCrossentropy", [null, 10]).fn).toBe(metrics.categoricalAccuracy);
    expect(getMetric("accuracy", "custom", [null, 10], [null]).fn).toBe(metrics.sparseCategoricalAccuracy);
    expect(getMetric("accuracy", "x", [null, 10]).name).toBe("acc");
    expect(getMetric("mse", "x", [null, 1]).fn).toBe(metrics.meanSquaredError);
  });
});

describe("initializers", () => {
  const stats = (t: tf.Tensor) => {
    const v = values(t);
    const mean = v.reduce((a, b) => a + b, 0) / v.length;
    const variance = v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length;
    return { mean, variance, min: Math.min(...v), max: Math.max(...v) };
  };
  const shape = [200, 100];

  test("variance-scaling family has the right variance and limits", () => {
    const cases: [string, tf.Tensor, number][] = [
      ["glorotUniform", initializers.glorotUniform({ seed: 1 }).apply(shape), 2 / 300],
      ["glorotNormal", initializers.glorotNormal({ seed: 1 }).apply(shape), 2 / 300],
      ["heNormal", initializers.heNormal({ seed: 1 }).apply(shape), 2 / 200],
      ["heUniform", initializers.heUniform({ seed: 1 }).apply(shape), 2 / 200],
      ["lecunNormal", initializers.lecunNormal({ seed: 1 }).apply(shape), 1 / 200],
      ["lecunUniform", initializers.lecunUniform({ seed: 1 }).apply(shape), 1 / 200],
    ];
    for (const [name, t, variance] of cases) {
      const s = stats(t);
      expect(Math.abs(s.mean), name).toBeLessThan(0.01);
      expect(s.variance / variance, name).toBeGreaterThan(0.93);
      expect(s.variance / variance, name).toBeLessThan(1.07);
    }
    const u = stats(initializers.glorotUniform({ seed: 2 }).apply(shape));
    expect(u.max).toBeLessThanOrEqual(Math.sqrt(6 / 300));
    const tn = stats(initializers.truncatedNormal({ stddev: 1, seed: 3 }).apply(shape));
    expect(tn.max).toBeLessThanOrEqual(2);
    expect(tn.min).toBeGreaterThanOrEqual(-2);
  });

  test("simple initializers, seeds and orthogonal", () => {
    expect(values(initializers.zeros().apply([3]))).toEqual([0, 0, 0]);
    expect(values(initializers.ones().apply([2]))).toEqual([1, 1]);
    expect(values(initializers.constant({ value: 2.5 }).apply([2]))).toEqual([2.5, 2.5]);
    const r = stats(initializers.randomUniform({ minval: 2, maxval: 3, seed: 4 }).apply(shape));
    expect(r.min).toBeGreaterThanOrEqual(2);
    expect(r.max).toBeLessThan(3);
    const n = stats(initializers.randomNormal({ mean: 1, stddev: 2, seed: 5 }).apply(shape));
    expect(n.mean).toBeCloseTo(1, 1);
    expect(Math.sqrt(n.variance)).toBeCloseTo(2, 1);
    expect(getInitializer("glorot_uniform", "zeros").getClassName()).toBe("GlorotUniform");
    expect(
      getInitializer(
        { class_name: "VarianceScaling", config: { scale: 2, mode: "fan_in", distribution: "uniform" } },
        "zeros",
      ).getConfig(),
    ).toMatchObject({ scale: 2, mode: "fan_in" });
    expect(() => getInitializer("sparkly", "zeros")).toThrow(/Unknown initializer 'sparkly'/);
    expect(values(initializers.heNormal({ seed: 9 }).apply([5]))).toEqual(
      values(initializers.heNormal({ seed: 9 }).apply([5])),
    );
    tf.setSeed(10);
    const a = values(initializers.heNormal().apply([5]));
    tf.setSeed(10);
    expect(values(initializers.heNormal().apply([5]))).toEqual(a);
    for (const s of [
      [6, 4],
      [4, 6],
    ]) {
      const q = initializers.orthogonal({ seed: 6, gain: 2 }).apply(s);
      const gram = s[0] >= s[1] ? tf.matMul(q, q, true, false) : tf.matMul(q, q, false, true);
      const k = Math.min(s[0], s[1]);
      expectClose(values(gram), values(tf.mul(tf.eye(k), 4)), 1e-5);
    }
  });
});

describe("regularizers", () => {
  test("l1, l2 and l1l2 penalties", () => {
    const w = tf.tensor([1, -2, 3]);
    expect(regularizers.l1({ l1: 0.1 }).apply(w).dataSync()[0]).toBeCloseTo(0.6, 6);
    expect(regularizers.l2({ l2: 0.1 }).apply(w).dataSync()[0]).toBeCloseTo(1.4, 6);
    expect(regularizers.l1l2({ l1: 0.1, l2: 0.1 }).apply(w).dataSync()[0]).toBeCloseTo(2.0, 6);
  });
});
