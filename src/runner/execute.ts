/** Executing a notebook's code cells one by one on a kernel, storing their outputs in the notebook. */
import type { JupyterMessage } from "../wire/message.js";
import type { LocalKernel } from "./kernel-process.js";
import { joinText, type CodeCell, type Notebook } from "./nbformat.js";
import { OutputCollector } from "./outputs.js";
import { WIDGET_STATE_MIME, WidgetStateCollector } from "./widget-state.js";

export type CellStatus = "ok" | "error" | "timeout" | "dead";

/** What happened to one code cell. */
export interface CellReport {
  /** 0-based index among all cells of the notebook. */
  index: number;
  /** 1-based number among the code cells that run, and their count. */
  number: number;
  count: number;
  status: CellStatus;
  seconds: number;
  /** For failures: the error's name and value (or what stopped the cell). */
  ename?: string;
  evalue?: string;
  /** For errors: the 1-based line of this cell that the traceback points at (its innermost frame in the cell). */
  line?: number;
}

export interface ExecuteOptions {
  /** Per-cell limit in ms; a cell past it is interrupted and the kernel shut down. */
  timeoutMs?: number;
  /** Called after each code cell. */
  onCell?(report: CellReport): void;
  /** How long a kernel may miss heartbeats before it counts as dead (default 60 s). */
  heartbeatGraceMs?: number;
}

/** The outcome of a whole notebook: every cell ran, or the first cell that did not finish well. */
export interface NotebookResult {
  status: CellStatus;
  cells: CellReport[];
  seconds: number;
  failed?: CellReport;
  /** The kernel's `tf` backend when the run started (`native`, `cpu`, `webgpu`, …), if it said. */
  backend?: string;
}

const INTERRUPT_WAIT_MS = 3000;

/**
 * Runs every non-empty code cell of `nb` in order on `kernel`, replacing its outputs and execution
 * count; stops at the first cell that fails, times out or kills the kernel (the kernel is then shut
 * down after a timeout, and left for the caller to shut down otherwise).
 *
 * ```ts
 * const kernel = await LocalKernel.start({ cwd: "notebooks" });
 * const result = await executeNotebook(nb, kernel, { timeoutMs: 600_000 });
 * await kernel.shutdown();
 * ```
 */
export async function executeNotebook(
  nb: Notebook,
  kernel: LocalKernel,
  options: ExecuteOptions = {},
): Promise<NotebookResult> {
  const started = performance.now();
  const info = await kernel.kernelInfo();
  if (info.content.language_info) nb.metadata.language_info = info.content.language_info;
  nb.metadata.kernelspec ??= { name: "deepts", display_name: "TypeScript (deepts)", language: "typescript" };

  const code = nb.cells
    .map((cell, index) => ({ cell, index }))
    .filter((c): c is { cell: CodeCell; index: number } => c.cell.cell_type === "code");
  for (const { cell } of code) {
    cell.outputs = [];
    cell.execution_count = null;
  }
  const toRun = code.filter(({ cell }) => joinText(cell.source).trim() !== "");
  // Loading the compiler and runtime happens on the first execution: do that before any cell's clock starts.
  const warm = await kernel.client.request(
    "shell",
    "execute_request",
    {
      code: "void 0",
      silent: true,
      store_history: false,
      user_expressions: { backend: "tf.getBackend()" },
      allow_stdin: false,
    },
    300_000,
  );
  const backend = backendOf(warm.content.user_expressions);
  const collector = new OutputCollector();
  const widgets = new WidgetStateCollector();
  const offWidgets = kernel.client.onIopub((m: JupyterMessage) => widgets.handle(m));
  const heartbeat = watchHeartbeat(kernel, options.heartbeatGraceMs ?? 60_000);
  const cells: CellReport[] = [];
  try {
    for (const [i, { cell, index }] of toRun.entries()) {
      const report = await executeCell(cell, kernel, collector, heartbeat.lost, options.timeoutMs);
      const full: CellReport = { index, number: i + 1, count: toRun.length, ...report };
      cells.push(full);
      options.onCell?.(full);
      if (full.status !== "ok")
        return { status: full.status, cells, seconds: (performance.now() - started) / 1000, failed: full, backend };
    }
    return { status: "ok", cells, seconds: (performance.now() - started) / 1000, backend };
  } finally {
    heartbeat.stop();
    offWidgets();
    // The widgets' state, so that pages and frontends without this kernel show them (static).
    const state = widgets.document();
    if (state) nb.metadata.widgets = { [WIDGET_STATE_MIME]: state };
    else delete nb.metadata.widgets;
  }
}

