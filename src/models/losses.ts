/**
 * Loss functions by Keras name (`compile({ loss })`, and the Keras extras of `tf.losses.*`; TF.js
 * core's weighted losses are in weighted-losses.ts).
 *
 * Each takes `(yTrue, yPred)` and returns per-example losses (callers take the mean). Cross-entropies
 * are computed stably: from logits through log-softmax / `relu(x) − x·t + log1p(e^−|x|)`, from
 * probabilities by clipping to [ε, 1−ε] (ε = 1e-7), so 0/1 targets and saturated outputs give no NaN.
 */
import * as tf from "./core.js";
import { lookupByName } from "./naming.js";
import { crossEntropy, sparseCrossEntropy } from "../runtime/ops/loss.js";
import { coreLosses } from "./weighted-losses.js";

export const EPSILON = 1e-7;

export type LossFn = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor;

const lastAxis = (x: tf.Tensor) => x.shape.length - 1;

/** Per-example losses (`[batch]` or `[batch, …]` without the last axis). */
export const perExample = {
  meanSquaredError: (t: tf.Tensor, p: tf.Tensor) => tf.mean(tf.square(tf.sub(p, t)), -1),
  meanAbsoluteError: (t: tf.Tensor, p: tf.Tensor) => tf.mean(tf.abs(tf.sub(p, t)), -1),
  meanAbsolutePercentageError: (t: tf.Tensor, p: tf.Tensor) =>
    tf.mul(100, tf.mean(tf.abs(tf.div(tf.sub(t, p), tf.maximum(tf.abs(t), EPSILON))), -1)),
  huberLoss: (t: tf.Tensor, p: tf.Tensor, delta = 1) => {
    const err = tf.abs(tf.sub(p, t));
    const quadratic = tf.minimum(err, delta);
    const linear = tf.sub(err, quadratic);
    return tf.mean(tf.add(tf.mul(0.5, tf.square(quadratic)), tf.mul(delta, linear)), -1);
  },
  binaryCrossentropy: (t: tf.Tensor, p: tf.Tensor, fromLogits = false) => {
    const logits = fromLogits ? p : probabilitiesToLogits(p);
    return tf.mean(sigmoidCrossEntropyWithLogits(tf.cast(t, "float32"), logits), -1);
  },
  categoricalCrossentropy: (t: tf.Tensor, p: tf.Tensor, fromLogits = false) => {
    // From probabilities of the same shape: −Σ t·log(clip(p / Σp)) as one fused kernel (and one for its gradient).
    const sameShape = t.shape.length === p.shape.length && t.shape.every((d, i) => d === p.shape[i]);
    if (!fromLogits && sameShape && p.shape.length > 0) return crossEntropy(t, p, EPSILON);
    const logp = fromLogits ? tf.logSoftmax(p) : tf.log(clipProbabilities(tf.div(p, tf.sum(p, lastAxis(p), true))));
    return tf.neg(tf.sum(tf.mul(tf.cast(t, "float32"), logp), lastAxis(p)));
  },
  sparseCategoricalCrossentropy: (t: tf.Tensor, p: tf.Tensor, fromLogits = false) => {
    const classes = p.shape[p.shape.length - 1];
    // From probabilities: one fused kernel on the labels (and one for its gradient), no one-hot targets.
    if (!fromLogits && classes > 0 && t.size * classes === p.size) {
      const rows = p.shape.slice(0, -1);
      return sparseCrossEntropy(
        t.shape.length === rows.length && t.shape.every((d, i) => d === rows[i]) ? t : tf.reshape(t, rows),
        p,
        EPSILON,
      );
    }
    const labels = tf.cast(tf.reshape(t, [-1]), "int32");
    const oneHot = tf.reshape(tf.oneHot(labels, classes, 1, 0, "float32"), p.shape);
    return perExample.categoricalCrossentropy(oneHot, p, fromLogits);
  },
  kullbackLeiblerDivergence: (t: tf.Tensor, p: tf.Tensor) => {
    const tc = tf.maximum(tf.minimum(tf.cast(t, "float32"), 1), EPSILON);
    const pc = tf.maximum(tf.minimum(p, 1), EPSILON);
    return tf.sum(tf.mul(tc, tf.log(tf.div(tc, pc))), -1);
  },
  hinge: (t: tf.Tensor, p: tf.Tensor) => tf.mean(tf.maximum(0, tf.sub(1, tf.mul(tf.cast(t, "float32"), p))), -1),
  squaredHinge: (t: tf.Tensor, p: tf.Tensor) =>
    tf.mean(tf.square(tf.maximum(0, tf.sub(1, tf.mul(tf.cast(t, "float32"), p)))), -1),
  cosineProximity: (t: tf.Tensor, p: tf.Tensor) => {
    const norm = (x: tf.Tensor) => tf.div(x, tf.sqrt(tf.maximum(tf.sum(tf.square(x), -1, true), EPSILON)));
    return tf.neg(tf.sum(tf.mul(norm(tf.cast(t, "float32")), norm(p)), -1));
  },
};

