import type { TensorInfo } from "../../backend.js";
import { batchMatMulDims } from "../cpu/matmul.js";
import { checkShape, window2D, type Window2D } from "../cpu/window.js";
import type { PooledStore } from "./pool.js";
import type { NativeKernel } from "./context.js";

/** Native conv parameters: [batch, inH, inW, inC, outH, outW, outC, fh, fw, sh, sw, dh, dw, padTop, padLeft]. */
function convParams(g: Window2D, inC: number, outC: number): Int32Array {
  return Int32Array.of(
    g.batch,
    g.inH,
    g.inW,
    inC,
    g.outH,
    g.outW,
    outC,
    g.filterH,
    g.filterW,
    g.strideH,
    g.strideW,
    g.dilationH,
    g.dilationW,
    g.padTop,
    g.padLeft,
  );
}

/** Native pool parameters: [batch, inH, inW, channels, outH, outW, fh, fw, sh, sw, padTop, padLeft]. */
function poolParams(g: Window2D, channels: number): Int32Array {
  return Int32Array.of(
    g.batch,
    g.inH,
    g.inW,
    channels,
    g.outH,
    g.outW,
    g.filterH,
    g.filterW,
    g.strideH,
    g.strideW,
    g.padTop,
    g.padLeft,
  );
}

const NO_DILATION: [number, number] = [1, 1];

function f32(store: PooledStore, t: TensorInfo): Float32Array {
  return store.read(t) as Float32Array;
}

/**
 * Matrix products (OpenBLAS sgemm), convolutions (im2col/col2im around one sgemm per chunk of
 * images) and pooling, for float32 data (the table, kernels.ts, sends other dtypes to the cpu loops).
 */
export const batchMatMul: NativeKernel<"BatchMatMul"> =
  ({ store, addon }) =>
  ({ inputs: [a, b], attrs: { transposeA, transposeB }, out }) => {
    const { batch, m, n, k } = batchMatMulDims(a, b, out, transposeA, transposeB);
    const result = store.allocRaw(out) as Float32Array;
    // [batch, m, n, k, transposeA, transposeB, aBatched, bBatched]
    const p = Int32Array.of(
      batch,
      m,
      n,
      k,
      +transposeA,
      +transposeB,
      +(a.shape[0] === batch && batch > 1),
      +(b.shape[0] === batch && batch > 1),
    );
    addon.matMul(p, f32(store, a), f32(store, b), result);
    return store.write(result, out.shape, out.dtype);
  };

export const conv2D: NativeKernel<"Conv2D"> =
  ({ store, addon }) =>
  ({ inputs: [x, filter], attrs, out }) => {
    const [fh, fw] = filter.shape as [number, number];
    const g = window2D("Conv2D", x.shape, out.shape, [fh, fw], attrs.strides, attrs.dilations, attrs.pad);
    checkShape("Conv2D", "filter", filter.shape, [fh, fw, x.shape[3]!, out.shape[3]!]);
    const result = store.allocRaw(out) as Float32Array;
    addon.conv2d(convParams(g, x.shape[3]!, out.shape[3]!), f32(store, x), f32(store, filter), result);
    return store.write(result, out.shape, out.dtype);
  };

export const conv2DBackpropInput: NativeKernel<"Conv2DBackpropInput"> =
  ({ store, addon }) =>
  ({ inputs: [dy, filter], attrs, out }) => {
    const [fh, fw] = filter.shape as [number, number];
    checkShape("Conv2DBackpropInput", "output", out.shape, attrs.inShape);
    const g = window2D(
      "Conv2DBackpropInput",
      attrs.inShape,
      dy.shape,
      [fh, fw],
      attrs.strides,
      attrs.dilations,
      attrs.pad,
    );
    checkShape("Conv2DBackpropInput", "filter", filter.shape, [fh, fw, attrs.inShape[3]!, dy.shape[3]!]);
    const result = store.allocRaw(out) as Float32Array;
    addon.conv2dBackpropInput(
      convParams(g, attrs.inShape[3]!, dy.shape[3]!),
      f32(store, dy),
      f32(store, filter),
      result,
    );
    return store.write(result, out.shape, out.dtype);
  };

