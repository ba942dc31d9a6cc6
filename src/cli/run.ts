/** `deepts run`: executes notebooks through a deepts kernel of its own, without Jupyter. */
import { mkdirSync, writeFileSync } from "node:fs";
import { basename, dirname, extname, join, resolve } from "node:path";
import { executeNotebook, type CellReport, type NotebookResult } from "../runner/execute.js";
import { notebookHtml } from "../runner/html.js";
import { LocalKernel } from "../runner/kernel-process.js";
import { joinText, readNotebook, writeNotebook, type Notebook } from "../runner/nbformat.js";

export interface RunOptions {
  notebooks: string[];
  outDir: string;
  html: boolean;
  /** Per-cell limit in seconds. */
  timeout?: number;
}

/** Parses `run` arguments; throws `makeError(message)` on bad input. */
export function parseRunArgs(args: string[], makeError: (message: string) => Error): RunOptions {
  const options: RunOptions = { notebooks: [], outDir: "out", html: false };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const value = (): string => {
      const v = args[++i];
      if (v === undefined || v.startsWith("--")) throw makeError(`${arg} needs a value`);
      return v;
    };
    if (arg === "--out" || arg === "-o") options.outDir = value();
    else if (arg.startsWith("--out=")) options.outDir = arg.slice(6);
    else if (arg === "--html") options.html = true;
    else if (arg === "--timeout" || arg.startsWith("--timeout=")) {
      const text = arg.includes("=") ? arg.slice(arg.indexOf("=") + 1) : value();
      const seconds = Number(text);
      if (!Number.isFinite(seconds) || seconds <= 0)
        throw makeError(`--timeout needs a positive number of seconds, got ${JSON.stringify(text)}`);
      options.timeout = seconds;
    } else if (arg.startsWith("-")) throw makeError(`unknown option ${arg}`);
    else options.notebooks.push(arg);
  }
  if (options.notebooks.length === 0) throw makeError("run needs at least one notebook (.ipynb)");
  return options;
}

function seconds(s: number): string {
  return s < 10
    ? `${s.toFixed(1)} s`
    : s < 120
      ? `${s.toFixed(0)} s`
      : `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

function firstLine(nb: Notebook, index: number): string {
  const line =
    joinText(nb.cells[index]!.source)
      .split("\n")
      .find((l) => l.trim() !== "") ?? "";
  return line.length > 70 ? `${line.slice(0, 67)}...` : line;
}

const MARK: Record<CellReport["status"], string> = { ok: "✓", error: "✗", timeout: "⏱", dead: "✗" };

/** The kernel of the notebook being run, and whether the user asked to stop (Ctrl-C, SIGTERM). */
const state: { kernel?: LocalKernel; stopping: boolean } = { stopping: false };

/**
 * Ctrl-C interrupts the running cell (which fails that notebook) and skips the notebooks after it;
 * a second Ctrl-C, or SIGTERM, shuts the kernel down at once and exits.
 */
function onSignal(signal: NodeJS.Signals, log: (line: string) => void): void {
  if (signal === "SIGINT" && !state.stopping) {
    state.stopping = true;
    log("deepts run: interrupting the running cell; Ctrl-C again to stop at once");
    void state.kernel?.interrupt();
    return;
  }
  state.stopping = true;
  void (state.kernel?.shutdown(1000) ?? Promise.resolve()).then(() => process.exit(130));
}

/** Runs one notebook file; returns a failure message, or undefined when every cell ran. */
async function runOne(path: string, options: RunOptions, log: (line: string) => void): Promise<string | undefined> {
  const name = basename(path, extname(path));
  let nb: Notebook;
  try {
    nb = readNotebook(path);
  } catch (e) {
    return (e as Error).message;
  }
  let kernel: LocalKernel;
  try {
    // Like Jupyter, the kernel starts in the notebook's folder; the run leaves the user's history alone.
    kernel = await LocalKernel.start({ cwd: dirname(resolve(path)), env: { DEEPTS_HISTORY_FILE: "" } });
  } catch (e) {
    return `${path}: the kernel did not start: ${(e as Error).message}`;
  }
  state.kernel = kernel;
  let result: NotebookResult;
  let crash = "";
  try {
    result = await executeNotebook(nb, kernel, {
      timeoutMs: options.timeout === undefined ? undefined : options.timeout * 1000,
      onCell: (c) => log(`[${name}] cell ${c.number}/${c.count} ${MARK[c.status]} ${seconds(c.seconds)}`),
    });
  } catch (e) {
    result = { status: "dead", cells: [], seconds: 0, failed: undefined };
    crash = (e as Error).message;
  } finally {
    await kernel.shutdown();
    state.kernel = undefined;
  }

  mkdirSync(options.outDir, { recursive: true });
  const ipynb = join(options.outDir, `${name}.ipynb`);
  writeNotebook(ipynb, nb);
  const written = [ipynb];
  if (options.html) {
    const html = join(options.outDir, `${name}.html`);
    writeFileSync(html, notebookHtml(nb, name));
    written.push(html);
  }
  if (result.status === "ok") {
    log(`[${name}] ✓ ${result.cells.length} cells in ${seconds(result.seconds)} → ${written.join(", ")}`);
    return undefined;
  }
  const failed = result.failed;
  if (!failed) return `${path}: the kernel failed before the first cell ran${crash ? `: ${crash}` : ""}`;
  const where = `${path}: cell ${failed.number}/${failed.count} (cell ${failed.index + 1} of the notebook: ${firstLine(nb, failed.index)})`;
  const what =
    failed.status === "timeout" ? `timed out after ${options.timeout} s` : `${failed.ename}: ${failed.evalue}`;
  log(`[${name}] stopped at cell ${failed.number}/${failed.count}; partial notebook → ${written.join(", ")}`);
  return `${where}\n  ${what}`;
}

/**
 * Executes each notebook on its own kernel and writes the results; resolves to the exit code
 * (0 when every notebook ran through, 1 when any cell failed or timed out).
 *
 * ```ts
 * process.exitCode = await runNotebooks({ notebooks: ["notebooks/01-neural-networks-and-deep-learning.ipynb"], outDir: "out", html: true });
 * ```
 */
export async function runNotebooks(
  options: RunOptions,
  log: (line: string) => void = (l) => process.stderr.write(`${l}\n`),
): Promise<number> {
  const failures: string[] = [];
  const handlers = (["SIGINT", "SIGTERM"] as const).map((signal) => {
    const handler = () => onSignal(signal, log);
    process.on(signal, handler);
    return () => process.off(signal, handler);
  });
  try {
    for (const path of options.notebooks) {
      if (state.stopping) {
        failures.push(`${path}: not run (stopped)`);
        continue;
      }
      const failure = await runOne(path, options, log);
      if (failure) failures.push(failure);
    }
  } finally {
    for (const remove of handlers) remove();
  }
  if (failures.length) {
    log(
      `\n${failures.length} of ${options.notebooks.length} notebook${options.notebooks.length > 1 ? "s" : ""} failed:`,
    );
    for (const f of failures) log(f);
    return 1;
  }
  return 0;
}
