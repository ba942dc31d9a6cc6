/**
 * Kernel tests against the cpu reference: runs one kernel on the backend under test (the engine's
 * current backend, which `forEachBackend` sets) and on a cpu backend with the same inputs, and
 * compares the results. Plus deterministic inputs.
 *
 * @example
 * forEachBackend(() => {
 *   it("Exp matches cpu", () => compare("Exp", [rand([37])], {}, { shape: [37], dtype: "float32" }));
 * }, { except: ["cpu"] });
 */
import { expect } from "vitest";
import type { Backend, DataArray, DType } from "../../src/runtime/backend.js";
import { sizeOf, typedArrayFor } from "../../src/runtime/backend.js";
import { createCpuBackend } from "../../src/runtime/backends/cpu/index.js";
import * as tf from "../../src/runtime/index.js";
import type { KernelArgs, KernelName } from "../../src/runtime/kernels.js";

/** The reference every backend is compared with (a cpu backend of its own, outside the engine). */
export const cpu = createCpuBackend();

/** The backend under test: the engine's current backend. */
export function tested(): Backend {
  return tf.backend();
}

export interface HostTensor {
  values: DataArray;
  shape: number[];
  dtype: DType;
}

/** A deterministic pseudo-random source (mulberry32), so failures reproduce. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let seed = 1;
const uniform = rng(12345);

/** A tensor of uniform values in [lo, hi) (int32: whole numbers; bool: 0/1). */
export function rand(shape: number[], dtype: DType = "float32", lo = -2, hi = 2): HostTensor {
  const r = rng(seed++);
  const values = typedArrayFor(dtype, sizeOf(shape));
  for (let k = 0; k < values.length; k++) {
    const u = lo + (hi - lo) * r();
    values[k] = dtype === "bool" ? (r() < 0.5 ? 1 : 0) : dtype === "int32" ? Math.floor(u) : u;
  }
  return { values, shape, dtype };
}

export function tensor(values: number[], shape: number[], dtype: DType = "float32"): HostTensor {
  const array = typedArrayFor(dtype, values.length);
  array.set(values);
  return { values: array, shape, dtype };
}

/** Uniform float32 values in [lo, hi). */
export function floats(shape: number[], lo = -2, hi = 2): HostTensor {
  return rand(shape, "float32", lo, hi);
}

/** Small integers stored as float32 (ties and exact equalities happen). */
export function intFloats(shape: number[], lo = -3, hi = 3): HostTensor {
  const v = new Float32Array(sizeOf(shape));
  for (let i = 0; i < v.length; i++) v[i] = lo + Math.floor((hi - lo + 1) * uniform());
  return { values: v, shape, dtype: "float32" };
}

/** int32 values in [lo, hi]. */
export function ints(shape: number[], lo = -5, hi = 5): HostTensor {
  const v = new Int32Array(sizeOf(shape));
  for (let i = 0; i < v.length; i++) v[i] = lo + Math.floor((hi - lo + 1) * uniform());
  return { values: v, shape, dtype: "int32" };
}

export function bools(shape: number[]): HostTensor {
  return rand(shape, "bool");
}

/** Runs `name` on `backend` and returns the output values (inputs are written fresh, then freed). */
export function runOn<K extends KernelName>(
  backend: Backend,
  name: K,
  inputs: HostTensor[],
  attrs: KernelArgs<K>["attrs"],
  out: { shape: number[]; dtype: DType },
): DataArray {
  const kernel = backend.kernels[name] as ((args: unknown) => object) | undefined;
  if (!kernel) throw new Error(`${backend.name} has no kernel ${name}`);
  const infos = inputs.map((t) => ({
    dataId: backend.write(t.values.slice(), t.shape, t.dtype),
    shape: t.shape,
    dtype: t.dtype,
  }));
  try {
    const id = kernel({ inputs: infos, attrs, out });
    const result = backend.readSync(id).slice();
    backend.disposeData(id);
    return result;
  } finally {
    for (const t of infos) backend.disposeData(t.dataId);
  }
}

