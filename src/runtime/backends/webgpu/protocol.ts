/**
 * Messages between the webgpu backend (main thread) and its device thread.
 *
 * The main thread posts batches of commands; the worker runs them strictly in order. Replies go
 * through a separate MessagePort that the main thread only polls (`receiveMessageOnPort`), so it
 * can pick them up while blocked in `Atomics.wait`: after posting each reply the worker increments
 * `signal[0]` and notifies it.
 */

/** Data ids are numbers chosen by the main thread; kernel ids likewise. */
export type DeviceCommand =
  /** Stores float32 values (already converted from int32/bool) under `id`. */
  | { t: "write"; id: number; data: Float32Array }
  /** Compiles `source` (a gpu.js kernel function text) over the gpu.js `output` grid as kernel `kid`. */
  | { t: "define"; kid: number; name: string; source: string; output: number[] }
  /** Runs kernel `kid` on the buffers `inputs` and keeps the result under `out`. */
  | { t: "run"; kid: number; inputs: number[]; out: number }
  /** Frees the buffer of `id`. */
  | { t: "free"; id: number }
  /** Destroys kernel `kid` (evicted from the main thread's cache). */
  | { t: "drop"; kid: number }
  /** Reads `id` back; the answer is a `read` reply with the same `seq`. */
  | { t: "read"; seq: number; id: number }
  /** Answers a `stats` reply: the buffers the device thread holds (tests check freeing). */
  | { t: "stats"; seq: number }
  /** Test hook: destroys the device, as a driver reset or GPU removal would lose it. */
  | { t: "lose" }
  /** Test hook: blocks the device thread for `ms` (to exercise interrupts and timeouts). */
  | { t: "stall"; ms: number };

export interface AdapterInfo {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** Storage buffers one kernel may bind (its inputs plus its output). */
  maxStorageBuffers: number;
  /** A software adapter (lavapipe/llvmpipe, SwiftShader, WARP). */
  software: boolean;
}

export type DeviceReply =
  | { t: "ready"; info: AdapterInfo }
  /** The device thread could not start (no adapter, the package did not load). */
  | { t: "failed"; message: string }
  | { t: "read"; seq: number; data?: Float32Array; error?: string }
  | { t: "stats"; seq: number; buffers: number; bytes: number; kernels: number }
  /** An asynchronous failure (a kernel that did not compile, a lost device, a validation error). */
  | { t: "error"; message: string };

import type { MessagePort } from "node:worker_threads";

export interface DeviceWorkerData {
  /** Where to load gpu.js and webgpu from (file URLs resolved by the main thread). */
  gpuJsUrl: string;
  webgpuUrl: string;
  signal: SharedArrayBuffer;
  replies: MessagePort;
  /** The runtime's thread stop signal (see `setThreadStopSignal`), when its host set one. */
  stop?: SharedArrayBuffer;
}
