/**
 * Kernels that compute 4 outputs per thread along one axis (a gpu.js `Array(4)` return), so a
 * value gathered across the SIMD lanes once feeds 4 multiply-adds, and the pass that puts the
 * blocks back in row-major order.
 *
 * A blocked kernel covers an output viewed as `[outer, axis, inner]` with threads
 * `[inner (x, the SIMD lanes), ceil(axis / 4) (y), outer (z)]`; thread `(in, ab, o)` returns the
 * values at axis positions `4ab … 4ab + 3` (positions past the end are computed and dropped).
 */
import type { DataId, DType, TensorInfo } from "../../../backend.js";
import { grid, gridSource } from "../codegen.js";
import { launch, type KernelContext } from "../context.js";

export interface BlockedLaunch {
  key: string;
  inputs: readonly TensorInfo[];
  out: { shape: readonly number[]; dtype: DType };
  outer: number;
  axis: number;
  inner: number;
  /** `function(…) {…}` returning `[v0, v1, v2, v3]` for axis positions `4 * this.thread.y + j`. */
  source: () => string;
}

/** Whether the lanes along `inner` are full enough for a blocked kernel to pay off. */
export function blockable(inner: number, axis: number): boolean {
  return (inner % 4 === 0 || inner >= 16) && axis >= 4;
}

/** Runs a blocked kernel and reorders its result into `out`. */
export function launchBlocked(ctx: KernelContext, l: BlockedLaunch): DataId {
  const blocks = Math.ceil(l.axis / 4);
  const shape = [l.outer, blocks, l.inner, 4];
  const blocked = launch(ctx, {
    key: `${l.key}:blocked4`,
    inputs: l.inputs,
    out: { shape, dtype: "float32" },
    source: () => ({ source: l.source(), output: [l.inner, blocks, l.outer], components: 4 }),
  });
  try {
    return launch(ctx, {
      key: `Unblock4:${l.outer}:${l.axis}:${l.inner}`,
      inputs: [{ dataId: blocked, shape, dtype: "float32" }],
      out: l.out,
      source: () => {
        const g = grid([l.outer, l.axis, l.inner], ["o", "a", "r"]);
        const index = `((o * ${blocks} + (a >> 2)) * ${l.inner} + r) * 4 + (a & 3)`;
        return { source: gridSource(["x"], g, `return x[${index}];\n`), output: g.output };
      },
    });
  } finally {
    ctx.dispose(blocked);
  }
}
