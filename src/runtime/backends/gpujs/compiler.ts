/**
 * Compiles generated kernel sources with gpu.js and caches them.
 *
 * Every kernel of this backend is generated as JavaScript source text with the shapes, strides and
 * attributes baked in as literals (gpu.js turns literal loop bounds into safe, unrolled-friendly
 * loops and index constants into immediates). A compiled kernel is therefore specific to one
 * (kernel name, shape signature, dtype) key; the cache keeps them by that key and evicts the least
 * recently used past a bound, destroying the gpu.js kernel (and its WebAssembly memory) on eviction.
 *
 * A kernel's gpu.js output is `[x]`, `[x, y]` or `[x, y, z]` (x fastest), which is always the
 * row-major order of the logical output: results come back as one flat Float32Array.
 */
import type { GPU, IGPUKernelSettings } from "gpu.js";
import type { DataArray } from "../../backend.js";
import { gpuJs } from "./gpu-js.js";

export type GpuJsMode = "webasm" | "webgpu" | "headlessgl" | "cpu";

/** A compiled kernel: runs on flat input arrays and returns the flat float32 output. */
export type CompiledKernel = (inputs: readonly DataArray[]) => Float32Array;

interface KernelRunShortcut {
  (...args: unknown[]): unknown;
  kernel: { constructor: { mode?: string }; fallbackReason?: string | null };
  destroy(): void;
}

const DEFAULT_CACHE_LIMIT = 512;
// A compiled webasm kernel keeps a WebAssembly memory holding copies of its last inputs and
// output; past this many bytes over all cached kernels the least recently used are destroyed.
const DEFAULT_CACHE_BYTES = 256 * 1024 * 1024;
// gpu.js stops a loop it cannot prove bounded after this many iterations; every loop here has a
// literal bound, but a generous cap keeps large reductions safe if inference ever disagrees.
const LOOP_MAX = 1 << 30;
// gpu.js cannot take an empty array argument; a kernel never reads it, so any placeholder will do.
const EMPTY_PLACEHOLDER = new Float32Array(1);
// The `mode` gpu.js's kernel classes report: its GL kernels (headlessgl's included) all say 'gpu'.
const KERNEL_CLASS_MODE: Record<GpuJsMode, string> = {
  webasm: "webasm",
  webgpu: "webgpu",
  headlessgl: "gpu",
  cpu: "cpu",
};

/**
 * Works around a gpu.js 2.24 webasm translation bug that stores every integer local as float32.
 *
 * A local initialised with an integer literal and updated with `++` (every `for` counter) is meant
 * to be an int32. But translating the literal in integer context caches its type as Integer, and
 * the next walk over the same source (gpu.js walks each kernel several times) then sees an
 * Integer-typed initialiser, which it deliberately "decays" to a float32 local. Not caching the
 * literal's Integer type keeps it LiteralInteger, so the local stays int32 on every walk: index
 * math then stays exact beyond 2^24 and runs without float conversions (matmul about 2x faster).
 */
function keepIntegerLocals(): void {
  type LiteralWalker = {
    exprLiteral(this: LiteralWalker, ast: unknown): unknown;
    astKey(ast: unknown): string;
    literalTypes: Record<string, string>;
    __deeptsIntegerLocals?: true;
  };
  const proto = (gpuJs().WebAssemblyFunctionNode as unknown as { prototype: LiteralWalker } | undefined)?.prototype;
  if (!proto || typeof proto.exprLiteral !== "function" || proto.__deeptsIntegerLocals) return;
  const exprLiteral = proto.exprLiteral;
  proto.exprLiteral = function (ast) {
    const key = this.astKey(ast);
    const known = Object.hasOwn(this.literalTypes, key);
    const result = exprLiteral.call(this, ast);
    if (!known && this.literalTypes[key] === "Integer") delete this.literalTypes[key];
    return result;
  };
  proto.__deeptsIntegerLocals = true;
}

interface CacheEntry {
  shortcut: KernelRunShortcut;
  run: CompiledKernel;
  /** Bytes its memory holds for inputs and output (known after the first run). */
  bytes: number;
}

export class KernelCompiler {
  private readonly gpu: GPU;
  private readonly cache = new Map<string, CacheEntry>();
  private cachedBytes = 0;
  /** How many kernels were compiled since creation (tests use it to check caching). */
  compiledCount = 0;
  /** The most array inputs one kernel may take (a GL kernel samples each from its own texture unit). */
  readonly maxInputs: number;

  constructor(
    readonly mode: GpuJsMode,
    private readonly cacheLimit = DEFAULT_CACHE_LIMIT,
    private readonly cacheBytes = DEFAULT_CACHE_BYTES,
  ) {
    if (mode === "webasm") keepIntegerLocals();
    this.gpu = new (gpuJs().GPU)({ mode });
    this.maxInputs = mode === "headlessgl" ? glTextureUnits() : Infinity;
  }

