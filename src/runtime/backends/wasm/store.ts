import { copyAsDType, type DataArray, type DataId, type DType, sizeOf } from "../../backend.js";
import { CpuStore } from "../cpu/storage.js";
import type { Heap } from "./heap.js";

const BYTES: Record<DType, number> = { float32: 4, int32: 4, bool: 1 };
const ARRAY_TYPES = { float32: Float32Array, int32: Int32Array, bool: Uint8Array } as const;

/**
 * The wasm backend's storage: the cpu backend's store (one typed array per `DataId`) whose arrays
 * are views of blocks in the WebAssembly memory. WebAssembly kernels take a view's `byteOffset` as
 * its address; the cpu backend's loops, which the wasm backend runs for the kernels it has no
 * WebAssembly code for, read and write the same views: no copies either way.
 *
 * Arrays handed to `write` from elsewhere (a new tensor's values) are copied into the memory; an
 * output view from `allocRaw`/`alloc` is kept as it is. Disposing a `DataId` frees its block.
 */
export class WasmStore extends CpuStore {
  /** Views allocated by `allocRaw` and not yet written (so `write` keeps them instead of copying). */
  private readonly fresh = new WeakSet<DataArray>();

  constructor(readonly heap: Heap) {
    super();
  }

  /** An output view whose contents are undefined (WebAssembly kernels overwrite every element). */
  allocRaw(out: { shape: readonly number[]; dtype: DType }): DataArray {
    const length = sizeOf(out.shape);
    const address = this.heap.alloc(length * BYTES[out.dtype]);
    const view =
      out.dtype === "float32"
        ? this.heap.f32(address, length)
        : out.dtype === "int32"
          ? this.heap.i32(address, length)
          : this.heap.u8(address, length);
    this.fresh.add(view);
    return view;
  }

  /** A zeroed output view (what the cpu loops running on this store expect). */
  override alloc(out: { shape: number[]; dtype: DType }): DataArray {
    return this.allocRaw(out).fill(0);
  }

  override write(values: DataArray, shape: readonly number[], dtype: DType): DataId {
    if (this.fresh.has(values)) {
      this.fresh.delete(values);
      return super.write(values, shape, dtype);
    }
    // Arrays of the wrong type or size go to the cpu store as they are, which says what is wrong.
    const type = ARRAY_TYPES[dtype] as (typeof ARRAY_TYPES)[DType] | undefined;
    if (!type || !(values instanceof type) || values.length !== sizeOf(shape)) return super.write(values, shape, dtype);
    const stored = this.allocRaw({ shape, dtype });
    this.fresh.delete(stored);
    return super.write(copyAsDType(values, dtype, stored), shape, dtype);
  }

  override dispose(dataId: DataId): void {
    let values: DataArray;
    try {
      values = this.readDataId(dataId);
    } catch {
      return; // unknown or already disposed
    }
    super.dispose(dataId);
    this.heap.release(values.byteOffset, values.byteLength);
  }
}
