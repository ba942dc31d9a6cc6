/**
 * Ops computed on the host (values are read out of the backend): non-differentiable utilities
 * that have no kernel, such as `topk`.
 */
import { getEngine } from "../engine.js";
import type { Tensor, TensorLike } from "../tensor.js";
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
