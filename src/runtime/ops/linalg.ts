/** Matrix products: matMul (batched, broadcasting batch axes), dot, outerProduct. */
import { getEngine, type GradFunc } from "../engine.js";
import type { Tensor, TensorLike } from "../tensor.js";
import { convert } from "./convert.js";
import { broadcastTo, cast, reshape, transpose } from "./shape.js";
import { broadcastShapes, normAxis, shapeStr, upcast } from "./util.js";

/**
 * Matrix product of the last two axes, `a @ b` (optionally transposing either); leading (batch)
 * axes broadcast. Example: `tf.matMul(x, w)`, `tf.matMul(a, b, false, true)` for `a @ bᵀ`.
 */
export function matMul(a: TensorLike, b: TensorLike, transposeA = false, transposeB = false): Tensor {
  let x = convert(a, "a", "matMul");
  let y = convert(b, "b", "matMul");
  if (x.rank < 2 || y.rank < 2) {
    throw new Error(
      `matMul: both inputs need rank >= 2, got shapes ${shapeStr(x.shape)} and ${shapeStr(y.shape)} (use tf.dot for vectors)`,
    );
  }
  if (x.dtype !== y.dtype) {
    // As TF.js does: the narrower input is cast up (int32 features times a float32 kernel).
    const to = upcast(x.dtype, y.dtype);
    x = cast(x, to);
    y = cast(y, to);
  }
  if (x.dtype === "bool") {
    x = cast(x, "int32");
    y = cast(y, "int32");
  }
  const [m, kA] = transposeA ? [x.shape[x.rank - 1], x.shape[x.rank - 2]] : [x.shape[x.rank - 2], x.shape[x.rank - 1]];
  const [kB, n] = transposeB ? [y.shape[y.rank - 1], y.shape[y.rank - 2]] : [y.shape[y.rank - 2], y.shape[y.rank - 1]];
  if (kA !== kB) {
    const ta = transposeA ? "ᵀ" : "";
    const tb = transposeB ? "ᵀ" : "";
    throw new Error(
      `matMul: inner dimensions differ: ${shapeStr(x.shape)}${ta} × ${shapeStr(y.shape)}${tb} (${kA} vs ${kB})`,
    );
  }
  const grad = matMulGrad(transposeA, transposeB);
  const lead = x.shape.slice(0, -2);
  if (x.rank === y.rank && lead.every((d, i) => d === y.shape[i])) {
    // Same batch axes (plain matrices included): the kernel sees both as [batch, rows, cols] and the
    // result keeps the batch axes, with no reshape ops on the tape.
    const batchSize = lead.reduce((s, d) => s * d, 1);
    return getEngine().runKernel(
      "BatchMatMul",
      [x, y],
      { transposeA, transposeB },
      { shape: [...lead, m, n], dtype: x.dtype },
      grad,
      false,
      {
        inputs: [
          [batchSize, ...x.shape.slice(-2)],
          [batchSize, ...y.shape.slice(-2)],
        ],
        out: [batchSize, m, n],
      },
    );
  }
  const batch = broadcastShapes("matMul (batch axes)", x.shape.slice(0, -2), y.shape.slice(0, -2));
  const batchSize = batch.reduce((s, d) => s * d, 1);
  const x3 = asBatch3(x, batch, batchSize);
  const y3 = asBatch3(y, batch, batchSize);
  const out = getEngine().runKernel(
    "BatchMatMul",
    [x3, y3],
    { transposeA, transposeB },
    { shape: [batchSize, m, n], dtype: x.dtype },
    grad,
  );
  return batch.length === 1 ? out : reshape(out, [...batch, m, n]);
}

/** The gradient of `matMul(a, b, transposeA, transposeB)`: products of `dy` with the other input. */
function matMulGrad(transposeA: boolean, transposeB: boolean): GradFunc {
  return (dy, [a, b], _out, needed) => {
    const [needA, needB] = needed;
    let da: Tensor | null = null;
    let db: Tensor | null = null;
    if (!transposeA && !transposeB) {
      if (needA) da = matMul(dy, b, false, true);
      if (needB) db = matMul(a, dy, true, false);
    } else if (transposeA && !transposeB) {
      if (needA) da = matMul(b, dy, false, true);
      if (needB) db = matMul(a, dy, false, false);
    } else if (!transposeA && transposeB) {
      if (needA) da = matMul(dy, b, false, false);
      if (needB) db = matMul(dy, a, true, false);
    } else {
      if (needA) da = matMul(b, dy, true, true);
      if (needB) db = matMul(dy, a, true, true);
    }
    return [da, db];
  };
}

