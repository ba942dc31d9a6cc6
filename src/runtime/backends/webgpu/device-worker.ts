/**
 * The webgpu device thread: owns the WebGPU device, the gpu.js `GPU` instance, the compiled kernels
 * and every tensor's buffer, and runs the main thread's commands strictly in order.
 *
 * Self-contained on purpose (only `node:` imports; gpu.js and webgpu are loaded from URLs the main
 * thread resolved): under vitest this file is transpiled and started from a data: URL.
 *
 * Each tensor is one float32 storage buffer. A kernel's first run goes through gpu.js (`pipeline`
 * + `immutable` mode), which translates it to WGSL, builds the pipeline and submits; this thread
 * takes the output buffer over (the kernel forgets it, so freeing the tensor frees the buffer).
 * Inputs are passed as flat one-axis `WebGPUBufferResult` views, which is also how a kernel's
 * `Array(4)` result (gpu.js writes `result[i * 4 + c]`) reaches the next kernel as plain values.
 * Later runs reuse gpu.js's pipeline and parameter buffer (its parameters are the shapes, fixed per
 * kernel) but are recorded into one compute pass per command batch and submitted together: one
 * queue submit per batch instead of per op (about 5x less time per op on lavapipe).
 *
 * A command that fails poisons its output id with the message; commands reading a poisoned id
 * poison theirs, and a read of one answers the original error. Failures are also reported as
 * `error` replies so the main thread throws at its next op.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { AdapterInfo, DeviceCommand, DeviceReply, DeviceWorkerData } from "./protocol.js";

// biome-ignore lint/suspicious/noExplicitAny: gpu.js and Dawn objects are untyped here
type Any = any;

const init = workerData as DeviceWorkerData;
const signal = new Int32Array(init.signal);
const replies = init.replies;
const stop = init.stop ? new Int32Array(init.stop) : undefined;

/** The process is exiting, or the thread that owns this one is about to be stopped: no more Dawn calls. */
function stopping(): boolean {
  return Atomics.load(signal, 2) !== 0 || (stop !== undefined && Atomics.load(stop, 0) !== 0);
}

/** Counts this thread in or out of Dawn work for whoever waits to stop the owning thread. */
function busy(delta: 1 | -1): void {
  if (!stop) return;
  Atomics.add(stop, 1, delta);
  Atomics.notify(stop, 1);
}

// GPUBufferUsage / GPUMapMode bits (the globals exist only after webgpu loads)
const STORAGE = 0x80;
const COPY_SRC = 0x04;
const COPY_DST = 0x08;
const MAP_READ = 0x01;
const LOOP_MAX = 1 << 30;

interface Stored {
  buffer: Any;
  /** Floats it holds. */
  size: number;
}

interface Kernel {
  name: string;
  shortcut: Any;
  /** Set once it failed to build: later runs answer the same error. */
  failure?: string;
  /** What a run records into the shared pass, once gpu.js built and ran it once. */
  fast?: { pipeline: Any; layout: Any; params: Any; groups: [number, number, number]; outBytes: number };
}

