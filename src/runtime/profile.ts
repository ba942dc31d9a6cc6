/** `tf.profile`: what a function allocated and which kernels it ran. */
import { getEngine } from "./engine.js";
import { sizeOf, type DType } from "./backend.js";

/** One kernel run inside `tf.profile`. */
export interface KernelInfo {
  name: string;
  /** Bytes of the kernel's output. */
  bytesAdded: number;
  /** Engine totals right after the kernel. */
  totalBytesSnapshot: number;
  tensorsAdded: number;
  totalTensorsSnapshot: number;
  inputShapes: number[][];
  outputShapes: number[][];
  /** Wall time from the previous kernel's return (or the start) to this one's. */
  kernelTimeMs: number;
  extraInfo: string;
}

export interface ProfileInfo<T = unknown> {
  /** Bytes and tensors still allocated when `f` returned, compared with before. */
  newBytes: number;
  newTensors: number;
  /** The most bytes allocated at any kernel's return. */
  peakBytes: number;
  kernels: KernelInfo[];
  result: T;
  /** The distinct kernel names, in order of first use. */
  kernelNames: string[];
}

const BYTES: Record<DType, number> = { float32: 4, int32: 4, bool: 1 };

/**
 * Runs `f` (sync or async) and reports the memory it left allocated, its peak, and every kernel it
 * ran with shapes and times. Example:
 * ```ts
 * const info = await tf.profile(() => tf.matMul(a, b).relu());
 * info.kernelNames; // ["BatchMatMul", "Relu"]
 * ```
 */
export async function profile<T>(f: () => T | Promise<T>): Promise<ProfileInfo<T>> {
  const e = getEngine();
  const startBytes = e.numBytes;
  const startTensors = e.numTensors;
  const list = e.startTrace();
  const start = performance.now();
  let result: T;
  try {
    result = await f();
  } finally {
    e.endTrace(list);
  }
  let previous = start;
  let peakBytes = startBytes;
  const kernels = list.map((entry): KernelInfo => {
    const kernelTimeMs = entry.time - previous;
    previous = entry.time;
    peakBytes = Math.max(peakBytes, entry.numBytes);
    return {
      name: entry.op,
      bytesAdded: sizeOf(entry.output.shape) * BYTES[entry.output.dtype],
      totalBytesSnapshot: entry.numBytes,
      tensorsAdded: 1,
      totalTensorsSnapshot: entry.numTensors,
      inputShapes: entry.inputs.map((t) => t.shape),
      outputShapes: [entry.output.shape],
      kernelTimeMs,
      extraInfo: "",
    };
  });
  return {
    newBytes: e.numBytes - startBytes,
    newTensors: e.numTensors - startTensors,
    peakBytes,
    kernels,
    result,
    kernelNames: [...new Set(kernels.map((k) => k.name))],
  };
}
