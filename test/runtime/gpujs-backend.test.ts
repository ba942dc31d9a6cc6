import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { createCpuBackend } from "../../src/runtime/backends/cpu/index.js";
import { availableGpuJsModes, createGpuJsBackend, type GpuJsMode } from "../../src/runtime/backends/gpujs/index.js";
import type { TensorInfo } from "../../src/runtime/backend.js";
import { KernelCompiler } from "../../src/runtime/backends/gpujs/compiler.js";

describe("gpujs backend", () => {
  it("is named after its gpu.js mode and runs every kernel natively", () => {
    const backend = createGpuJsBackend("webasm");
    expect(backend.name).toBe("webasm");
    const all = Object.keys(createCpuBackend().kernels).sort();
    const missing = all.filter((name) => !(name in backend.kernels));
    expect(missing, `kernels falling back to cpu: ${missing.join(", ")}`).toEqual([]);
    expect(Object.keys(backend.kernels).length).toBe(all.length);
  });

  it("stores values in their dtype's array type and reads them back", async () => {
    const backend = createGpuJsBackend("webasm");
    const f = backend.write(new Float32Array([1.5, -2]), [2], "float32");
    const i = backend.write(new Int32Array([2147483647, -3]), [2], "int32");
    const b = backend.write(new Uint8Array([0, 1, 1]), [3], "bool");
    expect(backend.readSync(f)).toEqual(new Float32Array([1.5, -2]));
    expect(await backend.read(i)).toEqual(new Int32Array([2147483647, -3]));
    expect(backend.readSync(b)).toEqual(new Uint8Array([0, 1, 1]));
    expect(() => backend.write(new Float32Array(3), [2, 2], "float32")).toThrow(/do not fill shape/);
  });

  it("accounts bytes and frees data at once", () => {
    const backend = createGpuJsBackend("webasm");
    const start = backend.memory();
    const a = backend.write(new Float32Array(10), [10], "float32");
    const x: TensorInfo = { dataId: a, shape: [10], dtype: "float32" };
    const y = backend.kernels.Exp!({ inputs: [x], attrs: {}, out: { shape: [10], dtype: "float32" } });
    expect(backend.memory()).toEqual({ numBytes: start.numBytes + 80, numDataBuffers: start.numDataBuffers + 2 });
    backend.disposeData(a);
    backend.disposeData(y);
    expect(backend.memory()).toEqual(start);
    expect(() => backend.readSync(a)).toThrow(/disposed/);
  });

  it("compiles a kernel once per shape signature and dtype", () => {
    const backend = createGpuJsBackend("webasm");
    const run = (n: number, dtype: "float32" | "int32") => {
      const values = dtype === "float32" ? new Float32Array(n).fill(2) : new Int32Array(n).fill(2);
      const x: TensorInfo = { dataId: backend.write(values, [n], dtype), shape: [n], dtype };
      return backend.readSync(backend.kernels.Square!({ inputs: [x], attrs: {}, out: { shape: [n], dtype } }));
    };
    const before = backend.compiler.compiledCount;
    expect(Array.from(run(5, "float32"))).toEqual([4, 4, 4, 4, 4]);
    run(5, "float32");
    run(5, "float32");
    expect(backend.compiler.compiledCount).toBe(before + 1);
    run(6, "float32");
    expect(run(5, "int32")).toBeInstanceOf(Int32Array);
    expect(backend.compiler.compiledCount).toBe(before + 3);
  });

  it("returns empty outputs without running a kernel", () => {
    const backend = createGpuJsBackend("webasm");
    const x: TensorInfo = {
      dataId: backend.write(new Float32Array(0), [0, 3], "float32"),
      shape: [0, 3],
      dtype: "float32",
    };
    const y = backend.kernels.Relu!({ inputs: [x], attrs: {}, out: { shape: [0, 3], dtype: "float32" } });
    expect(backend.readSync(y).length).toBe(0);
  });

  it("refuses modes it cannot run with a clear error", () => {
    expect(() => createGpuJsBackend("webgpu")).toThrow(/asynchronous|not supported/);
    expect(() => createGpuJsBackend("tpu" as GpuJsMode)).toThrow(/unknown gpu.js mode/);
    expect(availableGpuJsModes()).toContain("webasm");
    if (!availableGpuJsModes().includes("headlessgl")) {
      expect(() => createGpuJsBackend("headlessgl")).toThrow(/headless-gl/);
    }
  });

  it("runs the same generated kernels in gpu.js cpu mode", () => {
    const backend = createGpuJsBackend("cpu");
    expect(backend.name).toBe("cpu");
    const a: TensorInfo = {
      dataId: backend.write(new Float32Array([1, 2, 3, 4, 5, 6]), [2, 3], "float32"),
      shape: [2, 3],
      dtype: "float32",
    };
    const b: TensorInfo = {
      dataId: backend.write(new Float32Array([10, 20, 30]), [3], "float32"),
      shape: [3],
      dtype: "float32",
    };
    const sum = backend.kernels.Add!({ inputs: [a, b], attrs: {}, out: { shape: [2, 3], dtype: "float32" } });
    expect(Array.from(backend.readSync(sum))).toEqual([11, 22, 33, 14, 25, 36]);
    const t = backend.kernels.Transpose!({
      inputs: [a],
      attrs: { perm: [1, 0] },
      out: { shape: [3, 2], dtype: "float32" },
    });
    expect(Array.from(backend.readSync(t))).toEqual([1, 4, 2, 5, 3, 6]);
  });

  it("bounds its kernel cache by count and by the bytes kernel memories hold", () => {
    const double = (n: number) => ({
      source: `function(x) { return x[this.thread.x] * 2; }`,
      output: [n],
    });
    const byCount = new KernelCompiler("webasm", 2);
    for (const n of [3, 4, 5]) byCount.get(`double${n}`, () => double(n))([new Float32Array(n).fill(1)]);
    expect(byCount.cachedCount).toBe(2);
    const bySize = new KernelCompiler("webasm", 100, 4096);
    const out = bySize.get("big", () => double(1000))([new Float32Array(1000).fill(1.5)]);
    expect(out[999]).toBe(3);
    bySize.get("small", () => double(4))([new Float32Array(4)]);
    expect(bySize.cachedCount).toBe(1); // "big" held 8000 bytes, over the 4096 budget
    const again = bySize.get("big", () => double(1000))([new Float32Array(1000).fill(2)]);
    expect(again[0]).toBe(4);
    expect(bySize.compiledCount).toBe(3);
    byCount.dispose();
    bySize.dispose();
  });
});

describe("gpu.js loading", () => {
  // gpu.js and the headless-gl it requires add megabytes to every process's resident memory: the
  // runtime loads them when a gpu.js backend is first made, not when it is imported.
  it("happens on the first use of a gpu.js backend, not when the runtime is imported", () => {
    const dist = fileURLToPath(new URL("../../dist/tf.js", import.meta.url));
    const script = `
      const { createRequire } = await import("node:module");
      const loaded = () => Object.keys(createRequire(import.meta.url).cache).some((m) => m.includes("/gpu.js/"));
      const tf = await import(${JSON.stringify(dist)});
      tf.tidy(() => tf.add(tf.tensor([1, 2]), 1).dataSync());
      const atImport = loaded();
      await tf.setBackend("webasm");
      const sum = Array.from(tf.add(tf.tensor([1, 2]), 1).dataSync());
      console.log(JSON.stringify({ atImport, afterWebasm: loaded(), backend: tf.getBackend(), sum }));`;
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout.trim().split("\n").at(-1)!)).toEqual({
      atImport: false,
      afterWebasm: true,
      backend: "webasm",
      sum: [2, 3],
    });
  });
});
