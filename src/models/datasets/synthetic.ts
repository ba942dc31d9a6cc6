/**
 * Small seeded data sets for teaching: lines, two moons, spirals, Gaussian blobs, and sequences.
 * Each returns `{ xs, ys }` tensors; the same seed always gives the same data.
 */
import * as tf from "../core.js";
import { randomFrom } from "../random.js";

export interface Dataset {
  xs: tf.Tensor;
  ys: tf.Tensor;
}

function checkCount(name: string, n: number): void {
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name}: n must be a positive integer, got ${n}`);
}

/**
 * Points on a line with Gaussian noise: `y = slope·x + intercept + noise·ε`, x uniform in [-1, 1].
 *
 * ```ts
 * const { xs, ys } = tf.datasets.linear({ n: 100, slope: 2, intercept: 1, noise: 0.1, seed: 0 }); // [100, 1] each
 * ```
 */
export function linear(
  args: { n?: number; slope?: number; intercept?: number; noise?: number; seed?: number } = {},
): Dataset {
  const { n = 100, slope = 2, intercept = 1, noise = 0.1, seed } = args;
  checkCount("linear", n);
  const rng = randomFrom(seed);
  const x = new Float32Array(n);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = rng.uniform() * 2 - 1;
    y[i] = slope * x[i] + intercept + noise * rng.normal();
  }
  return { xs: tf.tensor(x, [n, 1], "float32"), ys: tf.tensor(y, [n, 1], "float32") };
}

/**
 * Two interleaving half circles (labels 0 and 1), a classic non-linearly-separable set.
 * `xs` is `[n, 2]`, `ys` is `[n]` int32.
 */
export function twoMoons(args: { n?: number; noise?: number; seed?: number } = {}): Dataset {
  const { n = 200, noise = 0.1, seed } = args;
  checkCount("twoMoons", n);
  const rng = randomFrom(seed);
  const x = new Float32Array(n * 2);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const label = i % 2;
    const t = Math.PI * rng.uniform();
    const px = label === 0 ? Math.cos(t) : 1 - Math.cos(t);
    const py = label === 0 ? Math.sin(t) : 0.5 - Math.sin(t);
    x[2 * i] = px + noise * rng.normal();
    x[2 * i + 1] = py + noise * rng.normal();
    y[i] = label;
  }
  return { xs: tf.tensor(x, [n, 2], "float32"), ys: tf.tensor(y, [n], "int32") };
}

/** `classes` interleaved spiral arms around the origin. `xs` `[n, 2]`, `ys` `[n]` int32. */
export function spirals(
  args: { n?: number; classes?: number; turns?: number; noise?: number; seed?: number } = {},
): Dataset {
  const { n = 300, classes = 2, turns = 1.5, noise = 0.05, seed } = args;
  checkCount("spirals", n);
  if (!Number.isInteger(classes) || classes < 2)
    throw new Error(`spirals: classes must be an integer ≥ 2, got ${classes}`);
  const rng = randomFrom(seed);
  const x = new Float32Array(n * 2);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const label = i % classes;
    const r = rng.uniform();
    const angle = 2 * Math.PI * (turns * r + label / classes);
    x[2 * i] = r * Math.cos(angle) + noise * rng.normal();
    x[2 * i + 1] = r * Math.sin(angle) + noise * rng.normal();
    y[i] = label;
  }
  return { xs: tf.tensor(x, [n, 2], "float32"), ys: tf.tensor(y, [n], "int32") };
}

/**
 * Gaussian clusters. `centers` is a count (placed on a circle of radius 3 in `dims` dimensions'
 * first two axes) or explicit coordinates. `xs` `[n, dims]`, `ys` `[n]` int32.
 */
export function blobs(args: { n?: number; centers?: number | number[][]; std?: number; seed?: number } = {}): Dataset {
  const { n = 200, std = 0.5, seed } = args;
  checkCount("blobs", n);
  let centers: number[][];
  if (Array.isArray(args.centers)) {
    centers = args.centers;
  } else {
    const k = args.centers ?? 3;
    centers = Array.from({ length: k }, (_, c) => [
      3 * Math.cos((2 * Math.PI * c) / k),
      3 * Math.sin((2 * Math.PI * c) / k),
    ]);
  }
  if (centers.length === 0) throw new Error("blobs: need at least one center");
  const dims = centers[0].length;
  if (centers.some((c) => c.length !== dims)) throw new Error("blobs: all centers need the same number of coordinates");
  const rng = randomFrom(seed);
  const x = new Float32Array(n * dims);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const label = i % centers.length;
    for (let d = 0; d < dims; d++) x[i * dims + d] = centers[label][d] + std * rng.normal();
    y[i] = label;
  }
  return { xs: tf.tensor(x, [n, dims], "float32"), ys: tf.tensor(y, [n], "int32") };
}

/**
 * Sequences for recurrent networks, `xs` `[n, length, 1]` float32 with values uniform in [0, 1).
 * - `task: "sum"` (default): `ys` `[n, 1]` is the sum of the sequence (regression).
 * - `task: "increasing"`: `ys` `[n]` int32 is 1 when the last value exceeds the first (classification).
 */
export function sequences(
  args: { n?: number; length?: number; task?: "sum" | "increasing"; seed?: number } = {},
): Dataset {
  const { n = 200, length = 10, task = "sum", seed } = args;
  checkCount("sequences", n);
  if (!Number.isInteger(length) || length < 2)
    throw new Error(`sequences: length must be an integer ≥ 2, got ${length}`);
  const rng = randomFrom(seed);
  const x = new Float32Array(n * length);
  for (let i = 0; i < x.length; i++) x[i] = rng.uniform();
  if (task === "sum") {
    const y = new Float32Array(n);
    for (let i = 0; i < n; i++) for (let t = 0; t < length; t++) y[i] += x[i * length + t];
    return { xs: tf.tensor(x, [n, length, 1], "float32"), ys: tf.tensor(y, [n, 1], "float32") };
  }
  if (task === "increasing") {
    const y = new Int32Array(n);
    for (let i = 0; i < n; i++) y[i] = x[i * length + length - 1] > x[i * length] ? 1 : 0;
    return { xs: tf.tensor(x, [n, length, 1], "float32"), ys: tf.tensor(y, [n], "int32") };
  }
  throw new Error(`sequences: unknown task '${String(task)}' (use 'sum' or 'increasing')`);
}
