/**
 * TF.js core's `tf.losses.*`: `(labels, predictions, weights?, …, reduction?)`, each loss computed
 * per element (per row for the cross-entropies) and reduced by `computeWeightedLoss` with optional
 * `weights` (broadcast against the losses) and a `tf.Reduction`.
 */
import * as tf from "./core.js";

/**
 * How `tf.losses.*` reduce their per-element losses (TF.js's enum, same values).
 * - `NONE`: the weighted losses, unreduced.
 * - `MEAN`: `Σ w·loss / Σ w` (plain mean without weights).
 * - `SUM`: `Σ w·loss`.
 * - `SUM_BY_NONZERO_WEIGHTS` (the default): `Σ w·loss / (number of non-zero weights)`.
 *
 * ```ts
 * tf.losses.meanSquaredError(labels, preds, undefined, tf.Reduction.SUM);
 * ```
 */
export enum Reduction {
  NONE = 0,
  MEAN = 1,
  SUM = 2,
  SUM_BY_NONZERO_WEIGHTS = 3,
}

function float(op: string, name: string, x: tf.TensorLike): tf.Tensor {
  if (x === undefined || x === null) throw new Error(`${op}: ${name} is required`);
  const t = tf.tensor(x);
  return t.dtype === "float32" ? t : tf.cast(t, "float32");
}

function optionalWeights(op: string, weights: tf.TensorLike | null | undefined): tf.Tensor | null {
  return weights === undefined || weights === null ? null : float(op, "weights", weights);
}

function sameShape(op: string, a: tf.Tensor, b: tf.Tensor, names: [string, string]): void {
  if (a.rank !== b.rank || a.shape.some((d, i) => d !== b.shape[i])) {
    throw new Error(`${op}: ${names[0]} shape [${a.shape}] and ${names[1]} shape [${b.shape}] must be the same`);
  }
}

/**
 * Weights and reduces per-element `losses`: the shared last step of every `tf.losses.*`.
 * Example: `tf.losses.computeWeightedLoss(tf.tensor([1, 2, 3]), tf.tensor([1, 0, 1]))` → 2
 * (`(1 + 3) / 2` non-zero weights).
 */
export function computeWeightedLoss(
  losses: tf.TensorLike,
  weights?: tf.TensorLike | null,
  reduction: Reduction = Reduction.SUM_BY_NONZERO_WEIGHTS,
): tf.Tensor {
  const op = "computeWeightedLoss";
  return tf.tidy(() => {
    const l = float(op, "losses", losses);
    const w = optionalWeights(op, weights);
    const weighted = w ? tf.mul(l, w) : l;
    switch (reduction) {
      case Reduction.NONE:
        return weighted;
      case Reduction.SUM:
        return tf.sum(weighted);
      case Reduction.MEAN: {
        if (!w) return tf.mean(weighted);
        const result = tf.div(tf.sum(weighted), tf.sum(w));
        const broadcastFactor = l.size / w.size;
        return broadcastFactor > 1 ? tf.div(result, broadcastFactor) : result;
      }
      case Reduction.SUM_BY_NONZERO_WEIGHTS: {
        if (!w) return tf.div(tf.sum(weighted), l.size);
        const nonZero = tf.sum(tf.cast(tf.notEqual(tf.mul(w, tf.ones(l.shape)), 0), "float32"));
        return tf.div(tf.sum(weighted), nonZero);
      }
      default:
        throw new Error(
          `${op}: unknown reduction ${String(reduction)} (use tf.Reduction.NONE, MEAN, SUM or SUM_BY_NONZERO_WEIGHTS)`,
        );
    }
  });
}

/** Elementwise losses of matching `labels`/`predictions`, then `computeWeightedLoss`. */
function elementwise(
  op: string,
  labels: tf.TensorLike,
  predictions: tf.TensorLike,
  weights: tf.TensorLike | null | undefined,
  reduction: Reduction,
  loss: (l: tf.Tensor, p: tf.Tensor) => tf.Tensor,
): tf.Tensor {
  return tf.tidy(() => {
    const l = float(op, "labels", labels);
    const p = float(op, "predictions", predictions);
    sameShape(op, l, p, ["labels", "predictions"]);
    return computeWeightedLoss(loss(l, p), optionalWeights(op, weights), reduction);
  });
}

