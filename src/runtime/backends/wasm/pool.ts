/**
 * MaxPool and MaxPoolGrad on code/pool.ts's loops (the calling thread), with the window and shapes
 * checked as the cpu backend checks them.
 */
import { checkChannels } from "../cpu/pool.js";
import { checkShape, type Window2D, window2D } from "../cpu/window.js";
import type { WasmKernel } from "./context.js";

const NO_DILATION: [number, number] = [1, 1];

/** The window arguments of code/pool.ts's functions. */
function windowArgs(g: Window2D, channels: number): number[] {
  return [
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
  ];
}

export const maxPool: WasmKernel<"MaxPool"> =
  ({ store, wasm }) =>
  ({ inputs: [x], attrs, out }) => {
    const g = window2D("MaxPool", x.shape, out.shape, attrs.filterSize, attrs.strides, NO_DILATION, attrs.pad);
    checkChannels("MaxPool", x.shape, out.shape);
    const y = store.allocRaw(out);
    wasm.max_pool(store.read(x).byteOffset, y.byteOffset, ...windowArgs(g, x.shape[3]!));
    return store.write(y, out.shape, out.dtype);
  };

export const maxPoolGrad: WasmKernel<"MaxPoolGrad"> =
  ({ store, wasm }) =>
  ({ inputs: [dy, x], attrs, out }) => {
    checkShape("MaxPoolGrad", "output", out.shape, x.shape);
    const g = window2D("MaxPoolGrad", x.shape, dy.shape, attrs.filterSize, attrs.strides, NO_DILATION, attrs.pad);
    checkChannels("MaxPoolGrad", x.shape, dy.shape);
    const dx = store.allocRaw(out);
    wasm.max_pool_grad(
      store.read(x).byteOffset,
      store.read(dy).byteOffset,
      dx.byteOffset,
      ...windowArgs(g, x.shape[3]!),
    );
    return store.write(dx, out.shape, out.dtype);
  };
