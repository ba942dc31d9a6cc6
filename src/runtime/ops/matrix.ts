/** `tf.linalg`: bandPart, gramSchmidt (rows), qr (Householder), all composed of ops (differentiable). */
import { getEngine } from "../engine.js";
import type { Tensor, TensorLike } from "../tensor.js";
import { div, mul, sub } from "./arithmetic.js";
import { convert } from "./convert.js";
import { eye, ones, zerosLike } from "./creation.js";
import { greater, where } from "./logical.js";
import { matMul } from "./linalg.js";
import { norm, sum } from "./reduction.js";
import { cast, concat, reshape, slice, stack, unstack } from "./shape.js";
import { neg } from "./unary.js";
import { shapeStr } from "./util.js";

function bandLimit(op: string, name: string, v: number | TensorLike, dim: number): number {
  const n = typeof v === "number" ? v : Number(convert(v, name, op, "int32").dataSync()[0]);
  if (!Number.isInteger(n)) throw new Error(`${op}: ${name} must be an integer, got ${n}`);
  if (n > dim) throw new Error(`${op}: ${name} (${n}) must not exceed the matrix's ${dim}`);
  return n < 0 ? dim : n;
}

/**
 * Keeps a band of each innermost matrix and zeroes the rest: entry (i, j) stays when
 * `i − j ≤ numLower` and `j − i ≤ numUpper` (a negative bound keeps that whole triangle).
 * Example: `tf.linalg.bandPart(m, 0, -1)` is the upper triangle, `bandPart(m, 0, 0)` the diagonal.
 */
export function bandPart(a: TensorLike, numLower: number | TensorLike, numUpper: number | TensorLike): Tensor {
  const t = convert(a, "a", "bandPart");
  if (t.rank < 2) throw new Error(`bandPart: rank must be at least 2, got shape ${shapeStr(t.shape)}`);
  const [m, n] = t.shape.slice(-2);
  const lower = bandLimit("bandPart", "numLower", numLower, m);
  const upper = bandLimit("bandPart", "numUpper", numUpper, n);
  const mask = new Uint8Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) mask[i * n + j] = i - j <= lower && j - i <= upper ? 1 : 0;
  return where(getEngine().makeTensor(mask, [m, n], "bool"), t, zerosLike(t));
}

/**
 * Orthonormalises vectors in order (Gram–Schmidt): each is made orthogonal to the ones before it and
 * scaled to unit length. Takes the rows of a 2-D tensor (returning a 2-D tensor) or an array of 1-D tensors.
 * Example: `tf.linalg.gramSchmidt(tf.tensor2d([[1, 1], [1, 0]]))`.
 */
export function gramSchmidt(xs: TensorLike | Tensor[]): Tensor | Tensor[] {
  const asList =
    Array.isArray(xs) && xs.length > 0 && xs.every((x) => typeof x === "object" && "rank" in (x as object));
  const vectors = asList ? (xs as Tensor[]).map((x, i) => convert(x, `xs[${i}]`, "gramSchmidt")) : null;
  let rows: Tensor[];
  if (vectors) {
    const dim = vectors[0].shape[0];
    for (const v of vectors) {
      if (v.rank !== 1 || v.shape[0] !== dim)
        throw new Error(`gramSchmidt: the vectors must be 1-D of one length, got ${shapeStr(v.shape)}`);
    }
    rows = vectors;
  } else {
    const m = convert(xs as TensorLike, "xs", "gramSchmidt");
    if (m.rank !== 2)
      throw new Error(`gramSchmidt: expected a 2-D tensor or an array of 1-D tensors, got ${shapeStr(m.shape)}`);
    if (m.shape[0] > m.shape[1]) {
      throw new Error(`gramSchmidt: ${m.shape[0]} vectors of length ${m.shape[1]} cannot all be orthogonal`);
    }
    rows = unstack(m, 0);
  }
  const ys: Tensor[] = [];
  for (const row of rows) {
    let x = row;
    for (const y of ys) x = sub(x, mul(sum(mul(y, x)), y));
    ys.push(div(x, norm(x, "euclidean")));
  }
  return vectors ? ys : stack(ys, 0);
}

/** Householder QR of one matrix `[m, n]`. */
function qr2d(x: Tensor, fullMatrices: boolean): [Tensor, Tensor] {
  const [m, n] = x.shape;
  let q = eye(m);
  let r = x;
  const one = ones([1, 1]);
  for (let j = 0; j < Math.min(m, n); j++) {
    // H = I − tau·w·wᵀ zeroes column j of r below the diagonal.
    const column = slice(r, [j, j], [m - j, 1]);
    const normX = norm(column);
    const rjj = slice(r, [j, j], [1, 1]);
    const s = where(greater(rjj, 0), -1, 1);
    const u1 = sub(rjj, mul(s, normX));
    const w = m - j === 1 ? one : concat([one, slice(div(column, u1), [1, 0], [m - j - 1, 1])], 0);
    const tau = neg(div(mul(s, u1), normX));
    const tauW = mul(tau, w);
    const below = slice(r, [j, 0], [m - j, n]);
    const rNew = sub(below, matMul(tauW, matMul(w, below, true, false)));
    r = j === 0 ? rNew : concat([slice(r, [0, 0], [j, n]), rNew], 0);
    const right = slice(q, [0, j], [m, m - j]);
    const qNew = sub(right, matMul(matMul(right, w), tauW, false, true));
    q = j === 0 ? qNew : concat([slice(q, [0, 0], [m, j]), qNew], 1);
  }
  if (!fullMatrices && m > n) return [slice(q, [0, 0], [m, n]), slice(r, [0, 0], [n, n])];
  return [q, r];
}

/**
 * QR decomposition of each innermost matrix `[m, n]` (Householder reflections): `q` has orthonormal
 * columns, `r` is upper triangular, `q·r = x`. With `fullMatrices` (default false) `q` is `[m, m]`
 * and `r` `[m, n]`; otherwise `[m, k]` and `[k, n]` with `k = min(m, n)`.
 * Example: `const [q, r] = tf.linalg.qr(tf.tensor2d([[1, 2], [3, 4]]))`.
 */
export function qr(x: TensorLike, fullMatrices = false): [Tensor, Tensor] {
  let t = convert(x, "x", "qr");
  if (t.rank < 2) throw new Error(`qr: input must have rank >= 2, got shape ${shapeStr(t.shape)}`);
  if (t.dtype !== "float32") t = cast(t, "float32");
  if (t.rank === 2) return qr2d(t, fullMatrices);
  const [m, n] = t.shape.slice(-2);
  const lead = t.shape.slice(0, -2);
  const parts = unstack(reshape(t, [-1, m, n]), 0).map((mat) => qr2d(mat, fullMatrices));
  const q = stack(parts.map((p) => p[0]));
  const r = stack(parts.map((p) => p[1]));
  return [reshape(q, [...lead, ...q.shape.slice(1)]), reshape(r, [...lead, ...r.shape.slice(1)])];
}

/** `tf.linalg`: `bandPart`, `gramSchmidt`, `qr`. Example: `const [q, r] = tf.linalg.qr(m)`. */
export const linalg = { bandPart, gramSchmidt, qr };
