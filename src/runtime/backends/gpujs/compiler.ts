/**
 * Compiles generated kernel sources with gpu.js and caches them.
 *
 * Every kernel of this backend is generated as JavaScript source text with the shapes, strides and
 * attributes baked in as literals (gpu.js turns literal loop bounds into safe, unrolled-friendly
 * loops and index constants into immediates). A compiled kernel is therefore specific to one
 * (kernel name, shape signature, dtype) key; the cache keeps them by that key and evicts the least
 * recently used past a bound, destroying the gpu.js kernel (and its WebAssembly memory) on eviction.
 *
 * All kernels have a flat 1-D output of `size` cells; `this.thread.x` is the row-major output index.
 */
import { GPU, type IGPUKernelSettings } from "gpu.js";
import type { DataArray } from "../../backend.js";

export type GpuJsMode = "webasm" | "webgpu" | "headlessgl" | "cpu";

/** A compiled kernel: runs on flat input arrays and returns the flat float32 output. */
export type CompiledKernel = (inputs: readonly DataArray[]) => Float32Array;

interface KernelRunShortcut {
  (...args: unknown[]): unknown;
  kernel: { constructor: { mode?: string }; fallbackReason?: string | null };
  destroy(): void;
}

const DEFAULT_CACHE_LIMIT = 512;
// gpu.js stops a loop it cannot prove bounded after this many iterations; every loop here has a
// literal bound, but a generous cap keeps large reductions safe if inference ever disagrees.
const LOOP_MAX = 1 << 30;
// gpu.js cannot take an empty array argument; a kernel never reads it, so any placeholder will do.
const EMPTY_PLACEHOLDER = new Float32Array(1);

export class KernelCompiler {
  private readonly gpu: GPU;
  private readonly cache = new Map<string, { shortcut: KernelRunShortcut; run: CompiledKernel }>();
  /** How many kernels were compiled since creation (tests use it to check caching). */
  compiledCount = 0;

  constructor(
    readonly mode: GpuJsMode,
    private readonly cacheLimit = DEFAULT_CACHE_LIMIT,
  ) {
    this.gpu = new GPU({ mode });
  }

  /**
   * Returns the kernel cached under `key`, compiling `source()` (a `function(in0, in1, …) {…}`
   * text) for an output of `size` cells on a miss.
   */
  get(key: string, size: number, source: () => string): CompiledKernel {
    const hit = this.cache.get(key);
    if (hit) {
      this.cache.delete(key);
      this.cache.set(key, hit);
      return hit.run;
    }
    const text = source();
    // loopMaxIterations is a documented setting missing from gpu.js's typings
    const settings = { output: [size], loopMaxIterations: LOOP_MAX, precision: "single", tactic: "precision" };
    const shortcut = this.gpu.createKernel(text, settings as IGPUKernelSettings) as unknown as KernelRunShortcut;
    this.compiledCount++;
    let checked = false;
    const run: CompiledKernel = (inputs) => {
      const args = inputs.map((a) => (a.length === 0 ? EMPTY_PLACEHOLDER : a));
      const result = shortcut(...args);
      if (!checked) {
        checked = true;
        const ran = shortcut.kernel.constructor.mode;
        if (ran !== this.mode) {
          throw new Error(
            `gpu.js compiled kernel '${key.split("|")[0]}' for '${ran}' instead of '${this.mode}'` +
              (shortcut.kernel.fallbackReason ? `: ${shortcut.kernel.fallbackReason}` : "") +
              `\n${text}`,
          );
        }
      }
      return flatFloat32(result, size);
    };
    this.cache.set(key, { shortcut, run });
    while (this.cache.size > this.cacheLimit) {
      const [oldestKey, oldest] = this.cache.entries().next().value!;
      this.cache.delete(oldestKey);
      oldest.shortcut.destroy();
    }
    return run;
  }

  /** Number of kernels currently cached. */
  get cachedCount(): number {
    return this.cache.size;
  }

  dispose(): void {
    for (const { shortcut } of this.cache.values()) shortcut.destroy();
    this.cache.clear();
    void this.gpu.destroy();
  }
}

function flatFloat32(result: unknown, size: number): Float32Array {
  if (result instanceof Float32Array) return result.length === size ? result : result.slice(0, size);
  throw new Error(`gpu.js kernel returned ${Object.prototype.toString.call(result)}, expected a Float32Array`);
}
