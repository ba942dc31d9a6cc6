/**
 * Batching without copying the data set per epoch: shuffle an index array, then gather each
 * batch's rows (or slice them when the order is unshuffled).
 */
import * as tf from "../core.js";
import { randomFrom, type Random } from "../random.js";

/** Splits `0..n-1` (shuffled when `rng` is given) into consecutive runs of `batchSize`. */
export function batchIndices(n: number, batchSize: number, rng?: Random): Int32Array[] {
  if (!Number.isInteger(batchSize) || batchSize <= 0)
    throw new Error(`batchSize must be a positive integer, got ${batchSize}`);
  const order = rng ? rng.permutation(n) : Int32Array.from({ length: n }, (_, i) => i);
  const batches: Int32Array[] = [];
  for (let start = 0; start < n; start += batchSize)
    batches.push(order.subarray(start, Math.min(n, start + batchSize)));
  return batches;
}

function isContiguous(indices: Int32Array): boolean {
  for (let i = 1; i < indices.length; i++) if (indices[i] !== indices[i - 1] + 1) return false;
  return true;
}

/** The rows of `x` at `indices` along axis 0 (a slice when they are consecutive). */
export function takeRows(x: tf.Tensor, indices: Int32Array): tf.Tensor {
  if (indices.length > 0 && isContiguous(indices)) {
    const begin = x.shape.map((_, i) => (i === 0 ? indices[0] : 0));
    const size = x.shape.map((d, i) => (i === 0 ? indices.length : d));
    return tf.slice(x, begin, size);
  }
  return tf.tidy(() => tf.gather(x, tf.tensor(Int32Array.from(indices), [indices.length], "int32")));
}

/**
 * Takes batches of rows of one tensor on the host: the values are read once (on first use), and
 * each batch is copied out row by row — cheaper than a gather kernel per batch on any backend.
 */
export class RowSource {
  private host: Float32Array | Int32Array | Uint8Array | undefined;
  private readonly rowSize: number;
  constructor(readonly tensor: tf.Tensor) {
    this.rowSize = tensor.shape.slice(1).reduce((a, b) => a * b, 1);
  }
  take(indices: Int32Array): tf.Tensor {
    const host = (this.host ??= this.tensor.dataSync() as Float32Array | Int32Array | Uint8Array);
    const size = this.rowSize;
    const out = new (host.constructor as new (n: number) => typeof host)(indices.length * size);
    for (let i = 0; i < indices.length; i++)
      out.set(host.subarray(indices[i] * size, (indices[i] + 1) * size), i * size);
    return tf.tensor(out, [indices.length, ...this.tensor.shape.slice(1)], this.tensor.dtype);
  }
}

/**
 * Iterates `{ xs, ys }` batches of a data set; the caller disposes each batch.
 *
 * ```ts
 * for (const { xs, ys } of tf.datasets.batches(train.xs, train.ys, { batchSize: 64, shuffle: true, seed: 1 })) { … }
 * ```
 */
export function* batches(
  xs: tf.Tensor,
  ys: tf.Tensor | undefined,
  args: { batchSize?: number; shuffle?: boolean; seed?: number } = {},
): Generator<{ xs: tf.Tensor; ys: tf.Tensor | undefined }> {
  const { batchSize = 32, shuffle = false, seed } = args;
  const xSource = new RowSource(xs);
  const ySource = ys ? new RowSource(ys) : undefined;
  for (const idx of batchIndices(xs.shape[0], batchSize, shuffle ? randomFrom(seed) : undefined)) {
    yield { xs: xSource.take(idx), ys: ySource?.take(idx) };
  }
}
