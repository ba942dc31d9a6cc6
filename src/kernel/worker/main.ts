/**
 * The executor worker thread: runs cells with the CellEvaluator, routes console/display output to the
 * main thread, answers completion/inspection, and honours interrupts. Started by WorkerExecutor.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { Console } from "node:console";
import { register } from "node:module";
import { fileURLToPath } from "node:url";
import { Writable } from "node:stream";
import { format } from "node:util";
import { parentPort, workerData } from "node:worker_threads";
import type { CellEvaluator, CellResult, ResidentGlobal } from "../../eval/api.js";
import {
  exitDisplaySinkScopes,
  getDisplaySink,
  setDisplaySink,
  startPlotlyOutputArea,
  toMimeBundle,
  type MimeBundle,
} from "../../display/index.js";
import { setComms } from "../../widgets/comms.js";
import { installWidgetControl } from "../../widgets/manager.js";
import { flushOutputWidgets } from "../../widgets/output.js";
import {
  FORCED_STOP_MESSAGE,
  INPUT_REFUSED,
  INPUT_WAITING,
  type ExecuteJob,
  type ExecuteOutcome,
  type FromWorker,
  type ToWorker,
  type UserExpressionResult,
  type WorkerInit,
} from "./protocol.js";
import { installNotebookModels } from "./notebook-models.js";
import { readLimits } from "../limits.js";
import { IdleCollector } from "./idle-collector.js";
import { OutputBatcher } from "./output-batcher.js";
import { displayResidents, teachResident, tfvisResident, widgetResidents } from "./residents.js";
import { bindStdin, input, prompt } from "./stdin-globals.js";
import { clearAsyncIdStack, installForcedStopPreparation } from "./async-context.js";
import { createCellComms } from "./comms.js";
import { DisplayUpdates } from "./display-updates.js";
import { installProcessGuards } from "./process-guards.js";

const port = parentPort!;
const init = workerData as WorkerInit;
const interruptFlag = new Int32Array(init.interruptFlag);
const inputState = new Int32Array(init.input.state);
const inputData = new Uint8Array(init.input.data);
const kernelStderr = process.stderr.write.bind(process.stderr);

/** The id of the latest execute request: output outside any request's context goes there. */
let currentId = 0;
/** The request (a cell, or a comm message from the frontend) whose code runs now, across awaits. */
const requestContext = new AsyncLocalStorage<number>();
const currentRequest = (): number => requestContext.getStore() ?? currentId;
installForcedStopPreparation(() => {
  requestContext.disable();
  exitDisplaySinkScopes();
});
/** Set while Node's async context is being cleared after a forced stop: no request may start before. */
let asyncContextCleared: Promise<void> | undefined;

/** The cell being run: settled once, by its own end or by a forced stop. */
interface RunningCell {
  id: number;
  job: ExecuteJob;
  settled: boolean;
  /** Ends the cell's wait for its result (when it is awaiting). */
  cancel?: (outcome: ExecuteOutcome) => void;
}
let running: RunningCell | undefined;

function post(message: FromWorker): void {
  try {
    port.postMessage(message);
  } catch {
    // Data that cannot be cloned (functions, class instances with handles): send its JSON form.
    port.postMessage(
      JSON.parse(JSON.stringify(message, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v))) as FromWorker,
    );
  }
}

const updates = new DisplayUpdates({
  emit: ({ displayId, data, metadata, request }) =>
    post({ kind: "update-display", id: request ?? currentId, data, metadata, displayId }),
});

const output = new OutputBatcher({
  emit: (name, text, request) => {
    updates.flush();
    post({ kind: "stream", id: request, name, text });
  },
  maxChars: init.maxOutputBytes,
});

/** Sends everything buffered, in order: display updates and stream text. */
function flushOutput(): void {
  updates.flush();
  output.flush();
}

// --- console, process.stdout/stderr, process.exit --------------------------------------------------
// Writes go straight into the batcher (the callback is synchronous), so stdout/stderr keep their order.
const streamTo = (name: "stdout" | "stderr") =>
  new Writable({
    decodeStrings: false,
    write(chunk: unknown, _encoding, callback) {
      writeStream(name, typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString("utf8"));
      callback();
    },
  });
