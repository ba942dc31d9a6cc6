/**
 * Loads the compiled addon `csrc/build/Release/deepts_native.node` (built by `csrc/build.mjs`
 * at `npm install`, over OpenBLAS). Loading never throws: a missing or broken build gives a reason.
 *
 * Every function takes an Int32Array of the operation code and sizes/geometry first (layouts are
 * documented at each call site in this folder and in `csrc/deepts_native.cc`; the codes are the
 * enums of `op-codes.ts`) and writes into an output array the caller allocated.
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { opCodesFingerprint } from "./op-codes.js";

type F32 = Float32Array;
type Any = Float32Array | Int32Array | Uint8Array;

export interface NativeAddon {
  matMul(p: Int32Array, a: F32, b: F32, out: F32): void;
  conv2d(p: Int32Array, x: F32, filter: F32, out: F32): void;
  conv2dBackpropInput(p: Int32Array, dy: F32, filter: F32, dx: F32): void;
  conv2dBackpropFilter(p: Int32Array, x: F32, dy: F32, dw: F32): void;
  maxPool(p: Int32Array, x: F32, out: F32): void;
  maxPoolGrad(p: Int32Array, dy: F32, x: F32, dx: F32): void;
  avgPool(p: Int32Array, x: F32, out: F32): void;
  avgPoolGrad(p: Int32Array, dy: F32, dx: F32): void;
  unary(p: Int32Array, x: F32, out: F32 | Uint8Array): void;
  binary(p: Int32Array, a: F32, b: F32, out: F32 | Uint8Array): void;
  select(p: Int32Array, cond: Uint8Array, a: Any, b: Any, out: Any): void;
  reduce(p: Int32Array, x: F32, out: F32 | Int32Array): void;
  stridedCopy(p: Int32Array, src: Any, dst: Any): void;
  /** Returns the first out-of-range index, or null. */
  gather(p: Int32Array, x: F32 | Int32Array, indices: Int32Array, out: F32 | Int32Array): number | null;
  /** Returns the first segment id not below numSegments, or null. */
  segmentSum(p: Int32Array, x: F32, ids: Int32Array, out: F32): number | null;
  cast(p: Int32Array, x: Any, out: Any): void;
  /** `p`: [BiasActivationOp, channels]: activation(x + bias) along the last axis. */
  biasActivation(p: Int32Array, x: F32, bias: F32, y: F32): void;
  /** `p`: [ActivationOp, steps, batch, units]: every state of the simple recurrence. */
  rnnForward(p: Int32Array, xw: F32, h0: F32, u: F32, hs: F32): void;
  /** `p` as rnnForward: the pre-activation gradients from the states and their gradients. */
  rnnBackward(p: Int32Array, hs: F32, u: F32, dhs: F32, dz: F32): void;
  /** `p`: [ActivationOp]: the activation's gradient from its output y. */
  activationGrad(p: Int32Array, y: F32, dy: F32, dx: F32): void;
  /**
   * Row kernels over the last axis; `p`: [RowOp, rows, cols], `eps`: [epsilon]; Softmax (x, out),
   * SoftmaxGrad (y, dy, out), CrossEntropy (t, p, out), CrossEntropyGrad (t, p, dy, out),
   * SparseCrossEntropy (labels, p, out), SparseCrossEntropyGrad (labels, p, dy, out).
   */
  rowwise(p: Int32Array, eps: Float64Array, ...arrays: F32[]): void;
  /**
   * Adam's passes, moments packed [2, n]: `hyper` [AdamPass.Moments, beta1, beta2] with (moments, g,
   * out [2n]), or [AdamPass.Step, learningRate, beta1Power, beta2Power, epsilon] with (w, moments, out [n]).
   */
  adam(hyper: Float64Array, a: F32, b: F32, out: F32): void;
  /** OpenBLAS's build configuration, e.g. "OpenBLAS 0.3.21 DYNAMIC_ARCH … Cooperlake MAX_THREADS=64". */
  blasInfo(): string;
  /** Sets the most BLAS threads a large product uses when `n > 0`; returns that count. */
  setThreads(n: number): number;
  /**
   * The interrupt flag this thread's calls check between blocks of long work (`undefined`: none).
   * A call that stops early throws an Error with code "DEEPTS_INTERRUPTED".
   */
  setInterruptFlag(flag: Int32Array | undefined): void;
  /** The `opCodesFingerprint()` of the op codes the addon was compiled with (absent in older builds). */
  opCodesFingerprint?(): number;
}

