import { sizeOf, typedArrayFor } from "../../backend.js";
import type { DataArray, DataId, DType, KernelMaker, TensorInfo } from "../../backend.js";
import type { KernelName } from "../../kernels.js";

interface Entry {
  values: DataArray;
  dtype: DType;
  shape: readonly number[];
}

/** Handle for one buffer of the cpu backend; the id only helps when debugging. */
class CpuDataId {
  constructor(readonly id: number) {}
}

/** A cpu kernel, made from the storage it reads and writes (the cpu backend's, or the native backend's). */
export type CpuKernel<K extends KernelName> = KernelMaker<K, CpuStore>;

/**
 * The cpu backend's storage: one JS typed array per `DataId`. `write` keeps the array it is given
 * and `read` returns that same array (no copies); callers must treat read arrays as read-only.
 */
export class CpuStore {
  private readonly entries = new Map<DataId, Entry>();
  private nextId = 0;
  private numBytes = 0;

  write(values: DataArray, shape: readonly number[], dtype: DType): DataId {
    checkArrayMatches(values, shape, dtype);
    const dataId = new CpuDataId(this.nextId++);
    this.entries.set(dataId, { values, dtype, shape: shape.slice() });
    this.numBytes += values.byteLength;
    return dataId;
  }

  /** The stored array of `dataId` (not a copy). */
  readDataId(dataId: DataId): DataArray {
    return this.entry(dataId).values;
  }

  private entry(dataId: DataId): Entry {
    const entry = this.entries.get(dataId);
    if (entry === undefined) {
      throw new Error("cpu backend: unknown DataId (already disposed, or it belongs to another backend)");
    }
    return entry;
  }

  /** The values of a kernel input, checked against its `TensorInfo`. */
  read(info: TensorInfo): DataArray {
    const entry = this.entry(info.dataId);
    const values = entry.values;
    if (entry.dtype !== info.dtype) {
      throw new Error(`cpu backend: input declared ${info.dtype} holds ${entry.dtype} data`);
    }
    if (values.length !== sizeOf(info.shape)) {
      throw new Error(`cpu backend: input of shape [${info.shape.join(",")}] has ${values.length} stored values`);
    }
    return values;
  }

  /** A fresh zeroed output array for a kernel's `out`. */
  alloc(out: { shape: number[]; dtype: DType }): DataArray {
    return typedArrayFor(out.dtype, sizeOf(out.shape));
  }

  dispose(dataId: DataId): void {
    const entry = this.entries.get(dataId);
    if (entry === undefined) return;
    this.numBytes -= entry.values.byteLength;
    this.entries.delete(dataId);
  }

  memory(): { numBytes: number; numDataBuffers: number } {
    return { numBytes: this.numBytes, numDataBuffers: this.entries.size };
  }

  clear(): void {
    this.entries.clear();
    this.numBytes = 0;
  }
}

function checkArrayMatches(values: DataArray, shape: readonly number[], dtype: DType): void {
  const expected =
    dtype === "float32" ? Float32Array : dtype === "int32" ? Int32Array : dtype === "bool" ? Uint8Array : undefined;
  if (expected === undefined) throw new Error(`cpu backend: unknown dtype '${String(dtype)}'`);
  if (!(values instanceof expected)) {
    throw new Error(`cpu backend: ${dtype} data must be a ${expected.name}, got ${values.constructor.name}`);
  }
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) throw new Error(`cpu backend: invalid shape [${shape.join(",")}]`);
  }
  if (values.length !== sizeOf(shape)) {
    throw new Error(`cpu backend: shape [${shape.join(",")}] needs ${sizeOf(shape)} values, got ${values.length}`);
  }
}
