/**
 * The `native` backend: kernels in a C++ Node-API addon over OpenBLAS (sgemm for BatchMatMul and
 * the im2col/col2im convolutions; tight loops for pooling, elementwise ops, reductions and copies).
 *
 * Data lives in plain JS typed arrays owned by the backend (the addon reads and writes them in
 * place, no copies); disposed output buffers are reused by later kernels of the same size (pool.ts). A kernel called with a dtype the addon does not take (e.g. int32 Add) runs the
 * cpu backend's loop on the same storage, still without copies, and so do the bool-only kernels
 * (`SHARED_LOOP_KERNELS`); kernels missing from `kernels`
 * (the depthwise convolutions) fall back to the cpu backend through the engine, visibly.
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
import type { Backend, DataId, DType, KernelFunc, KernelTable, TensorInfo } from "../../backend.js";
import type { Engine } from "../../engine.js";
import type { KernelName } from "../../kernels.js";
import { binaryKernels } from "../cpu/binary.js";
import { castKernels } from "../cpu/cast.js";
import { layoutKernels as cpuLayoutKernels } from "../cpu/layout.js";
import { matMulKernels } from "../cpu/matmul.js";
import { reduceKernels } from "../cpu/reduce.js";
import { selectKernels } from "../cpu/select.js";
import { unaryKernels } from "../cpu/unary.js";
import { convKernels } from "../cpu/conv.js";
import { poolKernels } from "../cpu/pool.js";
import { optimizerKernels as cpuOptimizerKernels } from "../cpu/optimizer.js";
import { softmaxKernels as cpuSoftmaxKernels } from "../cpu/softmax.js";
import { recurrentKernels as cpuRecurrentKernels } from "../cpu/recurrent.js";
import { loadAddon, type NativeAddon } from "./addon.js";
import { elementwiseKernels } from "./elementwise.js";
import { layoutKernels } from "./layout.js";
import { mathKernels } from "./math.js";
import { optimizerKernels } from "./optimizer.js";
import { recurrentKernels } from "./recurrent.js";
import { softmaxKernels } from "./softmax.js";
import { PooledStore } from "./pool.js";

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
 * Bool-only kernels the addon does not implement: they run the cpu backend's loops directly on this
 * backend's storage (no copies, unlike an engine fallback).
 */
export const SHARED_LOOP_KERNELS = ["LogicalNot", "LogicalAnd", "LogicalOr", "Any", "All"] as const;

/** Whether a kernel's output and every input are float32 (what the float-only addon kernels take). */
function allFloat32(args: { inputs: TensorInfo[]; out: { dtype: DType } }): boolean {
  if (args.out.dtype !== "float32") return false;
  for (const t of args.inputs) if (t.dtype !== "float32") return false;
  return true;
}

type Loose = (args: {
  inputs: TensorInfo[];
  attrs: unknown;
  out: { shape: number[]; dtype: DType };
}) => DataId | undefined;

/**
 * Creates a native backend with its own storage. Throws (with the reason) when the addon is not built.
 */
export function createNativeBackend(): NativeBackend {
  const load = loadAddon();
  if (!load.addon) throw new Error(`native backend unavailable: ${load.reason}`);
  const addon: NativeAddon = load.addon;
  const store = new PooledStore();
  // The cpu loops over the same store: the path for dtypes the addon does not take.
  const cpu: Partial<KernelTable> = {
    ...unaryKernels(store),
    ...binaryKernels(store),
    ...reduceKernels(store),
    ...castKernels(store),
    ...selectKernels(store),
    ...cpuLayoutKernels(store),
    ...matMulKernels(store),
    ...convKernels(store),
    ...poolKernels(store),
    ...cpuOptimizerKernels(store),
    ...cpuSoftmaxKernels(store),
    ...cpuRecurrentKernels(store),
  };
  const native: Record<string, Loose> = {
    ...(elementwiseKernels(store, addon) as Record<string, Loose>),
    ...(layoutKernels(store, addon) as Record<string, Loose>),
    ...(mathKernels(store, addon) as unknown as Record<string, Loose>),
    ...(optimizerKernels(store, addon) as unknown as Record<string, Loose>),
    ...(softmaxKernels(store, addon) as unknown as Record<string, Loose>),
    ...(recurrentKernels(store, addon) as unknown as Record<string, Loose>),
  };
  const FLOAT_ONLY = new Set([
    "BatchMatMul",
    "Conv2D",
    "Conv2DBackpropInput",
    "Conv2DBackpropFilter",
    "MaxPool",
    "MaxPoolGrad",
    "AvgPool",
    "AvgPoolGrad",
    "AdamMoments",
    "AdamStep",
    "BiasActivation",
    "ActivationGrad",
    "RnnForward",
    "RnnBackward",
    "Softmax",
    "SoftmaxGrad",
    "CrossEntropy",
    "CrossEntropyGrad",
    "SparseCrossEntropy",
    "SparseCrossEntropyGrad",
  ]);
  const kernels: Partial<KernelTable> = {};
  for (const [name, run] of Object.entries(native)) {
    const fallback = cpu[name as KernelName] as unknown as Loose | undefined;
    const floatOnly = FLOAT_ONLY.has(name);
    const kernel: Loose = (args) => {
      if (floatOnly && !allFloat32(args)) return fallback!(args);
      return run(args) ?? fallback!(args);
    };
    (kernels as Record<string, unknown>)[name] = kernel as KernelFunc<KernelName>;
  }
  for (const name of SHARED_LOOP_KERNELS) (kernels as Record<string, unknown>)[name] = cpu[name];
  return {
    name: "native",
    // float32 arithmetic throughout: BLAS sums in float32; exp/tanh/sigmoid from a ~1 ulp polynomial, the rest from libm.
    epsilon: 1e-5,
    kernels,
    blas: addon.blasInfo(),
    blasThreads: (n = 0) => addon.setThreads(n),
    write: (values, shape, dtype) => store.write(values, shape, dtype),
    readSync: (dataId) => store.readDataId(dataId),
    // A copy: the buffer may be disposed and reused before the caller looks at it.
    read: (dataId) => Promise.resolve().then(() => store.readDataId(dataId).slice()),
    disposeData: (dataId) => store.dispose(dataId),
    memory: () => store.memory(),
    idleBytes: () => store.idleBytes(),
    trim: () => store.trim(),
    dispose: () => store.clear(),
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
