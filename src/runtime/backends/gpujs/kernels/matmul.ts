/**
 * BatchMatMul. SIMD lanes run along the output columns j, so an element of `a` is loaded once per
 * quad of lanes while `b` needs a 4-load gather. When the rows split into blocks of 4, each thread
 * computes 4 rows of one column (returning a gpu.js `Array(4)`): one gather of `b` then feeds 16
 * multiply-adds instead of 4, about twice as fast; a second kernel puts the blocks in row order.
 * A batch of 1 on either side is broadcast against the other.
 */
import type { TensorInfo } from "../../../backend.js";
import { dot, grid, gridSource, int } from "../codegen.js";
import { type GpuKernel, launch } from "../context.js";

// Row blocking pays for its reordering pass only with enough work per output cell.
const MIN_BLOCKED_K = 8;

export const batchMatMul: GpuKernel<"BatchMatMul"> =
  (ctx) =>
  ({ inputs: [a, b], attrs: { transposeA, transposeB }, out }) => {
    const [batch, m, n] = out.shape as [number, number, number];
    const k = transposeA ? a.shape[a.shape.length - 2]! : a.shape[a.shape.length - 1]!;
    const aBatch = a.shape.length === 3 ? a.shape[0]! : 1;
    const bBatch = b.shape.length === 3 ? b.shape[0]! : 1;
    // a is [m, k] (or [k, m] transposed), b is [k, n] (or [n, k] transposed)
    const aIndex = (row: string) =>
      dot([
        ["bi", aBatch === 1 ? 0 : m * k],
        [row, transposeA ? 1 : k],
        ["kk", transposeA ? m : 1],
      ]);
    const bIndex = dot([
      ["bi", bBatch === 1 ? 0 : k * n],
      ["kk", transposeB ? 1 : n],
      ["col", transposeB ? k : 1],
    ]);
    const key = `BatchMatMul:${transposeA}:${transposeB}`;

    if (m % 4 !== 0 || k < MIN_BLOCKED_K) {
      return launch(ctx, {
        key,
        inputs: [a, b],
        out,
        source: () => {
          const g = grid([batch, m, n], ["bi", "r", "col"]);
          const body = `let acc = 0.0;
for (let kk = 0; kk < ${k}; kk++) {
  acc = acc + a[${aIndex("r")}] * b[${bIndex}];
}
return acc;
`;
          return { source: gridSource(["a", "b"], g, body), output: g.output };
        },
      });
    }

    const blocks = m / 4;
    // [batch, blocks, n, 4]: 4 consecutive rows of column `col` per thread
    const blocked = launch(ctx, {
      key: `${key}:rows4`,
      inputs: [a, b],
      out: { shape: [batch, blocks, n, 4], dtype: "float32" },
      source: () => {
        const rows = [0, 1, 2, 3].map((d) => `r${d}`);
        const body =
          `${int("col", "this.thread.x")}${int("r0", "this.thread.y * 4")}${int("bi", "this.thread.z")}` +
          `${int("r1", "r0 + 1")}${int("r2", "r0 + 2")}${int("r3", "r0 + 3")}` +
          `let s0 = 0.0;\nlet s1 = 0.0;\nlet s2 = 0.0;\nlet s3 = 0.0;\n` +
          `for (let kk = 0; kk < ${k}; kk++) {\nconst bv = b[${bIndex}];\n` +
          rows.map((r, d) => `s${d} = s${d} + a[${aIndex(r)}] * bv;\n`).join("") +
          `}\nreturn [s0, s1, s2, s3];\n`;
        return { source: `function(a, b) {\n${body}}`, output: [n, blocks, batch], components: 4 };
      },
    });
    const tmp: TensorInfo = { dataId: blocked, shape: [batch, blocks, n, 4], dtype: "float32" };
    try {
      return launch(ctx, {
        key: "MatMulUnblockRows",
        inputs: [tmp],
        out,
        source: () => {
          const g = grid([batch, m, n], ["bi", "r", "col"]);
          const index = `${dot([["bi", m * n]])} + ((r >> 2) * ${n} + col) * 4 + (r & 3)`;
          return { source: gridSource(["x"], g, `return x[${index}];\n`), output: g.output };
        },
      });
    } finally {
      ctx.dispose(blocked);
    }
  };
