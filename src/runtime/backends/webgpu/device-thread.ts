/**
 * The main thread's side of the webgpu device thread: starts the worker, queues commands and posts
 * them in batches, and waits for replies either blocking (`Atomics.wait` in short slices, so an
 * interrupt still lands) or asynchronously (`Atomics.waitAsync`).
 *
 * Caveat: Dawn (webgpu 0.6) aborts the process when a thread is torn down while GPU work, a read
 * or any other promise of its is unsettled. `dispose` and process exit therefore first let the
 * device thread finish its queue (2 s at most). A host that terminates the thread owning this
 * backend (the kernel's executor thread, after an ignored interrupt) shares a stop signal through
 * `setThreadStopSignal` and waits until the device thread is out of Dawn work before it does.
 */
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { pathToFileURL } from "node:url";
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from "node:worker_threads";
import { checkInterrupt, threadStopSignal } from "../../interrupt.js";
import { workerScript } from "../worker-script.js";
import type { AdapterInfo, DeviceCommand, DeviceReply, DeviceWorkerData } from "./protocol.js";

interface AtomicsWaitAsync {
  waitAsync(
    array: Int32Array,
    index: number,
    value: number,
    timeout?: number,
  ): { async: false; value: "not-equal" | "timed-out" } | { async: true; value: Promise<"ok" | "timed-out"> };
}

// Commands queued before a batch is posted (also posted on a microtask, and before any read).
export const BATCH = 256;
// Batches posted but not yet run beyond which the main thread waits for the device thread (so a
// long loop without reads cannot queue up unbounded work).
export const MAX_BATCHES_AHEAD = 64;
// How long one blocking wait lasts before the interrupt check runs again.
const SLICE_MS = 50;
/** Default limit on one blocking read (the first one includes device start and kernel builds). */
export const DEFAULT_READ_TIMEOUT_MS = 300_000;

function packageUrl(name: string): string {
  return pathToFileURL(createRequire(import.meta.url).resolve(name)).href;
}

export class DeviceThread {
  private readonly worker: Worker;
  private readonly replies: MessagePort;
  /** [0]: replies posted by the worker, [1]: batches it finished, [2]: set when the process exits. */
  private readonly signal = new Int32Array(new SharedArrayBuffer(12));
  private batchesPosted = 0;
  private seen = 0;
  private queue: DeviceCommand[] = [];
  private transfers: ArrayBuffer[] = [];
  private flushQueued = false;
  private nextSeq = 0;
  private readonly answers = new Map<number, Extract<DeviceReply, { t: "read" }>>();
  private readonly errors: string[] = [];
  private started: { info: AdapterInfo } | { failure: string } | undefined;
  private dead: string | undefined;
  /** Read commands posted so far (tests check that ops do not read back). */
  readCount = 0;

  constructor() {
    // the Vulkan loader complains on stderr without it (it reads the process environment)
    if (!process.env.XDG_RUNTIME_DIR) process.env.XDG_RUNTIME_DIR = tmpdir();
    const channel = new MessageChannel();
    this.replies = channel.port1;
    const data: DeviceWorkerData = {
      gpuJsUrl: packageUrl("gpu.js"),
      webgpuUrl: packageUrl("webgpu"),
      signal: this.signal.buffer as SharedArrayBuffer,
      replies: channel.port2,
      stop: threadStopSignal(),
    };
    this.worker = new Worker(workerScript(new URL("./device-worker.js", import.meta.url)), {
      workerData: data,
      transferList: [channel.port2],
    });
    // The device thread must not keep the process alive.
    this.worker.unref();
    this.worker.on("error", (e) =>
      this.die(`the webgpu device thread crashed: ${e instanceof Error ? e.message : String(e)}`),
    );
    this.worker.on("exit", (code) => this.die(`the webgpu device thread exited (code ${code})`));
    process.once("exit", this.onProcessExit);
  }

  /**
   * Node terminates worker threads at exit; one cut off inside a Dawn call aborts the whole process.
   * So at exit: tell the device thread to skip what is left, and wait (briefly) until it is idle.
   */
  private readonly onProcessExit = (): void => {
    Atomics.store(this.signal, 2, 1);
    const deadline = Date.now() + 2_000;
    for (;;) {
      const done = Atomics.load(this.signal, 1);
      if (done >= this.batchesPosted || this.dead || Date.now() > deadline) return;
      Atomics.wait(this.signal, 1, done, 20);
    }
  };

