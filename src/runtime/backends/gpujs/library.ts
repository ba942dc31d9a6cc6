/**
 * gpu.js, loaded when a gpu.js backend is first created rather than when the runtime loads: the
 * package (with headless-gl's bindings, which it loads itself) takes about 100 ms to load, and
 * the default backends (native, wasm, cpu) never use it. gpu.js is CommonJS, so it loads
 * synchronously and backend factories stay synchronous.
 *
 * @example
 * ```ts
 * import { gpuJs } from "./library.js";
 * const gpu = new (gpuJs().GPU)({ mode: "webasm" });
 * ```
 */
import { createRequire } from "node:module";

type GpuJs = typeof import("gpu.js");

let loaded: GpuJs | undefined;

/** The gpu.js module (loaded on the first call). */
export function gpuJs(): GpuJs {
  loaded ??= createRequire(import.meta.url)("gpu.js") as GpuJs;
  return loaded;
}
