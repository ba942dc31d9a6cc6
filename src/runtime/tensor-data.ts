/**
 * How tensor data is described between the engine, the kernel declarations and the backends: the
 * dtypes, their typed arrays, and a tensor as a kernel sees it. No imports, so every runtime module
 * can depend on it without a cycle.
 */

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

/** A zero-filled array of `size` elements of `dtype`'s storage type (bool: Uint8Array of 0/1). */
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

/** The number of elements of `shape` (1 for a scalar `[]`). */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}
