/**
 * Every kernel of the webgpu backend against the cpu reference: the gpu.js backend's comparison
 * suites (gpujs-elementwise, gpujs-reduce-layout, gpujs-matmul-conv) run again with their `gpu`
 * backend being webgpu. Skipped, with the reason in the title, when no WebGPU adapter answers.
 */
import { describe, it, vi } from "vitest";
import type { WebGpuBackend } from "../../src/runtime/backends/webgpu/index.js";
import { createWebGpuBackend } from "../../src/runtime/backends/webgpu/index.js";

const holder = vi.hoisted(() => ({ backend: undefined as unknown }));

// The harness builds its backend with createGpuJsBackend(DEEPTS_GPUJS_MODE): answer "webgpu" with ours.
vi.mock("../../src/runtime/backends/gpujs/index.js", async (importOriginal) => {
  const original = await importOriginal<typeof import("../../src/runtime/backends/gpujs/index.js")>();
  return {
    ...original,
    createGpuJsBackend: (mode: string) =>
      mode === "webgpu" ? holder.backend : original.createGpuJsBackend(mode as "webasm"),
  };
});

let unavailable: string | undefined;
try {
  holder.backend = (await createWebGpuBackend()) as WebGpuBackend;
} catch (error) {
  unavailable = (error as Error).message;
}

if (unavailable === undefined) {
  process.env.DEEPTS_GPUJS_MODE = "webgpu";
  await import("./gpujs-elementwise.test.js");
  await import("./gpujs-reduce-layout.test.js");
  await import("./gpujs-matmul-conv.test.js");
} else {
  describe.skip(`webgpu kernels (skipped: ${unavailable})`, () => {
    it("compares every kernel with cpu", () => {});
  });
}
