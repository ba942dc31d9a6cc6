/**
 * The deepts runtime's public API: the `tf` namespace (TensorFlow.js names and signatures).
 *
 * ```ts
 * import * as tf from "deepts";
 * const x = tf.tensor([[1, 2], [3, 4]]);
 * x.matMul(x).print();
 * const dx = tf.grad((x) => x.square().sum())(x);
 * ```
 */
import "./register-backends.js";
import "./chain.js";
import "./chain-more.js";
import {
  collectTensors,
  getEngine,
  type BackendFactory,
  type BackendSupport,
  type Engine,
  type MemoryInfo,
} from "./engine.js";
import type { Backend } from "./backend.js";
import type { Tensor } from "./tensor.js";
import * as utilNamespace from "./util/index.js";

export { Tensor, Variable, Rank } from "./tensor.js";
export type {
  TensorLike,
  NestedArray,
  TypedArray,
  Scalar,
  Tensor1D,
  Tensor2D,
  Tensor3D,
  Tensor4D,
  Tensor5D,
  Tensor6D,
  ArrayMap,
  ShapeMap,
  DataTypeMap,
} from "./tensor.js";
export type { TensorContainer, TensorContainerObject, TensorContainerArray } from "./tensor-container.js";
export type {
  DataType,
  NumericDataType,
  DataValues,
  RecursiveArray,
  ScalarLike,
  NamedTensorMap,
} from "./type-names.js";
export type { DType, DataArray, DataId, Backend, TensorInfo, KernelTable } from "./backend.js";
export type { KernelName } from "./kernels.js";
export type { BackendFactory, BackendSupport, MemoryInfo, GradFunc, TraceEntry, TracedTensor } from "./engine.js";
export { Engine } from "./engine.js";

export * from "./ops/creation.js";
export * from "./ops/arithmetic.js";
export * from "./ops/unary.js";
export * from "./ops/logical.js";
export * from "./ops/reduction.js";
export * from "./ops/shape.js";
export * from "./ops/linalg.js";
export * from "./ops/conv.js";
export * from "./ops/nn.js";
export * from "./ops/host.js";
export * from "./ops/trig.js";
export * from "./ops/indexing.js";
export * from "./ops/space.js";
export * from "./ops/scan.js";
export * from "./ops/sets.js";
export * from "./ops/einsum.js";
export { linalg } from "./ops/matrix.js";
export * from "./ops/conv3d.js";
export * from "./ops/pooling.js";
export { image } from "./ops/image.js";
export { signal, cosineWindow } from "./ops/signal.js";
export { sparse } from "./ops/sparse.js";
export * from "./ops/ranked.js";
export { fused, type FusedActivation } from "./ops/fused.js";
export * from "./ops/rnn-cells.js";
export * from "./ops/random-more.js";
export * from "./ops/misc.js";
export * from "./ops/ragged.js";
export { buffer, TensorBuffer } from "./buffer.js";
export {
  grad,
  grads,
  valueAndGrad,
  valueAndGrads,
  variableGrads,
  customGrad,
  type CustomGradResult,
  type GradSaveFunc,
} from "./tape.js";
export { trace, type Trace } from "./trace.js";
export { profile, type ProfileInfo, type KernelInfo } from "./profile.js";
export {
  env,
  ENV,
  Environment,
  enableDebugMode,
  enableProdMode,
  disableDeprecationWarnings,
  deprecationWarn,
  type FlagValue,
} from "./environment.js";
export { gradCheck, type GradCheckResult } from "./gradcheck.js";
export { setSeed, getSeed } from "./random.js";
export { setInterruptCheck, checkInterrupt, setInterruptFlag, setThreadStopSignal } from "./interrupt.js";
export { DEFAULT_BACKEND } from "./register-backends.js";
/**
 * `tf.util`: helpers TF.js programs use — `shuffle`, `createShuffledIndices`, `sizeFromShape`,
 * `assert`, `arraysEqual`, `flatten`, `now` … Example: `tf.util.shuffle(indices);`
 */
export import util = utilNamespace;
export { browser } from "./browser.js";

