import type { KernelFunc } from "../../backend.js";
import type { CpuStore } from "./storage.js";
import { checkShape, window2D } from "./window.js";

type Names = "DepthwiseConv2D" | "DepthwiseConv2DBackpropInput" | "DepthwiseConv2DBackpropFilter";

/**
 * Depthwise 2-D convolution: each input channel c is convolved with its own `multiplier` filters
 * (filter `[fh, fw, inC, multiplier]`), giving output channel `c * multiplier + m`. That index is
 * also the offset of `filter[tap, c, m]` inside one tap, which the loops below use directly.
 */
export function depthwiseKernels(store: CpuStore): { [K in Names]: KernelFunc<K> } {
  return {
    DepthwiseConv2D: ({ inputs: [x, filter], attrs, out }) => {
      const [fh, fw, inC, mult] = filter.shape as [number, number, number, number];
      const g = window2D("DepthwiseConv2D", x.shape, out.shape, [fh, fw], attrs.strides, attrs.dilations, attrs.pad);
      checkShape("DepthwiseConv2D", "filter", filter.shape, [fh, fw, x.shape[3]!, out.shape[3]! / x.shape[3]!]);
      const outC = inC * mult;
      const xv = store.read(x);
      const fv = store.read(filter);
      const result = store.alloc(out);
      const acc = new Float64Array(outC);
      for (let n = 0; n < g.batch; n++) {
        for (let oy = 0; oy < g.outH; oy++) {
          for (let ox = 0; ox < g.outW; ox++) {
            acc.fill(0);
            for (let fy = 0; fy < fh; fy++) {
              const iy = oy * g.strideH - g.padTop + fy * g.dilationH;
              if (iy < 0 || iy >= g.inH) continue;
              for (let fx = 0; fx < fw; fx++) {
                const ix = ox * g.strideW - g.padLeft + fx * g.dilationW;
                if (ix < 0 || ix >= g.inW) continue;
                const xBase = ((n * g.inH + iy) * g.inW + ix) * inC;
                const fBase = (fy * fw + fx) * outC;
                for (let c = 0; c < inC; c++) {
                  const xc = xv[xBase + c]!;
                  for (let q = c * mult; q < (c + 1) * mult; q++) acc[q]! += xc * fv[fBase + q]!;
                }
              }
            }
            result.set(acc, ((n * g.outH + oy) * g.outW + ox) * outC);
          }
        }
      }
      return store.write(result, out.shape, out.dtype);
    },

    DepthwiseConv2DBackpropInput: ({ inputs: [dy, filter], attrs, out }) => {
      const [fh, fw, inC, mult] = filter.shape as [number, number, number, number];
      checkShape("DepthwiseConv2DBackpropInput", "output", out.shape, attrs.inShape);
      const g = window2D("DepthwiseConv2DBackpropInput", attrs.inShape, dy.shape, [fh, fw], attrs.strides, attrs.dilations, attrs.pad);
      checkShape("DepthwiseConv2DBackpropInput", "filter", filter.shape, [fh, fw, attrs.inShape[3]!, dy.shape[3]! / attrs.inShape[3]!]);
      const outC = inC * mult;
      const dyv = store.read(dy);
      const fv = store.read(filter);
      const dx = new Float64Array(g.batch * g.inH * g.inW * inC);
      for (let n = 0; n < g.batch; n++) {
        for (let oy = 0; oy < g.outH; oy++) {
          for (let ox = 0; ox < g.outW; ox++) {
            const dyBase = ((n * g.outH + oy) * g.outW + ox) * outC;
            for (let fy = 0; fy < fh; fy++) {
              const iy = oy * g.strideH - g.padTop + fy * g.dilationH;
              if (iy < 0 || iy >= g.inH) continue;
              for (let fx = 0; fx < fw; fx++) {
                const ix = ox * g.strideW - g.padLeft + fx * g.dilationW;
                if (ix < 0 || ix >= g.inW) continue;
                const xBase = ((n * g.inH + iy) * g.inW + ix) * inC;
                const fBase = (fy * fw + fx) * outC;
                for (let c = 0; c < inC; c++) {
                  let sum = 0;
                  for (let q = c * mult; q < (c + 1) * mult; q++) sum += dyv[dyBase + q]! * fv[fBase + q]!;
                  dx[xBase + c]! += sum;
                }
              }
            }
          }
        }
      }
      const result = store.alloc(out);
      result.set(dx);
      return store.write(result, out.shape, out.dtype);
    },

    DepthwiseConv2DBackpropFilter: ({ inputs: [x, dy], attrs, out }) => {
      checkShape("DepthwiseConv2DBackpropFilter", "output", out.shape, attrs.filterShape);
      const [fh, fw, inC, mult] = attrs.filterShape as [number, number, number, number];
      const g = window2D("DepthwiseConv2DBackpropFilter", x.shape, dy.shape, [fh, fw], attrs.strides, attrs.dilations, attrs.pad);
      checkShape("DepthwiseConv2DBackpropFilter", "filterShape", attrs.filterShape, [fh, fw, x.shape[3]!, dy.shape[3]! / x.shape[3]!]);
      const outC = inC * mult;
      const xv = store.read(x);
      const dyv = store.read(dy);
      const dw = new Float64Array(fh * fw * outC);
      for (let n = 0; n < g.batch; n++) {
        for (let oy = 0; oy < g.outH; oy++) {
          for (let ox = 0; ox < g.outW; ox++) {
            const dyBase = ((n * g.outH + oy) * g.outW + ox) * outC;
            for (let fy = 0; fy < fh; fy++) {
              const iy = oy * g.strideH - g.padTop + fy * g.dilationH;
              if (iy < 0 || iy >= g.inH) continue;
              for (let fx = 0; fx < fw; fx++) {
                const ix = ox * g.strideW - g.padLeft + fx * g.dilationW;
                if (ix < 0 || ix >= g.inW) continue;
                const xBase = ((n * g.inH + iy) * g.inW + ix) * inC;
                const fBase = (fy * fw + fx) * outC;
                for (let c = 0; c < inC; c++) {
                  const xc = xv[xBase + c]!;
                  for (let q = c * mult; q < (c + 1) * mult; q++) dw[fBase + q]! += xc * dyv[dyBase + q]!;
                }
              }
            }
          }
        }
      }
      const result = store.alloc(out);
      result.set(dw);
      return store.write(result, out.shape, out.dtype);
    },
  };
}