function reply(message: DeviceReply, transfer: ArrayBuffer[] = []): void {
  replies.postMessage(message, transfer);
  Atomics.add(signal, 0, 1);
  Atomics.notify(signal, 0);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

let context: Any;
let gpu: Any;
let BufferResult: Any;
let empty: Stored;
let lost: string | undefined;
const stored = new Map<number, Stored>();
const poisoned = new Map<number, string>();
const kernels = new Map<number, Kernel>();

// WGSL leaves NaN and infinities to the implementation, and shader compilers (lavapipe's, at least)
// fold comparisons as if there were none; these helpers give JavaScript's results by testing bits.
const JS_MATH_WGSL = `
fn deepts_nan() -> f32 { return bitcast<f32>(0x7fc00000u | (params.outputX & 0u)); }
fn deepts_isnan(x : f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }
fn deepts_max(a : f32, b : f32) -> f32 {
  if (deepts_isnan(a)) { return a; }
  if (deepts_isnan(b)) { return b; }
  return max(a, b);
}
fn deepts_min(a : f32, b : f32) -> f32 {
  if (deepts_isnan(a)) { return a; }
  if (deepts_isnan(b)) { return b; }
  return min(a, b);
}
fn deepts_sign(x : f32) -> f32 {
  if (deepts_isnan(x)) { return x; }
  return sign(x);
}
fn deepts_atan2(y : f32, x : f32) -> f32 {
  if (deepts_isnan(y) || deepts_isnan(x)) { return deepts_nan(); }
  if (y == 0.0 && x == 0.0) {
    // WGSL leaves atan2(0, 0) to the driver; JavaScript gives y (±0) for x = +0, ±π for x = -0
    if ((bitcast<u32>(x) >> 31u) == 0u) { return y; }
    if ((bitcast<u32>(y) >> 31u) == 1u) { return -3.141592653589793; }
    return 3.141592653589793;
  }
  return atan2(y, x);
}
fn _pow(x : f32, y : f32) -> f32 {
  if (y == 0.0) { return 1.0; }
  if (deepts_isnan(x) || deepts_isnan(y)) { return deepts_nan(); }
  if (x < 0.0) {
    if (!(floor(y) == y)) { return deepts_nan(); }
    let m = pow(-x, y);
    if (abs(y) < 16777216.0 && y - 2.0 * floor(y * 0.5) == 1.0) { return -m; }
    return m;
  }
  return pow(x, y);
}
`;

/** Rewrites every `A!=B` (gpu.js parenthesises each binary expression) as `!(A==B)`, true for NaN. */
function unorderedNotEqual(wgsl: string): string {
  let out = wgsl;
  for (let at = out.indexOf("!="); at >= 0; at = out.indexOf("!=", at + 1)) {
    let open = at - 1;
    for (let depth = 0; open >= 0; open--) {
      const ch = out[open];
      if (ch === ")") depth++;
      else if (ch === "(") {
        if (depth === 0) break;
        depth--;
      }
    }
    let close = at + 2;
    for (let depth = 0; close < out.length; close++) {
      const ch = out[close];
      if (ch === "(") depth++;
      else if (ch === ")") {
        if (depth === 0) break;
        depth--;
      }
    }
    if (open < 0 || close >= out.length) continue;
    const left = out.slice(open + 1, at);
    const right = out.slice(at + 2, close);
    if (/[;{}]/.test(left) || /[;{}]/.test(right)) continue;
    out = `${out.slice(0, open + 1)}!(${left}==${right})${out.slice(close)}`;
  }
  return out;
}

/**
 * Rewrites what gpu.js's WGSL gets wrong for IEEE special values (JavaScript's semantics, which the
 * webasm and cpu backends follow): `1 / 0`-style literals are constant expressions WGSL rejects,
 * so they become bit patterns hidden from constant folding; NaN tests (`v != v`), `!=`,
 * `Math.max/min/sign/atan2` and `Math.pow` of negative bases go through the helpers above.
 */
export function patchWgsl(wgsl: string): string {
  const special = (bits: string) => `bitcast<f32>(${bits} | (params.outputX & 0u))`;
  const patched = wgsl
    .replace(/fn _pow\(v1 : f32, v2 : f32\) -> f32 \{[^}]*\}[^}]*\}/, "")
    .replace(/\(\s*(\(?-1\.0\)?|-?1\.0|0\.0)\s*\/\s*0\.0\s*\)/g, (_m, n: string) =>
      special(n.includes("-") ? "0xff800000u" : n.startsWith("1") ? "0x7f800000u" : "0x7fc00000u"),
    )
    .replace(
      /\(([A-Za-z_][\w.]*)\s*(!=|==)\s*\1\)/g,
      (_m, v: string, op: string) => `(${op === "!=" ? "" : "!"}deepts_isnan(f32(${v})))`,
    )
    .replace(/(?<![\w.])(max|min|sign|atan2)\(/g, "deepts_$1(");
  return `${unorderedNotEqual(patched)}\n${JS_MATH_WGSL}`;
}

function isSoftware(info: Omit<AdapterInfo, "software" | "maxStorageBuffers">, fallback: boolean): boolean {
  const text = `${info.vendor} ${info.architecture} ${info.device} ${info.description}`;
  return fallback || info.architecture === "software" || /llvmpipe|lavapipe|swiftshader|warp|software/i.test(text);
}

