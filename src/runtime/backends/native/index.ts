/**
 * The `native` backend: kernels in a C++ Node-API addon over OpenBLAS (sgemm for BatchMatMul and
 * the im2col/col2im convolutions; tight loops for pooling, elementwise ops, reductions and copies).
 *
 * Data lives in plain JS typed arrays owned by the backend (the addon reads and writes them in
 * place, no copies); disposed output buffers are reused by later kernels of the same size (pool.ts).
 * The kernel table (kernels.ts) says where each kernel runs: in the addon, or, for a dtype the addon
 * does not take (e.g. int32 Add) and the bool-only kernels, as the cpu backend's loop on the same
 * storage, still without copies; kernels missing from it (the depthwise convolutions) fall back to
 * the cpu backend through the engine, visibly.
 *
 * The addon is optional: it is built by `csrc/build.mjs` at `npm install` and needs g++ and
 * libopenblas-dev. `nativeBackendStatus()` says whether it is there and why not.
 *
 * @example
 * ```ts
 * import { getEngine } from "../../engine.js";
 * import { registerNativeBackend } from "./backends/native/index.js";
 * registerNativeBackend(getEngine(), 3); // registers "native" only when the addon loads
 * ```
 */
import { type Backend, makeKernels } from "../../backend.js";
import { CPU_KERNELS } from "../cpu/kernels.js";
import { cpuLoopNames } from "../cpu-loops.js";
import type { Engine } from "../../engine.js";
import { watchInterruptFlag } from "../../interrupt.js";
import { loadAddon, type NativeAddon } from "./addon.js";
import { NATIVE_KERNELS } from "./kernels.js";
import { PooledStore } from "./pool.js";

/** The kernels the native backend runs as cpu loops on its storage (for `tf.backendSupport()`). */
const NATIVE_CPU_LOOPS = cpuLoopNames(NATIVE_KERNELS);

export { loadAddon, type NativeAddon } from "./addon.js";

export interface NativeBackend extends Backend {
  readonly name: "native";
  /** OpenBLAS's build configuration (version, kernel architecture, threads). */
  readonly blas: string;
  /** Sets the most BLAS threads a large product uses when `n > 0` (small ones use one); returns that count. */
  blasThreads(n?: number): number;
  /** Bytes of disposed buffers kept for reuse by later kernels (not in `memory()`). */
  idleBytes(): number;
  /** Releases the buffers kept for reuse. */
  trim(): void;
}

/** Whether the addon loads here, and if not, why. */
export function nativeBackendStatus(): { available: true; path: string } | { available: false; reason: string } {
  const load = loadAddon();
  return load.addon ? { available: true, path: load.path } : { available: false, reason: load.reason };
}

/**
 * Creates a native backend with its own storage. Throws (with the reason) when the addon is not built.
 */
export function createNativeBackend(): NativeBackend {
  const load = loadAddon();
  if (!load.addon) throw new Error(`native backend unavailable: ${load.reason}`);
  const addon: NativeAddon = load.addon;
  const store = new PooledStore();
  const kernels = makeKernels(NATIVE_KERNELS, { store, addon, cpu: makeKernels(CPU_KERNELS, store) });
  // Long products and convolutions stop between blocks when the host's interrupt flag is set.
  const unwatch = watchInterruptFlag((flag) => addon.setInterruptFlag(flag));
  return {
    name: "native",
    // float32 arithmetic throughout: BLAS sums in float32; exp/tanh/sigmoid from a ~1 ulp polynomial, the rest from libm.
    epsilon: 1e-5,
    kernels,
    cpuLoops: NATIVE_CPU_LOOPS,
    blas: addon.blasInfo(),
    blasThreads: (n = 0) => addon.setThreads(n),
    write: (values, shape, dtype) => store.write(values, shape, dtype),
    allocData: (dtype, length) => store.allocRaw({ shape: [length], dtype }),
    readSync: (dataId) => store.readDataId(dataId),
    // A copy: the buffer may be disposed and reused before the caller looks at it.
    read: (dataId) => Promise.resolve().then(() => store.readDataId(dataId).slice()),
    disposeData: (dataId) => store.dispose(dataId),
    memory: () => store.memory(),
    idleBytes: () => store.idleBytes(),
    trim: () => store.trim(),
    dispose: () => {
      unwatch();
      store.clear();
    },
  };
}

/**
 * Registers the `native` backend on `engine` with `priority` when the addon loads, and returns
 * whether it did. Without the addon nothing is registered (the reason is in `nativeBackendStatus()`).
 */
export function registerNativeBackend(engine: Engine, priority: number): boolean {
  if (!nativeBackendStatus().available) return false;
  return engine.registerBackend("native", () => createNativeBackend(), priority);
}
