/**
 * Conv2D and its two gradients as SGEMMs on the threads (matmul.ts's `runGemm`) over an im2col
 * matrix: `cols[output pixel, (tap, c)]` holds the input value each output pixel's filter tap reads
 * (0 on padding), so with the HWIO filter seen as a `[taps·inC, outC]` matrix W
 * - Conv2D:               y      = cols · W
 * - Conv2DBackpropFilter: dW     = colsᵀ · dy
 * - Conv2DBackpropInput:  dcols  = dy · Wᵀ, then each dcols entry is added to the input pixel it came from.
 * The columns live in the WebAssembly memory for the duration of the kernel. Shapes and attributes
 * are checked as the cpu backend checks them (the same `convWindow`).
 */
import type { DataArray } from "../../backend.js";
import { checkShape } from "../cpu/window.js";
import { type ConvWindow, convWindow, type WindowTaps, windowTaps } from "../cpu/window-taps.js";
import type { WasmKernel } from "./context.js";
import type { Heap } from "./heap.js";
import { runGemm } from "./matmul.js";

/** A float32 block of the heap, released by `free`. */
interface Block {
  address: number;
  view: Float32Array;
  free(): void;
}

function block(heap: Heap, length: number): Block {
  const bytes = Math.max(1, length) * 4;
  const address = heap.alloc(bytes);
  return { address, view: heap.f32(address, length), free: () => heap.release(address, bytes) };
}

/** The im2col layout of window `g`: taps per output pixel row, `cols` row length `kk`. */
function colsTaps(g: ConvWindow): { taps: WindowTaps; kk: number; rows: number } {
  const kk = g.filterH * g.filterW * g.inC;
  // Entry offsets: output row (pixel · kk), input pixel (pixel · inC), column within the row (tap · inC).
  return { taps: windowTaps(g, kk, g.inC, g.inC), kk, rows: g.batch * g.outH * g.outW };
}

/** Fills `cols` from input `x` (zeros first where some taps fall on padding). */
function im2col(x: DataArray, cols: Float32Array, g: ConvWindow, t: WindowTaps): void {
  if (t.count < g.outH * g.outW * g.filterH * g.filterW) cols.fill(0);
  const inC = g.inC;
  for (let n = 0; n < g.batch; n++) {
    const rowBase = n * t.outImage;
    const inBase = n * t.inImage;
    for (let k = 0; k < t.count; k++) {
      const to = rowBase + t.outOffset[k]! + t.tapOffset[k]!;
      const from = inBase + t.inOffset[k]!;
      if (inC === 1) cols[to] = x[from]!;
      else cols.set(x.subarray(from, from + inC), to);
    }
  }
}

/** Adds each entry of `cols` to the input pixel it was read from, into `dx` (zeroed by the caller). */
function col2im(cols: Float32Array, dx: DataArray, g: ConvWindow, t: WindowTaps): void {
  const inC = g.inC;
  for (let n = 0; n < g.batch; n++) {
    const rowBase = n * t.outImage;
    const inBase = n * t.inImage;
    for (let k = 0; k < t.count; k++) {
      const from = rowBase + t.outOffset[k]! + t.tapOffset[k]!;
      const to = inBase + t.inOffset[k]!;
      for (let c = 0; c < inC; c++) dx[to + c]! += cols[from + c]!;
    }
  }
}

/** Whether the filter reads every input pixel once, in order (1×1, stride 1, no padding): cols is x itself. */
function isPointwise(g: ConvWindow): boolean {
  return (
    g.filterH === 1 &&
    g.filterW === 1 &&
    g.strideH === 1 &&
    g.strideW === 1 &&
    g.padTop === 0 &&
    g.padLeft === 0 &&
    g.inH === g.outH &&
    g.inW === g.outW
  );
}

/** The address of x's im2col matrix (x itself for a pointwise filter) and a release function. */
function columnsOf(heap: Heap, x: DataArray, g: ConvWindow, t: WindowTaps, rows: number, kk: number) {
  if (isPointwise(g)) return { address: x.byteOffset, free: () => {} };
  const cols = block(heap, rows * kk);
  im2col(x, cols.view, g, t);
  return cols;
}