  /**
   * Returns the kernel cached under `key`; on a miss compiles what `build()` gives: the source
   * (a `function(in0, in1, …) {…}` text), the gpu.js `output` grid it runs over, and how many
   * values each thread returns (1, or 2–4 for an `Array(n)` return).
   */
  get(key: string, build: () => { source: string; output: readonly number[]; components?: number }): CompiledKernel {
    const hit = this.cache.get(key);
    if (hit) {
      this.cache.delete(key);
      this.cache.set(key, hit);
      return hit.run;
    }
    const { source: text, output, components = 1 } = build();
    const size = output.reduce((a, b) => a * b, 1) * components;
    // loopMaxIterations is a documented setting missing from gpu.js's typings
    const settings = { output: [...output], loopMaxIterations: LOOP_MAX, precision: "single", tactic: "precision" };
    const shortcut = this.gpu.createKernel(text, settings as IGPUKernelSettings) as unknown as KernelRunShortcut;
    this.compiledCount++;
    const entry: CacheEntry = { shortcut, run: () => new Float32Array(0), bytes: 0 };
    let first = true;
    entry.run = (inputs) => {
      const args = inputs.map((a) => (a.length === 0 ? EMPTY_PLACEHOLDER : a));
      if (!first) return flatFloat32(shortcut(...args), size);
      first = false;
      let result: unknown;
      try {
        if (args.length > this.maxInputs) {
          throw new Error(
            `gpu.js ${this.mode} kernel '${key.split("|")[0]}' takes ${args.length} inputs; at most ${this.maxInputs} fit`,
          );
        }
        result = shortcut(...args);
        // gpu.js quietly degrades kernels it cannot translate to its cpu mode: refuse instead
        const ran = shortcut.kernel.constructor.mode;
        if (ran !== KERNEL_CLASS_MODE[this.mode]) {
          throw new Error(
            `gpu.js compiled kernel '${key.split("|")[0]}' for '${ran}' instead of '${this.mode}'` +
              (shortcut.kernel.fallbackReason ? `: ${shortcut.kernel.fallbackReason}` : ""),
          );
        }
      } catch (error) {
        this.evict(key);
        throw error;
      }
      entry.bytes = 4 * (size + args.reduce((n, a) => n + a.length, 0));
      this.cachedBytes += entry.bytes;
      this.trim(key);
      return flatFloat32(result, size);
    };
    this.cache.set(key, entry);
    this.trim(key);
    return entry.run;
  }

  /** Number of kernels currently cached. */
  get cachedCount(): number {
    return this.cache.size;
  }

  dispose(): void {
    for (const key of [...this.cache.keys()]) this.evict(key);
    void this.gpu.destroy();
  }

  /** Destroys least recently used kernels (never `keep`) until the cache is within its limits. */
  private trim(keep: string): void {
    for (const key of this.cache.keys()) {
      if (this.cache.size <= this.cacheLimit && this.cachedBytes <= this.cacheBytes) return;
      if (key !== keep) this.evict(key);
    }
  }

  private evict(key: string): void {
    const entry = this.cache.get(key);
    if (!entry) return;
    this.cache.delete(key);
    this.cachedBytes -= entry.bytes;
    entry.shortcut.destroy();
  }
}

/** Texture units a headless-gl fragment shader may sample (WebGL 1 guarantees at least 8). */
function glTextureUnits(): number {
  const context = (gpuJs().HeadlessGLKernel as unknown as { testContext?: WebGLLike | null }).testContext;
  const units = context ? Number(context.getParameter(context.MAX_TEXTURE_IMAGE_UNITS)) : NaN;
  return Number.isFinite(units) && units >= 8 ? units : 8;
}

interface WebGLLike {
  readonly MAX_TEXTURE_IMAGE_UNITS: number;
  getParameter(name: number): unknown;
}

/** The rows gpu.js returns for 2-D/3-D outputs, as one flat array (without a copy where they share a buffer). */
function flatFloat32(result: unknown, size: number): Float32Array {
  if (result instanceof Float32Array) return result.length === size ? result : result.slice(0, size);
  const rows: Float32Array[] = [];
  const collect = (v: unknown): void => {
    if (v instanceof Float32Array) rows.push(v);
    else if (Array.isArray(v)) v.forEach(collect);
    else throw new Error(`gpu.js kernel returned ${Object.prototype.toString.call(v)}, expected Float32Array rows`);
  };
  collect(result);
  const first = rows[0]!;
  let offset = first.byteOffset;
  const contiguous = rows.every((row) => {
    const ok = row.buffer === first.buffer && row.byteOffset === offset;
    offset += row.byteLength;
    return ok;
  });
  if (contiguous && offset - first.byteOffset === size * 4)
    return new Float32Array(first.buffer, first.byteOffset, size);
  const flat = new Float32Array(size);
  let at = 0;
  for (const row of rows) {
    flat.set(row, at);
    at += row.length;
  }
  return flat;
}
