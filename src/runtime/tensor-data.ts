/**
 * How tensor data is described between the engine, the kernel declarations and the backends: the
 * dtypes, their typed arrays, and a tensor as a kernel sees it. No imports from the runtime, so
 * every runtime module can depend on it without a cycle.
 */
import { freemem } from "node:os";

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

/**
 * A zero-filled array of `size` elements of `dtype`'s storage type (bool: Uint8Array of 0/1). One
 * that cannot be had throws a RangeError saying how large it was and why, in place of JavaScript's
 * "Invalid typed array length" / "Array buffer allocation failed".
 */
export function typedArrayFor(dtype: DType, size: number): DataArray {
  const bytes = size * (dtype === "bool" ? 1 : 4);
  // Linux overcommits: an array larger than free memory may be granted, and writing it then gets
  // the whole process killed. Refuse it up front instead.
  if (bytes >= CHECKED_BYTES && bytes <= MAX_ELEMENTS * 4 && bytes > 0.9 * availableBytes())
    throw allocationError(dtype, size, new RangeError("Array buffer allocation failed"));
  try {
    switch (dtype) {
      case "float32":
        return new Float32Array(size);
      case "int32":
        return new Int32Array(size);
      case "bool":
        return new Uint8Array(size);
    }
  } catch (e) {
    throw e instanceof RangeError ? allocationError(dtype, size, e) : e;
  }
}

/** Elements one typed array may hold in this JavaScript engine (2^32 in Node.js 20). */
const MAX_ELEMENTS = 2 ** 32;
/** Arrays from this size on are checked against the memory available. */
const CHECKED_BYTES = 256 * 2 ** 20;

/** Memory this process may still take: the system's available memory, within a container's limit. */
function availableBytes(): number {
  const available = freemem();
  const limit = process.constrainedMemory?.() ?? 0;
  return limit > 0 && limit < Number.MAX_SAFE_INTEGER
    ? Math.min(available, limit - process.memoryUsage.rss())
    : available;
}

function allocationError(dtype: DType, size: number, cause: RangeError): RangeError {
  const bytes = size * (dtype === "bool" ? 1 : 4);
  const amount = bytes >= 1e9 ? `${(bytes / 1e9).toPrecision(3)} GB` : `${(bytes / 1e6).toPrecision(3)} MB`;
  const what = `Cannot allocate a ${dtype} tensor of ${size.toLocaleString("en-US")} elements (${amount})`;
  const why =
    !Number.isSafeInteger(size) || size < 0
      ? "that is not a valid size"
      : size > MAX_ELEMENTS
        ? `more than the ${MAX_ELEMENTS.toLocaleString("en-US")} elements one array may hold`
        : `out of memory (${(availableBytes() / 1e9).toPrecision(3)} GB available)`;
  return new RangeError(`${what}: ${why}`, { cause });
}

/** The number of elements of `shape` (1 for a scalar `[]`). */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}
