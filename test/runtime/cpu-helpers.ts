/** Shared helpers for the cpu backend tests: make inputs, run one kernel, compare results. */
import { expect } from "vitest";
import { typedArrayFor } from "../../src/runtime/backend.js";
import type { DataArray, DType, TensorInfo } from "../../src/runtime/backend.js";
import type { KernelName, KernelSpecs } from "../../src/runtime/kernels.js";
import { createCpuBackend } from "../../src/runtime/backends/cpu/index.js";

export const cpu = createCpuBackend();

/** Writes `values` as a tensor of `shape`/`dtype` on the test backend. */
export function tensor(values: ArrayLike<number>, shape: number[], dtype: DType = "float32"): TensorInfo {
  const array = typedArrayFor(dtype, values.length);
  for (let i = 0; i < values.length; i++) array[i] = values[i]!;
  return { dataId: cpu.write(array, shape, dtype), shape, dtype };
}

/** Runs kernel `name` on the test backend and returns its output values. */
export function run<K extends KernelName>(
  name: K,
  inputs: KernelSpecs[K]["inputs"],
  attrs: KernelSpecs[K]["attrs"],
  shape: number[],
  dtype: DType = "float32",
): DataArray {
  const kernel = cpu.kernels[name] as (args: {
    inputs: KernelSpecs[K]["inputs"];
    attrs: KernelSpecs[K]["attrs"];
    out: { shape: number[]; dtype: DType };
  }) => object;
  const dataId = kernel({ inputs, attrs, out: { shape, dtype } });
  return cpu.readSync(dataId);
}

/** Expects `actual` to equal `expected` elementwise within a relative tolerance (NaN matches NaN). */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rtol = 1e-6, atol = 1e-7): void {
  expect(actual.length, "length").toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (Number.isNaN(e)) {
      expect(a, `element ${i}`).toBeNaN();
    } else if (!Number.isFinite(e)) {
      expect(a, `element ${i}`).toBe(e);
    } else if (Math.abs(a - e) > atol + rtol * Math.abs(e)) {
      expect.fail(`element ${i}: got ${a}, expected ${e} (±${atol + rtol * Math.abs(e)})`);
    }
  }
}

/** Expects the exact values and the typed array class of `dtype`. */
export function expectExact(actual: DataArray, expected: ArrayLike<number>, dtype: DType): void {
  expect(actual).toBeInstanceOf(typedArrayFor(dtype, 0).constructor);
  expect(Array.from(actual)).toEqual(Array.from(expected));
}

/** Float32 results: a Float32Array close to `expected`; other dtypes: exactly `expected` in their array class. */
export function expectValues(actual: DataArray, expected: ArrayLike<number>, dtype: DType): void {
  if (dtype !== "float32") return expectExact(actual, expected, dtype);
  expect(actual).toBeInstanceOf(Float32Array);
  expectClose(actual, expected);
}

/** The dot product of two equally long arrays. */
export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/** Deterministic pseudo-random values in [-1, 1) (a small LCG), so failures reproduce. */
export function randomValues(n: number, seed = 1): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}
