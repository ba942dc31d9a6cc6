/**
 * What the wasm backend's kernels share: the storage (views into the WebAssembly memory), this
 * thread's instance of the kernels' module, the thread pool, and the cpu backend's loops on the
 * same storage (for the kernels and dtypes without WebAssembly code).
 */
import type { KernelMaker, KernelTable } from "../../backend.js";
import type { KernelName } from "../../kernels.js";
import type { WasmExports } from "./module.js";
import type { WasmStore } from "./store.js";
import type { ThreadPool } from "./threads.js";

export interface WasmContext {
  readonly store: WasmStore;
  readonly wasm: WasmExports;
  readonly threads: ThreadPool;
  readonly cpu: KernelTable;
}

/** A kernel of the wasm backend. */
export type WasmKernel<K extends KernelName> = KernelMaker<K, WasmContext>;
