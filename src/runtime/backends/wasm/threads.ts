/**
 * The wasm backend's threads: worker threads that instantiate the same module on the same shared
 * memory, and a job protocol over a few control words in that memory (no messages per job).
 *
 * A job is one export run on up to 64 chunks (argument lists). The calling thread writes the
 * chunks' arguments, publishes the job and wakes the workers (`Atomics.notify`), then takes chunks
 * itself; every thread takes the next chunk with a compare-and-swap on a word holding the job's
 * number and the next index, so a worker that wakes late (a busy machine) only takes what is left,
 * and one that wakes after the job is over takes nothing. The caller returns when every chunk is
 * done. Each thread passes its own scratch area as the kernel's first argument.
 *
 * Workers do not keep the process alive (unref'd); until one has started, the caller runs every
 * chunk itself.
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { workerScript } from "../worker-script.js";
import type { Heap } from "./heap.js";
import type { CompiledKernels, ExportName, WasmExports } from "./module.js";

const SEQ = 0;
const NEXT = 1;
const COUNT = 2;
const DONE = 3;
const QUIT = 4;
const FAILED = 5;
/** Job numbers wrap at 2^23 so that `job << 8 | index` stays a positive int32. */
const JOB_MASK = 0x7fffff;

/** The most chunks one job may have. */
export const MAX_CHUNKS = 64;
/** The most arguments a chunk passes after the scratch address. */
export const MAX_CHUNK_ARGS = 17;
const CHUNK_SLOTS = MAX_CHUNK_ARGS + 1;
const CONTROL_BYTES = 64 + MAX_CHUNKS * CHUNK_SLOTS * 8;
/** Spins on the done count before sleeping (the last chunks usually finish within microseconds). */
const SPINS = 20_000;

/** Threads to use: `DEEPTS_WASM_THREADS`, else one per core. */
export function defaultThreadCount(): number {
  const env = Number(process.env.DEEPTS_WASM_THREADS);
  if (Number.isInteger(env) && env >= 1) return env;
  return Math.max(1, availableParallelism());
}

export class ThreadPool {
  /** Threads that run chunks, the calling thread included. */
  readonly size: number;
  private readonly workers: Worker[] = [];
  private readonly control: Int32Array;
  private readonly args: Float64Array;
  private readonly scratch: number[];
  private job = 0;

  /**
   * Starts `threads − 1` workers on `kernels` and `heap`'s memory; every thread gets `scratchBytes`
   * of scratch from `heap`. `exports` is the calling thread's instance.
   */
  constructor(
    private readonly kernels: CompiledKernels,
    private readonly exports: WasmExports,
    heap: Heap,
    scratchBytes: number,
    threads: number,
  ) {
    const control = heap.alloc(CONTROL_BYTES);
    heap.u8(control, CONTROL_BYTES).fill(0);
    this.control = heap.i32(control, 16);
    this.args = new Float64Array(heap.memory.buffer, control + 64, MAX_CHUNKS * CHUNK_SLOTS);
    this.scratch = Array.from({ length: threads }, () => heap.alloc(scratchBytes));
    let started = 1;
    for (let t = 1; t < threads; t++) {
      try {
        const worker = new Worker(workerScript(new URL("./thread-worker.js", import.meta.url)), {
          workerData: {
            module: kernels.module,
            memory: heap.memory,
            control,
            scratch: this.scratch[t],
            exportNames: kernels.exportNames,
            maxChunks: MAX_CHUNKS,
            chunkSlots: CHUNK_SLOTS,
          },
        });
        worker.unref();
        // A worker that fails to start or dies takes no chunks: the others (and the caller) do them.
        worker.on("error", () => {});
        this.workers.push(worker);
        started++;
      } catch {
        break;
      }
    }
    this.size = started;
  }

  /** The calling thread's scratch area. */
  get callerScratch(): number {
    return this.scratch[0]!;
  }

  /**
   * Runs export `name` once per chunk, each with the running thread's scratch address first and
   * the chunk's arguments after; returns when all are done.
   */
  run(name: ExportName, chunks: readonly (readonly number[])[]): void {
    const kernel = this.exports[name] as (...args: number[]) => void;
    if (chunks.length === 1 || this.workers.length === 0) {
      for (const chunk of chunks) kernel(this.scratch[0]!, ...chunk);
      return;
    }
    if (chunks.length > MAX_CHUNKS)
      throw new Error(`wasm backend: ${chunks.length} chunks in one job (at most ${MAX_CHUNKS})`);
    const index = this.kernels.exportNames.indexOf(name);
    chunks.forEach((chunk, i) => {
      if (chunk.length > MAX_CHUNK_ARGS) throw new Error(`wasm backend: ${name} chunk of ${chunk.length} arguments`);
      this.args[i * CHUNK_SLOTS] = index;
      this.args.set(chunk, i * CHUNK_SLOTS + 1);
    });
    const c = this.control;
    Atomics.store(c, DONE, 0);
    Atomics.store(c, FAILED, 0);
    Atomics.store(c, COUNT, chunks.length);
    this.job = (this.job + 1) & JOB_MASK;
    Atomics.store(c, NEXT, this.job << 8);
    Atomics.store(c, SEQ, this.job);
    Atomics.notify(c, SEQ);
    let error: unknown;
    try {
      for (;;) {
        const next = Atomics.load(c, NEXT);
        if (next >>> 8 !== this.job || (next & 255) >= chunks.length) break;
        if (Atomics.compareExchange(c, NEXT, next, next + 1) !== next) continue;
        try {
          kernel(this.scratch[0]!, ...chunks[next & 255]!);
        } finally {
          Atomics.add(c, DONE, 1);
        }
      }
    } catch (e) {
      error = e;
    }
    // Wait for the chunks other threads took (even after a failure here: they use the job's arguments).
    for (let spin = 0; Atomics.load(c, DONE) < chunks.length; spin++) {
      if (spin > SPINS) Atomics.wait(c, DONE, Atomics.load(c, DONE), 10);
    }
    if (error !== undefined) throw error;
    if (Atomics.load(c, FAILED) !== 0) throw new Error(`wasm backend: ${name} failed on a worker thread`);
  }

  /** Stops the workers. */
  dispose(): void {
    Atomics.store(this.control, QUIT, 1);
    Atomics.add(this.control, SEQ, 1);
    Atomics.notify(this.control, SEQ);
    for (const w of this.workers) void w.terminate();
    this.workers.length = 0;
  }
}
