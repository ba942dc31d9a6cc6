/**
 * The one backend harness of the runtime and model tests: which backends run here, and
 * `forEachBackend`, which registers a group of tests once per backend with that backend current
 * (`tf.backend()`), so op, gradient, kernel-against-cpu (kernel-compare.ts) and training-parity
 * tests all run on every backend the same way.
 *
 * Backends: `cpu` always; `wasm` (hand-written WebAssembly SIMD kernels with threads, wherever Node
 * has WebAssembly SIMD); `webasm` (gpu.js on WebAssembly); `native` (the OpenBLAS addon, when it
 * is built); `webgpu` (when an adapter answers: Mesa's lavapipe on CI); `headlessgl` (when
 * headless-gl gives a context: the test run starts Xvfb, test/setup/x-display.ts).
 * `DEEPTS_TEST_BACKENDS=cpu,native npx vitest run test/runtime` limits the list. A backend that is
 * missing gets its groups skipped, with the reason in the title; backend-availability.test.ts fails
 * on CI (`CI` set) for each expected backend that is missing. Tolerances come from `backend.epsilon`.
 *
 * @example
 * forEachBackend(({ tol }) => {
 *   it("adds", () => expectValues(tf.add([1, 2], 3), [4, 5], tol()));
 * }, { except: ["cpu"] });
 */
import { afterAll, beforeAll, describe, expect } from "vitest";
import type { Backend } from "../../src/runtime/backend.js";
import { headlessGlStatus } from "../../src/runtime/backends/gpujs/headlessgl.js";
import { nativeBackendStatus } from "../../src/runtime/backends/native/index.js";
import { wasmBackendStatus } from "../../src/runtime/backends/wasm/index.js";
import { webgpuBackendStatus } from "../../src/runtime/backends/webgpu/index.js";
import * as tf from "../../src/runtime/index.js";

/**
 * Every backend the tests know, in the order their groups run. headlessgl runs before webgpu: after
 * a suite of webgpu work in the same process, headlessgl's kernels ran about ten times slower
 * (measured with Mesa's llvmpipe and lavapipe, both on the CPU).
 */
export const TEST_BACKENDS = ["cpu", "wasm", "webasm", "native", "headlessgl", "webgpu"] as const;
export type TestBackend = (typeof TEST_BACKENDS)[number];

/** The backends `DEEPTS_TEST_BACKENDS` names (comma-separated), or undefined for all. */
export const wantedBackends: readonly TestBackend[] | undefined = parseWanted(process.env.DEEPTS_TEST_BACKENDS);

function parseWanted(list: string | undefined): TestBackend[] | undefined {
  if (list === undefined || list.trim() === "") return undefined;
  const names = list.split(",").map((s) => s.trim());
  for (const name of names) {
    if (!(TEST_BACKENDS as readonly string[]).includes(name))
      throw new Error(`DEEPTS_TEST_BACKENDS: unknown backend '${name}' (known: ${TEST_BACKENDS.join(", ")})`);
  }
  return names as TestBackend[];
}

/** Why each backend is not tested here; absent when it is (webgpu's device is then started). */
export const unavailable: Partial<Record<TestBackend, string>> = await probeBackends();

/** Why webgpu is not tested here, or undefined when an adapter answered. */
export const webgpuUnavailable: string | undefined = unavailable.webgpu;

async function probeBackends(): Promise<Partial<Record<TestBackend, string>>> {
  const why: Partial<Record<TestBackend, string>> = {};
  const registered = tf.engine().registeredBackends();
  for (const name of TEST_BACKENDS) {
    if (wantedBackends && !wantedBackends.includes(name)) {
      why[name] = "not in DEEPTS_TEST_BACKENDS";
    } else if (name === "webgpu") {
      const reason = await startWebGpu();
      if (reason !== undefined) why.webgpu = reason;
    } else if (!registered.includes(name)) {
      why[name] = notRegisteredReason(name);
    }
  }
  return why;
}

function notRegisteredReason(name: TestBackend): string {
  if (name === "native") {
    const status = nativeBackendStatus();
    return status.available ? "not registered" : status.reason;
  }
  if (name === "wasm") {
    const status = wasmBackendStatus();
    return status.available ? "not registered" : status.reason;
  }
  if (name === "headlessgl") {
    const status = headlessGlStatus();
    return status.available ? "not registered" : status.reason;
  }
  return "not registered";
}

async function startWebGpu(): Promise<string | undefined> {
  if (!tf.engine().registeredBackends().includes("webgpu")) {
    const status = webgpuBackendStatus();
    return status.available ? "not registered" : status.reason;
  }
  const previous = tf.getBackend();
  const warn = console.warn;
  console.warn = () => {};
  try {
    if (await tf.setBackend("webgpu")) return undefined;
    const status = webgpuBackendStatus();
    return status.available ? "no adapter answered" : status.reason;
  } finally {
    console.warn = warn;
    await tf.setBackend(previous);
  }
}

/** The backends tests run on here: registered, started, and wanted. */
export function backendsUnderTest(): TestBackend[] {
  return TEST_BACKENDS.filter((name) => unavailable[name] === undefined);
}

export interface BackendContext {
  name: TestBackend;
  /** Relative tolerance for one kernel's float32 result on this backend. */
  tol(): number;
  /** The backend instance the engine runs (inside a test or hook). */
  backend(): Backend;
}

export interface BackendFilter {
  /** Only these backends. */
  only?: readonly TestBackend[];
  /** All but these backends (e.g. `["cpu"]` for tests that compare a backend with cpu). */
  except?: readonly TestBackend[];
}

// Shaders compile on first use, slowly on a software renderer with a cold shader cache.
const TIMEOUT_MS: Partial<Record<TestBackend, number>> = { headlessgl: 300_000 };

/**
 * Registers `body`'s tests once per backend (those of `filter` that `DEEPTS_TEST_BACKENDS` wants),
 * each in a `describe("on <name>")` with that backend current; a missing backend's group is
 * skipped with the reason in its title.
 */
export function forEachBackend(body: (ctx: BackendContext) => void, filter: BackendFilter = {}): void {
  for (const name of TEST_BACKENDS) {
    if (filter.only && !filter.only.includes(name)) continue;
    if (filter.except?.includes(name)) continue;
    if (wantedBackends && !wantedBackends.includes(name)) continue;
    const ctx: BackendContext = {
      name,
      tol: () => Math.max(tf.backend().epsilon * 10, 1e-6),
      backend: () => tf.backend(),
    };
    const reason = unavailable[name];
    if (reason !== undefined) {
      describe.skip(`on ${name} (unavailable: ${reason})`, () => body(ctx));
      continue;
    }
    describe(`on ${name}`, { timeout: TIMEOUT_MS[name] }, () => {
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
