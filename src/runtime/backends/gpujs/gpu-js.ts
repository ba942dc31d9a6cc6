/**
 * The gpu.js package, loaded on first use. Loading it (with the headless-gl it pulls in) adds about
 * 11 MB to a process's resident memory, which a process that never runs a gpu.js backend (the
 * default is native, wasm or cpu) should not pay at startup.
 */
import { createRequire } from "node:module";
import type * as GpuJsModule from "gpu.js";

export type GpuJs = typeof GpuJsModule;

let loaded: GpuJs | undefined;

/** gpu.js's exports (`GPU`, the kernel classes, …), required the first time they are asked for. */
export function gpuJs(): GpuJs {
  loaded ??= createRequire(import.meta.url)("gpu.js") as GpuJs;
  return loaded;
}
