/**
 * Registration of the `webgpu` backend (see backend.ts for how it works).
 *
 * The `webgpu` npm package (Dawn) is an optional dependency: without it the backend is not
 * registered, and `webgpuBackendStatus()` says why. Finding an adapter takes a device thread and
 * tens of milliseconds to seconds, so it happens only when needed:
 * - when a cheap check suggests a hardware GPU (a /dev/nvidia* or /dev/dri/renderD* node plus a
 *   Vulkan driver that is not a software one), the adapter is asked at startup, and a hardware
 *   adapter makes `webgpu` the default backend;
 * - otherwise the adapter is asked when `tf.setBackend("webgpu")` is awaited; a software adapter
 *   (lavapipe, SwiftShader) works there but never becomes the default.
 * `DEEPTS_WEBGPU_PROBE=1` asks at startup regardless of the cheap check, `=0` never does.
 *
 * @example
 * ```ts
 * import { getEngine } from "../../engine.js";
 * import { registerWebGpuBackend } from "./backends/webgpu/index.js";
 * // registers "webgpu" when the package is installed: priority 4 (the default) on a hardware adapter, else 0
 * registerWebGpuBackend(getEngine(), 4, 0);
 * ```
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Engine } from "../../engine.js";
import { WebGpuBackend } from "./backend.js";
import { DeviceThread } from "./device-thread.js";
import type { AdapterInfo } from "./protocol.js";

export { WebGpuBackend } from "./backend.js";
export type { AdapterInfo } from "./protocol.js";

// How long startup waits for an adapter when a hardware GPU looks present.
const STARTUP_PROBE_MS = 5_000;

export type WebGpuStatus =
  | { available: false; reason: string }
  /** `adapter` is known once a device thread started (at startup on GPU machines, else on first use). */
  | { available: true; adapter?: AdapterInfo; hardwareLikely: boolean };

let packageProblem: string | undefined | null = null;
let probed: { thread: DeviceThread; info: AdapterInfo } | undefined;
/** A device thread started at startup that is not the default (still starting, or a software adapter). */
let spare: DeviceThread | undefined;
let lastFailure: string | undefined;
let lastAdapter: AdapterInfo | undefined;

function packageMissing(): string | undefined {
  if (packageProblem !== null) return packageProblem;
  try {
    const require = createRequire(import.meta.url);
    require.resolve("webgpu");
    require.resolve("gpu.js");
    packageProblem = undefined;
  } catch (error) {
    packageProblem = `the optional 'webgpu' package is not installed (${(error as Error).message.split("\n")[0]})`;
  }
  return packageProblem;
}

const SOFTWARE_ICD = /lvp|lavapipe|swiftshader|llvmpipe/i;

/** A cheap guess (no device opened) that a hardware GPU with a Vulkan driver is present. */
export function hardwareGpuLikely(): boolean {
  let nodes: string[] = [];
  try {
    nodes = readdirSync("/dev")
      .filter((n) => /^nvidia\d+$/.test(n))
      .map((n) => `/dev/${n}`);
  } catch {
    return false;
  }
  try {
    nodes.push(...readdirSync("/dev/dri").filter((n) => n.startsWith("renderD")));
  } catch {
    // no DRM render nodes
  }
  if (nodes.length === 0) return false;
  for (const dir of ["/usr/share/vulkan/icd.d", "/etc/vulkan/icd.d"]) {
    if (!existsSync(dir)) continue;
    for (const file of readdirSync(dir)) {
      if (!file.endsWith(".json") || SOFTWARE_ICD.test(file)) continue;
      try {
        if (!SOFTWARE_ICD.test(readFileSync(`${dir}/${file}`, "utf8"))) return true;
      } catch {
        // unreadable driver manifest
      }
    }
  }
  return false;
}

/** Whether webgpu can be registered here, and what is known about its adapter. */
export function webgpuBackendStatus(): WebGpuStatus {
  const missing = packageMissing();
  if (missing) return { available: false, reason: missing };
  if (lastFailure && !lastAdapter) return { available: false, reason: lastFailure };
  return { available: true, adapter: lastAdapter, hardwareLikely: hardwareGpuLikely() };
}

/** A backend on the device thread opened at startup (once). */
function takeProbed(): WebGpuBackend | undefined {
  if (!probed) return undefined;
  const { thread, info } = probed;
  probed = undefined;
  return new WebGpuBackend(thread, info);
}

/** Starts a device thread and waits for its adapter; rejects with the reason when none answers. */
export async function createWebGpuBackend(): Promise<WebGpuBackend> {
  const missing = packageMissing();
  if (missing) throw new Error(`webgpu backend unavailable: ${missing}`);
  const ready = takeProbed();
  if (ready) return ready;
  const reuse = spare;
  spare = undefined;
  // no adapter answered before: that does not change while the process runs (and each try costs a thread)
  if (!reuse && lastFailure && !lastAdapter) throw new Error(lastFailure);
  const thread = reuse ?? new DeviceThread();
  try {
    const info = await thread.ready();
    lastAdapter = info;
    return new WebGpuBackend(thread, info);
  } catch (error) {
    // only a thread that reported failure is idle; ending one inside a Dawn call would abort the process
    if (thread.startFailed) {
      thread.terminate();
      lastFailure = (error as Error).message;
    } else {
      spare = thread; // too slow so far: a later try waits for it again
    }
    throw error;
  }
}

/**
 * Registers `webgpu` when the package is installed and returns whether a hardware adapter answered
 * at startup (then with `defaultPriority`, making it the default; otherwise with `fallbackPriority`).
 */
export function registerWebGpuBackend(engine: Engine, defaultPriority: number, fallbackPriority: number): boolean {
  if (packageMissing()) return false;
  const probe = process.env.DEEPTS_WEBGPU_PROBE;
  if (probe === "1" || (probe !== "0" && hardwareGpuLikely())) {
    const thread = new DeviceThread();
    try {
      const info = thread.readySync(STARTUP_PROBE_MS);
      lastAdapter = info;
      if (!info.software) {
        probed = { thread, info };
        // synchronous factory: the engine can start it as the default without `await tf.ready()`
        engine.registerBackend("webgpu", () => takeProbed() ?? createWebGpuBackend(), defaultPriority);
        return true;
      }
      spare = thread; // a software adapter: kept for `setBackend("webgpu")`
    } catch (error) {
      if (thread.startFailed) {
        lastFailure = (error as Error).message;
        thread.terminate();
      } else {
        spare = thread; // still starting: `setBackend("webgpu")` waits for it
      }
    }
  }
  engine.registerBackend("webgpu", () => createWebGpuBackend(), fallbackPriority);
  return false;
}