/** Console text goes to a scoped display sink that takes it (an Output widget capturing), else to the request's stream. */
function writeStream(name: "stdout" | "stderr", text: string): void {
  const sink = getDisplaySink();
  if (sink?.stream) sink.stream(name, text);
  else output.write(name, text, currentRequest());
}
const cellConsole = new Console({ stdout: streamTo("stdout"), stderr: streamTo("stderr"), colorMode: false });
Object.defineProperty(globalThis, "console", { value: cellConsole, writable: true, configurable: true });

function redirect(stream: NodeJS.WriteStream, name: "stdout" | "stderr"): void {
  stream.write = ((chunk: unknown, encoding?: unknown, cb?: unknown) => {
    const text =
      typeof chunk === "string"
        ? chunk
        : Buffer.isBuffer(chunk) || chunk instanceof Uint8Array
          ? Buffer.from(chunk).toString("utf8")
          : format(chunk);
    writeStream(name, text);
    const callback = typeof encoding === "function" ? encoding : cb;
    if (typeof callback === "function") queueMicrotask(() => (callback as () => void)());
    return true;
  }) as typeof stream.write;
}
redirect(process.stdout, "stdout");
redirect(process.stderr, "stderr");

installProcessGuards();

// --- display sink ---------------------------------------------------------------------------------
setDisplaySink({
  display(data: MimeBundle, metadata: Record<string, unknown>, displayId?: string) {
    flushOutput();
    post({ kind: "display", id: currentRequest(), data, metadata, displayId });
  },
  update(displayId: string, data: MimeBundle, metadata: Record<string, unknown>) {
    output.flush();
    updates.update({ displayId, data, metadata, request: currentRequest() });
  },
  clear(wait: boolean) {
    flushOutput();
    post({ kind: "clear-output", id: currentRequest(), wait });
  },
});

// --- stdin ----------------------------------------------------------------------------------------
bindStdin((message, password) => {
  if (!running?.job.allowStdin) {
    throw new Error("input is not available: this frontend does not accept input (allow_stdin is false)");
  }
  flushOutput();
  Atomics.store(inputState, 0, INPUT_WAITING);
  post({ kind: "input-request", id: currentId, prompt: message, password });
  Atomics.wait(inputState, 0, INPUT_WAITING);
  const text = Buffer.from(inputData.subarray(0, Atomics.load(inputState, 1))).toString("utf8");
  if (Atomics.load(inputState, 0) === INPUT_REFUSED) throw new Error(`input was not answered: ${text}`);
  return text;
});

// --- comms ----------------------------------------------------------------------------------------
const cellComms = createCellComms({
  post(event) {
    // What a handler wrote into Output widgets goes out before its message counts as handled.
    if (event.kind === "comm-handled") flushOutputWidgets();
    flushOutput();
    post(event);
  },
  currentRequest,
  runInRequest: (id, fn) => requestContext.run(id, fn),
  onError: (message, id) => output.write("stderr", `${message}\n`, id),
});
setComms(cellComms.comms);
installWidgetControl();
// Kept for code written before `comms` was a resident.
Object.defineProperty(globalThis, Symbol.for("deepts.comms"), { value: cellComms.comms, configurable: true });

// --- interrupts -----------------------------------------------------------------------------------
let InterruptErrorClass: (new (message?: string) => Error) | undefined;

function interruptError(): Error {
  const e = InterruptErrorClass ? new InterruptErrorClass() : new Error("Interrupted");
  if (!InterruptErrorClass) e.name = "InterruptError";
  return e;
}

function checkInterrupt(): void {
  if (Atomics.load(interruptFlag, 0) !== 0) throw interruptError();
}

// --- boot -----------------------------------------------------------------------------------------
let tslabHooksRegistered = false;
/**
 * `import ... from "tslab"` in a cell (and the tslab package's own entry, when the notebook's folder
 * has it) gets the display module's tslab object. Installed with the first import a cell makes:
 * Node starts a thread for module hooks, which a kernel's start need not wait for.
 */