export type AddonLoad = { addon: NativeAddon; path: string } | { addon?: undefined; reason: string };

/** Where the addon is looked for: `DEEPTS_NATIVE_ADDON`, else `src/runtime/backends/native/csrc/build/Release` of this package (for src/ and dist/ alike). */
export function addonPath(): string {
  const fromEnv = process.env.DEEPTS_NATIVE_ADDON;
  if (fromEnv) return fromEnv;
  // This file sits at src|dist/runtime/backends/native/, four levels below the package root.
  return fileURLToPath(
    new URL("../../../../src/runtime/backends/native/csrc/build/Release/deepts_native.node", import.meta.url),
  );
}

let cached: AddonLoad | undefined;

/**
 * The addon, or why it is not there (`DEEPTS_NATIVE=0` turns it off; a build whose op codes differ
 * from `op-codes.ts`, left from an older version, is refused). Cached after the first call.
 */
export function loadAddon(): AddonLoad {
  if (cached) return cached;
  if (process.env.DEEPTS_NATIVE === "0") return (cached = { reason: "disabled by DEEPTS_NATIVE=0" });
  const path = addonPath();
  if (!existsSync(path)) {
    return (cached = {
      reason: `the addon is not built (${path} is missing; run \`node src/runtime/backends/native/csrc/build.mjs\`)`,
    });
  }
  try {
    const addon = requireWithOneBlasThread(path);
    if (addon.opCodesFingerprint?.() !== opCodesFingerprint()) {
      return (cached = {
        reason: `the addon at ${path} was built from other operation codes than this version's; rebuild it: \`node src/runtime/backends/native/csrc/build.mjs\``,
      });
    }
    return (cached = { addon, path });
  } catch (e) {
    return (cached = { reason: `the addon failed to load: ${(e as Error).message}` });
  }
}

/** The environment variables OpenBLAS reads its thread count from, in its order. */
const BLAS_THREAD_VARIABLES = ["OPENBLAS_NUM_THREADS", "GOTO_NUM_THREADS", "OMP_NUM_THREADS"];

/** `DEEPTS_THREADS`: the most threads a product may use (a teacher's per-kernel limit), if set. */
export function threadLimit(): number | undefined {
  const raw = process.env.DEEPTS_THREADS;
  if (raw === undefined || raw === "") return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`DEEPTS_THREADS must be a whole number ≥ 1, got '${raw}'`);
  return n;
}

/**
 * Loads the addon with OpenBLAS started on one thread, then lets large products use every core
 * (or `DEEPTS_THREADS`). OpenBLAS starts its worker threads as it loads and they spin for a while,
 * taking a core from V8's compiler and garbage-collector threads, although small products (all of a
 * small model's) run on one thread anyway; the addon now starts them with the first large product.
 * A thread count the user set in OpenBLAS's own variables is left alone unless DEEPTS_THREADS is set.
 * The variable is set only while loading, so child processes do not inherit it.
 */
function requireWithOneBlasThread(path: string): NativeAddon {
  const load = () => createRequire(import.meta.url)(path) as NativeAddon;
  const limit = threadLimit();
  if (limit === undefined && BLAS_THREAD_VARIABLES.some((name) => process.env[name] !== undefined)) return load();
  const before = process.env.OPENBLAS_NUM_THREADS;
  process.env.OPENBLAS_NUM_THREADS = "1";
  let addon: NativeAddon;
  try {
    addon = load();
  } finally {
    if (before === undefined) delete process.env.OPENBLAS_NUM_THREADS;
    else process.env.OPENBLAS_NUM_THREADS = before;
  }
  addon.setThreads(limit ?? availableParallelism());
  return addon;
}
