/**
 * The headlessgl backend (gpu.js kernels as WebGL 1 shaders through headless-gl): registration and
 * inputs beyond a shader's texture units. Its kernels and training run in the shared suites
 * (kernels-*.test.ts, training-parity.test.ts). Skipped, with the reason in the title, where
 * headless-gl gives no context (the optional `gl` package not built, or no X display and no Xvfb);
 * backend-availability.test.ts fails on CI then.
 */
import { describe, expect, it } from "vitest";
import type { GpuJsBackend } from "../../src/runtime/backends/gpujs/index.js";
import { headlessGlStatus } from "../../src/runtime/backends/gpujs/headlessgl.js";
import * as tf from "../../src/runtime/index.js";
import { forEachBackend } from "./backends.js";

const status = headlessGlStatus();

describe("headlessgl registration", () => {
  it("is registered exactly when headless-gl gives a context, and is never the default", () => {
    expect(tf.engine().registeredBackends().includes("headlessgl")).toBe(status.available);
    expect(tf.DEFAULT_BACKEND).not.toBe("headlessgl");
    if (!status.available) expect(status.reason).toMatch(/headless-gl|'gl' package/);
  });
});

forEachBackend(
  () => {
    it("concatenates more tensors than a shader has texture units, in groups", async () => {
      const backend = tf.backend() as GpuJsBackend;
      const units = backend.compiler.maxInputs;
      expect(units).toBeGreaterThanOrEqual(8);
      expect(units).toBeLessThan(1024);
      const count = 2 * units + 3;
      const parts = Array.from({ length: count }, (_, k) =>
        tf.tensor2d(
          Array.from({ length: 2 * ((k % 3) + 1) }, (_, j) => k * 10 + j),
          [2, (k % 3) + 1],
        ),
      );
      const buffers = backend.memory().numDataBuffers;
      const joined = tf.concat(parts, 1);
      // one output buffer: the groups' intermediate results are freed
      expect(backend.memory().numDataBuffers).toBe(buffers + 1);
      const rows = parts.map((p) => p.arraySync() as number[][]);
      const want = [0, 1].map((r) => rows.flatMap((p) => p[r]!));
      expect(joined.shape).toEqual([2, want[0]!.length]);
      expect(joined.arraySync()).toEqual(want);
      tf.dispose([...parts, joined]);
    });

    it("refuses a kernel with more inputs than texture units instead of computing garbage", async () => {
      const compiler = (tf.backend() as GpuJsBackend).compiler;
      const n = compiler.maxInputs + 1;
      const args = Array.from({ length: n }, (_, k) => `x${k}`);
      const kernel = compiler.get(`test-many-inputs:${n}`, () => ({
        source: `function(${args.join(", ")}) { return ${args.map((a) => `${a}[this.thread.x]`).join(" + ")}; }`,
        output: [2],
      }));
      const inputs = Array.from({ length: n }, () => new Float32Array([1, 2]));
      expect(() => kernel(inputs)).toThrow(/takes \d+ inputs; at most \d+ fit/);
    });
  },
  { only: ["headlessgl"] },
);