async function start(): Promise<boolean> {
  try {
    const webgpu: Any = await import(init.webgpuUrl);
    Object.assign(globalThis, webgpu.globals);
    const api = webgpu.create([]);
    // gpu.js asks for the default limit of 8 storage buffers per kernel; ask for what the adapter has
    const requestAdapter = api.requestAdapter.bind(api);
    api.requestAdapter = async (options?: unknown) => {
      const adapter = await requestAdapter(options);
      if (!adapter) return adapter;
      const requestDevice = adapter.requestDevice.bind(adapter);
      adapter.requestDevice = (d: Any = {}) =>
        requestDevice({
          ...d,
          requiredLimits: {
            ...d.requiredLimits,
            maxStorageBuffersPerShaderStage: adapter.limits.maxStorageBuffersPerShaderStage,
          },
        });
      return adapter;
    };
    if (!(await requestAdapter())) {
      throw new Error(
        "no WebGPU adapter answered: Dawn found no GPU driver it can use (without a GPU, Mesa's lavapipe from mesa-vulkan-drivers 24 or later gives a software adapter)",
      );
    }
    (globalThis as Any).navigator = { gpu: api };
    const gpuJs: Any = (await import(init.gpuJsUrl)).default;
    BufferResult = gpuJs.WebGPUBufferResult;
    context = await gpuJs.WebGPUContext.acquire();
    const device = context.device;
    device.onuncapturederror = (e: Any) => reply({ t: "error", message: `WebGPU: ${e.error?.message ?? String(e)}` });
    void device.lost.then((info: Any) => {
      lost = `the WebGPU device was lost (${String(info?.reason ?? "unknown")}${info?.message ? `: ${info.message}` : ""}); switch to another backend`;
    });
    const assemble = gpuJs.WebGPUKernel.prototype.assembleWGSL;
    gpuJs.WebGPUKernel.prototype.assembleWGSL = function (this: unknown, ...args: unknown[]) {
      return patchWgsl(assemble.apply(this, args));
    };
    gpu = new gpuJs.GPU({ mode: "webgpu" });
    empty = { buffer: createBuffer(1), size: 0 };
    const a = context.adapter.info ?? {};
    const base = {
      vendor: String(a.vendor ?? ""),
      architecture: String(a.architecture ?? ""),
      device: String(a.device ?? ""),
      description: String(a.description ?? ""),
    };
    reply({
      t: "ready",
      info: {
        ...base,
        maxStorageBuffers: device.limits.maxStorageBuffersPerShaderStage,
        software: isSoftware(base, Boolean(a.isFallbackAdapter ?? context.adapter.isFallbackAdapter)),
      },
    });
    return true;
  } catch (error) {
    reply({ t: "failed", message: messageOf(error) });
    return false;
  }
}

function createBuffer(floats: number): Any {
  return context.device.createBuffer({ size: Math.max(1, floats) * 4, usage: STORAGE | COPY_SRC | COPY_DST });
}

function flatHandle(s: Stored): Any {
  return new BufferResult({
    buffer: s.buffer,
    output: [Math.max(1, s.size)],
    componentCount: 1,
    context,
    kernel: null,
  });
}

// Every run but a kernel's first is recorded into one open compute pass, submitted at the end of
// each batch, before a read, and before gpu.js submits anything itself: one queue submit per batch
// instead of per op. Buffers freed while the pass is open are destroyed after that submit.
let encoder: Any;
let pass: Any;
let deferredFrees: Any[] = [];

function submitPending(): void {
  if (pass) {
    pass.end();
    context.device.queue.submit([encoder.finish()]);
    pass = undefined;
    encoder = undefined;
  }
  for (const buffer of deferredFrees) buffer.destroy();
  deferredFrees = [];
}

/** The fixed parts of a built gpu.js kernel whose parameters never change between runs. */
function fastPathOf(k: Any): Kernel["fast"] {
  const layout = k.paramsLayout;
  if (!layout || layout.scalarArgs.length > 0 || layout.bufferConstants.length > 0 || layout.randomSeedOffset !== null)
    return undefined;
  if (!k.computePipeline || !k.bindGroupLayout || !k.paramsBuffer || k.graphical) return undefined;
  const [tx, ty, tz] = k.threadDim as number[];
  return {
    pipeline: k.computePipeline,
    layout: k.bindGroupLayout,
    params: k.paramsBuffer,
    groups: k._computeDispatch(k.threadDim).groups,
    outBytes: tx! * ty! * tz! * 4 * k.componentCount,
  };
}