export const conv2DBackpropFilter: NativeKernel<"Conv2DBackpropFilter"> =
  ({ store, addon }) =>
  ({ inputs: [x, dy], attrs, out }) => {
    checkShape("Conv2DBackpropFilter", "output", out.shape, attrs.filterShape);
    const [fh, fw] = attrs.filterShape as [number, number];
    const g = window2D("Conv2DBackpropFilter", x.shape, dy.shape, [fh, fw], attrs.strides, attrs.dilations, attrs.pad);
    checkShape("Conv2DBackpropFilter", "filterShape", attrs.filterShape, [fh, fw, x.shape[3]!, dy.shape[3]!]);
    const result = store.allocRaw(out) as Float32Array;
    addon.conv2dBackpropFilter(convParams(g, x.shape[3]!, dy.shape[3]!), f32(store, x), f32(store, dy), result);
    return store.write(result, out.shape, out.dtype);
  };

export const maxPool: NativeKernel<"MaxPool"> =
  ({ store, addon }) =>
  ({ inputs: [x], attrs, out }) => {
    const g = window2D("MaxPool", x.shape, out.shape, attrs.filterSize, attrs.strides, NO_DILATION, attrs.pad);
    checkChannels("MaxPool", x.shape, out.shape);
    const result = store.allocRaw(out) as Float32Array;
    addon.maxPool(poolParams(g, x.shape[3]!), f32(store, x), result);
    return store.write(result, out.shape, out.dtype);
  };

export const maxPoolGrad: NativeKernel<"MaxPoolGrad"> =
  ({ store, addon }) =>
  ({ inputs: [dy, x], attrs, out }) => {
    checkShape("MaxPoolGrad", "output", out.shape, x.shape);
    const g = window2D("MaxPoolGrad", x.shape, dy.shape, attrs.filterSize, attrs.strides, NO_DILATION, attrs.pad);
    checkChannels("MaxPoolGrad", x.shape, dy.shape);
    const result = store.allocRaw(out) as Float32Array;
    addon.maxPoolGrad(poolParams(g, x.shape[3]!), f32(store, dy), f32(store, x), result);
    return store.write(result, out.shape, out.dtype);
  };

export const avgPool: NativeKernel<"AvgPool"> =
  ({ store, addon }) =>
  ({ inputs: [x], attrs, out }) => {
    const g = window2D("AvgPool", x.shape, out.shape, attrs.filterSize, attrs.strides, NO_DILATION, attrs.pad);
    checkChannels("AvgPool", x.shape, out.shape);
    const result = store.allocRaw(out) as Float32Array;
    addon.avgPool(poolParams(g, x.shape[3]!), f32(store, x), result);
    return store.write(result, out.shape, out.dtype);
  };

export const avgPoolGrad: NativeKernel<"AvgPoolGrad"> =
  ({ store, addon }) =>
  ({ inputs: [dy], attrs, out }) => {
    checkShape("AvgPoolGrad", "output", out.shape, attrs.inShape);
    const g = window2D("AvgPoolGrad", attrs.inShape, dy.shape, attrs.filterSize, attrs.strides, NO_DILATION, attrs.pad);
    checkChannels("AvgPoolGrad", attrs.inShape, dy.shape);
    const result = store.allocRaw(out) as Float32Array;
    addon.avgPoolGrad(poolParams(g, attrs.inShape[3]!), f32(store, dy), result);
    return store.write(result, out.shape, out.dtype);
  };

function checkChannels(kernel: string, inShape: readonly number[], outShape: readonly number[]): void {
  if (inShape[3] !== outShape[3]) {
    throw new Error(`${kernel}: input has ${inShape[3]} channels, output [${outShape.join(",")}] has ${outShape[3]}`);
  }
}