async function executeCell(
  cell: CodeCell,
  kernel: LocalKernel,
  collector: OutputCollector,
  heartbeatLost: Promise<void>,
  timeoutMs: number | undefined,
): Promise<Pick<CellReport, "status" | "seconds" | "ename" | "evalue" | "line">> {
  const t0 = performance.now();
  const seconds = () => (performance.now() - t0) / 1000;
  collector.startCell(cell.outputs);
  let idle!: () => void;
  const becameIdle = new Promise<void>((r) => (idle = r));
  const { msgId, reply } = kernel.client.send("shell", "execute_request", {
    code: joinText(cell.source),
    silent: false,
    store_history: true,
    user_expressions: {},
    allow_stdin: false,
    stop_on_error: true,
  });
  const off = kernel.client.onIopub((m: JupyterMessage) => {
    if (m.parent_header.msg_id !== msgId) return;
    if (m.header.msg_type === "status" && m.content.execution_state === "idle") idle();
    else collector.handle(m);
  });
  const finished = reply.then(async (r) => {
    // Outputs of the request end with its idle status, which may trail the reply a little.
    await Promise.race([becameIdle, sleep(5000)]);
    return r;
  });
  type Stop = { stop: "timeout" } | { stop: "dead"; why: string };
  const stops: Promise<Stop>[] = [
    kernel.exited.then((code) => ({ stop: "dead" as const, why: `the kernel died (exit ${code})` })),
    heartbeatLost.then(() => ({ stop: "dead" as const, why: "the kernel stopped answering heartbeats" })),
  ];
  let timer: NodeJS.Timeout | undefined;
  if (timeoutMs !== undefined)
    stops.push(new Promise((r) => (timer = setTimeout(() => r({ stop: "timeout" }), timeoutMs))));
  try {
    const first = await Promise.race<JupyterMessage | Stop>([finished, ...stops]);
    if ("stop" in first) {
      if (first.stop === "dead") {
        if (kernel.running) await kernel.shutdown(1000);
        return {
          status: "dead",
          seconds: seconds(),
          ename: "KernelDied",
          evalue: `${first.why}\n${kernel.stderrTail.trim().split("\n").slice(-20).join("\n")}`.trim(),
        };
      }
      const limit = timeoutMs! / 1000;
      await kernel.interrupt(INTERRUPT_WAIT_MS);
      await Promise.race([finished, sleep(INTERRUPT_WAIT_MS)]);
      await kernel.shutdown();
      return {
        status: "timeout",
        seconds: seconds(),
        ename: "CellTimeoutError",
        evalue: `the cell did not finish within ${limit} s; the kernel was interrupted and shut down`,
      };
    }
    const content = first.content as { status?: string; execution_count?: number; ename?: string; evalue?: string };
    if (typeof content.execution_count === "number") cell.execution_count = content.execution_count;
    if (content.status === "ok") return { status: "ok", seconds: seconds() };
    const error = cell.outputs.find((o) => o.output_type === "error");
    return {
      status: "error",
      seconds: seconds(),
      line: error?.output_type === "error" ? failingLine(error.traceback, cell.execution_count) : undefined,
      ename:
        content.ename ??
        (error?.output_type === "error" ? error.ename : undefined) ??
        (content.status === "aborted" ? "Aborted" : "Error"),
      evalue: content.evalue ?? (error?.output_type === "error" ? error.evalue : "") ?? "",
    };
  } finally {
    clearTimeout(timer);
    off();
  }
}

/**
 * The cell line a traceback points at: its innermost frame in the cell (`Cell In[7], line 3`),
 * else its innermost frame in any cell.
 */
export function failingLine(traceback: string[], executionCount: number | null): number | undefined {
  let own: number | undefined;
  let any: number | undefined;
  for (const entry of traceback) {
    for (const m of entry.replace(/\u001b\[[0-9;]*m/g, "").matchAll(/Cell In\[(\d+)\], line (\d+)/g)) {
      any = Number(m[2]);
      if (Number(m[1]) === executionCount) own = any;
    }
  }
  return own ?? any;
}

/** The text of a user expression's result (`{ status: "ok", data: { "text/plain": "'native'" } }`). */
function backendOf(expressions: unknown): string | undefined {
  const result = (expressions as Record<string, { status?: string; data?: Record<string, unknown> }> | undefined)
    ?.backend;
  const text = result?.status === "ok" ? result.data?.["text/plain"] : undefined;
  return typeof text === "string" ? text.replace(/^['"]|['"]$/g, "") : undefined;
}

/** Pings the heartbeat every few seconds; `lost` resolves once it has gone unanswered for `graceMs`. */
function watchHeartbeat(kernel: LocalKernel, graceMs: number): { lost: Promise<void>; stop(): void } {
  let stopped = false;
  let lastAnswer = Date.now();
  let markLost!: () => void;
  const lost = new Promise<void>((r) => (markLost = r));
  void (async () => {
    while (!stopped) {
      await sleep(3000);
      if (stopped || !kernel.running) return;
      try {
        await kernel.client.ping(3000);
        lastAnswer = Date.now();
      } catch {
        if (Date.now() - lastAnswer > graceMs) {
          markLost();
          return;
        }
      }
    }
  })();
  return { lost, stop: () => void (stopped = true) };
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms).unref());
}
