import type { DataArray, TensorInfo } from "../../backend.js";
import type { CpuKernel } from "./storage.js";

/**
 * BatchMatMul's sizes (`out[b] = op(a[b]) × op(b[b])`, m×k times k×n), checked: rank-3 operands and
 * output whose dimensions agree, and batches of 1 or the output's (every backend's kernel uses this).
 */
export function batchMatMulDims(
  a: TensorInfo,
  b: TensorInfo,
  out: { shape: readonly number[] },
  transposeA: boolean,
  transposeB: boolean,
): { batch: number; m: number; n: number; k: number } {
  if (a.shape.length !== 3 || b.shape.length !== 3 || out.shape.length !== 3) {
    throw new Error(
      `BatchMatMul: expects rank-3 inputs and output, got [${a.shape.join(",")}] × [${b.shape.join(",")}] → [${out.shape.join(",")}]`,
    );
  }
  const [batch, m, n] = out.shape as [number, number, number];
  const k = transposeA ? a.shape[1]! : a.shape[2]!;
  const aRows = transposeA ? a.shape[2]! : a.shape[1]!;
  const bK = transposeB ? b.shape[2]! : b.shape[1]!;
  const bCols = transposeB ? b.shape[1]! : b.shape[2]!;
  if (aRows !== m || bCols !== n || bK !== k) {
    throw new Error(
      `BatchMatMul: inner or outer dimensions disagree: [${a.shape.join(",")}]${transposeA ? "ᵀ" : ""} × [${b.shape.join(",")}]${transposeB ? "ᵀ" : ""} → [${out.shape.join(",")}]`,
    );
  }
  for (const [name, dim] of [
    ["a", a.shape[0]!],
    ["b", b.shape[0]!],
  ] as const) {
    if (dim !== batch && dim !== 1)
      throw new Error(`BatchMatMul: batch of ${name} is ${dim}, output batch is ${batch}`);
  }
  return { batch, m, n, k };
}

/**
 * `BatchMatMul`: `out[b] = op(a[b]) × op(bMat[b])` where `op` optionally transposes the last two
 * axes. Inputs are rank 3; a batch of 1 is reused for every output batch.
 *
 * Loop order is i-k-j: the inner loop walks one row of B and one row of the output contiguously,
 * accumulating in float64. A transposed B is first copied into k-major order so that holds.
 */
export const batchMatMul: CpuKernel<"BatchMatMul"> =
  (store) =>
  ({ inputs: [a, b], attrs: { transposeA, transposeB }, out }) => {
    const { batch, m, n, k } = batchMatMulDims(a, b, out, transposeA, transposeB);
    const av = store.read(a);
    const bv = store.read(b);
    const result = store.alloc(out);
    const acc = new Float64Array(n);
    const bKn = transposeB ? new Float64Array(k * n) : undefined;
    for (let bi = 0; bi < batch; bi++) {
      const aBase = a.shape[0] === 1 ? 0 : bi * m * k;
      const bBase = b.shape[0] === 1 ? 0 : bi * k * n;
      let bRows: DataArray | Float64Array = bv;
      let bOffset = bBase;
      if (bKn !== undefined) {
        if (bi === 0 || b.shape[0] !== 1) transposeInto(bv, bBase, n, k, bKn);
        bRows = bKn;
        bOffset = 0;
      }
      for (let i = 0; i < m; i++) {
        acc.fill(0);
        for (let p = 0; p < k; p++) {
          const aip = transposeA ? av[aBase + p * m + i]! : av[aBase + i * k + p]!;
          const row = bOffset + p * n;
          for (let j = 0; j < n; j++) acc[j]! += aip * bRows[row + j]!;
        }
        result.set(acc, (bi * m + i) * n);
      }
    }
    return store.write(result, out.shape, out.dtype);
  };

/** Copies the `rows × cols` matrix at `src[offset]` into `dst` as `cols × rows`. */
function transposeInto(src: DataArray, offset: number, rows: number, cols: number, dst: Float64Array): void {
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) dst[c * rows + r] = src[offset + r * cols + c]!;
  }
}