function runFast(fast: NonNullable<Kernel["fast"]>, inputs: Stored[]): Stored {
  const device = context.device;
  const output = device.createBuffer({ size: fast.outBytes, usage: STORAGE | COPY_SRC | COPY_DST });
  const entries = [{ binding: 0, resource: { buffer: fast.params } }];
  for (let i = 0; i < inputs.length; i++) entries.push({ binding: 1 + i, resource: { buffer: inputs[i]!.buffer } });
  entries.push({ binding: 1 + inputs.length, resource: { buffer: output } });
  const group = device.createBindGroup({ layout: fast.layout, entries });
  if (!pass) {
    encoder = device.createCommandEncoder();
    pass = encoder.beginComputePass();
  }
  pass.setPipeline(fast.pipeline);
  pass.setBindGroup(0, group);
  pass.dispatchWorkgroups(fast.groups[0], fast.groups[1], fast.groups[2]);
  return { buffer: output, size: fast.outBytes / 4 };
}

function fail(out: number, message: string, report: boolean): void {
  poisoned.set(out, message);
  if (report) reply({ t: "error", message });
}

function define(c: Extract<DeviceCommand, { t: "define" }>): void {
  const settings = {
    output: c.output,
    pipeline: true,
    immutable: true,
    precision: "single",
    tactic: "precision",
    loopMaxIterations: LOOP_MAX,
  };
  const kernel: Kernel = { name: c.name, shortcut: undefined };
  try {
    kernel.shortcut = gpu.createKernel(c.source, settings);
  } catch (error) {
    kernel.failure = `webgpu kernel '${c.name}' did not compile: ${messageOf(error)}`;
  }
  kernels.set(c.kid, kernel);
}

function run(c: Extract<DeviceCommand, { t: "run" }>): Promise<void> | void {
  const kernel = kernels.get(c.kid);
  if (!kernel) return fail(c.out, `webgpu: kernel ${c.kid} is not defined`, true);
  if (kernel.failure) return fail(c.out, kernel.failure, true);
  if (lost) return fail(c.out, lost, true);
  const inputs: Stored[] = [];
  for (const id of c.inputs) {
    const bad = poisoned.get(id);
    if (bad !== undefined) return fail(c.out, bad, false);
    const s = stored.get(id);
    if (!s) return fail(c.out, `webgpu kernel '${kernel.name}': input ${id} is not on the device (freed?)`, true);
    inputs.push(s);
  }
  if (kernel.fast) {
    stored.set(c.out, runFast(kernel.fast, inputs));
    return;
  }
  return runThroughGpuJs(kernel, inputs, c.out);
}

/** A kernel's first run (or one the fast path cannot take): gpu.js builds and runs it. */
async function runThroughGpuJs(kernel: Kernel, inputs: Stored[], out: number): Promise<void> {
  submitPending();
  let result: Any;
  try {
    result = await kernel.shortcut(...inputs.map(flatHandle));
    const ran = kernel.shortcut.kernel?.constructor?.mode;
    if (ran !== "webgpu") throw new Error(`gpu.js ran it in '${String(ran)}' mode instead of webgpu`);
  } catch (error) {
    kernel.failure = `webgpu kernel '${kernel.name}' did not compile: ${messageOf(error)}`;
    return fail(out, kernel.failure, true);
  }
  // Take the output buffer over: the kernel allocates a fresh one next call.
  const owner = result.kernel;
  if (owner && owner.outputBuffer === result.buffer) {
    owner.outputBuffer = null;
    owner.bindGroupDirty = true;
  }
  kernel.fast = fastPathOf(owner);
  const size = result.output.reduce((a: number, b: number) => a * b, 1) * result.componentCount;
  stored.set(out, { buffer: result.buffer, size });
}

function write(c: Extract<DeviceCommand, { t: "write" }>): void {
  if (c.data.length === 0) {
    stored.set(c.id, empty);
    return;
  }
  // a fresh buffer: writing it now, ahead of the recorded pass that reads it, is safe
  const buffer = createBuffer(c.data.length);
  context.device.queue.writeBuffer(buffer, 0, c.data);
  stored.set(c.id, { buffer, size: c.data.length });
}

