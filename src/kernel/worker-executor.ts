/** Main-thread side of the executor: owns the worker thread that runs cells, restarts it if it dies. */
import { totalmem } from "node:os";
import { Worker } from "node:worker_threads";
import type { CompletionResult, InspectionResult, IsCompleteResult } from "../eval/api.js";
import { signalDescendants } from "./descendants.js";
import { PREPARE_FORCED_STOP_EXPRESSION } from "./worker/async-context.js";
import { ExecutionTerminator } from "./execution-terminator.js";
import type { CommDelivery, ExecuteEvents, Executor } from "./executor.js";
import { cellTimeoutMessage } from "./limits.js";
import {
  CANNOT_STOP_NOTICE,
  INPUT_ANSWERED,
  INPUT_REFUSED,
  type CommFromWorker,
  type ExecuteJob,
  type ExecuteOutcome,
  type FromWorker,
  type ToWorker,
  type WorkerInit,
} from "./worker/protocol.js";

export interface WorkerExecutorOptions {
  /** Folder that cell imports resolve from. */
  cwd: string;
  /** How long a cell may ignore an interrupt before its JavaScript is stopped forcibly (ms). */
  interruptGraceMs?: number;
  /** How long a forced stop may wait on native code before the user is told the cell cannot be stopped (ms). */
  nativeNoticeMs?: number;
  /** The evaluation thread's JavaScript heap limit (MB); default half the machine's memory, 2–8 GB. */
  heapMb?: number;
  /** A cell still running after this many seconds is interrupted and told why. */
  cellTimeoutS?: number;
  /** Per-cell cap on stream output, in UTF-16 code units. */
  maxOutputChars?: number;
  log?(line: string): void;
  /** Worker script; defaults to the built `worker/main.js`. */
  workerUrl?: URL;
}

interface Pending {
  kind: "execute" | "request" | "comm";
  resolve(value: unknown): void;
  reject(error: Error): void;
  events?: ExecuteEvents;
}

const INPUT_BYTES = 1 << 20;

/**
 * Runs cells in a `worker_threads` Worker so the main thread stays free for the protocol.
 *
 * ```ts
 * const executor = new WorkerExecutor({ cwd: process.cwd() });
 * const outcome = await executor.execute({ code: "1+1", silent: false, allowStdin: false, userExpressions: {} }, events);
 * ```
 */
export class WorkerExecutor implements Executor {
  private worker!: Worker;
  private readonly interruptFlag = new Int32Array(new SharedArrayBuffer(4));
  /** The current worker's thread stop signal (a fresh one per worker). */
  private threadStop = new Int32Array(new SharedArrayBuffer(8));
  /** Stops a cell's JavaScript without ending its thread (created on the first forced stop). */
  private terminator: Promise<ExecutionTerminator | undefined> | undefined;
  /** Messages for the worker held back while a forced stop is in flight (undefined: none in flight). */
  private held: ToWorker[] | undefined;
  private readonly inputState = new Int32Array(new SharedArrayBuffer(8));
  private readonly inputData = new Uint8Array(new SharedArrayBuffer(INPUT_BYTES));
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private latestEvents: ExecuteEvents | undefined;
  private closed = false;
  private escalation: NodeJS.Timeout | undefined;
  private generation = 0;
  /** Set when a worker died before it was ready; the next request tries a fresh one. */
  private bootFailure: string | undefined;
  private ready = false;

  private started = false;
  private commHandler: ((event: CommFromWorker, events?: ExecuteEvents) => void) | undefined;
  /** Events of comm messages whose handlers settled: their late output still finds its parent. */
  private readonly settledComms = new Map<number, ExecuteEvents>();
  private readyWaiters: (() => void)[] = [];
  /** Starts the time limit of a cell when the worker says its code runs. */
  private readonly cellStarted = new Map<number, () => void>();

  /** The worker starts on `start()` or on the first request, whichever comes first. */
  constructor(private readonly options: WorkerExecutorOptions) {}

  /** Starts the worker thread (loading TypeScript and the runtime) if it has not started yet. */
  start(): void {
    if (this.started || this.closed) return;
    this.started = true;
    this.spawn();
  }

  private log(line: string): void {
    (this.options.log ?? ((l) => process.stderr.write(`deepts: ${l}\n`)))(line);
  }

