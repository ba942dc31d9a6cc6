/**
 * The wasm backend inside the engine: what `tf.backendSupport()` says it runs (WebAssembly code,
 * cpu loops on its memory, nothing through the engine's fallback), products and convolutions large
 * enough to be split across its worker threads equal the cpu backend's, and it is the default
 * backend when the native addon is absent (`DEEPTS_NATIVE=0`). The op, kernel and training-parity
 * suites run on it through `forEachBackend` like on every backend.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { createWasmBackend } from "../../src/runtime/backends/wasm/index.js";
import * as tf from "../../src/runtime/index.js";
import { ALL_KERNELS } from "../../src/runtime/kernels.js";
import { rnnForward } from "../../src/runtime/ops/rnn.js";
import { forEachBackend } from "./backends.js";

const WASM_CODE = [
  "BatchMatMul",
  "Conv2D",
  "Conv2DBackpropFilter",
  "Conv2DBackpropInput",
  "RnnForward",
  "RnnBackward",
  "BiasActivation",
  "ActivationGrad",
  "AdamMoments",
  "AdamStep",
  "MaxPool",
  "MaxPoolGrad",
];

/** `f()`'s values on cpu and on wasm (the current backend afterwards: wasm). */
async function onCpuAndWasm(f: () => tf.Tensor[]): Promise<[Float32Array[], Float32Array[]]> {
  const run = () => tf.tidy(() => f().map((t) => t.dataSync() as Float32Array));
  await tf.setBackend("cpu");
  const want = run();
  expect(await tf.setBackend("wasm")).toBe(true);
  const fallbacks = tf.engine().fallbacks;
  const got = run();
  expect(tf.engine().fallbacks).toBe(fallbacks);
  return [want, got];
}

function expectClose(got: Float32Array, want: Float32Array, tol: number): void {
  expect(got.length).toBe(want.length);
  let scale = 0;
  for (const v of want) scale = Math.max(scale, Math.abs(v));
  for (let i = 0; i < want.length; i++) {
    if (Math.abs(got[i]! - want[i]!) > tol * Math.max(1, scale))
      throw new Error(`element ${i}: got ${got[i]}, expected ${want[i]} (scale ${scale})`);
  }
}

forEachBackend(
  () => {
    it("lists its WebAssembly kernels as native, every other kernel as a cpu loop, none as a fallback", async () => {
      const support = (await tf.backendSupport()).find((s) => s.backend === "wasm")!;
      expect(support.native.slice().sort()).toEqual(WASM_CODE.slice().sort());
      expect(support.fallback).toEqual([]);
      expect(support.cpuLoop.length).toBe(ALL_KERNELS.length - WASM_CODE.length);
      expect(support.cpuLoop).toContain("Add");
      expect((await tf.backendSupport()).find((s) => s.backend === "cpu")!.cpuLoop).toEqual([]);
    });

    it("runs on more than one thread with DEEPTS_WASM_THREADS=2 and frees its memory", () => {
      const before = process.env.DEEPTS_WASM_THREADS;
      process.env.DEEPTS_WASM_THREADS = "2";
      try {
        const backend = createWasmBackend();
        expect(backend.threads).toBe(2);
        const id = backend.write(new Float32Array(1000).fill(2), [1000], "float32");
        expect(backend.memory().numDataBuffers).toBe(1);
        backend.disposeData(id);
        expect(backend.memory().numDataBuffers).toBe(0);
        backend.dispose!();
      } finally {
        if (before === undefined) delete process.env.DEEPTS_WASM_THREADS;
        else process.env.DEEPTS_WASM_THREADS = before;
      }
    });

    it("multiplies matrices split across threads (every transpose, batched) like cpu", async () => {
      tf.setSeed(3);
      const a = tf.randomNormal([3, 150, 130]);
      const b = tf.randomNormal([3, 130, 170]);
      const [want, got] = await onCpuAndWasm(() => [
        tf.matMul(a, b),
        tf.matMul(a, b.transpose([0, 2, 1]), false, true),
        tf.matMul(a.transpose([0, 2, 1]), b, true, false),
        tf.matMul(a.transpose([0, 2, 1]), b.transpose([0, 2, 1]), true, true),
        tf.matMul(tf.reshape(a, [450, 130]), tf.reshape(tf.slice(b, [0], [1]), [130, 170])),
      ]);
      got.forEach((g, i) => expectClose(g, want[i]!, 1e-4));
      tf.dispose([a, b]);
    });

    it("convolves and takes both gradients like cpu (same, valid, strided, pointwise)", async () => {
      tf.setSeed(5);
      const x = tf.randomNormal([8, 20, 18, 6]) as tf.Tensor4D;
      const cases: [number[], number, "same" | "valid"][] = [
        [[3, 3, 6, 16], 1, "same"],
        [[5, 3, 6, 8], 2, "valid"],
        [[1, 1, 6, 12], 1, "valid"],
      ];
      for (const [shape, stride, pad] of cases) {
        const w = tf.randomNormal(shape, 0, 0.3) as tf.Tensor4D;
        const [want, got] = await onCpuAndWasm(() => {
          const { value, grads } = tf.valueAndGrads((x: tf.Tensor, w: tf.Tensor) =>
            tf.sum(tf.square(tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, stride, pad))),
          )([x, w]);
          return [tf.conv2d(x, w, stride, pad), value, ...grads];
        });
        got.forEach((g, i) => expectClose(g, want[i]!, 1e-4));
        w.dispose();
      }
      x.dispose();
    });

    it("runs a recurrence forward and back (threaded step products) like cpu, for each activation", async () => {
      tf.setSeed(9);
      const xw = tf.randomNormal([6, 160, 64]);
      const h0 = tf.randomNormal([160, 64]);
      const u = tf.randomNormal([64, 64], 0, 0.15);
      const weights = tf.randomNormal([6, 160, 64]);
      for (const activation of ["tanh", "sigmoid", "relu"] as const) {
        const [want, got] = await onCpuAndWasm(() => {
          const { value, grads } = tf.valueAndGrads((x: tf.Tensor, h: tf.Tensor, k: tf.Tensor) =>
            tf.sum(tf.mul(rnnForward(x, h, k, activation), weights)),
          )([xw, h0, u]);
          return [rnnForward(xw, h0, u, activation), value, ...grads];
        });
        got.forEach((g, i) => expectClose(g, want[i]!, 1e-4));
      }
      tf.dispose([xw, h0, u, weights]);
    });
  },
  { only: ["wasm"] },
);

describe("default backend", () => {
  const dist = fileURLToPath(new URL("../../dist/tf.js", import.meta.url));
  const backendWith = (env: Record<string, string>) => {
    const script = `const tf = await import(${JSON.stringify(dist)}); console.log(tf.DEFAULT_BACKEND, tf.getBackend());`;
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
      env: { ...process.env, ...env },
      encoding: "utf8",
    });
    expect(r.status, r.stderr).toBe(0);
    return r.stdout.trim().split("\n").at(-1);
  };

  // A hardware WebGPU adapter outranks both.
  it.skipIf(tf.DEFAULT_BACKEND === "webgpu")(
    "is wasm without the native addon (DEEPTS_NATIVE=0), cpu when wasm is turned off too",
    () => {
      expect(backendWith({ DEEPTS_NATIVE: "0" })).toBe("wasm wasm");
      expect(backendWith({ DEEPTS_NATIVE: "0", DEEPTS_WASM: "0" })).toBe("cpu cpu");
    },
  );
});
