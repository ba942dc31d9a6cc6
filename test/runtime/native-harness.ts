/**
 * Runs one kernel on the native backend and on the cpu reference backend with the same inputs and
 * compares the results. When the addon is not built the native tests are skipped with a loud note,
 * except on CI (`CI` set), where a missing addon fails the suite.
 */
import { expect } from "vitest";
import type { Backend, DataArray, DType } from "../../src/runtime/backend.js";
import { createCpuBackend } from "../../src/runtime/backends/cpu/index.js";
import { createNativeBackend, nativeBackendStatus } from "../../src/runtime/backends/native/index.js";
import type { KernelName } from "../../src/runtime/kernels.js";

export const status = nativeBackendStatus();
export const nativeMissing = !status.available;

/** A note for the console (and a failure on CI) when the addon is absent. */
export function missingNote(): string {
  return status.available ? "" : `NATIVE BACKEND NOT BUILT — native kernel tests skipped: ${status.reason}`;
}

export const cpu = createCpuBackend();
export const native = status.available ? createNativeBackend() : undefined;

export interface Input {
  values: DataArray;
  shape: number[];
  dtype: DType;
}

let seed = 12345;
/** Deterministic uniform in [0, 1). */
export function rand(): number {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed / 0x80000000;
}

const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

export function floats(shape: number[], lo = -2, hi = 2): Input {
  const v = new Float32Array(size(shape));
  for (let i = 0; i < v.length; i++) v[i] = lo + (hi - lo) * rand();
  return { values: v, shape, dtype: "float32" };
}

/** Small integers stored as float32 (ties and exact equalities happen). */
export function intFloats(shape: number[], lo = -3, hi = 3): Input {
  const v = new Float32Array(size(shape));
  for (let i = 0; i < v.length; i++) v[i] = lo + Math.floor((hi - lo + 1) * rand());
  return { values: v, shape, dtype: "float32" };
}

export function ints(shape: number[], lo = -5, hi = 5): Input {
  const v = new Int32Array(size(shape));
  for (let i = 0; i < v.length; i++) v[i] = lo + Math.floor((hi - lo + 1) * rand());
  return { values: v, shape, dtype: "int32" };
}

export function bools(shape: number[]): Input {
  const v = new Uint8Array(size(shape));
  for (let i = 0; i < v.length; i++) v[i] = rand() < 0.5 ? 1 : 0;
  return { values: v, shape, dtype: "bool" };
}

function runOn(
  backend: Backend,
  name: KernelName,
  inputs: Input[],
  attrs: unknown,
  out: { shape: number[]; dtype: DType },
): DataArray {
  const infos = inputs.map((t) => ({
    dataId: backend.write(t.values.slice(), t.shape, t.dtype),
    shape: t.shape,
    dtype: t.dtype,
  }));
  const kernel = backend.kernels[name] as ((args: unknown) => object) | undefined;
  if (!kernel) throw new Error(`${backend.name} has no kernel ${name}`);
  try {
    const id = kernel({ inputs: infos, attrs, out });
    const values = backend.readSync(id).slice();
    backend.disposeData(id);
    return values;
  } finally {
    for (const info of infos) backend.disposeData(info.dataId);
  }
}

/**
 * Runs `name` on both backends and expects equal dtype/length and values within
 * `rtol·(1 + max|expected|)` (exact for non-float outputs); NaN must match NaN.
 */
export function expectSame(
  name: KernelName,
  inputs: Input[],
  attrs: unknown,
  out: { shape: number[]; dtype: DType },
  rtol = 1e-5,
): void {
  const want = runOn(cpu, name, inputs, attrs, out);
  const got = runOn(native!, name, inputs, attrs, out);
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

/** The error message the native kernel throws, checked against the cpu kernel's. */
export function expectSameError(
  name: KernelName,
  inputs: Input[],
  attrs: unknown,
  out: { shape: number[]; dtype: DType },
): void {
  let cpuError = "";
  try {
    runOn(cpu, name, inputs, attrs, out);
  } catch (e) {
    cpuError = (e as Error).message;
  }
  expect(cpuError, `cpu ${name} should throw`).not.toBe("");
  expect(() => runOn(native!, name, inputs, attrs, out)).toThrow(cpuError);
}
