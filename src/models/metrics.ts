/**
 * Metrics (`tf.metrics.*`, and by name in `compile({ metrics })`). Each returns per-example
 * values (or, for precision/recall, one value for the batch); training logs report their mean.
 */
import * as tf from "./core.js";
import { perExample } from "./losses.js";
import { lookupByName } from "./naming.js";

export type MetricFn = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor;

function binaryCounts(yTrue: tf.Tensor, yPred: tf.Tensor) {
  const t = tf.cast(yTrue, "float32");
  const p = tf.cast(tf.greater(yPred, 0.5), "float32");
  return {
    tp: tf.sum(tf.mul(t, p)),
    fp: tf.sum(tf.mul(tf.sub(1, t), p)),
    fn: tf.sum(tf.mul(t, tf.sub(1, p))),
  };
}

function ratio(num: tf.Tensor, den: tf.Tensor): tf.Tensor {
  return tf.where(tf.greater(den, 0), tf.div(num, tf.maximum(den, 1e-12)), tf.zerosLike(num));
}

const base = {
  /** 1 where `yPred > 0.5` agrees with the 0/1 target (mean over the last axis). */
  binaryAccuracy: (yTrue: tf.Tensor, yPred: tf.Tensor) =>
    tf.tidy(() =>
      tf.mean(tf.cast(tf.equal(tf.cast(yTrue, "float32"), tf.cast(tf.greater(yPred, 0.5), "float32")), "float32"), -1),
    ),
  /** 1 where the arg-max of the prediction matches that of the one-hot target. */
  categoricalAccuracy: (yTrue: tf.Tensor, yPred: tf.Tensor) =>
    tf.tidy(() => tf.cast(tf.equal(tf.argMax(yTrue, -1), tf.argMax(yPred, -1)), "float32")),
  /** 1 where the arg-max of the prediction equals the integer label. */
  sparseCategoricalAccuracy: (yTrue: tf.Tensor, yPred: tf.Tensor) =>
    tf.tidy(() => {
      const labels = tf.cast(tf.reshape(yTrue, [-1]), "int32");
      const predicted = tf.reshape(tf.argMax(yPred, -1), [-1]);
      return tf.cast(tf.equal(labels, tf.cast(predicted, "int32")), "float32");
    }),
  /** True positives over predicted positives (threshold 0.5), for the whole batch. */
  precision: (yTrue: tf.Tensor, yPred: tf.Tensor) =>
    tf.tidy(() => {
      const { tp, fp } = binaryCounts(yTrue, yPred);
      return ratio(tp, tf.add(tp, fp));
    }),
  /** True positives over actual positives (threshold 0.5), for the whole batch. */
  recall: (yTrue: tf.Tensor, yPred: tf.Tensor) =>
    tf.tidy(() => {
      const { tp, fn } = binaryCounts(yTrue, yPred);
      return ratio(tp, tf.add(tp, fn));
    }),
  /** Per-example mean of `(yTrue - yPred)²` along the last axis. Example: `tf.metrics.meanSquaredError(labels, preds)`. */
  meanSquaredError: (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.tidy(() => perExample.meanSquaredError(yTrue, yPred)),
  /** Per-example mean of `|yTrue - yPred|` along the last axis. Example: `tf.metrics.meanAbsoluteError(labels, preds)`. */
  meanAbsoluteError: (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.tidy(() => perExample.meanAbsoluteError(yTrue, yPred)),
  /** Per-example mean of `100 · |yTrue - yPred| / |yTrue|`. Example: `tf.metrics.meanAbsolutePercentageError(labels, preds)`. */
  meanAbsolutePercentageError: (yTrue: tf.Tensor, yPred: tf.Tensor) =>
    tf.tidy(() => perExample.meanAbsolutePercentageError(yTrue, yPred)),
  /** Per-example binary cross-entropy of 0/1 labels against probabilities. Example: `tf.metrics.binaryCrossentropy(labels, probs)`. */
  binaryCrossentropy: (yTrue: tf.Tensor, yPred: tf.Tensor) =>
    tf.tidy(() => perExample.binaryCrossentropy(yTrue, yPred)),
  /** Per-example cross-entropy of one-hot labels against class probabilities. Example: `tf.metrics.categoricalCrossentropy(oneHot, probs)`. */
  categoricalCrossentropy: (yTrue: tf.Tensor, yPred: tf.Tensor) =>
    tf.tidy(() => perExample.categoricalCrossentropy(yTrue, yPred)),
  /** Per-example cross-entropy of integer labels against class probabilities. Example: `tf.metrics.sparseCategoricalCrossentropy(labels, probs)`. */
  sparseCategoricalCrossentropy: (yTrue: tf.Tensor, yPred: tf.Tensor) =>
    tf.tidy(() => perExample.sparseCategoricalCrossentropy(yTrue, yPred)),
  /** Minus the cosine similarity of each row of `yTrue` and `yPred` (−1: same direction). */
  cosineProximity: (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.tidy(() => perExample.cosineProximity(yTrue, yPred)),
  /** Coefficient of determination for the batch: `1 − Σ(y − ŷ)² / Σ(y − ȳ)²`. */
  r2Score: (yTrue: tf.Tensor, yPred: tf.Tensor) =>
    tf.tidy(() => {
      const residual = tf.sum(tf.square(tf.sub(yTrue, yPred)));
      const total = tf.sum(tf.square(tf.sub(yTrue, tf.mean(yTrue))));
      return tf.sub(1, tf.div(residual, total));
    }),
  /** 1 where the one-hot target's class is among the `k` (default 5) highest predictions. */
  topKCategoricalAccuracy: (yTrue: tf.Tensor, yPred: tf.Tensor, k = 5) =>
    tf.tidy(() => inTopK(yPred, tf.argMax(yTrue, -1), k)),
  /** 1 where the integer label is among the `k` (default 5) highest predictions. */
  sparseTopKCategoricalAccuracy: (yTrue: tf.Tensor, yPred: tf.Tensor, k = 5) =>
    tf.tidy(() => inTopK(yPred, tf.reshape(yTrue, yPred.shape.slice(0, -1)), k)),
};

/**
 * ```ts
 * tf.metrics.categoricalAccuracy(oneHotLabels, probs).mean().dataSync();
 * ```
 */
export const metrics = {
  ...base,
  /** Alias of `meanSquaredError`. */
  MSE: base.meanSquaredError,
  /** Alias of `meanSquaredError`. */
  mse: base.meanSquaredError,
  /** Alias of `meanAbsolutePercentageError`. */
  MAPE: base.meanAbsolutePercentageError,
  /** Alias of `meanAbsolutePercentageError`. */
  mape: base.meanAbsolutePercentageError,
};

/** Per row of `predictions`: 1 where the class `targets` names is among its `k` largest values (ties count in). */
function inTopK(predictions: tf.Tensor, targets: tf.Tensor, k: number): tf.Tensor {
  const classes = predictions.shape[predictions.shape.length - 1];
  const kth = tf.topk(predictions, Math.min(k, classes)).values;
  const threshold = tf.min(kth, -1, true);
  const target = tf.sum(tf.mul(predictions, tf.oneHot(tf.cast(targets, "int32"), classes, 1, 0, "float32")), -1);
  return tf.cast(tf.greaterEqual(target, tf.squeeze(threshold, [-1])), "float32");
}

const BY_NAME: Record<string, MetricFn> = {
  ...metrics,
  mse: metrics.meanSquaredError,
  mae: metrics.meanAbsoluteError,
  mape: metrics.meanAbsolutePercentageError,
  cosine: metrics.cosineProximity,
};

/**
 * Resolves a metric for `compile`. 'accuracy'/'acc' (and 'crossentropy'/'ce') pick the variant that
 * fits the loss and the output/target shapes, as Keras does; the log key is 'acc' for accuracy, else the given name.
 */
export function getMetric(
  id: string | MetricFn,
  lossName: string,
  outputShape: (number | null)[],
  targetShape: (number | null)[] = outputShape,
): { name: string; fn: MetricFn } {
  if (typeof id === "function") return { name: id.name || "metric", fn: id };
  const key = id.toLowerCase();
  const loss = lossName.replace(/_/g, "").toLowerCase();
  const classes = outputShape[outputShape.length - 1];
  const binary = loss === "binarycrossentropy" || classes === 1;
  // Integer labels: a sparse loss, or targets with one axis less (or a last axis of 1) than a multi-class output.
  const sparse =
    loss === "sparsecategoricalcrossentropy" ||
    targetShape.length < outputShape.length ||
    (targetShape[targetShape.length - 1] === 1 && classes !== 1);
  if (key === "accuracy" || key === "acc") {
    const fn = binary
      ? metrics.binaryAccuracy
      : sparse
        ? metrics.sparseCategoricalAccuracy
        : metrics.categoricalAccuracy;
    return { name: "acc", fn };
  }
  if (key === "crossentropy" || key === "ce") {
    const fn = binary
      ? metrics.binaryCrossentropy
      : sparse
        ? metrics.sparseCategoricalCrossentropy
        : metrics.categoricalCrossentropy;
    return { name: id, fn };
  }
  return { name: id, fn: lookupByName("metric", id, BY_NAME) };
}
