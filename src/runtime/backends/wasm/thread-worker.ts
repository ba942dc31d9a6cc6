/**
 * One worker thread of the wasm backend (see threads.ts): instantiates the kernels' module on the
 * shared memory, then waits for jobs and runs chunks of them until told to quit. Self-contained
 * (no imports of the runtime): it is loaded from dist/ or transpiled on the fly under vitest.
 */
import { workerData } from "node:worker_threads";

/** The WebAssembly API's parts used here (Node's types do not declare it). */
interface WebAssemblyApi {
  Instance: new (module: unknown, imports: object) => { exports: Record<string, unknown> };
}

interface ThreadData {
  module: unknown;
  memory: { buffer: SharedArrayBuffer };
  /** Address of the control words (Int32: SEQ, NEXT, COUNT, DONE, QUIT, FAILED) and, 64 bytes on, the chunks' arguments (Float64). */
  control: number;
  /** This thread's scratch area, passed as every kernel's first argument. */
  scratch: number;
  exportNames: string[];
  maxChunks: number;
  /** Float64 slots per chunk: the export's index, then its arguments. */
  chunkSlots: number;
}

const SEQ = 0;
const NEXT = 1;
const COUNT = 2;
const DONE = 3;
const QUIT = 4;
const FAILED = 5;

const data = workerData as ThreadData;
const { Instance } = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;
const exports = new Instance(data.module, { env: { memory: data.memory } }).exports;
const kernels = data.exportNames.map((name) => exports[name] as (...args: number[]) => void);
const control = new Int32Array(data.memory.buffer, data.control, 16);
const args = new Float64Array(data.memory.buffer, data.control + 64, data.maxChunks * data.chunkSlots);
const scratch = data.scratch;

/** Runs chunk `i` of the current job. */
function runChunk(i: number): void {
  const b = i * data.chunkSlots;
  const kernel = kernels[args[b]!]!;
  kernel(
    scratch,
    args[b + 1]!,
    args[b + 2]!,
    args[b + 3]!,
    args[b + 4]!,
    args[b + 5]!,
    args[b + 6]!,
    args[b + 7]!,
    args[b + 8]!,
    args[b + 9]!,
    args[b + 10]!,
    args[b + 11]!,
    args[b + 12]!,
    args[b + 13]!,
    args[b + 14]!,
    args[b + 15]!,
    args[b + 16]!,
    args[b + 17]!,
  );
}

let seen = Atomics.load(control, SEQ);
for (;;) {
  Atomics.wait(control, SEQ, seen);
  if (Atomics.load(control, QUIT) !== 0) break;
  seen = Atomics.load(control, SEQ);
  // Take chunks of job `seen` until none is left: NEXT packs the job's number and the next chunk's index.
  for (;;) {
    const next = Atomics.load(control, NEXT);
    if (next >>> 8 !== seen) break;
    const i = next & 255;
    if (i >= Atomics.load(control, COUNT)) break;
    if (Atomics.compareExchange(control, NEXT, next, next + 1) !== next) continue;
    try {
      runChunk(i);
    } catch {
      Atomics.store(control, FAILED, 1);
    }
    Atomics.add(control, DONE, 1);
    Atomics.notify(control, DONE);
  }
}
