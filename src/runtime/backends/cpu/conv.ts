import type { CpuKernel } from "./storage.js";
import { checkShape } from "./window.js";
import { convWindow, windowTaps, writeSums } from "./window-taps.js";

/**
 * 2-D convolution (TF semantics: NHWC input, HWIO filter, strides, dilations, explicit padding)
 * and its gradients with respect to the input and the filter. All three walk the same
 * (batch, output pixel, filter tap) nest; the innermost loop runs over output channels, which
 * are contiguous in both the filter and the output. Sums accumulate in float64.
 */
export const conv2D: CpuKernel<"Conv2D"> =
  (store) =>
  ({ inputs: [x, filter], attrs, out }) => {
    const g = convWindow("Conv2D", x.shape, out.shape, filter.shape, "filter", attrs, false);
    const { inC, outC } = g;
    const xv = store.read(x);
    const fv = store.read(filter);
    // y[output pixel, o] = sum over taps and c of x[input pixel, c] * filter[tap, c, o].
    const y = new Float64Array(g.batch * g.outH * g.outW * outC);
    const t = windowTaps(g, outC, inC, inC * outC);
    for (let n = 0; n < g.batch; n++) {
      for (let k = 0; k < t.count; k++) {
        const yBase = n * t.outImage + t.outOffset[k]!;
        const xBase = n * t.inImage + t.inOffset[k]!;
        const fBase = t.tapOffset[k]!;
        for (let c = 0; c < inC; c++) {
          const xc = xv[xBase + c]!;
          const fRow = fBase + c * outC;
          for (let o = 0; o < outC; o++) y[yBase + o]! += xc * fv[fRow + o]!;
        }
      }
    }
    return writeSums(store, out, y);
  };

export const conv2DBackpropInput: CpuKernel<"Conv2DBackpropInput"> =
  (store) =>
  ({ inputs: [dy, filter], attrs, out }) => {
    checkShape("Conv2DBackpropInput", "output", out.shape, attrs.inShape);
    const g = convWindow("Conv2DBackpropInput", attrs.inShape, dy.shape, filter.shape, "filter", attrs, false);
    const { inC, outC } = g;
    const dyv = store.read(dy);
    const fv = store.read(filter);
    // dx[input pixel, c] += sum_o dy[output pixel, o] * filter[tap, c, o] over every (output pixel, tap) that read it.
    const dx = new Float64Array(g.batch * g.inH * g.inW * inC);
    const t = windowTaps(g, outC, inC, inC * outC);
    for (let n = 0; n < g.batch; n++) {
      for (let k = 0; k < t.count; k++) {
        const dyBase = n * t.outImage + t.outOffset[k]!;
        const xBase = n * t.inImage + t.inOffset[k]!;
        const fBase = t.tapOffset[k]!;
        for (let c = 0; c < inC; c++) {
          const fRow = fBase + c * outC;
          let sum = 0;
          for (let o = 0; o < outC; o++) sum += dyv[dyBase + o]! * fv[fRow + o]!;
          dx[xBase + c]! += sum;
        }
      }
    }
    return writeSums(store, out, dx);
  };

export const conv2DBackpropFilter: CpuKernel<"Conv2DBackpropFilter"> =
  (store) =>
  ({ inputs: [x, dy], attrs, out }) => {
    checkShape("Conv2DBackpropFilter", "output", out.shape, attrs.filterShape);
    const g = convWindow("Conv2DBackpropFilter", x.shape, dy.shape, attrs.filterShape, "filterShape", attrs, false);
    const { inC, outC } = g;
    const xv = store.read(x);
    const dyv = store.read(dy);
    // dw[tap, c, o] += x[input pixel, c] * dy[output pixel, o] over every (output pixel, tap).
    const dw = new Float64Array(g.filterH * g.filterW * inC * outC);
    const t = windowTaps(g, outC, inC, inC * outC);
    for (let n = 0; n < g.batch; n++) {
      for (let k = 0; k < t.count; k++) {
        const dyBase = n * t.outImage + t.outOffset[k]!;
        const xBase = n * t.inImage + t.inOffset[k]!;
        const fBase = t.tapOffset[k]!;
        for (let c = 0; c < inC; c++) {
          const xc = xv[xBase + c]!;
          const fRow = fBase + c * outC;
          for (let o = 0; o < outC; o++) dw[fRow + o]! += xc * dyv[dyBase + o]!;
        }
      }
    }
    return writeSums(store, out, dw);
  };