/** `t` as `[batchSize, rows, cols]` for BatchMatMul: broadcast over `batch` only when its batch axes differ. */
function asBatch3(t: Tensor, batch: number[], batchSize: number): Tensor {
  const lead = t.shape.slice(0, -2);
  const same = lead.length === batch.length && lead.every((d, i) => d === batch[i]);
  const full = same ? t : broadcastTo(t, [...batch, ...t.shape.slice(-2)]);
  return full.rank === 3 ? full : reshape(full, [batchSize, ...t.shape.slice(-2)]);
}

/**
 * Dot product of vectors/matrices (rank 1 or 2): vector·vector is a scalar, matrix·vector a vector.
 * Example: `tf.dot(tf.tensor([1, 2]), tf.tensor([3, 4]))` → 11.
 */
export function dot(t1: TensorLike, t2: TensorLike): Tensor {
  const a = convert(t1, "t1", "dot");
  const b = convert(t2, "t2", "dot");
  if (a.rank < 1 || a.rank > 2 || b.rank < 1 || b.rank > 2) {
    throw new Error(`dot: inputs must have rank 1 or 2, got shapes ${shapeStr(a.shape)} and ${shapeStr(b.shape)}`);
  }
  const ka = a.shape[a.rank - 1];
  const kb = b.shape[0];
  if (ka !== kb)
    throw new Error(`dot: inner dimensions differ: ${shapeStr(a.shape)} · ${shapeStr(b.shape)} (${ka} vs ${kb})`);
  const a2 = a.rank === 1 ? reshape(a, [1, ka]) : a;
  const b2 = b.rank === 1 ? reshape(b, [kb, 1]) : b;
  const p = matMul(a2, b2);
  const shape = [...(a.rank === 2 ? [a.shape[0]] : []), ...(b.rank === 2 ? [b.shape[1]] : [])];
  return reshape(p, shape);
}

/** `v1 ⊗ v2`: the matrix `v1[i]·v2[j]`. */
export function outerProduct(v1: TensorLike, v2: TensorLike): Tensor {
  const a = convert(v1, "v1", "outerProduct");
  const b = convert(v2, "v2", "outerProduct");
  if (a.rank !== 1 || b.rank !== 1) {
    throw new Error(`outerProduct: inputs must be vectors, got shapes ${shapeStr(a.shape)} and ${shapeStr(b.shape)}`);
  }
  return matMul(reshape(a, [a.size, 1]), reshape(b, [1, b.size]));
}

/**
 * Running sum along `axis` (`exclusive`: each entry leaves itself out; `reverse`: sums from the end).
 * Computed as a product with a triangular matrix, so its gradient comes from matMul's.
 * Example: `tf.cumsum(tf.tensor([1, 2, 3]))` → [1, 3, 6].
 */
export function cumsum(x: TensorLike, axis = 0, exclusive = false, reverse = false): Tensor {
  let t = convert(x, "x", "cumsum");
  if (t.rank === 0) throw new Error("cumsum: input must have rank >= 1");
  if (t.dtype === "bool") t = cast(t, "int32");
  const a = normAxis("cumsum", axis, t.rank);
  const n = t.shape[a];
  // tri[i][j] = 1 when input i contributes to output j.
  const tri = new Float32Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const contributes = reverse ? (exclusive ? i > j : i >= j) : exclusive ? i < j : i <= j;
      if (contributes) tri[i * n + j] = 1;
    }
  }
  const perm = [...t.shape.map((_, i) => i).filter((i) => i !== a), a];
  const moved = a === t.rank - 1 ? t : transpose(t, perm);
  const rows = reshape(moved, [moved.size / Math.max(n, 1), n]);
  const summed = matMul(
    t.dtype === "float32" ? rows : cast(rows, "float32"),
    getEngine().makeTensor(tri, [n, n], "float32"),
  );
  const back = reshape(t.dtype === "float32" ? summed : cast(summed, t.dtype), moved.shape);
  if (a === t.rank - 1) return back;
  const inverse = new Array<number>(perm.length);
  perm.forEach((p, i) => (inverse[p] = i));
  return transpose(back, inverse);
}
