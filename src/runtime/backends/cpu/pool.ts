import type { CpuKernel } from "./storage.js";
import { checkShape, window2D } from "./window.js";

const NO_DILATION: [number, number] = [1, 1];

/**
 * Max and average pooling over NHWC windows, with their gradients. Padding positions never take
 * part: a max ignores them and an average divides by the number of real input elements in the
 * window (a window made only of padding gives 0).
 */
export const maxPool: CpuKernel<"MaxPool"> =
  (store) =>
  ({ inputs: [x], attrs, out }) => {
    const g = window2D("MaxPool", x.shape, out.shape, attrs.filterSize, attrs.strides, NO_DILATION, attrs.pad);
    checkChannels("MaxPool", x.shape, out.shape);
    const channels = x.shape[3]!;
    const xv = store.read(x);
    const result = store.alloc(out);
    const best = new Float64Array(channels);
    for (let n = 0; n < g.batch; n++) {
      for (let oy = 0; oy < g.outH; oy++) {
        for (let ox = 0; ox < g.outW; ox++) {
          best.fill(-Infinity);
          for (let fy = 0; fy < g.filterH; fy++) {
            const iy = oy * g.strideH - g.padTop + fy;
            if (iy < 0 || iy >= g.inH) continue;
            for (let fx = 0; fx < g.filterW; fx++) {
              const ix = ox * g.strideW - g.padLeft + fx;
              if (ix < 0 || ix >= g.inW) continue;
              const xBase = ((n * g.inH + iy) * g.inW + ix) * channels;
              for (let c = 0; c < channels; c++) {
                const v = xv[xBase + c]!;
                if (v > best[c]!) best[c] = v;
              }
            }
          }
          result.set(best, ((n * g.outH + oy) * g.outW + ox) * channels);
        }
      }
    }
    return store.write(result, out.shape, out.dtype);
  };

export const maxPoolGrad: CpuKernel<"MaxPoolGrad"> =
  (store) =>
  ({ inputs: [dy, x], attrs, out }) => {
    checkShape("MaxPoolGrad", "output", out.shape, x.shape);
    const g = window2D("MaxPoolGrad", x.shape, dy.shape, attrs.filterSize, attrs.strides, NO_DILATION, attrs.pad);
    checkChannels("MaxPoolGrad", x.shape, dy.shape);
    const channels = x.shape[3]!;
    const xv = store.read(x);
    const dyv = store.read(dy);
    const dx = new Float64Array(xv.length);
    // Per window and channel: the flat index of the first maximum in window order (-1: none).
    const bestValue = new Float64Array(channels);
    const bestIndex = new Int32Array(channels);
    for (let n = 0; n < g.batch; n++) {
      for (let oy = 0; oy < g.outH; oy++) {
        for (let ox = 0; ox < g.outW; ox++) {
          bestValue.fill(-Infinity);
          bestIndex.fill(-1);
          for (let fy = 0; fy < g.filterH; fy++) {
            const iy = oy * g.strideH - g.padTop + fy;
            if (iy < 0 || iy >= g.inH) continue;
            for (let fx = 0; fx < g.filterW; fx++) {
              const ix = ox * g.strideW - g.padLeft + fx;
              if (ix < 0 || ix >= g.inW) continue;
              const xBase = ((n * g.inH + iy) * g.inW + ix) * channels;
              for (let c = 0; c < channels; c++) {
                const v = xv[xBase + c]!;
                if (v > bestValue[c]! || bestIndex[c] === -1) {
                  bestValue[c] = v;
                  bestIndex[c] = xBase + c;
                }
              }
            }
          }
          const dyBase = ((n * g.outH + oy) * g.outW + ox) * channels;
          for (let c = 0; c < channels; c++) {
            if (bestIndex[c]! >= 0) dx[bestIndex[c]!]! += dyv[dyBase + c]!;
          }
        }
      }
    }
    const result = store.alloc(out);
    result.set(dx);
    return store.write(result, out.shape, out.dtype);
  };

