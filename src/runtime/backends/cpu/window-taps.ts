import type { DataId, DType } from "../../backend.js";
import type { Conv2DAttrs } from "../../kernels.js";
import type { CpuStore } from "./storage.js";
import { checkShape, window2D, type Window2D } from "./window.js";

/** A convolution's window with its channel counts: `outC` output channels per pixel, `k` the filter's last axis. */
export interface ConvWindow extends Window2D {
  inC: number;
  outC: number;
  k: number;
}

/**
 * Checks the shapes of a convolution kernel (regular or depthwise) and returns its window.
 * `inShape` and `outShape` are the NHWC input and forward output; `filterShape` is
 * `[fh, fw, inC, k]` with k the output channels, or for a depthwise filter the multiplier
 * (output channels inC·k). `filterWhat` names the filter in the error message.
 */
export function convWindow(
  kernel: string,
  inShape: readonly number[],
  outShape: readonly number[],
  filterShape: readonly number[],
  filterWhat: string,
  attrs: Conv2DAttrs,
  depthwise: boolean,
): ConvWindow {
  const [fh, fw, inC, k] = filterShape as [number, number, number, number];
  const g = window2D(kernel, inShape, outShape, [fh, fw], attrs.strides, attrs.dilations, attrs.pad);
  const outC = outShape[3]!;
  checkShape(kernel, filterWhat, filterShape, [fh, fw, inShape[3]!, depthwise ? outC / inShape[3]! : outC]);
  return { ...g, inC, outC: depthwise ? inC * k : k, k };
}

/**
 * Calls `visit(outPixel, inPixel, tap)` for every output pixel of window `g` and every filter tap
 * of it that lands inside the input (taps on padding are skipped). Pixels are flat indexes over
 * (batch, row, column), so `pixel * channels` is an NHWC element offset; `tap` is `fy * filterW + fx`.
 * Each convolution kernel and gradient is this walk with its own per-tap channel loop.
 */
export function forEachTap(g: Window2D, visit: (outPixel: number, inPixel: number, tap: number) => void): void {
  for (let n = 0; n < g.batch; n++) {
    for (let oy = 0; oy < g.outH; oy++) {
      for (let ox = 0; ox < g.outW; ox++) {
        const outPixel = (n * g.outH + oy) * g.outW + ox;
        for (let fy = 0; fy < g.filterH; fy++) {
          const iy = oy * g.strideH - g.padTop + fy * g.dilationH;
          if (iy < 0 || iy >= g.inH) continue;
          for (let fx = 0; fx < g.filterW; fx++) {
            const ix = ox * g.strideW - g.padLeft + fx * g.dilationW;
            if (ix < 0 || ix >= g.inW) continue;
            visit(outPixel, (n * g.inH + iy) * g.inW + ix, fy * g.filterW + fx);
          }
        }
      }
    }
  }
}

/** Stores float64 sums as the kernel's output tensor (in its dtype). */
export function writeSums(store: CpuStore, out: { shape: number[]; dtype: DType }, sums: Float64Array): DataId {
  const result = store.alloc(out);
  result.set(sums);
  return store.write(result, out.shape, out.dtype);
}
