/**
 * TF.js core's tf.losses (weights, tf.Reduction, label smoothing), tf.metrics additions and
 * tf.initializers.identity against real TF.js on the same values, plus their gradients.
 */
import { beforeAll, describe, expect, test } from "vitest";
import * as tf from "../../src/tf.js";
import { getMetric } from "../../src/models/metrics.js";
import { tfc, tfl, oracleReady } from "./tfjs-oracle.js";
import { values, expectClose, randomTensor } from "./helpers.js";

beforeAll(oracleReady);

const them = (t: tf.Tensor) => tfc.tensor(values(t), t.shape);
const theirs = (t: { dataSync(): Float32Array }) => Array.from(t.dataSync());

const reductions = [
  tf.Reduction.NONE,
  tf.Reduction.MEAN,
  tf.Reduction.SUM,
  tf.Reduction.SUM_BY_NONZERO_WEIGHTS,
  undefined,
];

describe("tf.losses with weights and reduction", () => {
  const labels = randomTensor([4, 3], 1, 0, 1);
  const binary = tf.cast(tf.greater(randomTensor([4, 3], 2), 0), "float32");
  const preds = randomTensor([4, 3], 3, 0.05, 0.95);
  const logits = randomTensor([4, 3], 4, -3, 3);
  const oneHot = tf.oneHot(tf.tensor1d([0, 2, 1, 2], "int32"), 3, 1, 0, "float32");
  const weightSets: [string, tf.Tensor | number | undefined][] = [
    ["no weights", undefined],
    ["scalar weight", 2.5],
    ["per-row weights", tf.tensor([[1], [0], [2], [0.5]])],
    ["per-element weights", tf.tensor([0, 1, 1, 2, 0, 1, 1, 1, 0, 3, 1, 1], [4, 3])],
  ];
  const asTheirs = (w: tf.Tensor | number | undefined) => (w instanceof tf.Tensor ? them(w) : w);

  type Case = [string, (w: unknown, r: tf.Reduction | undefined) => tf.Tensor, (w: unknown, r: unknown) => unknown];
  const cases: Case[] = [
    [
      "absoluteDifference",
      (w, r) => tf.losses.absoluteDifference(labels, preds, w as tf.Tensor, r),
      (w, r) => tfc.losses.absoluteDifference(them(labels), them(preds), w, r),
    ],
    [
      "meanSquaredError",
      (w, r) => tf.losses.meanSquaredError(labels, preds, w as tf.Tensor, r),
      (w, r) => tfc.losses.meanSquaredError(them(labels), them(preds), w, r),
    ],
    [
      "huberLoss (delta 0.3)",
      (w, r) => tf.losses.huberLoss(labels, tf.mul(preds, 3), w as tf.Tensor, 0.3, r),
      (w, r) => tfc.losses.huberLoss(them(labels), them(tf.mul(preds, 3)), w, 0.3, r),
    ],
    [
      "logLoss",
      (w, r) => tf.losses.logLoss(binary, preds, w as tf.Tensor, 1e-7, r),
      (w, r) => tfc.losses.logLoss(them(binary), them(preds), w, 1e-7, r),
    ],
    [
      "hingeLoss",
      (w, r) => tf.losses.hingeLoss(binary, logits, w as tf.Tensor, r),
      (w, r) => tfc.losses.hingeLoss(them(binary), them(logits), w, r),
    ],
    [
      "sigmoidCrossEntropy",
      (w, r) => tf.losses.sigmoidCrossEntropy(binary, logits, w as tf.Tensor, 0, r),
      (w, r) => tfc.losses.sigmoidCrossEntropy(them(binary), them(logits), w, 0, r),
    ],
    [
      "sigmoidCrossEntropy with label smoothing",
      (w, r) => tf.losses.sigmoidCrossEntropy(binary, logits, w as tf.Tensor, 0.2, r),
      (w, r) => tfc.losses.sigmoidCrossEntropy(them(binary), them(logits), w, 0.2, r),
    ],
  ];
  for (const [name, ours, ref] of cases) {
    test(`${name} matches TF.js for every weighting and reduction`, () => {
      for (const [label, w] of weightSets) {
        for (const r of reductions) {
          const got = ours(w, r);
          const want = ref(asTheirs(w), r) as { shape: number[]; dataSync(): Float32Array };
          expect(got.shape, `${label}, reduction ${r}`).toEqual(want.shape);
          expectClose(values(got), theirs(want), 1e-5);
        }
      }
    });
  }

  test("softmaxCrossEntropy and cosineDistance (per-row losses) match TF.js, with label smoothing", () => {
    const rowWeights = [undefined, 2, tf.tensor([1, 0, 2, 0.5])];
    for (const w of rowWeights) {
      for (const r of reductions) {
        for (const smoothing of [0, 0.1]) {
          expectClose(
            values(tf.losses.softmaxCrossEntropy(oneHot, logits, w, smoothing, r)),
            theirs(tfc.losses.softmaxCrossEntropy(them(oneHot), them(logits), asTheirs(w), smoothing, r)),
            1e-5,
          );
        }
      }
    }
    const unit = (x: tf.Tensor) => tf.div(x, tf.norm(x, "euclidean", 1, true));
    for (const r of reductions) {
      expectClose(
        values(tf.losses.cosineDistance(unit(labels), unit(logits), 1, undefined, r)),
        theirs(tfc.losses.cosineDistance(them(unit(labels)), them(unit(logits)), 1, undefined, r)),
        1e-5,
      );
    }
  });

  test("computeWeightedLoss matches TF.js", () => {
    const l = randomTensor([3, 4], 5, 0, 2);
    for (const w of [undefined, 3, tf.tensor([[1], [0], [2]]), tf.tensor([0, 0, 1, 2])]) {
      for (const r of reductions) {
        expectClose(
          values(tf.losses.computeWeightedLoss(l, w, r)),
          theirs(tfc.losses.computeWeightedLoss(them(l), asTheirs(w), r)),
          1e-6,
        );
      }
    }
    expect(values(tf.losses.computeWeightedLoss(tf.tensor([1, 2, 3]), tf.tensor([1, 0, 1])))).toEqual([2]);
    expect(tf.Reduction.SUM_BY_NONZERO_WEIGHTS).toBe(tfc.Reduction.SUM_BY_NONZERO_WEIGHTS);
    expect(tf.Reduction[tf.Reduction.MEAN]).toBe("MEAN");
  });

  test("gradients of the weighted losses match finite differences and TF.js", () => {
    const w = tf.tensor([[1], [0.5], [2], [0]]);
    const check = (f: (x: tf.Tensor) => tf.Tensor, x: tf.Tensor) => {
      const r = tf.gradCheck(f, [x], { eps: 1e-3, tol: 5e-3 });
      expect(r.maxRelError).toBeLessThan(5e-3);
    };
    check((x) => tf.losses.softmaxCrossEntropy(oneHot, x, w.reshape([4]), 0.1), logits);
    check((x) => tf.losses.sigmoidCrossEntropy(binary, x, w, 0.1, tf.Reduction.MEAN), logits);
    check((x) => tf.losses.huberLoss(labels, x, w, 0.2), tf.mul(preds, 2));
    check((x) => tf.losses.logLoss(binary, x, undefined, 1e-7, tf.Reduction.SUM), preds);
    const ours = tf.grad((x) => tf.losses.softmaxCrossEntropy(oneHot, x, undefined, 0.1))(logits);
    const ref = tfc.grad((x: unknown) => tfc.losses.softmaxCrossEntropy(them(oneHot), x, undefined, 0.1))(them(logits));
    expectClose(values(ours), theirs(ref), 1e-5);
  });

  test("bad input gets a clear error", () => {
    expect(() => tf.losses.meanSquaredError(tf.ones([2, 3]), tf.ones([3, 2]))).toThrow(
      "meanSquaredError: labels shape [2,3] and predictions shape [3,2] must be the same",
    );
    expect(() => tf.losses.computeWeightedLoss(tf.ones([2]), undefined, 7 as tf.Reduction)).toThrow(
      /unknown reduction 7/,
    );
  });

  test("the Keras-name losses stay available next to TF.js's", () => {
    expect(values(tf.losses.sparseCategoricalCrossentropy(tf.tensor([0, 2, 1, 2]), logits, true))).toHaveLength(1);
    expectClose(
      values(tf.losses.categoricalCrossentropy(oneHot, tf.softmax(logits))),
      values(tf.losses.softmaxCrossEntropy(oneHot, logits)),
      1e-5,
    );
  });
});

