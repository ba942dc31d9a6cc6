/**
 * Ops computed on the host (values are read out of the backend): non-differentiable utilities
 * that have no kernel, such as `topk`.
 */
import { getEngine } from "../engine.js";
import type { Tensor, TensorLike } from "../tensor.js";
import { generatorFor } from "../random.js";
import { convert } from "./convert.js";

/**
 * The `k` largest entries along the last axis and their int32 indices (ties: lower index first).
 * Example: `const { values, indices } = tf.topk(probs, 3)`.
 */
export function topk(x: TensorLike, k = 1, sorted = true): { values: Tensor; indices: Tensor } {
  const t = convert(x, "x", "topk");
  if (t.rank === 0) throw new Error("topk: input must have rank >= 1");
  const n = t.shape[t.rank - 1];
  if (!Number.isInteger(k) || k < 0 || k > n) throw new Error(`topk: k must be an integer in [0, ${n}], got ${k}`);
  void sorted; // results are always sorted, which satisfies both settings
  const data = t.dataSync();
  const rows = n === 0 ? 0 : data.length / n;
  const values = t.dtype === "int32" ? new Int32Array(rows * k) : new Float32Array(rows * k);
  const indices = new Int32Array(rows * k);
  const order = Array.from({ length: n }, (_, i) => i);
  for (let r = 0; r < rows; r++) {
    const base = r * n;
    order.sort((a, b) => data[base + b] - data[base + a] || a - b);
    for (let j = 0; j < k; j++) {
      values[r * k + j] = data[base + order[j]];
      indices[r * k + j] = order[j];
    }
    for (let i = 0; i < n; i++) order[i] = i;
  }
  const shape = [...t.shape.slice(0, -1), k];
  const e = getEngine();
  return {
    values: e.makeTensor(values, shape, t.dtype === "int32" ? "int32" : "float32"),
    indices: e.makeTensor(indices, shape.slice(), "int32"),
  };
}

/**
 * Draws `numSamples` category indices per row from `logits` ([batch, classes] or [classes]), or
 * from probabilities with `normalized`. Seeded like the other random ops.
 * Example: `tf.multinomial(logits, 1, 42)` to sample the next character of a text model.
 */
export function multinomial(logits: TensorLike, numSamples: number, seed?: number | null, normalized = false): Tensor {
  const t = convert(logits, "logits", "multinomial");
  if (t.rank !== 1 && t.rank !== 2) throw new Error(`multinomial: logits must be rank 1 or 2, got shape [${t.shape}]`);
  if (!Number.isInteger(numSamples) || numSamples < 1)
    throw new Error(`multinomial: numSamples must be a positive integer`);
  const n = t.shape[t.rank - 1];
  const rows = t.rank === 1 ? 1 : t.shape[0];
  const data = t.dataSync();
  const g = generatorFor(seed);
  const out = new Int32Array(rows * numSamples);
  const p = new Float64Array(n);
  for (let r = 0; r < rows; r++) {
    let total = 0;
    let m = -Infinity;
    for (let i = 0; i < n; i++) m = Math.max(m, data[r * n + i]);
    for (let i = 0; i < n; i++) {
      p[i] = normalized ? data[r * n + i] : Math.exp(data[r * n + i] - m);
      total += p[i];
    }
    for (let s = 0; s < numSamples; s++) {
      let u = g.next() * total;
      let k = 0;
      while (k < n - 1 && u >= p[k]) u -= p[k++];
      out[r * numSamples + s] = k;
    }
  }
  return getEngine().makeTensor(out, t.rank === 1 ? [numSamples] : [rows, numSamples], "int32");
}
