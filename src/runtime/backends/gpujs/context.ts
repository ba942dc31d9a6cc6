/**
 * What the kernel modules of the gpu.js backend share: the compiler and a `launch` that runs one
 * generated kernel on stored tensors and stores its result in the output dtype. A backend that
 * runs kernels elsewhere (webgpu, on its device thread) supplies `run` instead of a compiler.
 */
import type { DataArray, DataId, DType, KernelMaker, TensorInfo } from "../../backend.js";
import type { KernelName } from "../../kernels.js";
import { sizeOf } from "../../backend.js";
import type { KernelCompiler } from "./compiler.js";

/** A kernel's gpu.js source, the output grid it runs over, and the values per thread. */
export interface KernelSource {
  source: string;
  output: readonly number[];
  components?: number;
}

export interface KernelContext {
  /** Compiles and runs kernels on host arrays (webasm, cpu modes); unused when `run` is given. */
  readonly compiler?: KernelCompiler;
  /**
   * Runs a launch itself: `key` is the full cache key, `build` gives the source on a miss. The
   * result must be stored as `out.dtype`. Used by the webgpu backend.
   */
  run?(key: string, build: () => KernelSource, inputs: readonly TensorInfo[], out: Launch["out"]): DataId;
  /** The stored values of a tensor of this backend. */
  values(t: TensorInfo): DataArray;
  /** Stores a kernel result (already in `dtype`'s array type) and returns its handle. */
  store(values: DataArray, dtype: DType): DataId;
  /** Frees an intermediate result. */
  dispose(dataId: DataId): void;
  /**
   * How many inputs one kernel may read (GL texture units, WebGPU storage buffers); Concat joins
   * longer lists in groups. Unlimited when absent.
   */
  readonly maxInputs?: number;
}

/** A gpu.js kernel, made from the context of the backend running it (webasm, headlessgl, webgpu). */
export type GpuKernel<K extends KernelName> = KernelMaker<K, KernelContext>;

export interface Launch {
  /** Kernel name plus everything the source depends on besides the names; the cache key. */
  key: string;
  inputs: readonly TensorInfo[];
  out: { shape: readonly number[]; dtype: DType };
  /**
   * Builds `function(in0, …) {…}` on a cache miss: either the text (one flat thread axis, index
   * `i`) or the text with the gpu.js output grid it runs over (x fastest, row-major over the output)
   * and the number of values per thread (an `Array(n)` return; its values are consecutive).
   */
  source: () => string | { source: string; output: readonly number[]; components?: number };
}

/** Runs a generated kernel (compiled once per key) and stores the result as `out.dtype`. */
export function launch(ctx: KernelContext, l: Launch): DataId {
  const size = sizeOf(l.out.shape);
  if (size === 0) return ctx.store(emptyOf(l.out.dtype), l.out.dtype);
  const key = `${l.key}|out=${l.out.shape.join("x")}:${l.out.dtype}|in=${l.inputs
    .map((t) => `${t.shape.join("x")}:${t.dtype}`)
    .join(",")}`;
  const build = (): KernelSource => {
    const built = l.source();
    return typeof built === "string" ? { source: built, output: [size] } : built;
  };
  if (ctx.run) return ctx.run(key, build, l.inputs, l.out);
  const kernel = ctx.compiler!.get(key, build);
  const result = kernel(l.inputs.map((t) => ctx.values(t)));
  return ctx.store(fromFloat32(result, l.out.dtype), l.out.dtype);
}

/**
 * Converts a float32 kernel result to the storage type of `dtype`: int32 truncates toward zero
 * (results of integer kernels are already whole), bool is 0/1 by construction.
 */
export function fromFloat32(values: Float32Array, dtype: DType): DataArray {
  switch (dtype) {
    case "float32":
      return values;
    case "int32":
      return new Int32Array(values);
    case "bool":
      return new Uint8Array(values);
  }
}

function emptyOf(dtype: DType): DataArray {
  return dtype === "float32" ? new Float32Array(0) : dtype === "int32" ? new Int32Array(0) : new Uint8Array(0);
}
