import { sizeOf, typedArrayFor, type DataArray, type DataId, type DType } from "../../backend.js";
import { CpuStore } from "../cpu/storage.js";

const CONSTRUCTORS = { float32: Float32Array, int32: Int32Array, bool: Uint8Array } as const;

/**
 * The native backend's storage: the cpu backend's typed-array store plus a free list of output
 * buffers. A training step allocates the same shapes every iteration; handing a disposed buffer to
 * the next kernel of that size avoids zero-filling a fresh one and most garbage-collector work.
 *
 * Only arrays this store allocated are recycled (never an array a caller handed to `write` unless it
 * came from `allocRaw`, as the engine's `newData` does for `tf.tensor` and `fill`), and
 * the free list holds at most `maxPooledBytes` (idle memory a training loop reuses at once).
 * Small buffers are not pooled: V8 allocates them cheaply.
 */
export class PooledStore extends CpuStore {
  /** Free buffers by `freeKey(dtype, length)`. */
  private readonly free = new Map<number, DataArray[]>();
  private readonly ours = new WeakSet<DataArray>();
  private pooledBytes = 0;

  constructor(
    readonly maxPooledBytes = 256 << 20,
    readonly minPooledBytes = 4096,
  ) {
    super();
  }

  /** An output buffer whose contents are undefined (the native kernels overwrite every element). */
  allocRaw(out: { shape: number[]; dtype: DType }): DataArray {
    const length = sizeOf(out.shape);
    const bytes = length * CONSTRUCTORS[out.dtype].BYTES_PER_ELEMENT;
    if (bytes >= this.minPooledBytes) {
      const list = this.free.get(freeKey(out.dtype, length));
      const reused = list?.pop();
      if (reused) {
        this.pooledBytes -= reused.byteLength;
        return reused;
      }
    }
    const fresh = typedArrayFor(out.dtype, length);
    if (bytes >= this.minPooledBytes) this.ours.add(fresh);
    return fresh;
  }

  /** A zeroed output buffer (what the cpu loops running on this store expect). */
  override alloc(out: { shape: number[]; dtype: DType }): DataArray {
    const buffer = this.allocRaw(out);
    return buffer.fill(0);
  }

  override dispose(dataId: DataId): void {
    let values: DataArray;
    try {
      values = this.readDataId(dataId);
    } catch {
      return; // unknown or already disposed: nothing to free
    }
    super.dispose(dataId);
    if (!this.ours.has(values) || this.pooledBytes + values.byteLength > this.maxPooledBytes) return;
    const key = freeKey(dtypeOf(values), values.length);
    const list = this.free.get(key);
    if (list) list.push(values);
    else this.free.set(key, [values]);
    this.pooledBytes += values.byteLength;
  }

  /** Bytes held in the free list (not counted by `memory()`, which counts live tensors' data). */
  idleBytes(): number {
    return this.pooledBytes;
  }

  /** Drops the free list (its memory goes back to the garbage collector). */
  trim(): void {
    this.free.clear();
    this.pooledBytes = 0;
  }

  override clear(): void {
    super.clear();
    this.trim();
  }
}

const DTYPE_INDEX: Record<DType, number> = { float32: 0, int32: 1, bool: 2 };

/** A number naming (dtype, length): cheaper to look up than a string built per allocation. */
function freeKey(dtype: DType, length: number): number {
  return length * 4 + DTYPE_INDEX[dtype];
}

function dtypeOf(values: DataArray): DType {
  return values instanceof Float32Array ? "float32" : values instanceof Int32Array ? "int32" : "bool";
}
