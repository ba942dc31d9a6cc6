/**
 * The gpu.js backend: tensor storage plus the kernel table, every kernel a generated gpu.js kernel.
 *
 * How it works: each kernel call generates gpu.js kernel source with the shapes and attributes
 * baked in as literals, compiles it once per (kernel, shapes, dtypes, attributes) key (cached,
 * least recently used evicted past 512 kernels or 256 MB of kernel memory), and runs it. In
 * webasm mode gpu.js copies the inputs into the kernel's WebAssembly memory and the result out,
 * so data lives in JS typed arrays between ops (about 10–20 µs overhead per op).
 *
 * Limits:
 * - gpu.js computes in float32. Storage keeps int32 exact, but int32 kernel math is exact only
 *   while operands and results stay below 2^24 in magnitude (int32 results are truncated toward
 *   zero into an Int32Array; values past 2^31 wrap like any Int32Array store).
 * - Float `Mod` is `a - floor(a / b) * b` in float32, pulled back into range: like the cpu backend
 *   for ordinary values, less exact than fmod when |a / b| is very large.
 * - `Erf` uses a series near 0 and Abramowitz–Stegun 7.1.26 beyond (error below 2e-7).
 * - Gather indices and segment ids are range-checked on the host before the kernel runs.
 */
import type { Backend, DataArray, DataId, DType, KernelTable, TensorInfo } from "../../backend.js";
import { copyAsDType, makeKernels, sizeToFill, typedArrayFor } from "../../backend.js";
import { KernelCompiler, type GpuJsMode } from "./compiler.js";
import type { KernelContext } from "./context.js";
import { GPUJS_KERNELS } from "./kernels/index.js";

interface Entry {
  values: DataArray;
  dtype: DType;
}

const ARRAY_FOR: Record<DType, new (n: number) => DataArray> = {
  float32: Float32Array,
  int32: Int32Array,
  bool: Uint8Array,
};

export class GpuJsBackend implements Backend {
  readonly name: GpuJsMode;
  /** float32 arithmetic, transcendental functions rounded from float64, sums accumulated blockwise. */
  readonly epsilon = 1e-5;
  readonly kernels: Partial<KernelTable>;
  readonly compiler: KernelCompiler;
  private readonly data = new Map<DataId, Entry>();
  private numBytes = 0;
  private numDataBuffers = 0;

  constructor(mode: GpuJsMode) {
    this.name = mode;
    this.compiler = new KernelCompiler(mode);
    const ctx: KernelContext = {
      compiler: this.compiler,
      maxInputs: this.compiler.maxInputs,
      values: (t: TensorInfo) => this.entry(t.dataId).values,
      store: (values, dtype) => this.store(values, dtype),
      dispose: (dataId) => this.disposeData(dataId),
    };
    this.kernels = makeKernels(GPUJS_KERNELS, ctx);
  }

  write(values: DataArray, shape: readonly number[], dtype: DType): DataId {
    const size = sizeToFill(this.name, values, shape);
    const stored = values instanceof ARRAY_FOR[dtype] ? values : copyAsDType(values, dtype, typedArrayFor(dtype, size));
    return this.store(stored, dtype);
  }

  readSync(dataId: DataId): DataArray {
    return this.entry(dataId).values;
  }

  read(dataId: DataId): Promise<DataArray> {
    return Promise.resolve(this.readSync(dataId));
  }

  disposeData(dataId: DataId): void {
    const entry = this.data.get(dataId);
    if (!entry) return;
    this.data.delete(dataId);
    this.numBytes -= entry.values.byteLength;
    this.numDataBuffers--;
  }

  memory(): { numBytes: number; numDataBuffers: number } {
    return { numBytes: this.numBytes, numDataBuffers: this.numDataBuffers };
  }

  dispose(): void {
    this.data.clear();
    this.numBytes = 0;
    this.numDataBuffers = 0;
    this.compiler.dispose();
  }

  private store(values: DataArray, dtype: DType): DataId {
    const id = {};
    this.data.set(id, { values, dtype });
    this.numBytes += values.byteLength;
    this.numDataBuffers++;
    return id;
  }

  private entry(dataId: DataId): Entry {
    const entry = this.data.get(dataId);
    if (!entry) throw new Error(`${this.name} backend: unknown or disposed tensor data`);
    return entry;
  }
}
