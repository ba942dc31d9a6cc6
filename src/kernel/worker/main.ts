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
import { OutputBatcher } from "./output-batcher.js";
import { displayResidents, teachResident, widgetResidents } from "./residents.js";
import { bindStdin, input, prompt } from "./stdin-globals.js";
import { createCellComms } from "./comms.js";

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
let currentJob: ExecuteJob | undefined;
let cancelRunning: ((outcome: ExecuteOutcome) => void) | undefined;

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

const output = new OutputBatcher({
  emit: (name, text, request) => post({ kind: "stream", id: request, name, text }),
  maxChars: init.maxOutputBytes,
});

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

function forbidden(what: string): never {
  throw new Error(
    `${what} is not allowed in a notebook cell: it would stop the kernel. Use the notebook's "Restart kernel" instead.`,
  );
}
process.exit = (() => forbidden("process.exit()")) as typeof process.exit;
process.abort = (() => forbidden("process.abort()")) as typeof process.abort;
const realKill = process.kill.bind(process);
process.kill = ((pid: number, signal?: string | number) => {
  if (pid === process.pid || pid === 0) forbidden("process.kill() of the kernel itself");
  return realKill(pid, signal);
}) as typeof process.kill;

// --- display sink ---------------------------------------------------------------------------------
setDisplaySink({
  display(data: MimeBundle, metadata: Record<string, unknown>, displayId?: string) {
    output.flush();
    post({ kind: "display", id: currentRequest(), data, metadata, displayId });
  },
  update(displayId: string, data: MimeBundle, metadata: Record<string, unknown>) {
    output.flush();
    post({ kind: "update-display", id: currentRequest(), data, metadata, displayId });
  },
  clear(wait: boolean) {
    output.flush();
    post({ kind: "clear-output", id: currentRequest(), wait });
  },
});

// --- stdin ----------------------------------------------------------------------------------------
bindStdin((message, password) => {
  if (!currentJob?.allowStdin) {
    throw new Error("input is not available: this frontend does not accept input (allow_stdin is false)");
  }
  output.flush();
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
    output.flush();
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
    ...widgetResidents(here("../../widgets/index.d.ts")),
    { name: "input", value: input, typesFrom: `${here("./stdin-globals.d.ts")}#input` },
    { name: "prompt", value: prompt, typesFrom: `${here("./stdin-globals.d.ts")}#prompt` },
  ];
  const evalModule = (await import("../../eval/index.js")) as typeof import("../../eval/index.js");
  // The type checker builds its first program (seconds) while the runtime loads.
  const analysis = evalModule.startAnalysis({
    cwd: init.cwd,
    residents: [tfResident, teachResident({ check: undefined }, here("../../teach/index.d.ts")), ...otherResidents].map(
      ({ name, typesFrom, moduleNames }) => ({ name, typesFrom, moduleNames }),
    ),
  });
  try {
    const tf = await import("../../tf.js");
    residents.push({ ...tfResident, value: tf });
    tf.setInterruptCheck(checkInterrupt);
    tf.setThreadStopSignal(init.threadStop);
    installNotebookModels(tf);
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
    analysis,
    onBackgroundError: (e: { ename: string; evalue: string; traceback: string[] }) =>
      output.write(
        "stderr",
        `${e.traceback.length > 0 ? e.traceback.join("\n") : `${e.ename}: ${e.evalue}`}\n`,
        currentRequest(),
      ),
  });
  // `import ... from "tslab"` in a cell gets the display module's tslab object.
  if (typeof register === "function") register(new URL("./tslab-hooks.js", import.meta.url));
  else
    warnings.push(
      'this Node.js has no module.register, so `import ... from "tslab"` loads the real tslab package, which does not work in deepts',
    );
  post({ kind: "ready", warnings });
  void evaluator.warmUp().catch((e: Error) => kernelStderr(`deepts: language service warm-up failed: ${e.message}\n`));
  return evaluator;
}

const evaluatorReady = boot();
evaluatorReady.catch((e: Error) =>
  kernelStderr(`deepts: cell evaluation failed to load; cells cannot run: ${e.stack ?? e}\n`),
);

// --- requests -------------------------------------------------------------------------------------
function bundleOf(value: unknown): { data: MimeBundle; metadata: Record<string, unknown> } {
  try {
    return { data: toMimeBundle(value), metadata: {} };
  } catch (e) {
    return { data: { "text/plain": `[value could not be displayed: ${(e as Error).message}]` }, metadata: {} };
  }
}

function errorOf(e: unknown): { ename: string; evalue: string; traceback: string[] } {
  const err = e instanceof Error ? e : new Error(String(e));
  return { ename: err.name, evalue: err.message, traceback: (err.stack ?? `${err.name}: ${err.message}`).split("\n") };
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

function execute(id: number, job: ExecuteJob): Promise<void> {
  currentId = id;
  return requestContext.run(id, () => executeInContext(id, job));
}

async function executeInContext(id: number, job: ExecuteJob): Promise<void> {
  currentJob = job;
  output.startCell();
  startPlotlyOutputArea(); // the first chart of each cell carries plotly.js again
  let outcome: ExecuteOutcome;
  try {
    const evaluator = await evaluatorReady;
    const cancelled = new Promise<ExecuteOutcome>((resolve) => (cancelRunning = resolve));
    const run = evaluator
      .execute(job.code, { executionCount: job.executionCount })
      .then(async (r: CellResult): Promise<ExecuteOutcome> => {
        output.flush();
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
    outcome = { status: "error", ...errorOf(e), userExpressions: {} };
  } finally {
    cancelRunning = undefined;
  }
  flushOutputWidgets();
  output.flush();
  currentJob = undefined;
  post({ kind: "executed", id, outcome });
}

/** An interrupt message reaches this thread only while the cell awaits; give it a moment to stop by itself. */
function onInterrupt(): void {
  const cancel = cancelRunning;
  if (!cancel) return;
  setTimeout(() => {
    if (cancelRunning !== cancel) return;
    const e = interruptError();
    cancel({
      status: "error",
      ename: e.name,
      evalue: `${e.message} (while awaiting; the awaited operation may still finish in the background)`,
      traceback: [`${e.name}: ${e.message}`],
      userExpressions: {},
    });
  }, 300);
}

async function answer(message: ToWorker): Promise<void> {
  if (message.kind === "interrupt") return onInterrupt();
  if (message.kind === "execute") return execute(message.id, message.job);
  if (message.kind === "comm-open" || message.kind === "comm-msg" || message.kind === "comm-close")
    return cellComms.deliver(message);
  try {
    const evaluator = await evaluatorReady;
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
port.on("message", (message: ToWorker) => {
  if (message.kind === "interrupt") onInterrupt();
  else if (message.kind === "comm-open" || message.kind === "comm-msg" || message.kind === "comm-close")
    cellComms.deliver(message);
  else queue = queue.then(() => answer(message));
});
