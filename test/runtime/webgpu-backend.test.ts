/**
 * The webgpu backend's own behaviour: registration, dtypes, that ops never read back, memory
 * accounting against what the device thread really holds, errors from the device thread, and
 * interruptible/timed-out reads. Its kernels and training run in the shared suites (kernels-*.test.ts,
 * training-parity.test.ts). Skipped, with the reason in the title, when no adapter answers
 * (backend-availability.test.ts fails on CI then).
 */
import { createRequire } from "node:module";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as tf from "../../src/runtime/index.js";
import {
  createWebGpuBackend,
  registerWebGpuBackend,
  webgpuBackendStatus,
  type WebGpuBackend,
} from "../../src/runtime/backends/webgpu/index.js";
import { Engine } from "../../src/runtime/engine.js";
import { BATCH, DeviceThread, MAX_BATCHES_AHEAD } from "../../src/runtime/backends/webgpu/device-thread.js";
import { expectGradOk, forEachBackend, webgpuUnavailable } from "./backends.js";

describe("webgpu registration", () => {
  it("is registered whenever the webgpu package is installed, and says why not otherwise", () => {
    const status = webgpuBackendStatus();
    let installed = true;
    try {
      createRequire(import.meta.url).resolve("webgpu");
    } catch {
      installed = false;
    }
    expect(tf.engine().registeredBackends().includes("webgpu")).toBe(installed);
    // available: the package loads and no adapter has been refused yet
    expect(status.available).toBe(
      installed && (webgpuUnavailable === undefined || webgpuUnavailable === "not in DEEPTS_TEST_BACKENDS"),
    );
    if (!status.available) expect(status.reason).toMatch(/\w/);
  });
});