function registerTslabHooks(): void {
  if (tslabHooksRegistered || typeof register !== "function") return;
  tslabHooksRegistered = true;
  register(new URL("./tslab-hooks.js", import.meta.url));
}

/** Puts the runtime's bookkeeping back in order after a forced stop (open tidy scopes, tapes). */
let recoverRuntime: () => void = () => undefined;
/** Bytes of tensor data the runtime holds (0 until it loaded): the idle collector counts them. */
let tensorBytes: () => number = () => 0;

async function boot(): Promise<CellEvaluator> {
  const warnings: string[] = [];
  const residents: ResidentGlobal[] = [];
  const here = (rel: string) => fileURLToPath(new URL(rel, import.meta.url));
  // A pasted TF.js program's `import * as tf from "@tensorflow/tfjs"` gets deepts's tf.
  const tfResident = {
    name: "tf",
    typesFrom: here("../../tf.d.ts"),
    moduleNames: ["@tensorflow/tfjs", "@tensorflow/tfjs-node", "@tensorflow/tfjs-node-gpu"],
  };
  const otherResidents: ResidentGlobal[] = [
    ...displayResidents(here("../../display/index.d.ts")),
    tfvisResident(here("../../display/tfvis/index.d.ts")),
    ...widgetResidents(here("../../widgets/index.d.ts")),
    { name: "input", value: input, typesFrom: `${here("./stdin-globals.d.ts")}#input` },
    { name: "prompt", value: prompt, typesFrom: `${here("./stdin-globals.d.ts")}#prompt` },
  ];
  const evalModule = (await import("../../eval/index.js")) as typeof import("../../eval/index.js");
  // With DEEPTS_PRELOAD=1 the type checker builds its first program (seconds) while the runtime
  // loads; otherwise it starts with the first cell or request (an idle kernel stays small).
  const preload = process.env.DEEPTS_PRELOAD === "1";
  const analysis =
    preload &&
    evalModule.startAnalysis({
      cwd: init.cwd,
      residents: [
        tfResident,
        teachResident({ check: undefined }, here("../../teach/index.d.ts")),
        ...otherResidents,
      ].map(({ name, typesFrom, moduleNames }) => ({ name, typesFrom, moduleNames })),
    });
  try {
    const tf = await import("../../tf.js");
    residents.push({ ...tfResident, value: tf });
    tf.setInterruptCheck(checkInterrupt);
    tf.setInterruptFlag(interruptFlag);
    recoverRuntime = () => tf.engine().recoverFromForcedStop();
    tf.setThreadStopSignal(init.threadStop);
    installNotebookModels(tf);
    tensorBytes = () => tf.memory().numBytes;
    const { tensorMb } = readLimits();
    if (tensorMb !== undefined) tf.engine().setMaxBytes(tensorMb * 2 ** 20, "DEEPTS_TENSOR_MB");
    try {
      residents.push(teachResident(await import("../../teach/index.js"), here("../../teach/index.d.ts")));
    } catch (e) {
      warnings.push(`the exercise helper failed to load, so cells have no \`check\`: ${(e as Error).stack ?? e}`);
    }
  } catch (e) {
    warnings.push(`the runtime (tf) failed to load, so cells have no \`tf\`: ${(e as Error).stack ?? e}`);
  }
  residents.push(...otherResidents);
  InterruptErrorClass = evalModule.InterruptError;
  const evaluator = evalModule.createCellEvaluator({
    cwd: init.cwd,
    residents,
    interruptFlag,
    analysis: analysis || undefined,
    beforeImport: registerTslabHooks,
    onBackgroundError: (e: { ename: string; evalue: string; traceback: string[] }) =>
      output.write(
        "stderr",
        `${e.traceback.length > 0 ? e.traceback.join("\n") : `${e.ename}: ${e.evalue}`}\n`,
        currentRequest(),
      ),
  });
  if (typeof register !== "function")
    warnings.push(
      'this Node.js has no module.register, so `import ... from "tslab"` loads the real tslab package, which does not work in deepts',
    );
  post({ kind: "ready", warnings });
  // TypeScript and the language service load with the first cell (an idle kernel stays small),
  // unless the kernelspec asks for them at start (DEEPTS_PRELOAD=1).
  if (process.env.DEEPTS_PRELOAD === "1")
    void evaluator
      .warmUp()
      .catch((e: Error) => kernelStderr(`deepts: language service warm-up failed: ${e.message}\n`));
  return evaluator;
}