function clipProbabilities(p: tf.Tensor): tf.Tensor {
  return tf.maximum(tf.minimum(p, 1 - EPSILON), EPSILON);
}

function probabilitiesToLogits(p: tf.Tensor): tf.Tensor {
  const c = clipProbabilities(p);
  return tf.log(tf.div(c, tf.sub(1, c)));
}

/** `max(x, 0) − x·t + log(1 + e^−|x|)`: the cross-entropy of sigmoid(x) against t, without overflow. */
export function sigmoidCrossEntropyWithLogits(t: tf.Tensor, x: tf.Tensor): tf.Tensor {
  return tf.add(tf.sub(tf.relu(x), tf.mul(x, t)), tf.log1p(tf.exp(tf.neg(tf.abs(x)))));
}

function meanOf(f: (t: tf.Tensor, p: tf.Tensor) => tf.Tensor): LossFn {
  return (t, p) => tf.tidy(() => tf.mean(f(t, p)));
}

/**
 * `tf.losses.*`: TF.js core's losses with `weights` and `reduction` (`absoluteDifference`,
 * `computeWeightedLoss`, `cosineDistance`, `hingeLoss`, `huberLoss`, `logLoss`, `meanSquaredError`,
 * `sigmoidCrossEntropy`, `softmaxCrossEntropy`), plus the Keras losses by name as scalar batch means
 * (`(yTrue, yPred[, fromLogits])`: `binaryCrossentropy`, `categoricalCrossentropy`,
 * `sparseCategoricalCrossentropy`, `meanAbsoluteError`, `kullbackLeiblerDivergence`, …).
 *
 * ```ts
 * const loss = tf.losses.softmaxCrossEntropy(oneHot, logits, undefined, 0.1); // label smoothing 0.1
 * const sparse = tf.losses.sparseCategoricalCrossentropy(labels, logits, true);
 * ```
 */