  /** Whether the device thread answered that it could not start (it is then idle: safe to terminate). */
  get startFailed(): boolean {
    if (Atomics.load(this.signal, 0) !== this.seen) this.drain();
    return this.started !== undefined && "failure" in this.started;
  }

  /** The adapter, once the device is up; rejects when it could not start. */
  async ready(timeoutMs = 60_000): Promise<AdapterInfo> {
    const deadline = Date.now() + timeoutMs;
    while (!this.started) {
      if (this.dead) throw new Error(this.dead);
      if (Date.now() > deadline) throw new Error(`webgpu: no adapter answered within ${timeoutMs} ms`);
      await this.waitAsync(SLICE_MS);
      this.drain();
    }
    if ("failure" in this.started) throw new Error(`webgpu unavailable: ${this.started.failure}`);
    return this.started.info;
  }

  /** Like `ready` but blocking (used at startup when a hardware GPU looks present). */
  readySync(timeoutMs: number): AdapterInfo {
    const deadline = Date.now() + timeoutMs;
    while (!this.started) {
      if (this.dead) throw new Error(this.dead);
      if (Date.now() > deadline) throw new Error(`webgpu: no adapter answered within ${timeoutMs} ms`);
      Atomics.wait(this.signal, 0, this.seen, SLICE_MS);
      this.drain();
    }
    if ("failure" in this.started) throw new Error(`webgpu unavailable: ${this.started.failure}`);
    return this.started.info;
  }

  /** Queues a command (posted in a batch; `transfer` moves its buffers to the worker). */
  send(command: DeviceCommand, transfer?: ArrayBuffer): void {
    this.queue.push(command);
    if (transfer) this.transfers.push(transfer);
    if (this.queue.length >= BATCH) this.flush();
    else if (!this.flushQueued) {
      this.flushQueued = true;
      queueMicrotask(() => this.flush());
    }
  }

  flush(): void {
    this.flushQueued = false;
    if (this.queue.length === 0) return;
    const batch = this.queue;
    const transfers = this.transfers;
    this.queue = [];
    this.transfers = [];
    if (this.dead) return;
    this.worker.postMessage(batch, transfers);
    this.batchesPosted++;
    if (this.batchesPosted - Atomics.load(this.signal, 1) > MAX_BATCHES_AHEAD) this.catchUp();
  }

  /** Batches posted that the device thread has not finished. */
  get backlog(): number {
    return this.batchesPosted - Atomics.load(this.signal, 1);
  }

  /** Blocks (interruptibly) until the device thread is at most half the allowed batches behind. */
  private catchUp(): void {
    for (;;) {
      const done = Atomics.load(this.signal, 1);
      if (this.batchesPosted - done <= MAX_BATCHES_AHEAD / 2 || this.dead) return;
      checkInterrupt();
      Atomics.wait(this.signal, 1, done, SLICE_MS);
    }
  }

  /** Throws the oldest failure the device thread reported (if any) since the last check. */
  checkErrors(): void {
    if (Atomics.load(this.signal, 0) !== this.seen) this.drain();
    if (this.errors.length > 0) {
      const message = this.errors.shift()!;
      this.errors.length = 0;
      throw new Error(message);
    }
    if (this.dead) throw new Error(this.dead);
  }

