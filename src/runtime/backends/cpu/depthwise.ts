import type { CpuKernel } from "./storage.js";
import { checkShape } from "./window.js";
import { convWindow, windowTaps, writeSums } from "./window-taps.js";

/**
 * Depthwise 2-D convolution: each input channel c is convolved with its own `multiplier` filters
 * (filter `[fh, fw, inC, multiplier]`), giving output channel `c * multiplier + m`. That index is
 * also the offset of `filter[tap, c, m]` inside one tap, which the loops below use directly.
 */
export const depthwiseConv2D: CpuKernel<"DepthwiseConv2D"> =
  (store) =>
  ({ inputs: [x, filter], attrs, out }) => {
    const g = convWindow("DepthwiseConv2D", x.shape, out.shape, filter.shape, "filter", attrs, true);
    const { inC, outC, k: mult } = g;
    const xv = store.read(x);
    const fv = store.read(filter);
    const y = new Float64Array(g.batch * g.outH * g.outW * outC);
    const t = windowTaps(g, outC, inC, outC);
    for (let n = 0; n < g.batch; n++) {
      for (let k = 0; k < t.count; k++) {
        const yBase = n * t.outImage + t.outOffset[k]!;
        const xBase = n * t.inImage + t.inOffset[k]!;
        const fBase = t.tapOffset[k]!;
        for (let c = 0; c < inC; c++) {
          const xc = xv[xBase + c]!;
          for (let q = c * mult; q < (c + 1) * mult; q++) y[yBase + q]! += xc * fv[fBase + q]!;
        }
      }
    }
    return writeSums(store, out, y);
  };

export const depthwiseConv2DBackpropInput: CpuKernel<"DepthwiseConv2DBackpropInput"> =
  (store) =>
  ({ inputs: [dy, filter], attrs, out }) => {
    checkShape("DepthwiseConv2DBackpropInput", "output", out.shape, attrs.inShape);
    const g = convWindow("DepthwiseConv2DBackpropInput", attrs.inShape, dy.shape, filter.shape, "filter", attrs, true);
    const { inC, outC, k: mult } = g;
    const dyv = store.read(dy);
    const fv = store.read(filter);
    const dx = new Float64Array(g.batch * g.inH * g.inW * inC);
    const t = windowTaps(g, outC, inC, outC);
    for (let n = 0; n < g.batch; n++) {
      for (let k = 0; k < t.count; k++) {
        const dyBase = n * t.outImage + t.outOffset[k]!;
        const xBase = n * t.inImage + t.inOffset[k]!;
        const fBase = t.tapOffset[k]!;
        for (let c = 0; c < inC; c++) {
          let sum = 0;
          for (let q = c * mult; q < (c + 1) * mult; q++) sum += dyv[dyBase + q]! * fv[fBase + q]!;
          dx[xBase + c]! += sum;
        }
      }
    }
    return writeSums(store, out, dx);
  };

export const depthwiseConv2DBackpropFilter: CpuKernel<"DepthwiseConv2DBackpropFilter"> =
  (store) =>
  ({ inputs: [x, dy], attrs, out }) => {
    checkShape("DepthwiseConv2DBackpropFilter", "output", out.shape, attrs.filterShape);
    const g = convWindow(
      "DepthwiseConv2DBackpropFilter",
      x.shape,
      dy.shape,
      attrs.filterShape,
      "filterShape",
      attrs,
      true,
    );
    const { inC, outC, k: mult } = g;
    const xv = store.read(x);
    const dyv = store.read(dy);
    const dw = new Float64Array(g.filterH * g.filterW * outC);
    const t = windowTaps(g, outC, inC, outC);
    for (let n = 0; n < g.batch; n++) {
      for (let k = 0; k < t.count; k++) {
        const dyBase = n * t.outImage + t.outOffset[k]!;
        const xBase = n * t.inImage + t.inOffset[k]!;
        const fBase = t.tapOffset[k]!;
        for (let c = 0; c < inC; c++) {
          const xc = xv[xBase + c]!;
          for (let q = c * mult; q < (c + 1) * mult; q++) dw[fBase + q]! += xc * dyv[dyBase + q]!;
        }
      }
    }
    return writeSums(store, out, dw);
  };
