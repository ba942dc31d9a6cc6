/**
 * The headlessgl backend (gpu.js kernels as WebGL 1 shaders through headless-gl): registration,
 * training end to end with every kernel in GL, and inputs beyond a shader's texture units.
 * Skipped, with the reason in the title, where headless-gl gives no context (the optional `gl`
 * package not built, or no X display and no Xvfb), except on CI (`CI` set), where that fails.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as tf from "../../src/runtime/index.js";
import type { GpuJsBackend } from "../../src/runtime/backends/gpujs/index.js";
import { headlessGlStatus } from "../../src/runtime/backends/gpujs/headlessgl.js";
import { expectCpuLossCurve, trainSmallConvNet } from "./training-parity.js";

const status = headlessGlStatus();
const unavailable = status.available ? undefined : status.reason;

describe("headlessgl registration", () => {
  it("is registered exactly when headless-gl gives a context, and is never the default", () => {
    expect(tf.engine().registeredBackends().includes("headlessgl")).toBe(status.available);
    expect(tf.DEFAULT_BACKEND).not.toBe("headlessgl");
    if (!status.available) expect(status.reason).toMatch(/headless-gl|'gl' package/);
  });

  it.skipIf(!process.env.CI || status.available)(
    `is available on CI${unavailable ? ` (unavailable: ${unavailable})` : ""}`,
    () => {
      throw new Error(
        `headlessgl is not available on CI: ${unavailable}. CI installs the gl package's build and run dependencies ` +
          "before `npm ci` (.ci/run: libx11-dev libxi-dev libxext-dev libgl-dev pkg-config xvfb).",
      );
    },
  );
});

describe.skipIf(unavailable !== undefined)(
  `headlessgl backend${unavailable ? ` (skipped: ${unavailable})` : ""}`,
  () => {
    let previous = "cpu";
    beforeAll(() => {
      previous = tf.getBackend();
    });
    afterAll(async () => {
      await tf.setBackend(previous);
    });

    it("trains a conv net along the cpu backend's loss curve with every kernel in GL", async () => {
      const cpu = await trainSmallConvNet("cpu");
      const gl = await trainSmallConvNet("headlessgl");
      expect(tf.backend().name).toBe("headlessgl");
      expectCpuLossCurve(gl, cpu);
      expect(gl.fallbacks).toBe(0);
    }, 300_000); // every shader compiles on first use, slowly on a software renderer

    it("concatenates more tensors than a shader has texture units, in groups", async () => {
      expect(await tf.setBackend("headlessgl")).toBe(true);
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
      expect(await tf.setBackend("headlessgl")).toBe(true);
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
);
