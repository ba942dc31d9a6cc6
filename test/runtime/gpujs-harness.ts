/**
 * Runs one kernel on the gpu.js webasm backend and on the cpu reference backend with the same
 * inputs, and checks the results agree within the gpu.js backend's epsilon.
 */
import { expect } from "vitest";
import type { Backend, DataArray, DType, KernelTable } from "../../src/runtime/backend.js";
import { sizeOf, typedArrayFor } from "../../src/runtime/backend.js";
import type { KernelArgs, KernelName } from "../../src/runtime/kernels.js";
import { createCpuBackend } from "../../src/runtime/backends/cpu/index.js";
import { createGpuJsBackend, type GpuJsMode } from "../../src/runtime/backends/gpujs/index.js";

// DEEPTS_GPUJS_MODE runs the same comparisons on another gpu.js mode (e.g. headlessgl on a GPU machine).
export const gpu = createGpuJsBackend((process.env.DEEPTS_GPUJS_MODE as GpuJsMode | undefined) ?? "webasm");
export const cpu = createCpuBackend();

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

/** Runs `name` on `backend` and returns the output values (inputs are written fresh, then freed). */
export function runOn<K extends KernelName>(
  backend: Backend,
  name: K,
  inputs: HostTensor[],
  attrs: KernelArgs<K>["attrs"],
  out: { shape: number[]; dtype: DType },
): DataArray {
  const kernel = backend.kernels[name] as KernelTable[K] | undefined;
  if (!kernel) throw new Error(`${backend.name} has no kernel ${name}`);
  const infos = inputs.map((t) => ({
    dataId: backend.write(t.values.slice(), t.shape, t.dtype),
    shape: t.shape,
    dtype: t.dtype,
  }));
  const id = kernel({ inputs: infos, attrs, out } as unknown as KernelArgs<K>);
  const result = backend.readSync(id).slice();
  for (const t of infos) backend.disposeData(t.dataId);
  backend.disposeData(id);
  return result;
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
 * Runs `name` on both backends and compares. `scale` widens the tolerance for results that sum
 * many float32 terms (pass roughly the number of terms' magnitude growth).
 */
export function compare<K extends KernelName>(
  name: K,
  inputs: HostTensor[],
  attrs: KernelArgs<K>["attrs"],
  out: { shape: number[]; dtype: DType },
  scale = 1,
): DataArray {
  const want = runOn(cpu, name, inputs, attrs, out);
  const got = runOn(gpu, name, inputs, attrs, out);
  const shapes = inputs.map((t) => `[${t.shape}]:${t.dtype}`).join(" ");
  expectClose(got, want, gpu.epsilon * scale, `${name} ${shapes} ${JSON.stringify(attrs)}`);
  return got;
}