const evaluatorReady = boot();
evaluatorReady.catch((e: Error) =>
  kernelStderr(`deepts: cell evaluation failed to load; cells cannot run: ${e.stack ?? e}\n`),
);

// --- requests -------------------------------------------------------------------------------------
const isInterrupt = (e: unknown) => e instanceof Error && e.name === "InterruptError";

function bundleOf(value: unknown): { data: MimeBundle; metadata: Record<string, unknown> } {
  try {
    return { data: toMimeBundle(value), metadata: {} };
  } catch (e) {
    // An interrupt while a display hook runs interrupts the cell; any other failure is shown.
    if (isInterrupt(e)) throw e;
    return {
      data: { "text/plain": `[value could not be displayed: ${(e as Error)?.message ?? String(e)}]` },
      metadata: {},
    };
  }
}

function errorOf(e: unknown): { ename: string; evalue: string; traceback: string[] } {
  const err = e instanceof Error ? e : new Error(String(e));
  return { ename: err.name, evalue: err.message, traceback: (err.stack ?? `${err.name}: ${err.message}`).split("\n") };
}

function interrupted(evalue: string): ExecuteOutcome {
  const e = interruptError();
  return { status: "error", ename: e.name, evalue, traceback: [`${e.name}: ${evalue}`], userExpressions: {} };
}

async function userExpressions(
  evaluator: CellEvaluator,
  exprs: Record<string, string>,
): Promise<Record<string, UserExpressionResult>> {
  const out: Record<string, UserExpressionResult> = {};
  for (const [key, code] of Object.entries(exprs)) {
    const r = await evaluator.execute(code, { typeCheck: false });
    out[key] =
      r.status === "ok"
        ? { status: "ok", ...bundleOf(r.value) }
        : { status: "error", ename: r.ename, evalue: r.evalue, traceback: r.traceback };
  }
  return out;
}

const cellTimeLimited = readLimits().cellTimeoutS !== undefined;
let warmedUp = false;

function execute(id: number, job: ExecuteJob): Promise<void> {
  const cell: RunningCell = { id, job, settled: false };
  running = cell;
  currentId = id;
  return requestContext.run(id, () => executeInContext(cell));
}

async function executeInContext(cell: RunningCell): Promise<void> {
  const { job } = cell;
  output.startCell();
  startPlotlyOutputArea(); // the first chart of each cell carries plotly.js again
  let outcome: ExecuteOutcome;
  try {
    const evaluator = await evaluatorReady;
    // Under a cell time limit, the first cell's loading (TypeScript, the language service) is the
    // kernel's time, not the cell's: load it before the clock starts.
    if (cellTimeLimited && !warmedUp) await evaluator.warmUp().catch(() => undefined);
    warmedUp = true;
    post({ kind: "cell-running", id: cell.id });
    const cancelled = new Promise<ExecuteOutcome>((resolve) => (cell.cancel = resolve));
    const run = evaluator
      .execute(job.code, { executionCount: job.executionCount })
      .then(async (r: CellResult): Promise<ExecuteOutcome> => {
        flushOutput();
        const exprs = await userExpressions(evaluator, job.userExpressions);
        if (r.status === "error") return { ...r, userExpressions: exprs };
        return {
          status: "ok",
          result: r.hasValue && !job.silent ? bundleOf(r.value) : undefined,
          userExpressions: exprs,
        };
      });
    outcome = await Promise.race([run, cancelled]);
  } catch (e) {
    outcome = isInterrupt(e)
      ? interrupted(`${interruptError().message} (while the cell's result was being displayed)`)
      : { status: "error", ...errorOf(e), userExpressions: {} };
  }
  settle(cell, outcome);
}

