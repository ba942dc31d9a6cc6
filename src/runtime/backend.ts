/**
 * What a backend is: storage for tensor data plus a table of kernels registered by name.
 *
 * The engine owns tensors; a backend owns only their bytes, addressed by opaque `DataId`s.
 * A backend may keep data wherever it likes (JS typed arrays, WebAssembly memory, GPU buffers):
 * the engine only moves it out through `readSync`/`read` when the user asks for values, or when
 * a kernel this backend lacks falls back to the `cpu` backend (listed by `tf.backendSupport()`).
 */
import type { KernelArgs, KernelName } from "./kernels.js";

export type DType = "float32" | "int32" | "bool";
export type DataArray = Float32Array | Int32Array | Uint8Array;

/** Opaque handle to a backend's storage for one tensor's values. */
export type DataId = object;

/** A tensor as a kernel sees it: data handle, shape, dtype. */
export interface TensorInfo {
  dataId: DataId;
  shape: number[];
  dtype: DType;
}

export type KernelFunc<K extends KernelName> = (args: KernelArgs<K>) => DataId;

export type KernelTable = { [K in KernelName]: KernelFunc<K> };

export interface Backend {
  readonly name: string;
  /**
   * Relative precision the backend promises for float32 results of one kernel (tests derive their
   * tolerances from it).
   */
  readonly epsilon: number;
  /** Kernels this backend runs natively. The cpu backend has them all (a `KernelTable`). */
  readonly kernels: Partial<KernelTable>;
  /** Stores values (the backend may keep `values` itself: callers hand over ownership). */
  write(values: DataArray, shape: readonly number[], dtype: DType): DataId;
  readSync(dataId: DataId): DataArray;
  read(dataId: DataId): Promise<DataArray>;
  /** Frees the storage at once. Called by `dispose`, `tidy`, and when a tensor is garbage-collected. */
  disposeData(dataId: DataId): void;
  /** Bytes and buffers currently held by this backend. */
  memory(): { numBytes: number; numDataBuffers: number };
  /** Releases everything (worker pools, devices). */
  dispose?(): void;
}

export function typedArrayFor(dtype: DType, size: number): DataArray {
  switch (dtype) {
    case "float32":
      return new Float32Array(size);
    case "int32":
      return new Int32Array(size);
    case "bool":
      return new Uint8Array(size);
  }
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

export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}