/** Asserts two result arrays agree: same type and length, values within `tol` relative (NaN = NaN). */
export function expectClose(got: DataArray, want: DataArray, tol: number, what = ""): void {
  expect(got.constructor.name, what).toBe(want.constructor.name);
  expect(got.length, what).toBe(want.length);
  const bad: string[] = [];
  for (let k = 0; k < want.length; k++) {
    const g = got[k]!;
    const w = want[k]!;
    const ok = Number.isNaN(w) ? Number.isNaN(g) : g === w || Math.abs(g - w) <= tol * Math.max(1, Math.abs(w));
    if (!ok && bad.length < 5) bad.push(`[${k}] got ${g}, want ${w}`);
  }
  expect(bad, `${what}: ${bad.join("; ")}`).toEqual([]);
}

/**
 * Runs `name` on the backend under test and on cpu and compares element by element, relative to
 * each value, within the backend's epsilon. `scale` widens the tolerance for results that sum many
 * float32 terms (pass roughly the number of terms' magnitude growth).
 */
export function compare<K extends KernelName>(
  name: K,
  inputs: HostTensor[],
  attrs: KernelArgs<K>["attrs"],
  out: { shape: number[]; dtype: DType },
  scale = 1,
): DataArray {
  const backend = tested();
  const want = runOn(cpu, name, inputs, attrs, out);
  const got = runOn(backend, name, inputs, attrs, out);
  const shapes = inputs.map((t) => `[${t.shape}]:${t.dtype}`).join(" ");
  expectClose(got, want, backend.epsilon * scale, `${name} ${shapes} ${JSON.stringify(attrs)}`);
  return got;
}

/**
 * Runs `name` on the backend under test and on cpu and expects equal dtype/length and values
 * within `rtol·(1 + max|expected|)`, relative to the largest value (sums that cancel), exact for
 * non-float outputs; NaN must match NaN.
 */
export function expectSame<K extends KernelName>(
  name: K,
  inputs: HostTensor[],
  attrs: KernelArgs<K>["attrs"],
  out: { shape: number[]; dtype: DType },
  rtol = 1e-5,
): void {
  const want = runOn(cpu, name, inputs, attrs, out);
  const got = runOn(tested(), name, inputs, attrs, out);
  expect(got.constructor.name, `${name} dtype`).toBe(want.constructor.name);
  expect(got.length, `${name} length`).toBe(want.length);
  let scale = 0;
  for (const v of want) if (Number.isFinite(v)) scale = Math.max(scale, Math.abs(v));
  const tol = out.dtype === "float32" ? rtol * (1 + scale) : 0;
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!;
    const g = got[i]!;
    if (Number.isNaN(w)) {
      if (!Number.isNaN(g)) throw new Error(`${name}: element ${i} is ${g}, expected NaN`);
    } else if (!Number.isFinite(w) || out.dtype !== "float32") {
      if (g !== w) throw new Error(`${name}: element ${i} is ${g}, expected ${w} (shape [${out.shape.join(",")}])`);
    } else if (!(Math.abs(g - w) <= tol)) {
      throw new Error(
        `${name}: element ${i} is ${g}, expected ${w} (tolerance ${tol}, shape [${out.shape.join(",")}])`,
      );
    }
  }
}

/** The error the backend under test throws for `name`, checked against the cpu kernel's message. */
export function expectSameError<K extends KernelName>(
  name: K,
  inputs: HostTensor[],
  attrs: KernelArgs<K>["attrs"],
  out: { shape: number[]; dtype: DType },
): void {
  let cpuError = "";
  try {
    runOn(cpu, name, inputs, attrs, out);
  } catch (e) {
    cpuError = (e as Error).message;
  }
  expect(cpuError, `cpu ${name} should throw`).not.toBe("");
  expect(() => runOn(tested(), name, inputs, attrs, out)).toThrow(cpuError);
}