/**
 * `|labels − predictions|`, weighted and reduced.
 * Example: `tf.losses.absoluteDifference(tf.tensor([1, 2]), tf.tensor([1.5, 1]))` → 0.75.
 */
export function absoluteDifference(
  labels: tf.TensorLike,
  predictions: tf.TensorLike,
  weights?: tf.TensorLike | null,
  reduction: Reduction = Reduction.SUM_BY_NONZERO_WEIGHTS,
): tf.Tensor {
  return elementwise("absoluteDifference", labels, predictions, weights, reduction, (l, p) => tf.abs(tf.sub(l, p)));
}

/**
 * `(labels − predictions)²`, weighted and reduced.
 * Example: `tf.losses.meanSquaredError(labels, preds, weights, tf.Reduction.MEAN)`.
 */
export function meanSquaredError(
  labels: tf.TensorLike,
  predictions: tf.TensorLike,
  weights?: tf.TensorLike | null,
  reduction: Reduction = Reduction.SUM_BY_NONZERO_WEIGHTS,
): tf.Tensor {
  return elementwise("meanSquaredError", labels, predictions, weights, reduction, (l, p) => tf.squaredDifference(l, p));
}

/**
 * `1 − Σ labels·predictions` along `axis` (inputs are expected unit-normalised), weighted and reduced.
 * Example: `tf.losses.cosineDistance(a.div(a.norm()), b.div(b.norm()), 0)`.
 */
export function cosineDistance(
  labels: tf.TensorLike,
  predictions: tf.TensorLike,
  axis: number,
  weights?: tf.TensorLike | null,
  reduction: Reduction = Reduction.SUM_BY_NONZERO_WEIGHTS,
): tf.Tensor {
  return elementwise("cosineDistance", labels, predictions, weights, reduction, (l, p) =>
    tf.sub(1, tf.sum(tf.mul(l, p), axis, true)),
  );
}

/**
 * `max(0, 1 − y·predictions)` with 0/1 `labels` mapped to `y` = −1/1, weighted and reduced.
 * Example: `tf.losses.hingeLoss(tf.tensor([0, 1]), tf.tensor([-0.5, 0.3]))`.
 */
export function hingeLoss(
  labels: tf.TensorLike,
  predictions: tf.TensorLike,
  weights?: tf.TensorLike | null,
  reduction: Reduction = Reduction.SUM_BY_NONZERO_WEIGHTS,
): tf.Tensor {
  return elementwise("hingeLoss", labels, predictions, weights, reduction, (l, p) =>
    tf.relu(tf.sub(1, tf.mul(tf.sub(tf.mul(2, l), 1), p))),
  );
}

/**
 * Huber loss: `½e²` where `|e| ≤ delta`, `delta·(|e| − ½delta)` beyond (e = predictions − labels),
 * weighted and reduced. Example: `tf.losses.huberLoss(labels, preds, undefined, 0.5)`.
 */
export function huberLoss(
  labels: tf.TensorLike,
  predictions: tf.TensorLike,
  weights?: tf.TensorLike | null,
  delta = 1.0,
  reduction: Reduction = Reduction.SUM_BY_NONZERO_WEIGHTS,
): tf.Tensor {
  return elementwise("huberLoss", labels, predictions, weights, reduction, (l, p) => {
    const error = tf.abs(tf.sub(p, l));
    const quadratic = tf.minimum(error, delta);
    const linear = tf.sub(error, quadratic);
    return tf.add(tf.mul(0.5, tf.square(quadratic)), tf.mul(delta, linear));
  });
}

/**
 * Binary log loss of probabilities: `−l·log(p + ε) − (1 − l)·log(1 − p + ε)`, weighted and reduced.
 * Example: `tf.losses.logLoss(tf.tensor([1, 0]), tf.tensor([0.9, 0.2]))`.
 */