export const conv2D: WasmKernel<"Conv2D"> =
  ({ store, threads }) =>
  ({ inputs: [x, filter], attrs, out }) => {
    const g = convWindow("Conv2D", x.shape, out.shape, filter.shape, "filter", attrs, false);
    const { taps, kk, rows } = colsTaps(g);
    const y = store.allocRaw(out);
    if (rows === 0 || g.outC === 0) return store.write(y, out.shape, out.dtype);
    if (kk === 0) y.fill(0);
    else {
      const cols = columnsOf(store.heap, store.read(x), g, taps, rows, kk);
      try {
        runGemm(
          threads,
          gemm(cols.address, kk, 1, store.read(filter).byteOffset, g.outC, 1, y.byteOffset, rows, g.outC, kk),
        );
      } finally {
        cols.free();
      }
    }
    return store.write(y, out.shape, out.dtype);
  };

export const conv2DBackpropFilter: WasmKernel<"Conv2DBackpropFilter"> =
  ({ store, threads }) =>
  ({ inputs: [x, dy], attrs, out }) => {
    checkShape("Conv2DBackpropFilter", "output", out.shape, attrs.filterShape);
    const g = convWindow("Conv2DBackpropFilter", x.shape, dy.shape, attrs.filterShape, "filterShape", attrs, false);
    const { taps, kk, rows } = colsTaps(g);
    const dw = store.allocRaw(out);
    if (rows === 0) dw.fill(0);
    else if (kk > 0 && g.outC > 0) {
      const cols = columnsOf(store.heap, store.read(x), g, taps, rows, kk);
      try {
        // colsᵀ: element (tap·c, pixel) at pixel·kk + tap·c.
        runGemm(
          threads,
          gemm(cols.address, 1, kk, store.read(dy).byteOffset, g.outC, 1, dw.byteOffset, kk, g.outC, rows),
        );
      } finally {
        cols.free();
      }
    }
    return store.write(dw, out.shape, out.dtype);
  };

export const conv2DBackpropInput: WasmKernel<"Conv2DBackpropInput"> =
  ({ store, threads }) =>
  ({ inputs: [dy, filter], attrs, out }) => {
    checkShape("Conv2DBackpropInput", "output", out.shape, attrs.inShape);
    const g = convWindow("Conv2DBackpropInput", attrs.inShape, dy.shape, filter.shape, "filter", attrs, false);
    const { taps, kk, rows } = colsTaps(g);
    const pointwise = isPointwise(g);
    const dx = pointwise ? store.allocRaw(out) : store.alloc(out);
    if (rows === 0 || kk === 0) return store.write(dx.fill(0), out.shape, out.dtype);
    if (g.outC === 0) return store.write(dx.fill(0), out.shape, out.dtype);
    // Wᵀ: element (o, tap·c) at (tap·c)·outC + o. A pointwise filter's dcols is dx itself.
    const wT = { b: store.read(filter).byteOffset, rsB: 1, csB: g.outC };
    if (pointwise) {
      runGemm(
        threads,
        gemm(store.read(dy).byteOffset, g.outC, 1, wT.b, wT.rsB, wT.csB, dx.byteOffset, rows, kk, g.outC),
      );
      return store.write(dx, out.shape, out.dtype);
    }
    const dcols = block(store.heap, rows * kk);
    try {
      runGemm(
        threads,
        gemm(store.read(dy).byteOffset, g.outC, 1, wT.b, wT.rsB, wT.csB, dcols.address, rows, kk, g.outC),
      );
      col2im(dcols.view, dx, g, taps);
    } finally {
      dcols.free();
    }
    return store.write(dx, out.shape, out.dtype);
  };

/** One unbatched `C[m, n] = A · B` with A and B at the given element strides, C dense. */
function gemm(
  a: number,
  rsA: number,
  csA: number,
  b: number,
  rsB: number,
  csB: number,
  c: number,
  m: number,
  n: number,
  k: number,
) {
  return { a, rsA, csA, b, rsB, csB, c, ldc: n, m, n, k, accumulate: false, count: 1, aBatch: 0, bBatch: 0, cBatch: 0 };
}