describe("tf.metrics against TF.js", () => {
  const yTrue = tf.oneHot(tf.tensor1d([0, 2, 1, 2, 0], "int32"), 3, 1, 0, "float32");
  const yPred = tf.softmax(randomTensor([5, 3], 7, -2, 2));
  const reg = randomTensor([5, 3], 8);
  const regPred = tf.add(reg, randomTensor([5, 3], 9, -0.3, 0.3));
  const bin = tf.tensor([1, 0, 1, 1, 0, 0, 1, 0]);
  const binPred = tf.tensor([1, 0, 0, 1, 1, 0, 1, 1]);

  const cases: [string, tf.Tensor, tf.Tensor][] = [
    ["binaryAccuracy", bin, binPred],
    ["categoricalAccuracy", yTrue, yPred],
    ["precision", bin, binPred],
    ["recall", bin, binPred],
    ["cosineProximity", reg, regPred],
    ["meanSquaredError", reg, regPred],
    ["MSE", reg, regPred],
    ["mse", reg, regPred],
    ["meanAbsoluteError", reg, regPred],
    ["meanAbsolutePercentageError", reg, regPred],
    ["MAPE", reg, regPred],
    ["mape", reg, regPred],
    ["r2Score", reg, regPred],
    ["binaryCrossentropy", bin, tf.clipByValue(binPred, 0.1, 0.9)],
    ["categoricalCrossentropy", yTrue, yPred],
  ];
  for (const [name, t, p] of cases) {
    test(name, () => {
      const ours = (tf.metrics as Record<string, (a: tf.Tensor, b: tf.Tensor) => tf.Tensor>)[name](t, p);
      const ref = tfl.metrics[name](them(t), them(p));
      expect(ours.shape).toEqual(ref.shape);
      expectClose(values(ours), theirs(ref), 1e-5);
    });
  }

  test("sparseCategoricalAccuracy with [batch] and [batch, 1] labels", () => {
    for (const labels of [tf.tensor([0, 2, 1, 2, 0]), tf.tensor([[0], [2], [1], [2], [0]])]) {
      expectClose(
        values(tf.metrics.sparseCategoricalAccuracy(labels, yPred)),
        theirs(tfl.metrics.sparseCategoricalAccuracy(them(labels), them(yPred))),
      );
    }
  });

  test("top-k accuracies (Keras's; TF.js leaves them unimplemented)", () => {
    const p = tf.tensor([
      [0.1, 0.5, 0.3, 0.1],
      [0.6, 0.1, 0.2, 0.1],
      [0.25, 0.25, 0.25, 0.25],
    ]);
    const t = tf.oneHot(tf.tensor1d([2, 3, 1], "int32"), 4, 1, 0, "float32");
    expect(values(tf.metrics.topKCategoricalAccuracy(t, p, 2))).toEqual([1, 0, 1]);
    expect(values(tf.metrics.sparseTopKCategoricalAccuracy(tf.tensor([2, 3, 1]), p, 1))).toEqual([0, 0, 1]);
  });

  test("Keras and TF.js metric names resolve in compile", () => {
    for (const [id, fn] of [
      ["cosine", tf.metrics.cosineProximity],
      ["MSE", tf.metrics.MSE],
      ["mape", tf.metrics.mape],
      ["r2Score", tf.metrics.r2Score],
      ["top_k_categorical_accuracy", tf.metrics.topKCategoricalAccuracy],
      ["precision", tf.metrics.precision],
      ["recall", tf.metrics.recall],
    ] as const) {
      expect(getMetric(id, "meanSquaredError", [null, 3]).fn, id).toBe(fn);
    }
  });

  test("a model compiled with metrics: ['precision', 'recall', 'mse'] logs them while fitting", async () => {
    tf.setSeed(3);
    const m = tf.sequential({
      layers: [tf.layers.dense({ units: 1, activation: "sigmoid", inputShape: [2] })],
    });
    m.compile({ optimizer: "adam", loss: "binaryCrossentropy", metrics: ["precision", "recall", "mse"] });
    // As TF.js, the model keeps what compile was given.
    expect(m.loss).toBe("binaryCrossentropy");
    expect(m.metrics).toEqual(["precision", "recall", "mse"]);
    const x = randomTensor([16, 2], 11);
    const y = tf.cast(tf.greater(tf.sum(x, 1, true), 0), "float32");
    const h = await m.fit(x, y, { epochs: 2, verbose: 0 });
    for (const key of ["precision", "recall", "mse"]) expect(h.history[key], key).toHaveLength(2);
  });
});

