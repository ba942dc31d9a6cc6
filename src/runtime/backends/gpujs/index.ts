/**
 * Backends that run every kernel as a gpu.js kernel.
 *
 * @example
 * ```ts
 * import { createGpuJsBackend } from "./backends/gpujs/index.js";
 * const backend = createGpuJsBackend("webasm"); // WebAssembly SIMD on the CPU
 * const a = backend.write(new Float32Array([1, 2, 3]), [3], "float32");
 * const y = backend.kernels.Exp!({ inputs: [{ dataId: a, shape: [3], dtype: "float32" }], attrs: {}, out: { shape: [3], dtype: "float32" } });
 * backend.readSync(y); // Float32Array [e, e², e³]
 * ```
 */
import { GpuJsBackend } from "./backend.js";
import type { GpuJsMode } from "./compiler.js";
import { gpuJs } from "./gpu-js.js";

export { GpuJsBackend } from "./backend.js";
export type { GpuJsMode } from "./compiler.js";

/** The gpu.js modes this backend can run on in this process (webasm and cpu everywhere). */
export function availableGpuJsModes(): GpuJsMode[] {
  const { GPU } = gpuJs();
  const modes: GpuJsMode[] = [];
  if (GPU.isWebAssemblySupported) modes.push("webasm");
  if (GPU.isHeadlessGLSupported) modes.push("headlessgl");
  modes.push("cpu");
  return modes;
}

/**
 * A backend named after its gpu.js `mode` whose kernels are all gpu.js kernels.
 * `webasm` compiles them to WebAssembly with f32x4 SIMD; `cpu` runs gpu.js's JavaScript translation.
 * `webgpu` is refused here: its kernels answer asynchronously while this backend runs them
 * synchronously; the `webgpu` backend (backends/webgpu) runs the same kernels on a device thread.
 */
export function createGpuJsBackend(mode: GpuJsMode): GpuJsBackend {
  const { GPU } = gpuJs();
  switch (mode) {
    case "webasm":
      if (!GPU.isWebAssemblySupported) throw new Error("gpu.js webasm mode: WebAssembly is not available here");
      break;
    case "headlessgl":
      if (!GPU.isHeadlessGLSupported) {
        throw new Error("gpu.js headlessgl mode: headless-gl (the optional 'gl' package) is not available here");
      }
      break;
    case "webgpu":
      throw new Error(
        "gpu.js webgpu mode does not run in this backend (its kernels answer asynchronously): use the 'webgpu' backend, `await tf.setBackend(\"webgpu\")`",
      );
    case "cpu":
      break;
    default:
      throw new Error(`unknown gpu.js mode '${String(mode)}' (expected webasm, webgpu, headlessgl or cpu)`);
  }
  return new GpuJsBackend(mode);
}
