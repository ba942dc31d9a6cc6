/**
 * The backends registered at start. The highest priority that starts becomes the default, so
 * the choice of default backend is the single `DEFAULT_BACKEND` line below.
 */
import { getEngine } from "./engine.js";
import { createCpuBackend } from "./backends/cpu/index.js";
import { createGpuJsBackend } from "./backends/gpujs/index.js";

/** The backend used unless the user calls `tf.setBackend`: "cpu" or "webasm" (gpu.js WebAssembly SIMD). */
export const DEFAULT_BACKEND = "cpu" as "cpu" | "webasm";

const engine = getEngine();
engine.registerBackend("cpu", () => createCpuBackend(), DEFAULT_BACKEND === "cpu" ? 2 : 1);
engine.registerBackend("webasm", () => createGpuJsBackend("webasm"), DEFAULT_BACKEND === "webasm" ? 2 : 1);