forEachBackend(
  () => {
    let backend: WebGpuBackend;
    beforeAll(() => {
      backend = tf.backend() as WebGpuBackend;
    });
    afterAll(() => {
      tf.setInterruptCheck(undefined);
    });

    it("describes its adapter; a software adapter never becomes the default", () => {
      expect(backend.adapter.description.length + backend.adapter.device.length).toBeGreaterThan(0);
      expect(backend.adapter.maxStorageBuffers).toBeGreaterThanOrEqual(8);
      if (backend.adapter.software) expect(tf.DEFAULT_BACKEND).not.toBe("webgpu");
      expect(webgpuBackendStatus()).toMatchObject({ available: true, adapter: backend.adapter });
    });

    it("asks the adapter at startup when told to; only a hardware one becomes the default", async () => {
      process.env.DEEPTS_WEBGPU_PROBE = "1";
      const engine = new Engine();
      let started: WebGpuBackend | undefined;
      try {
        const isDefault = registerWebGpuBackend(engine, 4, 0);
        expect(isDefault).toBe(!backend.adapter.software);
        expect(await engine.setBackend("webgpu")).toBe(true);
        started = engine.backend as WebGpuBackend;
        expect(started.adapter).toEqual(backend.adapter);
        const x = started.write(new Int32Array([3, -4]), [2], "int32");
        const y = started.kernels.Neg!({
          inputs: [{ dataId: x, shape: [2], dtype: "int32" }],
          attrs: {},
          out: { shape: [2], dtype: "int32" },
        });
        expect(Array.from(started.readSync(y))).toEqual([-3, 4]);
      } finally {
        delete process.env.DEEPTS_WEBGPU_PROBE;
        started?.dispose();
      }
    });

    it("keeps int32 and bool values through a float32 device", async () => {
      const i = tf.tensor1d([-7, 0, 3, 16777215], "int32");
      expect(Array.from(i.dataSync())).toEqual([-7, 0, 3, 16777215]);
      expect(i.dataSync()).toBeInstanceOf(Int32Array);
      const b = tf.tensor1d([true, false, true], "bool");
      expect(Array.from(await b.data())).toEqual([1, 0, 1]);
      expect(b.dataSync()).toBeInstanceOf(Uint8Array);
      // int32 results truncate toward zero
      expect(Array.from(tf.cast(tf.tensor1d([1.7, -1.7, 2.5]), "int32").dataSync())).toEqual([1, -1, 2]);
      expect(Array.from(tf.tensor1d([7, -7], "int32").div(tf.scalar(2, "int32")).dataSync())).toEqual([3, -4]);
      expect(tf.zeros([0, 3]).dataSync().length).toBe(0);
    });

    it("runs gradients on the device", () => {
      expectGradOk((x) => tf.sum(tf.mul(tf.tanh(x), x)), [[0.5, -1, 2]]);
      expectGradOk(
        (a, b) => tf.sum(tf.matMul(a, b)),
        [
          [
            [1, 2],
            [3, 4],
            [5, 6],
          ],
          [
            [0.5, -1],
            [2, 0.25],
          ],
        ],
      );
      expectGradOk(
        (x) => tf.sum(tf.softmax(x)).mul(tf.mean(x)),
        [
          [
            [0.1, 0.2, 0.3],
            [1, -1, 0],
          ],
        ],
      );
    });

    it("gives the same results when a kernel runs again (recorded into the batch's single submit)", () => {
      const runs = [0, 1, 2, 3].map((k) =>
        tf
          .tensor2d([
            [k, 1],
            [2, 3],
          ])
          .matMul(
            tf.tensor2d([
              [1, k],
              [k, 1],
            ]),
          )
          .add(k),
      );
      const values = runs.map((t) => Array.from(t.dataSync()));
      for (let k = 0; k < 4; k++)
        expect(values[k]).toEqual([k * 1 + 1 * k + k, k * k + 1 + k, 2 + 3 * k + k, 2 * k + 3 + k]);
      tf.dispose(runs);
    });

    it("reads nothing back during a training step except the loss", () => {
      tf.setSeed(3);
      const w1 = tf.variable(tf.randomNormal([6, 8], 0, 0.3));
      const w2 = tf.variable(tf.randomNormal([8, 2], 0, 0.3));
      const x = tf.randomNormal([16, 6]);
      const y = tf.randomNormal([16, 2]);
      const step = () =>
        tf.tidy(() => {
          const { value, grads } = tf.variableGrads(
            () => tf.mean(tf.square(tf.sub(tf.matMul(tf.relu(tf.matMul(x, w1)), w2), y))),
            [w1, w2],
          );
          w1.assign(w1.sub(grads[w1.name]!.mul(0.1)));
          w2.assign(w2.sub(grads[w2.name]!.mul(0.1)));
          return value;
        });
      step().dispose(); // warm up: kernels compile
      const reads = backend.readCount;
      const kernels = tf.engine().kernelCount;
      const loss = step();
      expect(tf.engine().kernelCount - kernels).toBeGreaterThan(10);
      expect(backend.readCount).toBe(reads);
      loss.dataSync();
      expect(backend.readCount).toBe(reads + 1);
      tf.dispose([loss, w1, w2, x, y]);
    });

    it("accounts memory on the main thread and frees device buffers on dispose and tidy", async () => {
      const start = await backend.deviceMemory();
      const before = backend.memory();
      const a = tf.ones([100, 10]);
      expect(backend.memory().numBytes - before.numBytes).toBe(4000);
      const kept = tf.tidy(() => {
        const t = a.mul(2).add(1).exp();
        return t.sum(1);
      });
      expect(backend.memory().numDataBuffers - before.numDataBuffers).toBe(2);
      const held = await backend.deviceMemory();
      expect(held.buffers - start.buffers).toBe(2);
      expect(held.bytes - start.bytes).toBe(4000 + 400);
      tf.dispose([a, kept]);
      expect(backend.memory()).toEqual(before);
      const after = await backend.deviceMemory();
      expect(after.buffers).toBe(start.buffers);
      expect(after.bytes).toBe(start.bytes);
    });

    it("throws a device-thread failure as an Error and keeps working", () => {
      const x = tf.tensor1d([1, 2, 3]);
      const info = { dataId: x.dataId, shape: [3], dtype: "float32" as const };
      // not a kernel gpu.js can translate: the worker reports it
      const bad = backend.runSource(
        "bad",
        { source: "function(x) { return notAFunction(x[this.thread.x]); }", output: [3] },
        [info],
        {
          shape: [3],
          dtype: "float32",
        },
      );
      expect(() => backend.readSync(bad)).toThrow(/webgpu kernel 'custom:bad' did not compile/);
      backend.disposeData(bad);
      const good = backend.runSource(
        "good",
        { source: "function(x) { return x[this.thread.x] * 10; }", output: [3] },
        [info],
        {
          shape: [3],
          dtype: "float32",
        },
      );
      expect(Array.from(backend.readSync(good))).toEqual([10, 20, 30]);
      backend.disposeData(good);
      expect(Array.from(x.square().dataSync())).toEqual([1, 4, 9]);
      x.dispose();
    });

    it("reports an asynchronous failure at the next op when nothing reads it", async () => {
      const x = tf.tensor1d([1, 2]);
      const info = { dataId: x.dataId, shape: [2], dtype: "float32" as const };
      const bad = backend.runSource(
        "bad2",
        { source: "function(x) { return alsoNotAFunction(x[0]); }", output: [2] },
        [info],
        {
          shape: [2],
          dtype: "float32",
        },
      );
      await backend.deviceMemory(); // the failure has happened on the device thread
      expect(() => x.add(1)).toThrow(/did not compile/);
      backend.disposeData(bad);
      expect(Array.from(x.add(1).dataSync())).toEqual([2, 3]);
      x.dispose();
    });

    it("waits for the device thread instead of queueing unbounded work", () => {
      const x = tf.tensor1d([0, 1]);
      backend.stallDevice(300);
      let y = x.add(0);
      // two commands per step (run, free): well past the batches allowed ahead
      const steps = Math.ceil((MAX_BATCHES_AHEAD * 1.5 * BATCH) / 2);
      for (let k = 0; k < steps; k++) {
        const next = y.add(1);
        y.dispose();
        y = next;
        expect(backend.backlog).toBeLessThanOrEqual(MAX_BATCHES_AHEAD);
      }
      expect(Array.from(y.dataSync())).toEqual([steps, steps + 1]);
      tf.dispose([x, y]);
    });

    it("turns a lost device into errors at the next read and op, without taking the process down", async () => {
      const other = await createWebGpuBackend(); // its own device thread and device
      try {
        const x = other.write(new Float32Array([1, 2]), [2], "float32");
        const info = { dataId: x, shape: [2], dtype: "float32" as const };
        const y = other.kernels.Exp!({ inputs: [info], attrs: {}, out: { shape: [2], dtype: "float32" } });
        expect(other.readSync(y)[0]).toBeCloseTo(Math.E, 5);
        other.loseDevice();
        expect(() => other.readSync(y)).toThrow(/device was lost/);
        other.kernels.Exp!({ inputs: [info], attrs: {}, out: { shape: [2], dtype: "float32" } });
        await other.deviceMemory();
        expect(() => other.kernels.Exp!({ inputs: [info], attrs: {}, out: { shape: [2], dtype: "float32" } })).toThrow(
          /device was lost/,
        );
      } finally {
        other.dispose();
      }
      expect(Array.from(tf.tensor1d([1, 2]).mul(3).dataSync())).toEqual([3, 6]);
    });

    it("says clearly when no adapter answers", async () => {
      const saved = process.env.VK_ICD_FILENAMES;
      process.env.VK_ICD_FILENAMES = "/nonexistent/deepts-test-icd.json"; // no Vulkan driver for a new device thread
      const thread = new DeviceThread();
      try {
        await expect(thread.ready()).rejects.toThrow(/no WebGPU adapter answered/);
      } finally {
        thread.terminate();
        if (saved === undefined) delete process.env.VK_ICD_FILENAMES;
        else process.env.VK_ICD_FILENAMES = saved;
      }
    });

    it("stops a blocked readSync when the interrupt check throws", () => {
      const x = tf.tensor1d([1, 2, 3]).mul(2);
      backend.stallDevice(1500);
      let checks = 0;
      tf.setInterruptCheck(() => {
        if (++checks >= 2) throw new Error("interrupted by the user");
      });
      try {
        expect(() => x.dataSync()).toThrow("interrupted by the user");
      } finally {
        tf.setInterruptCheck(undefined);
      }
      expect(Array.from(x.dataSync())).toEqual([2, 4, 6]);
      x.dispose();
    });

    it("gives up on a read after its timeout with a clear error", () => {
      const x = tf.tensor1d([4, 5]).neg();
      backend.stallDevice(1000);
      backend.readTimeoutMs = 100;
      try {
        expect(() => x.dataSync()).toThrow(/took longer than 100 ms/);
      } finally {
        backend.readTimeoutMs = undefined;
      }
      expect(Array.from(x.dataSync())).toEqual([-4, -5]);
      x.dispose();
    });

    it("runs every kernel itself (no cpu fallbacks)", async () => {
      const support = (await tf.backendSupport()).find((b) => b.backend === "webgpu");
      expect(support?.fallback).toEqual([]);
    });
  },
  { only: ["webgpu"] },
);
