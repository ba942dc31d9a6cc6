/**
 * The `wasm` backend: hand-written WebAssembly SIMD kernels (matrix products in every transpose,
 * Conv2D and its gradients, the simple recurrence, max pooling, bias + relu and relu's gradient, Adam) on a shared
 * WebAssembly memory, run by the calling thread plus worker threads; every other kernel runs the
 * cpu backend's loop on the same memory (README.md). It needs no compiler: the module is
 * assembled from TypeScript (`assembler/`, `code/`) when the backend starts.
 *
 * Tensor data lives in the WebAssembly memory; the store hands out typed-array views of it, so
 * kernels without WebAssembly code run the cpu backend's loops on the same data without copies.
 *
 * @example
 * ```ts
 * import { getEngine } from "../../engine.js";
 * import { registerWasmBackend } from "./backends/wasm/index.js";
 * registerWasmBackend(getEngine(), 2); // registers "wasm" where WebAssembly SIMD and threads work
 * ```
 */
import { type Backend, makeKernels } from "../../backend.js";
import type { Engine } from "../../engine.js";
import type { KernelName } from "../../kernels.js";
import { CPU_KERNELS } from "../cpu/kernels.js";
import { cpuLoopNames } from "../cpu-loops.js";
import { GEMM_SCRATCH_BYTES } from "./code/gemm.js";
import { Heap } from "./heap.js";
import { WASM_BACKEND_KERNELS, WASM_KERNELS } from "./kernels.js";
import { compiledKernels, instantiate, MAX_PAGES } from "./module.js";
import { WasmStore } from "./store.js";
import { checkWasmSupport } from "./support.js";
import { defaultThreadCount, ThreadPool } from "./threads.js";
import { webAssembly } from "./webassembly.js";

/** Pages the memory starts with (16 MiB; it grows as tensors need). */
const INITIAL_PAGES = 256;

export interface WasmBackend extends Backend {
  readonly name: "wasm";
  /** Threads that run the kernels (the calling one included): `DEEPTS_WASM_THREADS`, else one per core. */
  readonly threads: number;
  /** The kernels with WebAssembly code; the others run the cpu backend's loops on this backend's data. */
  readonly wasmKernels: readonly KernelName[];
  /** Bytes of WebAssembly memory reserved so far (it grows, never shrinks). */
  memoryBytes(): number;
}

let status: { available: true } | { available: false; reason: string } | undefined;

/** Whether the backend can run here (WebAssembly with SIMD and shared memory), and if not, why. */
export function wasmBackendStatus(): { available: true } | { available: false; reason: string } {
  if (process.env.DEEPTS_WASM === "0") return { available: false, reason: "turned off (DEEPTS_WASM=0)" };
  if (status) return status;
  try {
    checkWasmSupport();
    status = { available: true };
  } catch (e) {
    status = { available: false, reason: `WebAssembly SIMD or shared memory unavailable: ${(e as Error).message}` };
  }
  return status;
}

/** Creates a wasm backend with its own memory and threads. Throws (with the reason) where it cannot run. */
export function createWasmBackend(options: { threads?: number } = {}): WasmBackend {
  const available = wasmBackendStatus();
  if (!available.available) throw new Error(`wasm backend unavailable: ${available.reason}`);
  const kernels = compiledKernels();
  const memory = new webAssembly!.Memory({ initial: INITIAL_PAGES, maximum: MAX_PAGES, shared: true });
  const heap = new Heap(memory, 1024);
  const wasm = instantiate(kernels.module, memory);
  const threads = new ThreadPool(kernels, wasm, heap, GEMM_SCRATCH_BYTES, options.threads ?? defaultThreadCount());
  const store = new WasmStore(heap);
  const table = makeKernels(WASM_BACKEND_KERNELS, { store, wasm, threads, cpu: makeKernels(CPU_KERNELS, store) });
  return {
    name: "wasm",
    // float32 throughout: products and sums accumulate in float32; exp/log/tanh from polynomials.
    epsilon: 1e-5,
    kernels: table,
    cpuLoops: cpuLoopNames(WASM_BACKEND_KERNELS),
    threads: threads.size,
    wasmKernels: WASM_KERNELS,
    write: (values, shape, dtype) => store.write(values, shape, dtype),
    readSync: (dataId) => store.readDataId(dataId),
    // A copy: the block may be freed and reused before the caller looks at it.
    read: (dataId) => Promise.resolve().then(() => store.readDataId(dataId).slice()),
    disposeData: (dataId) => store.dispose(dataId),
    memory: () => store.memory(),
    memoryBytes: () => heap.capacity(),
    dispose: () => {
      threads.dispose();
      store.clear();
    },
  };
}

/**
 * Registers the `wasm` backend on `engine` with `priority` where it can run, and returns whether
 * it did (the reason otherwise is in `wasmBackendStatus()`).
 */
export function registerWasmBackend(engine: Engine, priority: number): boolean {
  if (!wasmBackendStatus().available) return false;
  return engine.registerBackend("wasm", () => createWasmBackend(), priority);
}
