/**
 * BatchMatMul: one gpu.js thread per output cell `[b, i, j]` runs the dot product over k, with
 * the SIMD lanes along j (so a row of `a` is read once per quad of output cells).
 * A batch of 1 on either side is broadcast against the other.
 */
import type { KernelTable } from "../../../backend.js";
import { dot, grid, gridSource } from "../codegen.js";
import { launch, type KernelContext } from "../context.js";

export function matmulKernels(ctx: KernelContext): Partial<KernelTable> {
  const table: Partial<KernelTable> = {};
  table.BatchMatMul = ({ inputs: [a, b], attrs: { transposeA, transposeB }, out }) => {
    const [batch, m, n] = out.shape as [number, number, number];
    const k = transposeA ? a.shape[a.shape.length - 2]! : a.shape[a.shape.length - 1]!;
    const aBatch = a.shape.length === 3 ? a.shape[0]! : 1;
    const bBatch = b.shape.length === 3 ? b.shape[0]! : 1;
    return launch(ctx, {
      key: `BatchMatMul:${transposeA}:${transposeB}`,
      inputs: [a, b],
      out,
      source: () => {
        // a is [m, k] (or [k, m] transposed), b is [k, n] (or [n, k] transposed)
        const aIndex = dot([
          ["bi", aBatch === 1 ? 0 : m * k],
          ["r", transposeA ? 1 : k],
          ["kk", transposeA ? m : 1],
        ]);
        const bIndex = dot([
          ["bi", bBatch === 1 ? 0 : k * n],
          ["kk", transposeB ? 1 : n],
          ["col", transposeB ? k : 1],
        ]);
        const g = grid([batch, m, n], ["bi", "r", "col"]);
        const source = gridSource(
          ["a", "b"],
          g,
          `let acc = 0.0;
for (let kk = 0; kk < ${k}; kk++) {
  acc = acc + a[${aIndex}] * b[${bIndex}];
}
return acc;
`,
        );
        return { source, output: g.output };
      },
    });
  };
  return table;
}
