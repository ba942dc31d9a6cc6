/**
 * The backends registered at start. The highest priority that starts becomes the default:
 * `native` (OpenBLAS addon) when it was built at install, otherwise `cpu` (the reference).
 * gpu.js `webasm` is always there for `tf.setBackend("webasm")`.
 */
import { getEngine } from "./engine.js";
import { createCpuBackend } from "./backends/cpu/index.js";
import { createGpuJsBackend } from "./backends/gpujs/index.js";
import { nativeBackendStatus, registerNativeBackend } from "./backends/native/index.js";

/** The backend used unless the user calls `tf.setBackend`. */
export const DEFAULT_BACKEND: "native" | "cpu" = nativeBackendStatus().available ? "native" : "cpu";

const engine = getEngine();
registerNativeBackend(engine, 3);
engine.registerBackend("cpu", () => createCpuBackend(), 2);
engine.registerBackend("webasm", () => createGpuJsBackend("webasm"), 1);
