/**
 * Runs a group of op tests once per backend: `cpu` always, gpu.js `webasm`, the OpenBLAS `native` backend, `webgpu` and
 * gpu.js `headlessgl` when they are registered and (webgpu) an adapter answers (set DEEPTS_TEST_BACKENDS=cpu to limit the list).
 * Tolerances come from `backend.epsilon`.
 */
import { afterAll, beforeAll, describe, expect } from "vitest";
import * as tf from "../../src/runtime/index.js";
import { webgpuBackendStatus } from "../../src/runtime/backends/webgpu/index.js";

const wanted = process.env.DEEPTS_TEST_BACKENDS?.split(",").map((s) => s.trim());

/** Why webgpu is not tested here, or undefined when an adapter answered (the device is then started). */
export const webgpuUnavailable: string | undefined = await startWebGpu();

async function startWebGpu(): Promise<string | undefined> {
  if (wanted && !wanted.includes("webgpu")) return "not in DEEPTS_TEST_BACKENDS";
  if (!tf.engine().registeredBackends().includes("webgpu")) {
    const status = webgpuBackendStatus();
    return status.available ? "not registered" : status.reason;
  }
  const previous = tf.getBackend();
  const warn = console.warn;
  console.warn = () => {};
  try {
    const ok = await tf.setBackend("webgpu");
    if (!ok) {
      const status = webgpuBackendStatus();
      return status.available ? "no adapter answered" : status.reason;
    }
    return undefined;
  } finally {
    console.warn = warn;
    await tf.setBackend(previous);
  }
}

export function backendsUnderTest(): string[] {
  const registered = tf.engine().registeredBackends();
  const all = ["cpu", "webasm", "native", "webgpu", "headlessgl"].filter(
    (b) => registered.includes(b) && (b !== "webgpu" || webgpuUnavailable === undefined),
  );
  return wanted ? all.filter((b) => wanted.includes(b)) : all;
}

export interface BackendContext {
  name: string;
  /** Relative tolerance for one kernel's float32 result on this backend. */
  tol(): number;
}

export function forEachBackend(body: (ctx: BackendContext) => void): void {
  for (const name of backendsUnderTest()) {
    const ctx: BackendContext = { name, tol: () => Math.max(tf.backend().epsilon * 10, 1e-6) };
    describe(`on ${name}`, () => {
      let previous = "cpu";
      beforeAll(async () => {
        previous = tf.getBackend();
        expect(await tf.setBackend(name)).toBe(true);
      });
      afterAll(async () => {
        await tf.setBackend(previous);
      });
      body(ctx);
    });
  }
  if (webgpuUnavailable !== undefined && (!wanted || wanted.includes("webgpu"))) {
    describe.skip(`on webgpu (skipped: ${webgpuUnavailable})`, () => {
      body({ name: "webgpu", tol: () => 0 });
    });
  }
}

type Nested = number | boolean | Nested[];

function flat(v: Nested): number[] {
  if (Array.isArray(v)) return v.flatMap(flat);
  return [typeof v === "boolean" ? (v ? 1 : 0) : v];
}

function shapeOf(v: Nested): number[] {
  return Array.isArray(v) ? [v.length, ...(v.length ? shapeOf(v[0]) : [])] : [];
}

/**
 * Checks `actual`'s shape and values against nested arrays: `|a - e| <= tol·max(1, |e|)`.
 */
export function expectValues(actual: tf.Tensor, expected: Nested, tol = 1e-6, shape?: number[]): void {
  expect(actual.shape).toEqual(shape ?? shapeOf(expected));
  const got = Array.from(actual.dataSync());
  const want = flat(expected);
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const e = want[i];
    const a = got[i];
    if (Number.isNaN(e)) {
      expect(a, `element ${i}`).toBeNaN();
    } else if (!Number.isFinite(e)) {
      expect(a, `element ${i}`).toBe(e);
    } else if (Math.abs(a - e) > tol * Math.max(1, Math.abs(e))) {
      throw new Error(`element ${i}: got ${a}, expected ${e} (tol ${tol}); all values: [${got.join(", ")}]`);
    }
  }
}

/** Gradient check with a tolerance suited to float32 central differences on this backend. */
export function expectGradOk(f: (...xs: tf.Tensor[]) => tf.Tensor, xs: tf.TensorLike[], tol = 2e-3): void {
  const r = tf.gradCheck(f, xs, { eps: 1e-3, tol });
  if (!r.ok) {
    throw new Error(
      `gradCheck failed: maxRelError ${r.maxRelError}\n analytic ${JSON.stringify(r.analytic)}\n numeric  ${JSON.stringify(r.numeric)}`,
    );
  }
}
