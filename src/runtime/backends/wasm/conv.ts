/**
 * Conv2D and its two gradients as SGEMMs on the threads (matmul.ts's `runGemm`) over an im2col
 * matrix: `cols[output pixel, (tap, c)]` holds the input value each output pixel's filter tap reads
 * (0 on padding), so with the HWIO filter seen as a `[taps·inC, outC]` matrix W
 * - Conv2D:               y      = cols · W
 * - Conv2DBackpropFilter: dW     = colsᵀ · dy
 * - Conv2DBackpropInput:  dcols  = dy · Wᵀ, then each dcols entry is added to the input pixel it came from.
 * The columns live in the WebAssembly memory for the duration of the kernel; im2col runs in
 * WebAssembly (code/im2col.ts), and so does the input gradient's scatter-add (col2im). Shapes and attributes
 * are checked as the cpu backend checks them (the same `convWindow`).
 */
import type { DataArray } from "../../backend.js";
import { checkShape } from "../cpu/window.js";
import { type ConvWindow, convWindow } from "../cpu/window-taps.js";
import type { WasmKernel } from "./context.js";
import type { WasmExports } from "./module.js";
import type { Heap } from "./heap.js";
import { runGemm } from "./matmul.js";

/** A block of the heap for `length` floats, released by `free`. */
interface Block {
  address: number;
  free(): void;
}

function block(heap: Heap, length: number): Block {
  const bytes = Math.max(1, length) * 4;
  const address = heap.alloc(bytes);
  return { address, free: () => heap.release(address, bytes) };
}

/** Rows (output pixels) and row length (taps · input channels) of window `g`'s im2col matrix. */
function colsSize(g: ConvWindow): { kk: number; rows: number } {
  return { kk: g.filterH * g.filterW * g.inC, rows: g.batch * g.outH * g.outW };
}

/** The geometry arguments of code/im2col.ts's functions. */
function geometry(g: ConvWindow): number[] {
  return [
    g.batch,
    g.inH,
    g.inW,
    g.inC,
    g.outH,
    g.outW,
    g.filterH,
    g.filterW,
    g.strideH,
    g.strideW,
    g.dilationH,
    g.dilationW,
    g.padTop,
    g.padLeft,
  ];
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
function columnsOf(heap: Heap, wasm: WasmExports, x: DataArray, g: ConvWindow, rows: number, kk: number) {
  if (isPointwise(g)) return { address: x.byteOffset, free: () => {} };
  const cols = block(heap, rows * kk);
  wasm.im2col(x.byteOffset, cols.address, ...geometry(g));
  return cols;
}

export const conv2D: WasmKernel<"Conv2D"> =
  ({ store, threads, wasm }) =>
  ({ inputs: [x, filter], attrs, out }) => {
    const g = convWindow("Conv2D", x.shape, out.shape, filter.shape, "filter", attrs, false);
    const { kk, rows } = colsSize(g);
    const y = store.allocRaw(out);
    if (rows === 0 || g.outC === 0) return store.write(y, out.shape, out.dtype);
    if (kk === 0) y.fill(0);
    else {
      const cols = columnsOf(store.heap, wasm, store.read(x), g, rows, kk);
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
  ({ store, threads, wasm }) =>
  ({ inputs: [x, dy], attrs, out }) => {
    checkShape("Conv2DBackpropFilter", "output", out.shape, attrs.filterShape);
    const g = convWindow("Conv2DBackpropFilter", x.shape, dy.shape, attrs.filterShape, "filterShape", attrs, false);
    const { kk, rows } = colsSize(g);
    const dw = store.allocRaw(out);
    if (rows === 0) dw.fill(0);
    else if (kk > 0 && g.outC > 0) {
      const cols = columnsOf(store.heap, wasm, store.read(x), g, rows, kk);
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
  ({ store, threads, wasm }) =>
  ({ inputs: [dy, filter], attrs, out }) => {
    checkShape("Conv2DBackpropInput", "output", out.shape, attrs.inShape);
    const g = convWindow("Conv2DBackpropInput", attrs.inShape, dy.shape, filter.shape, "filter", attrs, false);
    const { kk, rows } = colsSize(g);
    const pointwise = isPointwise(g);
    const dx = store.allocRaw(out); // every element written: by the product, or zeroed by col2im
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
      wasm.col2im(dx.byteOffset, dcols.address, ...geometry(g));
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
