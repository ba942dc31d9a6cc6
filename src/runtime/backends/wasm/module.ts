/**
 * The backend's WebAssembly module: assembled from the kernel sources in `code/` when the backend
 * is first created in a process (a few milliseconds, no compiler or download), compiled once, and
 * instantiated on the backend's shared memory by the runtime thread and by each worker thread.
 */
import { ModuleBuilder } from "./assembler/module.js";
import { addActivations } from "./code/activation.js";
import { addGemm } from "./code/gemm.js";
import { addIm2col } from "./code/im2col.js";
import { addOptimizers } from "./code/optimizer.js";
import { addPooling } from "./code/pool.js";
import { type WasmMemory, type WasmModule, webAssembly } from "./webassembly.js";

/** The memory's limit in 64 KiB pages (4 GiB, all a 32-bit WebAssembly memory can address). */
export const MAX_PAGES = 65536;

/** The exported kernels (addresses and sizes in bytes or elements as each says; all synchronous). */
export interface WasmExports {
  /** See code/gemm.ts. */
  sgemm(
    scratch: number,
    a: number,
    rsA: number,
    csA: number,
    b: number,
    rsB: number,
    csB: number,
    c: number,
    ldc: number,
    m: number,
    n: number,
    k: number,
    accumulate: number,
    count: number,
    aBatch: number,
    bBatch: number,
    cBatch: number,
  ): void;
  /** See code/activation.ts. */
  bias_act(x: number, bias: number, y: number, rows: number, c: number, relu: number): void;
  relu_grad(y: number, dy: number, dx: number, n: number): void;
  /** See code/optimizer.ts. */
  adam_moments(m: number, g: number, out: number, n: number, beta1: number, beta2: number): void;
  adam_step(w: number, m: number, out: number, n: number, rate: number, vScale: number, epsilon: number): void;
  /** See code/im2col.ts (both take the same geometry after their two addresses). */
  im2col(x: number, cols: number, ...geometry: number[]): void;
  col2im(dx: number, cols: number, ...geometry: number[]): void;
  /** See code/pool.ts (the window arguments of both: batch, inH, inW, channels, outH, outW, fh, fw, strideH, strideW, padTop, padLeft). */
  max_pool(x: number, y: number, ...window: number[]): void;
  max_pool_grad(x: number, dy: number, dx: number, ...window: number[]): void;
}

/** A kernel that threads run: its name among the exports. */
export type ExportName = keyof WasmExports;

export interface CompiledKernels {
  readonly module: WasmModule;
  /** The exported function names, in export order (threads refer to kernels by this index). */
  readonly exportNames: readonly ExportName[];
  /** Bytes of the binary. */
  readonly size: number;
}

let compiled: CompiledKernels | undefined;

/** The compiled module (assembled and compiled on the first call in this thread). Throws without WebAssembly SIMD. */
export function compiledKernels(): CompiledKernels {
  if (compiled) return compiled;
  if (!webAssembly) throw new Error("wasm backend: this JavaScript engine has no WebAssembly");
  const m = new ModuleBuilder();
  m.importMemory("env", "memory", { initial: 1, maximum: MAX_PAGES, shared: true });
  addGemm(m);
  addActivations(m);
  addOptimizers(m);
  addIm2col(m);
  addPooling(m);
  const bytes = m.toBytes();
  compiled = {
    module: new webAssembly.Module(bytes),
    exportNames: m.exportNames() as ExportName[],
    size: bytes.length,
  };
  return compiled;
}

/** An instance of `module` on `memory`. */
export function instantiate(module: WasmModule, memory: WasmMemory): WasmExports {
  if (!webAssembly) throw new Error("wasm backend: this JavaScript engine has no WebAssembly");
  return new webAssembly.Instance(module, { env: { memory } }).exports as unknown as WasmExports;
}
