/**
 * The `webgpu` backend: the gpu.js backend's kernel table (the same generated kernel sources)
 * compiled by gpu.js in webgpu mode to WGSL and run on a WebGPU device (Dawn, the `webgpu` package)
 * that a device thread owns (see device-worker.ts).
 *
 * The engine calls kernels synchronously, gpu.js webgpu answers asynchronously: so this thread only
 * allocates data ids and queues commands (write, run, free), and the device thread runs them in
 * order. Nothing is read back per op; `readSync` blocks (interruptibly) until the device thread
 * has copied the values out. Errors on the device thread (a kernel that does not compile, a lost
 * device) are thrown at the next op or by the read that depends on them.
 *
 * Everything is float32 on the device: int32 and bool are converted on write and on read (int32
 * truncates toward zero, bool is 0/1), so int32 values are exact only below 2^24 in magnitude.
 */
import type { Backend, DataArray, DataId, DType, KernelTable, TensorInfo } from "../../backend.js";
import { copyAsDType, makeKernels, sizeOf, sizeToFill } from "../../backend.js";
import type { KernelContext, KernelSource } from "../gpujs/context.js";
import { fromFloat32 } from "../gpujs/context.js";
import { GPUJS_KERNELS } from "../gpujs/kernels/index.js";
import type { DeviceThread } from "./device-thread.js";
import type { AdapterInfo } from "./protocol.js";

// Kernels kept compiled on the device thread; the least recently used beyond this are destroyed.
const KERNEL_CACHE_LIMIT = 512;

/** A tensor's data on the device: the id the device thread knows it by. */
class DeviceData {
  disposed = false;
  constructor(
    readonly id: number,
    readonly size: number,
    readonly dtype: DType,
  ) {}
}

export class WebGpuBackend implements Backend {
  readonly name = "webgpu";
  /** float32 arithmetic as gpu.js writes it in WGSL; transcendental functions from the driver. */
  readonly epsilon = 1e-5;
  readonly kernels: Partial<KernelTable>;
  /** Limit on one blocking read (ms). */
  readTimeoutMs: number | undefined;
  private nextId = 0;
  private nextKernel = 0;
  private readonly compiled = new Map<string, number>();
  private numBytes = 0;
  private numDataBuffers = 0;

  constructor(
    private readonly device: DeviceThread,
    /** The adapter the device runs on. */
    readonly adapter: AdapterInfo,
  ) {
    const ctx: KernelContext = {
      values: (t: TensorInfo) => this.readSync(t.dataId),
      store: (values, dtype) => this.write(values, [values.length], dtype),
      dispose: (dataId) => this.disposeData(dataId),
      run: (key, build, inputs, out) => this.run(key, build, inputs, out),
      // one storage buffer per input plus the output
      maxInputs: Math.max(2, adapter.maxStorageBuffers - 1),
    };
    this.kernels = makeKernels(GPUJS_KERNELS, ctx); // the gpu.js backend's table
  }

  /** Read commands sent to the device thread so far (each `readSync`/`read`, including `ctx.values`). */
  get readCount(): number {
    return this.device.readCount;
  }

  /** Command batches the device thread has not run yet (bounded: the main thread waits past a limit). */
  get backlog(): number {
    return this.device.backlog;
  }

  /** Kernels compiled and kept on the device thread. */
  get cachedKernels(): number {
    return this.compiled.size;
  }

  write(values: DataArray, shape: readonly number[], dtype: DType): DataId {
    const size = sizeToFill(this.name, values, shape);
    const data = this.allocate(size, dtype);
    const floats = copyAsDType(values, dtype, new Float32Array(size));
    this.device.send({ t: "write", id: data.id, data: floats }, floats.buffer);
    return data;
  }

  readSync(dataId: DataId): DataArray {
    const data = this.data(dataId);
    if (data.size === 0) return fromFloat32(new Float32Array(0), data.dtype);
    return fromFloat32(this.device.readSync(data.id, this.readTimeoutMs), data.dtype);
  }

  async read(dataId: DataId): Promise<DataArray> {
    const data = this.data(dataId);
    if (data.size === 0) return fromFloat32(new Float32Array(0), data.dtype);
    return fromFloat32(await this.device.read(data.id, this.readTimeoutMs), data.dtype);
  }

  disposeData(dataId: DataId): void {
    const data = dataId as DeviceData;
    if (!(data instanceof DeviceData) || data.disposed) return;
    data.disposed = true;
    this.numBytes -= 4 * data.size;
    this.numDataBuffers--;
    this.device.send({ t: "free", id: data.id });
  }

  memory(): { numBytes: number; numDataBuffers: number } {
    return { numBytes: this.numBytes, numDataBuffers: this.numDataBuffers };
  }

  dispose(): void {
    this.device.terminate();
    this.numBytes = 0;
    this.numDataBuffers = 0;
    this.compiled.clear();
  }

  /** Buffers and bytes the device thread holds once the commands sent so far have run. */
  deviceMemory(): Promise<{ buffers: number; bytes: number; kernels: number }> {
    return this.device.stats();
  }

  /**
   * Runs a gpu.js kernel source of your own on the device (`function(in0, …) {…}` over the output
   * grid `output`, x fastest); the result is stored as `out`. Compiled once per `key`.
   */
  runSource(
    key: string,
    source: KernelSource,
    inputs: readonly TensorInfo[],
    out: { shape: readonly number[]; dtype: DType },
  ): DataId {
    const shapes = `out=${out.shape.join("x")}|in=${inputs.map((t) => t.shape.join("x")).join(",")}|grid=${source.output.join("x")}`;
    return this.run(`custom:${key}|${shapes}`, () => source, inputs, out);
  }

  /** Test hook: loses the device (every later op and read throws). */
  loseDevice(): void {
    this.device.send({ t: "lose" });
    this.device.flush();
  }

  /** Test hook: blocks the device thread for `ms` (commands queue up behind it). */
  stallDevice(ms: number): void {
    this.device.send({ t: "stall", ms });
    this.device.flush();
  }

  /** Runs one generated kernel on the device thread; the result stays there. */
  private run(
    key: string,
    build: () => KernelSource,
    inputs: readonly TensorInfo[],
    out: { shape: readonly number[]; dtype: DType },
  ): DataId {
    this.device.checkErrors();
    let kid = this.compiled.get(key);
    if (kid === undefined) {
      const built = build();
      kid = this.nextKernel++;
      this.device.send({ t: "define", kid, name: key.split("|")[0]!, source: built.source, output: [...built.output] });
      this.compiled.set(key, kid);
      this.trimKernels();
    } else {
      // most recently used last
      this.compiled.delete(key);
      this.compiled.set(key, kid);
    }
    const ids = inputs.map((t) => this.data(t.dataId).id);
    const result = this.allocate(sizeOf(out.shape), out.dtype);
    this.device.send({ t: "run", kid, inputs: ids, out: result.id });
    return result;
  }

  private trimKernels(): void {
    for (const [key, kid] of this.compiled) {
      if (this.compiled.size <= KERNEL_CACHE_LIMIT) return;
      this.compiled.delete(key);
      this.device.send({ t: "drop", kid });
    }
  }

  private allocate(size: number, dtype: DType): DeviceData {
    const data = new DeviceData(this.nextId++, size, dtype);
    this.numBytes += 4 * size;
    this.numDataBuffers++;
    return data;
  }

  private data(dataId: DataId): DeviceData {
    const data = dataId as DeviceData;
    if (!(data instanceof DeviceData) || data.disposed)
      throw new Error("webgpu backend: unknown or disposed tensor data");
    return data;
  }
}