describe("initializers and random ops", () => {
  test("tf.initializers.identity matches TF.js and refuses non-square shapes", () => {
    expectClose(
      values(tf.initializers.identity({ gain: 2 }).apply([3, 3])),
      theirs(tfl.initializers.identity({ gain: 2 }).apply([3, 3])),
    );
    expect(() => tf.initializers.identity().apply([2, 3])).toThrow(/square 2-D shape/);
    const layer = tf.layers.dense({ units: 3, inputShape: [3], kernelInitializer: "identity", useBias: false });
    const x = tf.tensor([[1, 2, 3]]);
    expect(values(layer.apply(x) as tf.Tensor)).toEqual([1, 2, 3]);
  });

  test("heNormal / leCunNormal / glorotNormal are truncated normals rescaled like Keras (stddev / 0.8796)", () => {
    const w = values(tf.initializers.heNormal({ seed: 4 }).apply([400, 50]));
    const std = Math.sqrt(2 / 400);
    // Truncated at two standard deviations of the underlying normal (std / 0.87962566).
    const bound = (2 * std) / 0.87962566;
    expect(Math.max(...w.map(Math.abs))).toBeLessThanOrEqual(bound + 1e-6);
    const variance = w.reduce((a, v) => a + v * v, 0) / w.length;
    expect(Math.sqrt(variance) / std).toBeGreaterThan(0.97);
    expect(Math.sqrt(variance) / std).toBeLessThan(1.03);
  });

  test("tf.multinomial takes a null seed (TF.js programs pass one) and normalized probabilities", () => {
    const draws = tf.multinomial(tf.tensor([0.1, 0.0, 0.9]), 200, null, true);
    const v = values(draws);
    expect(draws.dtype).toBe("int32");
    expect(v.every((k) => k === 0 || k === 2)).toBe(true);
    expect(v.filter((k) => k === 2).length).toBeGreaterThan(150);
    const fixed = values(tf.multinomial(tf.tensor([[1, 2, 3]]), 5, 7));
    expect(values(tf.multinomial(tf.tensor([[1, 2, 3]]), 5, 7))).toEqual(fixed);
  });
});