/** Reports the cell's outcome, once. */
function settle(cell: RunningCell, outcome: ExecuteOutcome): void {
  if (cell.settled) return;
  cell.settled = true;
  cell.cancel = undefined;
  flushOutputWidgets();
  flushOutput();
  if (running === cell) running = undefined;
  post({ kind: "executed", id: cell.id, outcome });
}

/** An interrupt message reaches this thread only while the cell awaits; give it a moment to stop by itself. */
function onInterrupt(): void {
  const cell = running;
  if (!cell?.cancel) return;
  setTimeout(() => {
    if (cell.settled || !cell.cancel) return;
    cell.cancel(
      interrupted(
        `${interruptError().message} (while awaiting; the awaited operation may still finish in the background)`,
      ),
    );
  }, 300);
}

/**
 * The main thread terminated the cell's JavaScript (it ignored the interrupt): the stack unwound
 * without running finally blocks or the rest of this file's bookkeeping for the cell. Settle it,
 * let the evaluator and the runtime forget what was in progress, and take requests again.
 */
function onForcedStop(id: number): void {
  const cleared = clearAsyncIdStack();
  asyncContextCleared = cleared;
  void cleared.then(() => {
    if (asyncContextCleared === cleared) asyncContextCleared = undefined;
  });
  queue = queue.then(() => cleared);
  const cell = running;
  if (!cell || cell.id !== id || cell.settled) return;
  void evaluatorReady.then((evaluator) => evaluator.abandon?.());
  recoverRuntime();
  queue = cleared;
  cell.cancel?.(interrupted(FORCED_STOP_MESSAGE));
  settle(cell, interrupted(FORCED_STOP_MESSAGE));
}

/** Runs the handlers of a comm message from the frontend (after a forced stop's clean-up). */
function deliverComm(message: Extract<ToWorker, { kind: "comm-open" | "comm-msg" | "comm-close" }>): void {
  if (asyncContextCleared) void asyncContextCleared.then(() => cellComms.deliver(message));
  else cellComms.deliver(message);
}

async function answer(message: ToWorker): Promise<void> {
  if (message.kind === "interrupt") return onInterrupt();
  if (message.kind === "forced-stop") return onForcedStop(message.id);
  if (message.kind === "execute") return execute(message.id, message.job);
  if (message.kind === "comm-open" || message.kind === "comm-msg" || message.kind === "comm-close")
    return deliverComm(message);
  try {
    const evaluator = await evaluatorReady;
    // TypeScript loads on first use: before it has, Tab answers a dotted name from the live values
    // (and starts the load), Shift-Tab and is-complete wait for it, rather than answering nothing.
    switch (message.kind) {
      case "complete":
        post({ kind: "completed", id: message.id, result: await evaluator.complete(message.code, message.cursorPos) });
        return;
      case "inspect":
        post({
          kind: "inspected",
          id: message.id,
          result: await evaluator.inspect(message.code, message.cursorPos, message.detailLevel),
        });
        return;
      case "is-complete":
        post({ kind: "is-completed", id: message.id, result: await evaluator.isComplete(message.code) });
        return;
    }
  } catch (e) {
    post({ kind: "failed", id: message.id, message: (e as Error).message });
  }
}

// Requests are handled strictly one after another, in arrival order (interrupts at once).
let queue: Promise<void> = Promise.resolve();
let queued = 0;
const idleCollector = new IdleCollector({ trackedBytes: () => tensorBytes() });
port.on("message", (message: ToWorker) => {
  if (message.kind === "interrupt") return onInterrupt();
  if (message.kind === "forced-stop") return onForcedStop(message.id);
  idleCollector.busy();
  if (message.kind === "comm-open" || message.kind === "comm-msg" || message.kind === "comm-close") {
    deliverComm(message);
    if (queued === 0) idleCollector.idle();
    return;
  }
  queued++;
  queue = queue
    .then(() => answer(message))
    .finally(() => {
      idleCollector.ended();
      if (--queued === 0) idleCollector.idle();
    });
});