function free(id: number): void {
  poisoned.delete(id);
  const s = stored.get(id);
  if (!s) return;
  stored.delete(id);
  if (s === empty) return;
  if (pass) deferredFrees.push(s.buffer);
  else s.buffer.destroy();
}

async function read(c: Extract<DeviceCommand, { t: "read" }>): Promise<void> {
  const bad = poisoned.get(c.id);
  if (bad !== undefined) return reply({ t: "read", seq: c.seq, error: bad });
  if (lost) return reply({ t: "read", seq: c.seq, error: lost });
  const s = stored.get(c.id);
  if (!s) return reply({ t: "read", seq: c.seq, error: `webgpu: data ${c.id} is not on the device (freed?)` });
  if (s === empty) return reply({ t: "read", seq: c.seq, data: new Float32Array(0) });
  submitPending();
  const bytes = s.buffer.size as number;
  const device = context.device;
  const staging = device.createBuffer({ size: bytes, usage: MAP_READ | COPY_DST });
  try {
    const encoder = device.createCommandEncoder();
    encoder.copyBufferToBuffer(s.buffer, 0, staging, 0, bytes);
    device.queue.submit([encoder.finish()]);
    await staging.mapAsync(MAP_READ, 0, bytes);
    const data = new Float32Array(staging.getMappedRange(0, bytes).slice(0));
    staging.unmap();
    staging.destroy();
    // the last Dawn call comes before the reply: the main thread may exit the moment it has the values
    reply({ t: "read", seq: c.seq, data }, [data.buffer]);
  } catch (error) {
    staging.destroy();
    reply({ t: "read", seq: c.seq, error: `webgpu read failed: ${messageOf(error)}` });
  }
}

function execute(c: DeviceCommand): Promise<void> | void {
  switch (c.t) {
    case "write":
      return write(c);
    case "define":
      return define(c);
    case "run":
      return run(c);
    case "free":
      return free(c.id);
    case "drop": {
      submitPending();
      const k = kernels.get(c.kid);
      kernels.delete(c.kid);
      k?.shortcut?.destroy?.();
      return;
    }
    case "read":
      return read(c);
    case "stats": {
      let bytes = 0;
      for (const entry of stored.values()) if (entry !== empty) bytes += entry.buffer.size as number;
      const buffers = [...stored.values()].filter((entry) => entry !== empty).length;
      return reply({ t: "stats", seq: c.seq, buffers, bytes, kernels: kernels.size });
    }
    case "lose":
      submitPending();
      context.device.destroy();
      return;
    case "stall":
      submitPending();
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, c.ms);
      return;
  }
}

busy(1);
const started = start().finally(() => busy(-1));
const pending: DeviceCommand[][] = [];
let pumping = false;

async function pump(): Promise<void> {
  pumping = true;
  busy(1);
  const ok = await started;
  while (pending.length > 0) {
    const batch = pending.shift()!;
    for (const c of batch) {
      // the process is exiting: no more Dawn calls (one cut off by thread termination aborts the process)
      if (stopping()) continue;
      if (!ok) {
        if (c.t === "read") reply({ t: "read", seq: c.seq, error: "webgpu device thread did not start" });
        if (c.t === "stats") reply({ t: "stats", seq: c.seq, buffers: -1, bytes: -1, kernels: -1 });
        continue;
      }
      try {
        const done = execute(c);
        if (done) await done;
      } catch (error) {
        const message = `webgpu ${c.t} failed: ${messageOf(error)}`;
        if (c.t === "run") fail(c.out, message, true);
        else if (c.t === "read") reply({ t: "read", seq: c.seq, error: message });
        else if (c.t === "stats") reply({ t: "stats", seq: c.seq, buffers: -1, bytes: -1, kernels: -1 });
        else reply({ t: "error", message });
      }
    }
    if (ok && !stopping()) {
      try {
        submitPending();
      } catch (error) {
        reply({ t: "error", message: `webgpu submit failed: ${messageOf(error)}` });
      }
    }
    Atomics.add(signal, 1, 1);
    Atomics.notify(signal, 1);
  }
  pumping = false;
  busy(-1);
}

parentPort!.on("message", (batch: DeviceCommand[]) => {
  pending.push(batch);
  if (!pumping) void pump();
});
