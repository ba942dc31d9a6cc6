/**
 * What a backend is: storage for tensor data plus a table of kernels registered by name.
 *
 * The engine owns tensors; a backend owns only their bytes, addressed by opaque `DataId`s.
 * A backend may keep data wherever it likes (JS typed arrays, WebAssembly memory, GPU buffers):
 * the engine only moves it out through `readSync`/`read` when the user asks for values, or when
 * a kernel this backend lacks falls back to the `cpu` backend (listed by `tf.backendSupport()`).
 *
 * Each backend lists its kernels in one table of `KernelMakers` (`backends/<name>/kernels.ts`,
 * the gpu.js modes share `backends/gpujs/kernels/index.ts`) and binds it to its storage with
 * `makeKernels` when it is created.
 */
import type { KernelArgs, KernelName } from "./kernels.js";
import { type DataArray, type DataId, type DType, sizeOf } from "./tensor-data.js";

export type { DataArray, DataId, DType, TensorInfo } from "./tensor-data.js";
export { sizeOf, typedArrayFor } from "./tensor-data.js";

export type KernelFunc<K extends KernelName> = (args: KernelArgs<K>) => DataId;

export type KernelTable = { [K in KernelName]: KernelFunc<K> };

/**
 * Makes one kernel of a backend from what that backend's kernels share (`C`: its storage, addon,
 * compiler …). Called once per backend instance; the kernel it returns runs on every call.
 */
export type KernelMaker<K extends KernelName, C> = (ctx: C) => KernelFunc<K>;

/** A backend's kernel table: the kernels it implements, by name. The ones it lacks run on cpu. */
export type KernelMakers<C> = { [K in KernelName]?: KernelMaker<K, C> };

/**
 * Binds every maker of `makers` to `ctx`: the table a backend hands the engine (`Backend.kernels`).
 * A complete table (the cpu backend's) gives a complete `KernelTable`.
 *
 * @example
 * const kernels = makeKernels(CPU_KERNELS, new CpuStore()); // KernelTable
 */
export function makeKernels<C, T extends KernelMakers<C>>(
  makers: T,
  ctx: C,
): { [K in keyof T & KernelName]: KernelFunc<K> } {
  const table: Record<string, unknown> = {};
  for (const [name, make] of Object.entries(makers)) {
    if (make) table[name] = (make as (ctx: C) => unknown)(ctx);
  }
  return table as { [K in keyof T & KernelName]: KernelFunc<K> };
}

/**
 * One maker per name of a kernel family whose kernels share one signature (`UNARY_KERNELS`,
 * `BINARY_KERNELS`, `REDUCE_KERNELS`), each from `make(name)`.
 *
 * @example
 * const unary = makersFor(UNARY_KERNELS, unaryKernel); // { Neg: unaryKernel("Neg"), Abs: …, … }
 */
export function makersFor<N extends KernelName, C>(
  names: readonly N[],
  make: (name: N) => KernelMaker<N, C>,
): { [K in N]: KernelMaker<K, C> } {
  const makers: Partial<Record<N, unknown>> = {};
  for (const name of names) makers[name] = make(name);
  return makers as { [K in N]: KernelMaker<K, C> };
}

export interface Backend {
  readonly name: string;
  /**
   * Relative precision the backend promises for float32 results of one kernel (tests derive their
   * tolerances from it).
   */
  readonly epsilon: number;
  /** Kernels this backend runs natively. The cpu backend has them all (a `KernelTable`). */
  readonly kernels: Partial<KernelTable>;
  /**
   * Kernels of `kernels` that are the cpu backend's loops run on this backend's own storage (no
   * copies, no engine fallback): `tf.backendSupport()` lists them apart from the backend's own code.
   */
  readonly cpuLoops?: readonly KernelName[];
  /** Stores values (the backend may keep `values` itself: callers hand over ownership). */
  write(values: DataArray, shape: readonly number[], dtype: DType): DataId;
  /**
   * A new array of `length` values for `write`, contents undefined, that the backend may hand out
   * again once the tensor written with it is disposed (a backend keeping a free list of disposed
   * buffers). Without it callers make a fresh array, which the garbage collector frees later.
   */
  allocData?(dtype: DType, length: number): DataArray;
  readSync(dataId: DataId): DataArray;
  read(dataId: DataId): Promise<DataArray>;
  /** Frees the storage at once. Called by `dispose`, `tidy`, and when a tensor is garbage-collected. */
  disposeData(dataId: DataId): void;
  /** Bytes and buffers currently held by this backend. */
  memory(): { numBytes: number; numDataBuffers: number };
  /** Releases everything (worker pools, devices). */
  dispose?(): void;
}

/** The size of `shape`; throws when `values`, given to `backend` to store, does not fill it exactly. */
export function sizeToFill(backend: string, values: DataArray, shape: readonly number[]): number {
  const size = sizeOf(shape);
  if (values.length !== size)
    throw new Error(`${backend} backend: ${values.length} values do not fill shape [${shape.join(", ")}]`);
  return size;
}

/** Copies `values` into `into` (of the same length) as a `dtype` tensor holds them: bool as 0/1. */
export function copyAsDType<T extends DataArray>(values: DataArray, dtype: DType, into: T): T {
  if (dtype === "bool") for (let k = 0; k < values.length; k++) into[k] = values[k] !== 0 ? 1 : 0;
  else into.set(values);
  return into;
}
