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
 * Every (output pixel, filter tap) pair of a window whose tap lands inside the input (taps on
 * padding are left out), for one image; the same pairs repeat for each image of the batch. Entry
 * `k` gives element offsets within one image: of the output pixel (pixel × `outStride`), of the
 * input pixel the tap reads (pixel × `inStride`), and of the tap's filter slice
 * (`(fy * filterW + fx) × tapStride`). Kernels loop over these entries instead of re-testing bounds.
 */
export interface WindowTaps {
  count: number;
  /** Output and input elements per image. */
  outImage: number;
  inImage: number;
  outOffset: Int32Array;
  inOffset: Int32Array;
  tapOffset: Int32Array;
}

export function windowTaps(g: Window2D, outStride: number, inStride: number, tapStride: number): WindowTaps {
  const most = g.outH * g.outW * g.filterH * g.filterW;
  const outOffset = new Int32Array(most);
  const inOffset = new Int32Array(most);
  const tapOffset = new Int32Array(most);
  let k = 0;
  for (let oy = 0; oy < g.outH; oy++) {
    for (let ox = 0; ox < g.outW; ox++) {
      for (let fy = 0; fy < g.filterH; fy++) {
        const iy = oy * g.strideH - g.padTop + fy * g.dilationH;
        if (iy < 0 || iy >= g.inH) continue;
        for (let fx = 0; fx < g.filterW; fx++) {
          const ix = ox * g.strideW - g.padLeft + fx * g.dilationW;
          if (ix < 0 || ix >= g.inW) continue;
          outOffset[k] = (oy * g.outW + ox) * outStride;
          inOffset[k] = (iy * g.inW + ix) * inStride;
          tapOffset[k++] = (fy * g.filterW + fx) * tapStride;
        }
      }
    }
  }
  return {
    count: k,
    outImage: g.outH * g.outW * outStride,
    inImage: g.inH * g.inW * inStride,
    outOffset,
    inOffset,
    tapOffset,
  };
}

/** Stores float64 sums as the kernel's output tensor (in its dtype). */
export function writeSums(store: CpuStore, out: { shape: number[]; dtype: DType }, sums: Float64Array): DataId {
  const result = store.alloc(out);
  result.set(sums);
  return store.write(result, out.shape, out.dtype);
}