/** The engine (memory counters, `fallbacks`, `fallbackCounts`, registered variables). */
export function engine(): Engine {
  return getEngine();
}

/**
 * Runs `fn` and disposes every tensor it created except those it returns (also nested in arrays
 * and objects) and those passed to `keep`. Example: `const y = tf.tidy(() => x.square().sum())`.
 */
export function tidy<T>(nameOrFn: string | (() => T), fn?: () => T): T {
  return getEngine().tidy(nameOrFn, fn);
}

/** Keeps `t` alive past the enclosing `tidy`. */
export function keep<T extends Tensor>(t: T): T {
  return getEngine().keep(t);
}

/** Disposes every variable (model weights included). Example: `tf.disposeVariables()` before building a new model. */
export function disposeVariables(): void {
  for (const v of [...getEngine().registeredVariables.values()]) v.dispose();
}

/** The TensorFlow.js version whose API deepts follows. */
export const version_core = "4.22.0";

/**
 * Versions, keyed like TF.js's `tf.version`: the TF.js packages whose API deepts follows, and deepts's own.
 * Example: `tf.version["tfjs-core"]`.
 */
export const version: Record<string, string> = {
  "tfjs-core": version_core,
  "tfjs-layers": version_core,
  "tfjs-data": version_core,
  "tfjs-backend-cpu": version_core,
  tfjs: version_core,
  deepts: "0.1.0",
};

/** Disposes a tensor, or all tensors in an array or object. Example: `tf.dispose([a, b])`. */
export function dispose(container: unknown): void {
  const found = new Set<Tensor>();
  collectTensors(container, found);
  for (const t of found) t.dispose();
}

/** `{ numTensors, numDataBuffers, numBytes, unreliable }`: what is allocated now. */
export function memory(): MemoryInfo {
  return getEngine().memory();
}

/** Registers a backend factory under `name`; the highest `priority` that starts is the default. */
export function registerBackend(name: string, factory: BackendFactory, priority = 1): boolean {
  return getEngine().registerBackend(name, factory, priority);
}

/** Unregisters a backend by name (its tensors become unusable). Example: `tf.removeBackend("webasm")`. */
export function removeBackend(name: string): void {
  getEngine().removeBackend(name);
}

/** Switches backend (existing tensors move over when next used). Example: `await tf.setBackend("webasm")`. */
export function setBackend(name: string): Promise<boolean> {
  return getEngine().setBackend(name);
}

/** The current backend's name. */
export function getBackend(): string {
  return getEngine().backendName;
}

/** The current backend object. */
export function backend(): Backend {
  return getEngine().backend;
}

/** A registered backend's object, if it has started (or can start synchronously). */
export function findBackend(name: string): Backend | undefined {
  return getEngine().findBackend(name);
}

/** Waits for the current (or best) backend to be ready. */
export function ready(): Promise<void> {
  return getEngine().ready();
}

/**
 * For each registered backend: the kernels it runs with code of its own (`native`), those it runs
 * as the cpu backend's loops on its own memory (`cpuLoop`: no copies) and those that fall back to
 * the cpu backend (`fallback`: data copied there and back). Fallbacks that actually ran are counted in `tf.engine().fallbacks` / `.fallbackCounts`.
 * Example: `(await tf.backendSupport()).map((b) => [b.backend, b.fallback.length])`.
 */
export function backendSupport(): Promise<BackendSupport[]> {
  return getEngine().backendSupport();
}

/** Prints a tensor (`x.print(verbose)`). */
export function print(x: Tensor, verbose = false): void {
  x.print(verbose);
}

/** Resolves on the next turn of the event loop (lets output and interrupts through in long loops). */
export function nextFrame(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Runs `fn` and reports how long it took: `{ kernelMs, wallMs }`. Kernels run as they are called
 * (as on TF.js's cpu backend), so both are the time `fn` ran. Example:
 * `(await tf.time(() => a.matMul(b))).wallMs`.
 */
export async function time(fn: () => unknown): Promise<{ kernelMs: number; wallMs: number }> {
  const start = performance.now();
  fn();
  const ms = performance.now() - start;
  return { kernelMs: ms, wallMs: ms };
}