export const losses = {
  /** Mean of `|yTrue - yPred|`, less sensitive to outliers than squared error. Example: `tf.losses.meanAbsoluteError(labels, preds)`. */
  meanAbsoluteError: meanOf(perExample.meanAbsoluteError),
  /** Mean of `100 · |yTrue - yPred| / |yTrue|`. Example: `tf.losses.meanAbsolutePercentageError(labels, preds)`. */
  meanAbsolutePercentageError: meanOf(perExample.meanAbsolutePercentageError),
  /** Cross-entropy of 0/1 labels against probabilities (or logits with `fromLogits`), averaged. Example: `tf.losses.binaryCrossentropy(labels, probs)`. */
  binaryCrossentropy: (yTrue: tf.Tensor, yPred: tf.Tensor, fromLogits = false) =>
    tf.tidy(() => tf.mean(perExample.binaryCrossentropy(yTrue, yPred, fromLogits))),
  /** Cross-entropy of one-hot labels against class probabilities (or logits with `fromLogits`), averaged. Example: `tf.losses.categoricalCrossentropy(oneHot, probs)`. */
  categoricalCrossentropy: (yTrue: tf.Tensor, yPred: tf.Tensor, fromLogits = false) =>
    tf.tidy(() => tf.mean(perExample.categoricalCrossentropy(yTrue, yPred, fromLogits))),
  /** Cross-entropy of integer class labels against class probabilities (or logits with `fromLogits`). Example: `tf.losses.sparseCategoricalCrossentropy(labels, probs)`. */
  sparseCategoricalCrossentropy: (yTrue: tf.Tensor, yPred: tf.Tensor, fromLogits = false) =>
    tf.tidy(() => tf.mean(perExample.sparseCategoricalCrossentropy(yTrue, yPred, fromLogits))),
  /** Kullback–Leibler divergence of the predicted distribution from the true one, averaged. Example: `tf.losses.kullbackLeiblerDivergence(p, q)`. */
  kullbackLeiblerDivergence: meanOf(perExample.kullbackLeiblerDivergence),
  /** Mean of `max(0, 1 - yTrue · yPred)` for labels in {-1, 1}: the SVM loss. Example: `tf.losses.hinge(labels, scores)`. */
  hinge: meanOf(perExample.hinge),
  /** Mean of `max(0, 1 - yTrue · yPred)²`. Example: `tf.losses.squaredHinge(labels, scores)`. */
  squaredHinge: meanOf(perExample.squaredHinge),
  /** Negative cosine similarity of predictions and targets along the last axis (lower is closer). Example: `tf.losses.cosineProximity(a, b)`. */
  cosineProximity: meanOf(perExample.cosineProximity),
  // TF.js core's weighted losses, listed one by one: a spread would lose their doc text on Shift-Tab.
  /** `|labels − predictions|`, weighted and reduced (`tf.Reduction`). Example: `tf.losses.absoluteDifference(labels, preds)`. */
  absoluteDifference: coreLosses.absoluteDifference,
  /** Weights and reduces a tensor of per-element losses. Example: `tf.losses.computeWeightedLoss(losses, weights, tf.Reduction.MEAN)`. */
  computeWeightedLoss: coreLosses.computeWeightedLoss,
  /** `1 − Σ labels·predictions` along `axis` (unit-normalised inputs), weighted and reduced. Example: `tf.losses.cosineDistance(a, b, 0)`. */
  cosineDistance: coreLosses.cosineDistance,
  /** `max(0, 1 − y·predictions)` with 0/1 labels mapped to −1/1, weighted and reduced. Example: `tf.losses.hingeLoss(labels, scores)`. */
  hingeLoss: coreLosses.hingeLoss,
  /** Squared error below `delta` (default 1), linear beyond: robust regression, weighted and reduced. Example: `tf.losses.huberLoss(labels, preds)`. */
  huberLoss: coreLosses.huberLoss,
  /** Binary log loss of probabilities against 0/1 labels, weighted and reduced. Example: `tf.losses.logLoss(labels, probs)`. */
  logLoss: coreLosses.logLoss,
  /** `(labels − predictions)²`, weighted and reduced: the usual regression loss. Example: `tf.losses.meanSquaredError(labels, preds)`. */
  meanSquaredError: coreLosses.meanSquaredError,
  /** Sigmoid cross-entropy of logits against 0/1 multi-label targets (optional `labelSmoothing`). Example: `tf.losses.sigmoidCrossEntropy(labels, logits)`. */
  sigmoidCrossEntropy: coreLosses.sigmoidCrossEntropy,
  /** Softmax cross-entropy of logits against one-hot labels, one loss per row (optional `labelSmoothing`). Example: `tf.losses.softmaxCrossEntropy(oneHot, logits)`. */
  softmaxCrossEntropy: coreLosses.softmaxCrossEntropy,
};

const BY_NAME: Record<string, LossFn> = {
  meanSquaredError: perExample.meanSquaredError,
  mse: perExample.meanSquaredError,
  meanAbsoluteError: perExample.meanAbsoluteError,
  mae: perExample.meanAbsoluteError,
  meanAbsolutePercentageError: perExample.meanAbsolutePercentageError,
  mape: perExample.meanAbsolutePercentageError,
  huber: perExample.huberLoss,
  huberLoss: perExample.huberLoss,
  binaryCrossentropy: perExample.binaryCrossentropy,
  categoricalCrossentropy: perExample.categoricalCrossentropy,
  sparseCategoricalCrossentropy: perExample.sparseCategoricalCrossentropy,
  kullbackLeiblerDivergence: perExample.kullbackLeiblerDivergence,
  klDivergence: perExample.kullbackLeiblerDivergence,
  kld: perExample.kullbackLeiblerDivergence,
  hinge: perExample.hinge,
  squaredHinge: perExample.squaredHinge,
  cosineProximity: perExample.cosineProximity,
};

/** A loss by Keras/TF.js name, or the function itself. The result may be per-example; callers take its mean. */
export function getLoss(id: string | LossFn): { name: string; fn: LossFn } {
  if (typeof id === "function") return { name: id.name || "loss", fn: id };
  const fn = lookupByName("loss", id, BY_NAME);
  const canonical = Object.keys(BY_NAME).find((k) => BY_NAME[k] === fn && k.length > 4) ?? id;
  return { name: canonical, fn };
}
