/**
 * The counts behind `plot.confusionMatrix`: from class labels and predictions, or checked when
 * given ready-made (what `tf.math.confusionMatrix` returns). Row i is the true class, column j the
 * predicted one.
 */
import { isTensorLike, toMatrix, toNumbers } from "./tensor-like.js";

const WHAT = "plot.confusionMatrix";

/** The most classes a confusion matrix may have (the heatmap's labelled limit). */
export const MAX_CONFUSION_CLASSES = 200;

/** True when `value` is a plotted set of values (array, typed array or tensor), not an options object. */
export function isPlotValues(value: unknown): boolean {
  return Array.isArray(value) || ArrayBuffer.isView(value) || isTensorLike(value);
}

function classIndices(value: unknown, name: string): number[] {
  if (isTensorLike(value) && value.shape.length !== 1)
    throw new Error(
      `${WHAT}: ${name} must be 1-D class indices, got shape [${value.shape.join(", ")}] (one-hot or probabilities: take argMax(-1) first)`,
    );
  const v = toNumbers(value, `${WHAT}: ${name}`);
  const bad = v.findIndex((c) => !Number.isInteger(c) || c < 0);
  if (bad >= 0) throw new Error(`${WHAT}: ${name}[${bad}] is ${v[bad]}, not a class index (a whole number ≥ 0)`);
  return v;
}

function checkClassCount(n: number): void {
  if (!Number.isInteger(n) || n < 1 || n > MAX_CONFUSION_CLASSES)
    throw new Error(`${WHAT}: the number of classes must be 1..${MAX_CONFUSION_CLASSES}, got ${n}`);
}

/**
 * Counts of (true, predicted) pairs: `counts[i][j]` = how many of class i were predicted as j.
 * `numClasses` defaults to one more than the largest index seen.
 */
export function countConfusions(labels: unknown, predictions: unknown, numClasses?: number): number[][] {
  const truth = classIndices(labels, "labels");
  const predicted = classIndices(predictions, "predictions");
  if (truth.length !== predicted.length)
    throw new Error(`${WHAT}: ${truth.length} labels but ${predicted.length} predictions`);
  const n = numClasses ?? [...truth, ...predicted].reduce((a, b) => Math.max(a, b), 0) + 1;
  checkClassCount(n);
  const counts = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  truth.forEach((t, k) => {
    const p = predicted[k]!;
    if (t >= n || p >= n)
      throw new Error(`${WHAT}: class ${Math.max(t, p)} at position ${k} is not below ${n} classes`);
    counts[t]![p]! += 1;
  });
  return counts;
}

/** A given confusion matrix, checked: square, counts finite and not negative. */
export function checkedConfusionMatrix(matrix: unknown): number[][] {
  const m = toMatrix(matrix, WHAT);
  if (m.length === 0 || m.some((row) => row.length !== m.length))
    throw new Error(`${WHAT}: the matrix must be square (classes × classes), got ${m.length}×${m[0]?.length ?? 0}`);
  checkClassCount(m.length);
  if (m.some((row) => row.some((v) => !Number.isFinite(v) || v < 0)))
    throw new Error(`${WHAT}: the matrix must hold counts (finite, not negative)`);
  return m;
}

/** Each row divided by its total (the share of each true class predicted as each class); empty rows stay 0. */
export function rowShares(counts: number[][]): number[][] {
  return counts.map((row) => {
    const total = row.reduce((a, b) => a + b, 0);
    return row.map((v) => (total > 0 ? v / total : 0));
  });
}