  /** Reads `id` back, blocking; runs the interrupt check between slices. */
  readSync(id: number, timeoutMs = DEFAULT_READ_TIMEOUT_MS): Float32Array {
    const seq = this.postRead(id);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const answer = this.pollRead(seq, deadline, timeoutMs);
      if (answer) return answer;
      try {
        checkInterrupt();
      } catch (error) {
        this.abandon(seq);
        throw error;
      }
      Atomics.wait(this.signal, 0, this.seen, SLICE_MS);
    }
  }

  /** Reads `id` back without blocking the thread. */
  async read(id: number, timeoutMs = DEFAULT_READ_TIMEOUT_MS): Promise<Float32Array> {
    const seq = this.postRead(id);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const answer = this.pollRead(seq, deadline, timeoutMs);
      if (answer) return answer;
      await this.waitAsync(SLICE_MS);
    }
  }

  /** What the device thread holds now (after every command sent so far). */
  async stats(): Promise<{ buffers: number; bytes: number; kernels: number }> {
    const seq = this.nextSeq++;
    this.queue.push({ t: "stats", seq });
    this.flush();
    for (;;) {
      if (Atomics.load(this.signal, 0) !== this.seen) this.drain();
      const s = this.statsAnswers.get(seq);
      if (s) {
        this.statsAnswers.delete(seq);
        return s;
      }
      if (this.dead) throw new Error(this.dead);
      await this.waitAsync(SLICE_MS);
    }
  }

  private readonly statsAnswers = new Map<number, { buffers: number; bytes: number; kernels: number }>();

  terminate(): void {
    process.off("exit", this.onProcessExit);
    this.flush();
    this.onProcessExit();
    this.dead ??= "the webgpu backend was disposed";
    void this.worker.terminate();
  }

  private postRead(id: number): number {
    const seq = this.nextSeq++;
    this.readCount++;
    this.queue.push({ t: "read", seq, id });
    this.flush();
    return seq;
  }

  private answer(seq: number): Float32Array | undefined {
    if (Atomics.load(this.signal, 0) !== this.seen) this.drain();
    const reply = this.answers.get(seq);
    if (!reply) return undefined;
    this.answers.delete(seq);
    if (reply.error !== undefined) {
      this.errors.length = 0;
      throw new Error(reply.error);
    }
    return reply.data!;
  }

  /**
   * One look at read `seq`: its values if they came, undefined to wait on; throws when the device
   * thread died or `deadline` passed (the read is then given up on).
   */
  private pollRead(seq: number, deadline: number, timeoutMs: number): Float32Array | undefined {
    const answer = this.answer(seq);
    if (answer) return answer;
    if (this.dead) throw new Error(this.dead);
    if (Date.now() > deadline) {
      this.abandon(seq);
      throw new Error(
        `webgpu: reading a tensor back took longer than ${timeoutMs} ms (the device thread is stuck or very busy)`,
      );
    }
    return undefined;
  }

  /** A read given up on (interrupt, timeout): its late answer is dropped. */
  private abandon(seq: number): void {
    this.abandoned.add(seq);
  }

  private readonly abandoned = new Set<number>();

  private drain(): void {
    this.seen = Atomics.load(this.signal, 0);
    for (let m = receiveMessageOnPort(this.replies); m; m = receiveMessageOnPort(this.replies)) {
      const reply = m.message as DeviceReply;
      switch (reply.t) {
        case "ready":
          this.started = { info: reply.info };
          break;
        case "failed":
          this.started = { failure: reply.message };
          break;
        case "read":
          if (this.abandoned.delete(reply.seq)) this.answers.delete(reply.seq);
          else this.answers.set(reply.seq, reply);
          break;
        case "error":
          this.errors.push(reply.message);
          break;
        case "stats":
          this.statsAnswers.set(reply.seq, { buffers: reply.buffers, bytes: reply.bytes, kernels: reply.kernels });
          break;
      }
    }
  }

  private waitAsync(ms: number): Promise<unknown> {
    // ES2024's Atomics.waitAsync (Node ≥ 16) is typed here: the project's lib is ES2022, and only a
    // dev dependency's lib files declared it, so a production install (`npm ci --omit=dev`) failed to build.
    const waited = (Atomics as unknown as AtomicsWaitAsync).waitAsync(this.signal, 0, this.seen, ms);
    if (!waited.async) return Promise.resolve();
    // Atomics.waitAsync alone does not keep Node's event loop alive (the worker is unref'd)
    let timer: NodeJS.Timeout | undefined;
    const alive = new Promise((resolve) => (timer = setTimeout(resolve, ms + 10)));
    return Promise.race([waited.value, alive]).finally(() => clearTimeout(timer));
  }

  private die(reason: string): void {
    this.dead ??= reason;
    if (!this.started) this.started = { failure: reason };
  }
}
