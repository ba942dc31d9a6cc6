/**
 * BatchMatMul on the WebAssembly SGEMM (code/gemm.ts), split across the threads: by batch when
 * there are enough products, else by rows or columns of the output (the larger side), in chunks
 * the threads take as they come free.
 */
import type { DataArray } from "../../backend.js";
import { batchMatMulDims } from "../cpu/matmul.js";
import type { WasmKernel } from "./context.js";
import type { ThreadPool } from "./threads.js";

/** Products below this many multiply-adds run on the calling thread alone. */
const PARALLEL_MIN_MACS = 1 << 19;
/** Chunks per thread: more evens out threads that wake late or run slower (a busy machine). */
const CHUNKS_PER_THREAD = 2;
/** The fewest rows or columns worth one chunk (each chunk packs its own share of B). */
const MIN_ROWS = 32;
const MIN_COLS = 32;

/** One SGEMM: C (+)= A·B over `count` batches, at element strides; see code/gemm.ts. */
export interface Gemm {
  a: number;
  rsA: number;
  csA: number;
  b: number;
  rsB: number;
  csB: number;
  c: number;
  ldc: number;
  m: number;
  n: number;
  k: number;
  accumulate: boolean;
  count: number;
  aBatch: number;
  bBatch: number;
  cBatch: number;
}

function args(g: Gemm): number[] {
  return [
    g.a,
    g.rsA,
    g.csA,
    g.b,
    g.rsB,
    g.csB,
    g.c,
    g.ldc,
    g.m,
    g.n,
    g.k,
    +g.accumulate,
    g.count,
    g.aBatch,
    g.bBatch,
    g.cBatch,
  ];
}

/** `[start, end)` ranges splitting `total` into at most `parts` pieces of whole `multiple`s. */
function ranges(total: number, parts: number, multiple: number): [number, number][] {
  const units = Math.ceil(total / multiple);
  const count = Math.max(1, Math.min(parts, units));
  const out: [number, number][] = [];
  for (let p = 0; p < count; p++) {
    const start = Math.floor((units * p) / count) * multiple;
    const end = Math.min(total, Math.floor((units * (p + 1)) / count) * multiple);
    if (end > start) out.push([start, end]);
  }
  return out;
}

/** Runs `g` on `threads`, split where it is large enough to share. */
export function runGemm(threads: ThreadPool, g: Gemm): void {
  const macs = g.count * g.m * g.n * g.k;
  const parts = threads.size * CHUNKS_PER_THREAD;
  if (threads.size === 1 || macs < PARALLEL_MIN_MACS) {
    threads.run("sgemm", [args(g)]);
    return;
  }
  let chunks: Gemm[];
  if (g.count >= parts) {
    chunks = ranges(g.count, parts, 1).map(([s, e]) => ({
      ...g,
      a: g.a + 4 * s * g.aBatch,
      b: g.b + 4 * s * g.bBatch,
      c: g.c + 4 * s * g.cBatch,
      count: e - s,
    }));
  } else if (g.m >= g.n) {
    chunks = ranges(g.m, Math.min(parts, Math.floor(g.m / MIN_ROWS)), 4).map(([s, e]) => ({
      ...g,
      a: g.a + 4 * s * g.rsA,
      c: g.c + 4 * s * g.ldc,
      m: e - s,
    }));
  } else {
    chunks = ranges(g.n, Math.min(parts, Math.floor(g.n / MIN_COLS)), 8).map(([s, e]) => ({
      ...g,
      b: g.b + 4 * s * g.csB,
      c: g.c + 4 * s,
      n: e - s,
    }));
  }
  threads.run("sgemm", chunks.map(args));
}

function address(view: DataArray): number {
  return view.byteOffset;
}

/** `out[b] = op(a[b]) · op(b[b])` for float32 (the table sends other dtypes to the cpu loop). */
export const batchMatMul: WasmKernel<"BatchMatMul"> =
  ({ store, threads }) =>
  ({ inputs: [a, b], attrs: { transposeA, transposeB }, out }) => {
    const { batch, m, n, k } = batchMatMulDims(a, b, out, transposeA, transposeB);
    const result = store.allocRaw(out);
    if (k === 0) result.fill(0);
    else if (m > 0 && n > 0 && batch > 0) {
      runGemm(threads, {
        a: address(store.read(a)),
        rsA: transposeA ? 1 : k,
        csA: transposeA ? m : 1,
        b: address(store.read(b)),
        rsB: transposeB ? 1 : n,
        csB: transposeB ? k : 1,
        c: address(result),
        ldc: n,
        m,
        n,
        k,
        accumulate: false,
        count: batch,
        aBatch: a.shape[0] === 1 ? 0 : m * k,
        bBatch: b.shape[0] === 1 ? 0 : k * n,
        cBatch: m * n,
      });
    }
    return store.write(result, out.shape, out.dtype);
  };
