/**
 * `tfvis.metrics.*`: classification metrics from label and prediction tensors (class indices),
 * computed as tfjs-vis computes them (accuracy as a float32 mean, per-class counts, confusion
 * counts with optional weights).
 */
import { isTensorLike, numericValues, type TensorLike } from "../tensor-like.js";

type Values = TensorLike | number[] | ArrayLike<number>;

function read(v: unknown, name: string, what: string): { shape: number[]; data: ArrayLike<number> } {
  if (isTensorLike(v)) return { shape: v.shape, data: numericValues(v) };
  if (Array.isArray(v) && v.every((x) => typeof x === "number")) return { shape: [v.length], data: v };
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
    const data = v as unknown as ArrayLike<number>;
    return { shape: [data.length], data };
  }
  throw new Error(`${what}: ${name} must be a tensor (or an array of numbers)`);
}

function read1d(v: unknown, name: string, what: string): ArrayLike<number> {
  const { shape, data } = read(v, name, what);
  if (shape.length !== 1) throw new Error(`${what}: ${name} must be a 1D tensor, got shape [${shape.join(", ")}]`);
  return data;
}

function classCount(
  labels: ArrayLike<number>,
  predictions: ArrayLike<number>,
  numClasses: number | undefined,
  what: string,
) {
  if (numClasses !== undefined && numClasses !== null) {
    if (!(Number.isInteger(numClasses) && numClasses >= 1))
      throw new Error(`${what}: numClasses must be a positive integer, got ${numClasses}`);
    return numClasses;
  }
  let max = 0;
  for (const d of [labels, predictions]) for (let i = 0; i < d.length; i++) max = Math.max(max, d[i]!);
  return max + 1;
}

function checkClass(c: number, numClasses: number, name: string, i: number, what: string): void {
  if (!(Number.isInteger(c) && c >= 0 && c < numClasses))
    throw new Error(`${what}: ${name}[${i}] is ${c}, not a class index 0..${numClasses - 1}`);
}

/**
 * The share of predictions equal to their labels (tensors of the same shape), as a float32 number.
 * @example await tfvis.metrics.accuracy(tf.tensor1d([0, 0, 1, 2, 2, 2]), tf.tensor1d([0, 0, 0, 2, 1, 1])) // 0.5
 */
export async function accuracy(labels: Values, predictions: Values): Promise<number> {
  const what = "tfvis.metrics.accuracy";
  const l = read(labels, "labels", what);
  const p = read(predictions, "predictions", what);
  if (l.shape.length !== p.shape.length || l.shape.some((d, i) => d !== p.shape[i]))
    throw new Error(
      `${what}: Error computing accuracy. Shapes [${l.shape.join(",")}] and [${p.shape.join(",")}] must match`,
    );
  let equal = 0;
  for (let i = 0; i < l.data.length; i++) if (l.data[i] === p.data[i]) equal++;
  return Math.fround(equal / l.data.length);
}

/**
 * Accuracy and number of samples of each class, from 1D label and prediction class indices;
 * `numClasses` defaults to one more than the largest index in either.
 * @example await tfvis.metrics.perClassAccuracy(tf.tensor1d([0, 0, 1, 2, 2, 2]), tf.tensor1d([0, 0, 0, 2, 1, 1]))
 * // [{ count: 2, accuracy: 1 }, { count: 1, accuracy: 0 }, { count: 3, accuracy: 0.3333333333333333 }]
 */
export async function perClassAccuracy(
  labels: Values,
  predictions: Values,
  numClasses?: number,
): Promise<{ accuracy: number; count: number }[]> {
  const what = "tfvis.metrics.perClassAccuracy";
  const l = read1d(labels, "labels", what);
  const p = read1d(predictions, "predictions", what);
  if (l.length !== p.length) throw new Error(`${what}: labels and predictions must be the same length`);
  const n = classCount(l, p, numClasses, what);
  const counts = new Array<number>(n).fill(0);
  const correct = new Array<number>(n).fill(0);
  for (let i = 0; i < l.length; i++) {
    checkClass(l[i]!, n, "labels", i, what);
    counts[l[i]!]! += 1;
    if (l[i] === p[i]) correct[l[i]!]! += 1;
  }
  return counts.map((count, c) => ({ count, accuracy: count === 0 ? 0 : correct[c]! / count }));
}

/**
 * Counts of each (label, prediction) pair: `result[label][prediction]`, from 1D class indices
 * (cast to integers); with `weights`, each pair adds its weight instead of 1.
 * @example await tfvis.metrics.confusionMatrix(tf.tensor1d([1, 2, 4]), tf.tensor1d([2, 2, 4]))
 */
export async function confusionMatrix(
  labels: Values,
  predictions: Values,
  numClasses?: number,
  weights?: Values,
): Promise<number[][]> {
  const what = "tfvis.metrics.confusionMatrix";
  const l = Array.from(read1d(labels, "labels", what), Math.trunc);
  const p = Array.from(read1d(predictions, "predictions", what), Math.trunc);
  if (l.length !== p.length) throw new Error(`${what}: labels and predictions must be the same length`);
  const w = weights === undefined || weights === null ? undefined : read(weights, "weights", what).data;
  if (w && w.length !== p.length) throw new Error(`${what}: weights and predictions must be the same length`);
  const n = classCount(l, p, numClasses, what);
  const result = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < l.length; i++) {
    checkClass(l[i]!, n, "labels", i, what);
    checkClass(p[i]!, n, "predictions", i, what);
    result[l[i]!]![p[i]!]! += w ? w[i]! : 1;
  }
  return result;
}