  private spawn(): void {
    if (this.generation > 0) this.commHandler?.({ kind: "comm-reset" });
    this.ready = false;
    const generation = ++this.generation;
    this.threadStop = new Int32Array(new SharedArrayBuffer(8));
    const init: WorkerInit = {
      interruptFlag: this.interruptFlag.buffer as SharedArrayBuffer,
      threadStop: this.threadStop.buffer as SharedArrayBuffer,
      input: { state: this.inputState.buffer as SharedArrayBuffer, data: this.inputData.buffer as SharedArrayBuffer },
      cwd: this.options.cwd,
      maxOutputBytes: this.options.maxOutputChars ?? 2_000_000,
    };
    const heapMb = this.options.heapMb ?? Math.max(2048, Math.min(8192, Math.floor(totalmem() / 2 / 2 ** 20)));
    const worker = new Worker(this.options.workerUrl ?? new URL("./worker/main.js", import.meta.url), {
      workerData: init,
      // A cell that exhausts the heap kills only this worker, not the kernel.
      resourceLimits: { maxOldGenerationSizeMb: heapMb },
      stdout: false,
      stderr: false,
    });
    this.worker = worker;
    worker.on("message", (m: FromWorker) => {
      if (generation === this.generation) this.onMessage(m);
    });
    worker.on("error", (e) => {
      if (generation !== this.generation) return;
      if ((e as { code?: string }).code === "ERR_WORKER_OUT_OF_MEMORY")
        this.onDeath(`the cell used more than the ${heapMb} MB of memory JavaScript objects may take`);
      else this.onDeath(`it threw ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    });
    worker.on("exit", (code) => {
      if (generation === this.generation) this.onDeath(`it exited with code ${code}`);
    });
  }

  private onMessage(m: FromWorker): void {
    switch (m.kind) {
      case "ready":
        this.ready = true;
        this.bootFailure = undefined;
        for (const w of m.warnings) this.log(w);
        for (const wake of this.readyWaiters.splice(0)) wake();
        return;
      case "stream":
        return this.eventsOf(m.id)?.stream(m.name, m.text);
      case "display":
        return this.eventsOf(m.id)?.display(m.data, m.metadata, m.displayId);
      case "update-display":
        return this.eventsOf(m.id)?.updateDisplay(m.displayId, m.data, m.metadata);
      case "clear-output":
        return this.eventsOf(m.id)?.clearOutput(m.wait);
      case "input-request":
        return this.answerInput(m.id, m.prompt, m.password);
      case "executed":
        return this.settle(m.id, m.outcome);
      case "cell-running":
        this.cellStarted.get(m.id)?.();
        return;
      case "completed":
      case "inspected":
      case "is-completed":
        return this.settle(m.id, m.result);
      case "comm-target":
        this.commHandler?.(m);
        return;
      case "comm-open":
      case "comm-msg":
      case "comm-close":
        this.commHandler?.(m, this.pending.get(m.id)?.events ?? this.settledComms.get(m.id));
        return;
      case "comm-handled": {
        const p = this.pending.get(m.id);
        if (p?.events) {
          this.settledComms.set(m.id, p.events);
          // Keep the latest few for output that arrives after its handlers settled.
          if (this.settledComms.size > 64) this.settledComms.delete(this.settledComms.keys().next().value!);
        }
        this.settle(m.id, undefined);
        return;
      }
      case "failed": {
        const p = this.pending.get(m.id);
        this.pending.delete(m.id);
        p?.reject(new Error(m.message));
        return;
      }
    }
  }

  /** Events of a running cell; output that arrives after its cell ended goes to the latest cell. */
  private eventsOf(id: number): ExecuteEvents | undefined {
    return this.pending.get(id)?.events ?? this.settledComms.get(id) ?? this.latestEvents;
  }

  private settle(id: number, value: unknown): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    if (p.kind === "execute") this.clearEscalation();
    p.resolve(value);
  }

  private answerInput(id: number, prompt: string, password: boolean): void {
    const events = this.pending.get(id)?.events;
    const finish = (state: number, text: string) => {
      let bytes = Buffer.from(text, "utf8");
      if (bytes.length > INPUT_BYTES) {
        this.log(`input longer than ${INPUT_BYTES} bytes was truncated`);
        bytes = bytes.subarray(0, INPUT_BYTES);
      }
      this.inputData.set(bytes);
      Atomics.store(this.inputState, 1, bytes.length);
      Atomics.store(this.inputState, 0, state);
      Atomics.notify(this.inputState, 0);
    };
    if (!events) {
      finish(INPUT_REFUSED, "no running cell to attach the input request to");
      return;
    }
    events.requestInput(prompt, password).then(
      (answer) => finish(INPUT_ANSWERED, answer),
      (e: Error) => finish(INPUT_REFUSED, e.message),
    );
  }

  private onDeath(reason: string): void {
    if (this.closed) return;
    this.generation++; // ignore further events from the dead worker
    const wasReady = this.ready;
    this.clearEscalation();
    const message = wasReady
      ? `The executor thread stopped (${reason}). A new one was started: variables, imports and definitions from earlier cells are gone.`
      : `The executor thread failed to start (${reason}).`;
    this.log(message);
    this.failAll(message, wasReady ? "KernelRestarted" : "ExecutorStartError");
    if (!wasReady) for (const wake of this.readyWaiters.splice(0)) wake();
    if (wasReady) this.spawn();
    else this.bootFailure = message;
  }

  private failAll(message: string, ename: string): void {
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const p of pending) {
      if (p.kind === "execute") {
        p.resolve({
          status: "error",
          ename,
          evalue: message,
          traceback: [`${ename}: ${message}`],
          userExpressions: {},
        } satisfies ExecuteOutcome);
      } else if (p.kind === "comm") p.resolve(undefined);
      else p.reject(new Error(message));
    }
  }

  private post(message: ToWorker): void {
    this.start();
    if (this.bootFailure) {
      this.bootFailure = undefined;
      this.spawn();
    }
    // While a termination is pending in V8, the worker's next JavaScript may be what it ends.
    if (this.held) this.held.push(message);
    else this.worker.postMessage(message);
  }

  private request<T>(make: (id: number) => ToWorker): Promise<T> {
    if (this.closed) return Promise.reject(new Error("the executor is closed"));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { kind: "request", resolve: resolve as (v: unknown) => void, reject });
      this.post(make(id));
    });
  }

  execute(job: ExecuteJob, events: ExecuteEvents): Promise<ExecuteOutcome> {
    if (this.closed) {
      return Promise.resolve({
        status: "error",
        ename: "KernelShutdown",
        evalue: "the kernel is shutting down",
        traceback: [],
        userExpressions: {},
      });
    }
    Atomics.store(this.interruptFlag, 0, 0);
    const id = this.nextId++;
    this.latestEvents = events;
    const run = new Promise<ExecuteOutcome>((resolve, reject) => {
      this.pending.set(id, { kind: "execute", resolve: resolve as (v: unknown) => void, reject, events });
      this.post({ kind: "execute", id, job });
    });
    return this.options.cellTimeoutS ? this.withTimeLimit(id, run, this.options.cellTimeoutS) : run;
  }

  /**
   * Interrupts a cell whose code runs past `seconds` (counted from the worker's `cell-running`);
   * its error then says it was the time limit.
   */
  private async withTimeLimit(id: number, run: Promise<ExecuteOutcome>, seconds: number): Promise<ExecuteOutcome> {
    let timedOut = false;
    let timer: NodeJS.Timeout | undefined;
    this.cellStarted.set(id, () => {
      timer = setTimeout(() => {
        timedOut = true;
        this.interrupt();
      }, seconds * 1000);
    });
    try {
      const outcome = await run;
      if (!timedOut || outcome.status !== "error") return outcome;
      const evalue = cellTimeoutMessage(seconds);
      return {
        ...outcome,
        ename: "CellTimeLimit",
        evalue,
        traceback: [`CellTimeLimit: ${evalue}`, ...outcome.traceback.slice(1)],
      };
    } finally {
      clearTimeout(timer);
      this.cellStarted.delete(id);
    }
  }

  complete(code: string, cursorPos: number): Promise<CompletionResult> {
    return this.request((id) => ({ kind: "complete", id, code, cursorPos }));
  }

  inspect(code: string, cursorPos: number, detailLevel: 0 | 1): Promise<InspectionResult> {
    return this.request((id) => ({ kind: "inspect", id, code, cursorPos, detailLevel }));
  }

  isComplete(code: string): Promise<IsCompleteResult> {
    return this.request((id) => ({ kind: "is-complete", id, code }));
  }

  onComm(handler: (event: CommFromWorker, events?: ExecuteEvents) => void): void {
    this.commHandler = handler;
  }

  sendComm(event: CommDelivery, events: ExecuteEvents): Promise<void> {
    if (this.closed) return Promise.resolve();
    const id = this.nextId++;
    return new Promise<void>((resolve) => {
      this.pending.set(id, { kind: "comm", resolve: () => resolve(), reject: () => resolve(), events });
      this.post({ ...event, id } as ToWorker);
    });
  }

  whenReady(): Promise<void> {
    if (this.ready || this.closed) return Promise.resolve();
    this.start();
    return new Promise<void>((resolve) => this.readyWaiters.push(resolve));
  }

  /**
   * Interrupts the running cell: the flag its checks read at once; after `interruptGraceMs` without
   * an answer, a forced stop of its JavaScript (the thread and its variables stay); when that waits on
   * native code, a notice to the user. The thread is never replaced for an interrupt.
   */
  interrupt(): void {
    const running = [...this.pending].find(([, p]) => p.kind === "execute");
    if (!running || this.closed) return;
    Atomics.store(this.interruptFlag, 0, 1);
    if (this.started) this.worker.postMessage({ kind: "interrupt" } satisfies ToWorker);
    if (this.escalation || this.held) return;
    const [id] = running;
    this.escalation = setTimeout(() => {
      this.escalation = undefined;
      void this.forceStop(id);
    }, this.options.interruptGraceMs ?? 1500);
    this.escalation.unref();
  }

  private async forceStop(id: number): Promise<void> {
    const cell = this.pending.get(id);
    if (!cell || this.held) return;
    this.held = [];
    const worker = this.worker;
    const generation = this.generation;
    this.terminator ??= ExecutionTerminator.create();
    const terminator = await this.terminator;
    const notice = setTimeout(
      () => {
        if (!this.pending.has(id)) return;
        this.log("a forced stop is waiting for native code to return");
        cell.events?.stream("stderr", CANNOT_STOP_NOTICE);
        // Often that call waits on a child process (execSync): interrupt the kernel's child
        // processes, as Jupyter's signal interrupt mode does for the whole process group.
        const children = signalDescendants(process.pid, "SIGINT");
        if (children > 0) this.log(`sent SIGINT to ${children} child process${children === 1 ? "" : "es"}`);
      },
      terminator ? (this.options.nativeNoticeMs ?? 2000) : 0,
    );
    const stopped = terminator ? await terminator.terminate(worker, PREPARE_FORCED_STOP_EXPRESSION) : false;
    clearTimeout(notice);
    const held = this.held;
    this.held = undefined;
    if (generation !== this.generation) return;
    if (stopped) worker.postMessage({ kind: "forced-stop", id } satisfies ToWorker);
    for (const message of held) worker.postMessage(message);
  }

  private clearEscalation(): void {
    if (this.escalation) clearTimeout(this.escalation);
    this.escalation = undefined;
  }

  /**
   * Stops the executor for good. Resolves once the worker thread has ended, or after `limitMs` if
   * it cannot end (stuck in native code): the caller then has to end the process another way.
   */
  async close(limitMs = 10_000): Promise<boolean> {
    if (this.closed) return true;
    this.closed = true;
    this.clearEscalation();
    Atomics.store(this.interruptFlag, 0, 1);
    Atomics.store(this.inputState, 0, INPUT_REFUSED);
    Atomics.notify(this.inputState, 0);
    this.failAll("the kernel is shutting down", "KernelShutdown");
    for (const wake of this.readyWaiters.splice(0)) wake();
    void this.terminator?.then((t) => t?.close());
    if (!this.started) return true;
    let timer: NodeJS.Timeout | undefined;
    const stopped = stopWhenIdle(this.worker, this.threadStop, Math.min(5_000, limitMs), this.log.bind(this)).then(
      () => true,
    );
    const gaveUp = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), limitMs)));
    const ended = await Promise.race([stopped, gaveUp]);
    clearTimeout(timer);
    return ended;
  }
}

/**
 * Terminates a worker once the helper threads of its runtime are out of native GPU work (see the
 * runtime's `setThreadStopSignal`): Dawn aborts the whole process when a thread is torn down while
 * its GPU work is unsettled.
 */
async function stopWhenIdle(
  worker: Worker,
  stop: Int32Array,
  limitMs: number,
  log: (line: string) => void,
): Promise<void> {
  Atomics.store(stop, 0, 1);
  const deadline = Date.now() + limitMs;
  while (Atomics.load(stop, 1) > 0) {
    if (Date.now() > deadline) {
      log(`stopping a thread whose GPU work did not finish within ${limitMs / 1000} s`);
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await worker.terminate();
}
