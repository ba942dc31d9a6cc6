/**
 * 2-D pooling (NHWC) and its gradients. Windows skip padding cells: max pooling ignores them and
 * average pooling divides by the number of real cells in the window.
 */
import type { DataId, DType, TensorInfo } from "../../../backend.js";
import type { Pool2DAttrs } from "../../../kernels.js";
import { dot, int } from "../codegen.js";
import type { GpuKernel, KernelContext } from "../context.js";
import { at, launchGrid, sumOf, tapsInside, windowKey, windowsReading, type WindowSpec } from "./window.js";

const windowOf = (a: Pool2DAttrs): WindowSpec => ({
  filter: a.filterSize,
  strides: a.strides,
  dilations: [1, 1],
  pad: a.pad,
});

/** How one pooled cell is computed: `init` declares its state, `step` takes each in-window value `v`, `result` is returned. */
interface Reduction {
  init: string;
  step: string;
  result: string;
}

/** A kernel over the pooled output `out` of `x`, each cell reducing the in-range values of its window. */
function pool(
  ctx: KernelContext,
  kernel: string,
  x: TensorInfo,
  out: { shape: readonly number[]; dtype: DType },
  attrs: Pool2DAttrs,
  r: Reduction,
): DataId {
  const [n, h, w, c] = x.shape as [number, number, number, number];
  const [, oh, ow] = out.shape as [number, number, number, number];
  return launchGrid(ctx, {
    key: `${kernel}:${windowKey(windowOf(attrs))}`,
    inputs: [x],
    out,
    args: ["x"],
    dims: [n, oh, ow, c],
    names: ["b", "oh", "ow", "ci"],
    body: () =>
      `${r.init}${tapsInside(windowOf(attrs), h, w, `const v = x[${at(x.shape, ["b", "ih", "iw", "ci"])}];\n${r.step}`)}return ${r.result};\n`,
  });
}

/**
 * A gradient kernel over the input `out` (`[n, h, w, c]`): each cell sums what `inner` adds for
 * every window that contains it (window output cell `oh`, `ow`; `o` is that cell's index in `dy`).
 */
function unpool(
  ctx: KernelContext,
  kernel: string,
  inputs: TensorInfo[],
  args: string[],
  out: { shape: readonly number[]; dtype: DType },
  dy: TensorInfo,
  attrs: Pool2DAttrs,
  inner: string,
): DataId {
  const [, oh, ow] = dy.shape as [number, number, number, number];
  return launchGrid(ctx, {
    key: `${kernel}:${windowKey(windowOf(attrs))}`,
    inputs,
    out,
    args,
    dims: [...out.shape],
    names: ["b", "h", "w", "ci"],
    body: () =>
      sumOf(windowsReading(windowOf(attrs), oh, ow, `${int("o", at(dy.shape, ["b", "oh", "ow", "ci"]))}${inner}`)),
  });
}

export const maxPool: GpuKernel<"MaxPool"> =
  (ctx) =>
  ({ inputs: [x], attrs, out }) =>
    pool(ctx, "MaxPool", x, out, attrs, { init: "let m = -1 / 0;\n", step: "if (v > m) { m = v; }\n", result: "m" });

export const avgPool: GpuKernel<"AvgPool"> =
  (ctx) =>
  ({ inputs: [x], attrs, out }) =>
    pool(ctx, "AvgPool", x, out, attrs, {
      init: "let s = 0.0;\nlet count = 0.0;\n",
      step: "s = s + v;\ncount = count + 1;\n",
      result: "s / count",
    });

export const maxPoolGrad: GpuKernel<"MaxPoolGrad"> =
  (ctx) =>
  ({ inputs: [dy, x], attrs, out }) => {
    const fw = attrs.filterSize[1];
    // First pass: where in its window (fh * filterW + fw) each window's first maximum is, -1 if none.
    const argmax = pool(ctx, "MaxPoolArgmax", x, { shape: dy.shape, dtype: "float32" }, attrs, {
      init: "let best = 0.0;\nlet at = -1.0;\n",
      step: `if (at < 0 || v > best) { best = v; at = fh * ${fw} + fw; }\n`,
      result: "at",
    });
    // Second pass: each input cell collects dy from the windows whose maximum it is.
    try {
      const am = { dataId: argmax, shape: dy.shape, dtype: "float32" as const };
      return unpool(
        ctx,
        "MaxPoolGrad",
        [dy, am],
        ["dy", "am"],
        out,
        dy,
        attrs,
        `if (am[o] == fh * ${fw} + fw) { acc = acc + dy[o]; }\n`,
      );
    } finally {
      ctx.dispose(argmax);
    }
  };

// Each window passes dy on evenly to its real (non-padding) cells.
export const avgPoolGrad: GpuKernel<"AvgPoolGrad"> =
  (ctx) =>
  ({ inputs: [dy], attrs, out }) => {
    const [, h, w] = attrs.inShape as [number, number, number, number];
    const [fh, fw] = attrs.filterSize;
    const [sh, sw] = attrs.strides;
    return unpool(
      ctx,
      "AvgPoolGrad",
      [dy],
      ["dy"],
      out,
      dy,
      attrs,
      `${int("h0", dot([["oh", sh]], -attrs.pad.top))}${int("w0", dot([["ow", sw]], -attrs.pad.left))}
const rows = Math.min(h0 + ${fh}, ${h}) - Math.max(h0, 0);
const cols = Math.min(w0 + ${fw}, ${w}) - Math.max(w0, 0);
acc = acc + dy[o] / (rows * cols);
`,
    );
  };