export const avgPool: CpuKernel<"AvgPool"> =
  (store) =>
  ({ inputs: [x], attrs, out }) => {
    const g = window2D("AvgPool", x.shape, out.shape, attrs.filterSize, attrs.strides, NO_DILATION, attrs.pad);
    checkChannels("AvgPool", x.shape, out.shape);
    const channels = x.shape[3]!;
    const xv = store.read(x);
    const result = store.alloc(out);
    const sum = new Float64Array(channels);
    for (let n = 0; n < g.batch; n++) {
      for (let oy = 0; oy < g.outH; oy++) {
        for (let ox = 0; ox < g.outW; ox++) {
          sum.fill(0);
          let count = 0;
          for (let fy = 0; fy < g.filterH; fy++) {
            const iy = oy * g.strideH - g.padTop + fy;
            if (iy < 0 || iy >= g.inH) continue;
            for (let fx = 0; fx < g.filterW; fx++) {
              const ix = ox * g.strideW - g.padLeft + fx;
              if (ix < 0 || ix >= g.inW) continue;
              count++;
              const xBase = ((n * g.inH + iy) * g.inW + ix) * channels;
              for (let c = 0; c < channels; c++) sum[c]! += xv[xBase + c]!;
            }
          }
          const outBase = ((n * g.outH + oy) * g.outW + ox) * channels;
          for (let c = 0; c < channels; c++) result[outBase + c] = count > 0 ? sum[c]! / count : 0;
        }
      }
    }
    return store.write(result, out.shape, out.dtype);
  };

export const avgPoolGrad: CpuKernel<"AvgPoolGrad"> =
  (store) =>
  ({ inputs: [dy], attrs, out }) => {
    checkShape("AvgPoolGrad", "output", out.shape, attrs.inShape);
    const g = window2D("AvgPoolGrad", attrs.inShape, dy.shape, attrs.filterSize, attrs.strides, NO_DILATION, attrs.pad);
    checkChannels("AvgPoolGrad", attrs.inShape, dy.shape);
    const channels = attrs.inShape[3]!;
    const dyv = store.read(dy);
    const dx = new Float64Array(g.batch * g.inH * g.inW * channels);
    for (let n = 0; n < g.batch; n++) {
      for (let oy = 0; oy < g.outH; oy++) {
        for (let ox = 0; ox < g.outW; ox++) {
          // The window's count of real elements is the product of its valid row and column ranges.
          const y0 = oy * g.strideH - g.padTop;
          const x0 = ox * g.strideW - g.padLeft;
          const rows = Math.min(y0 + g.filterH, g.inH) - Math.max(y0, 0);
          const cols = Math.min(x0 + g.filterW, g.inW) - Math.max(x0, 0);
          if (rows <= 0 || cols <= 0) continue;
          const scale = 1 / (rows * cols);
          const dyBase = ((n * g.outH + oy) * g.outW + ox) * channels;
          for (let iy = Math.max(y0, 0); iy < Math.min(y0 + g.filterH, g.inH); iy++) {
            for (let ix = Math.max(x0, 0); ix < Math.min(x0 + g.filterW, g.inW); ix++) {
              const xBase = ((n * g.inH + iy) * g.inW + ix) * channels;
              for (let c = 0; c < channels; c++) dx[xBase + c]! += dyv[dyBase + c]! * scale;
            }
          }
        }
      }
    }
    const result = store.alloc(out);
    result.set(dx);
    return store.write(result, out.shape, out.dtype);
  };

/** Throws unless a pooling's input and output have the same channel count. */
export function checkChannels(kernel: string, inShape: readonly number[], outShape: readonly number[]): void {
  if (inShape[3] !== outShape[3]) {
    throw new Error(`${kernel}: input has ${inShape[3]} channels, output [${outShape.join(",")}] has ${outShape[3]}`);
  }
}
