/**
 * The backends registered at start. The highest priority that starts becomes the default:
 * `webgpu` when a hardware GPU adapter answers at startup, else `native` (OpenBLAS addon) when it
 * was built at install, else `wasm` (WebAssembly SIMD kernels with threads, needing no compiler)
 * wherever WebAssembly SIMD and shared memory work, otherwise `cpu` (the reference). gpu.js
 * `webasm` is always there for `tf.setBackend("webasm")`, and `webgpu` (also on a software adapter
 * such as lavapipe) for `await tf.setBackend("webgpu")` whenever the optional `webgpu` package is
 * installed. gpu.js `headlessgl` is there when the optional `gl` package creates a context (an X
 * display on Linux).
 */
import { getEngine } from "./engine.js";
import { createCpuBackend } from "./backends/cpu/index.js";
import { createGpuJsBackend } from "./backends/gpujs/index.js";
import { registerHeadlessGlBackend } from "./backends/gpujs/headlessgl.js";
import { nativeBackendStatus, registerNativeBackend } from "./backends/native/index.js";
import { registerWasmBackend, wasmBackendStatus } from "./backends/wasm/index.js";
import { registerWebGpuBackend } from "./backends/webgpu/index.js";

const engine = getEngine();
const hardwareWebGpu = registerWebGpuBackend(engine, 5, 0);

/** The backend used unless the user calls `tf.setBackend`. */
export const DEFAULT_BACKEND: "webgpu" | "native" | "wasm" | "cpu" = hardwareWebGpu
  ? "webgpu"
  : nativeBackendStatus().available
    ? "native"
    : wasmBackendStatus().available
      ? "wasm"
      : "cpu";

registerNativeBackend(engine, 4);
registerWasmBackend(engine, 3);
engine.registerBackend("cpu", () => createCpuBackend(), 2);
engine.registerBackend("webasm", () => createGpuJsBackend("webasm"), 1);
registerHeadlessGlBackend(engine, 0); // gpu.js on headless-gl, when a GL context can be made: never the default
