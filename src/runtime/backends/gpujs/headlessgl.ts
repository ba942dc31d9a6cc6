/**
 * The gpu.js `headlessgl` mode as a backend: the same generated kernels as `webasm`, run as WebGL 1
 * fragment shaders through headless-gl (the optional `gl` package, built from source at install).
 *
 * headless-gl needs an X display on Linux (a desktop's, or Xvfb with Mesa's software renderer);
 * without one it loads but gives no context, and the backend is not registered. It is never the
 * default backend: on a software renderer it checks GL kernels' correctness, not their speed.
 *
 * @example
 * ```ts
 * import { getEngine } from "../../engine.js";
 * import { registerHeadlessGlBackend } from "./backends/gpujs/headlessgl.js";
 * registerHeadlessGlBackend(getEngine(), 0); // registers "headlessgl" when a GL context can be made
 * ```
 */
import { createRequire } from "node:module";
import type { Engine } from "../../engine.js";
import { createGpuJsBackend } from "./index.js";

export type HeadlessGlStatus = { available: true } | { available: false; reason: string };

/** The part of headless-gl's WebGL 1 context the probe uses. */
interface ProbeContext {
  getExtension(name: "STACKGL_destroy_context"): { destroy(): void } | null;
}

let cached: HeadlessGlStatus | undefined;

/**
 * Whether headless-gl loads here and creates a WebGL context, and if not, why. Cached after the
 * first call (a context costs tens of milliseconds; without a display the answer is immediate).
 */
export function headlessGlStatus(): HeadlessGlStatus {
  return (cached ??= probe());
}

function probe(): HeadlessGlStatus {
  let createContext: (width: number, height: number) => ProbeContext | null;
  try {
    createContext = createRequire(import.meta.url)("gl") as typeof createContext;
  } catch (error) {
    const why = (error as Error).message.split("\n")[0];
    return {
      available: false,
      reason: `the optional 'gl' package (headless-gl) is not installed or not built (${why})`,
    };
  }
  let context: ProbeContext | null = null;
  try {
    context = createContext(1, 1);
  } catch (error) {
    return { available: false, reason: `headless-gl failed to create a WebGL context: ${(error as Error).message}` };
  }
  if (!context) {
    const display = process.env.DISPLAY;
    return {
      available: false,
      reason:
        process.platform === "linux" && !display
          ? "headless-gl needs an X display and DISPLAY is not set (run an X server such as Xvfb and set DISPLAY)"
          : `headless-gl could not create a WebGL context${display ? ` on display ${display}` : ""}`,
    };
  }
  context.getExtension("STACKGL_destroy_context")?.destroy();
  return { available: true };
}

/**
 * Registers `headlessgl` when headless-gl gives a context here; returns whether it did. On Linux
 * without an X display no context can be made, so the probe (loading headless-gl takes about 40 ms
 * of every kernel's start) is left to `headlessGlStatus()`, which says why.
 */
export function registerHeadlessGlBackend(engine: Engine, priority: number): boolean {
  if (process.platform === "linux" && !process.env.DISPLAY) return false;
  if (!headlessGlStatus().available) return false;
  return engine.registerBackend("headlessgl", () => createGpuJsBackend("headlessgl"), priority);
}