export function logLoss(
  labels: tf.TensorLike,
  predictions: tf.TensorLike,
  weights?: tf.TensorLike | null,
  epsilon = 1e-7,
  reduction: Reduction = Reduction.SUM_BY_NONZERO_WEIGHTS,
): tf.Tensor {
  return elementwise("logLoss", labels, predictions, weights, reduction, (l, p) =>
    tf.neg(tf.add(tf.mul(l, tf.log(tf.add(p, epsilon))), tf.mul(tf.sub(1, l), tf.log(tf.add(tf.sub(1, p), epsilon))))),
  );
}

/** `max(x, 0) − x·z + log(1 + e^−|x|)`: sigmoid cross-entropy of logits `x` against `z`, without overflow. */
function sigmoidCrossEntropyWithLogits(z: tf.Tensor, x: tf.Tensor): tf.Tensor {
  return tf.add(tf.sub(tf.relu(x), tf.mul(x, z)), tf.log1p(tf.exp(tf.neg(tf.abs(x)))));
}

/**
 * Sigmoid cross-entropy of `logits` against multi-label 0/1 targets (each element its own binary
 * problem), weighted and reduced. `labelSmoothing` moves targets towards ½: `l·(1 − s) + s/2`.
 * Example: `tf.losses.sigmoidCrossEntropy(labels, logits, undefined, 0.1)`.
 */
export function sigmoidCrossEntropy(
  multiClassLabels: tf.TensorLike,
  logits: tf.TensorLike,
  weights?: tf.TensorLike | null,
  labelSmoothing = 0,
  reduction: Reduction = Reduction.SUM_BY_NONZERO_WEIGHTS,
): tf.Tensor {
  const op = "sigmoidCrossEntropy";
  return tf.tidy(() => {
    let l = float(op, "multiClassLabels", multiClassLabels);
    const x = float(op, "logits", logits);
    sameShape(op, l, x, ["multiClassLabels", "logits"]);
    if (labelSmoothing > 0) l = tf.add(tf.mul(l, 1 - labelSmoothing), 0.5 * labelSmoothing);
    return computeWeightedLoss(sigmoidCrossEntropyWithLogits(l, x), optionalWeights(op, weights), reduction);
  });
}

/**
 * Softmax cross-entropy of `logits` (`[batch, classes]`) against one-hot labels, one loss per row,
 * weighted and reduced. `labelSmoothing` mixes the labels with the uniform distribution:
 * `l·(1 − s) + s/classes`. Example: `tf.losses.softmaxCrossEntropy(oneHot, logits, undefined, 0.1)`.
 */
export function softmaxCrossEntropy(
  onehotLabels: tf.TensorLike,
  logits: tf.TensorLike,
  weights?: tf.TensorLike | null,
  labelSmoothing = 0,
  reduction: Reduction = Reduction.SUM_BY_NONZERO_WEIGHTS,
): tf.Tensor {
  const op = "softmaxCrossEntropy";
  return tf.tidy(() => {
    let l = float(op, "onehotLabels", onehotLabels);
    const x = float(op, "logits", logits);
    sameShape(op, l, x, ["onehotLabels", "logits"]);
    if (x.rank === 0) throw new Error(`${op}: logits must have rank >= 1`);
    if (labelSmoothing > 0) {
      const classes = x.shape[x.rank - 1];
      l = tf.add(tf.mul(l, 1 - labelSmoothing), labelSmoothing / classes);
    }
    const perRow = tf.neg(tf.sum(tf.mul(l, tf.logSoftmax(x)), -1));
    return computeWeightedLoss(perRow, optionalWeights(op, weights), reduction);
  });
}

/** TF.js core's `tf.losses` functions. Example: `tf.losses.logLoss(labels, probs)`. */
export const coreLosses = {
  absoluteDifference,
  computeWeightedLoss,
  cosineDistance,
  hingeLoss,
  huberLoss,
  logLoss,
  meanSquaredError,
  sigmoidCrossEntropy,
  softmaxCrossEntropy,
};
