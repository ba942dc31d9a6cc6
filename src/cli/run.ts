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

function clip(line: string): string {
  return line.length > 70 ? `${line.slice(0, 67)}...` : line;
}

function firstLine(nb: Notebook, index: number): string {
  return clip(
    joinText(nb.cells[index]!.source)
      .split("\n")
      .find((l) => l.trim() !== "") ?? "",
  );
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

/** What one notebook's run did, for the closing table. */
export interface NotebookSummary {
  name: string;
  /** Code cells that ran through, and how many there are. */
  cellsRun: number;
  cells: number;
  seconds: number;
  backend?: string;
  written: string[];
  /** Why it did not run through (multi-line), or undefined. */
  failure?: string;
}

/** Where a failed cell stopped: its number, and the line the error points at. */
function failureText(path: string, nb: Notebook, failed: CellReport, timeout: number | undefined): string {
  const source = joinText(nb.cells[failed.index]!.source).split("\n");
  const lineNo = failed.line !== undefined && failed.line <= source.length ? failed.line : undefined;
  const quoted = lineNo === undefined ? firstLine(nb, failed.index) : clip(source[lineNo - 1]!.trim());
  const where =
    `${path}: cell ${failed.number}/${failed.count} (cell ${failed.index + 1} of the notebook` +
    `${lineNo === undefined ? "" : `, line ${lineNo}`}: ${quoted})`;
  const what = failed.status === "timeout" ? `timed out after ${timeout} s` : `${failed.ename}: ${failed.evalue}`;
  return `${where}\n  ${what}`;
}

/** Runs one notebook file and writes its results. */
async function runOne(
  path: string,
  position: string,
  options: RunOptions,
  log: (line: string) => void,
): Promise<NotebookSummary> {
  const name = basename(path, extname(path));
  const summary: NotebookSummary = { name, cellsRun: 0, cells: 0, seconds: 0, written: [] };
  let nb: Notebook;
  try {
    nb = readNotebook(path);
  } catch (e) {
    return { ...summary, failure: (e as Error).message };
  }
  summary.cells = nb.cells.filter((c) => c.cell_type === "code" && joinText(c.source).trim() !== "").length;
  log(`${position} ${name}: ${summary.cells} code cell${summary.cells === 1 ? "" : "s"}`);
  let kernel: LocalKernel;
  try {
    // Like Jupyter, the kernel starts in the notebook's folder; the run leaves the user's history alone.
    kernel = await LocalKernel.start({ cwd: dirname(resolve(path)), env: { DEEPTS_HISTORY_FILE: "" } });
  } catch (e) {
    return { ...summary, failure: `${path}: the kernel did not start: ${(e as Error).message}` };
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
  summary.seconds = result.seconds;
  summary.backend = result.backend;
  summary.cellsRun = result.cells.filter((c) => c.status === "ok").length;

  mkdirSync(options.outDir, { recursive: true });
  const ipynb = join(options.outDir, `${name}.ipynb`);
  writeNotebook(ipynb, nb);
  summary.written.push(ipynb);
  if (options.html) {
    const html = join(options.outDir, `${name}.html`);
    writeFileSync(html, notebookHtml(nb, name));
    summary.written.push(html);
  }
  if (result.status === "ok") {
    log(`[${name}] ✓ ${result.cells.length} cells in ${seconds(result.seconds)} → ${summary.written.join(", ")}`);
    return summary;
  }
  const failed = result.failed;
  if (!failed)
    return { ...summary, failure: `${path}: the kernel failed before the first cell ran${crash ? `: ${crash}` : ""}` };
  log(`[${name}] stopped at cell ${failed.number}/${failed.count}; partial notebook → ${summary.written.join(", ")}`);
  return { ...summary, failure: failureText(path, nb, failed, options.timeout) };
}

/** The closing table: one row per notebook (cells, time, backend, pages written) and a total. */
export function summaryTable(rows: NotebookSummary[]): string {
  const table = [
    ["notebook", "cells", "time", "backend", "written"],
    ...rows.map((r) => [
      `${r.failure ? "✗" : "✓"} ${r.name}`,
      `${r.cellsRun}/${r.cells}`,
      seconds(r.seconds),
      r.backend ?? "-",
      r.written.map((w) => basename(w)).join(", ") || "-",
    ]),
  ];
  if (rows.length > 1) {
    const total = rows.reduce((t, r) => t + r.seconds, 0);
    const cells = rows.reduce((t, r) => t + r.cellsRun, 0);
    const all = rows.reduce((t, r) => t + r.cells, 0);
    table.push(["total", `${cells}/${all}`, seconds(total), "", ""]);
  }
  const widths = table[0]!.map((_, c) => Math.max(...table.map((row) => [...row[c]!].length)));
  const line = (row: string[]) =>
    row
      .map((cell, c) => (c === 1 || c === 2 ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)))
      .join("  ")
      .trimEnd();
  return [line(table[0]!), widths.map((w) => "-".repeat(w)).join("  "), ...table.slice(1).map(line)].join("\n");
}

/** A hint when the notebooks ran without the native addon: on `wasm`, or on the plain `cpu` reference backend. */
export function slowBackendHint(rows: NotebookSummary[]): string | undefined {
  const build = "install g++ make python3 libopenblas-dev, then run `npm run build:native` (README: Troubleshooting).";
  if (rows.some((r) => r.backend === "cpu"))
    return `hint: these ran on the plain \`cpu\` backend (neither the native addon nor WebAssembly SIMD was there), several times slower than \`native\`: ${build}`;
  if (rows.some((r) => r.backend === "wasm"))
    return `hint: these ran on \`wasm\` (the native addon is not built); \`native\` is faster still: ${build}`;
  return undefined;
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
  const rows: NotebookSummary[] = [];
  const handlers = (["SIGINT", "SIGTERM"] as const).map((signal) => {
    const handler = () => onSignal(signal, log);
    process.on(signal, handler);
    return () => process.off(signal, handler);
  });
  try {
    for (const [i, path] of options.notebooks.entries()) {
      if (state.stopping) {
        rows.push({
          name: basename(path, extname(path)),
          cellsRun: 0,
          cells: 0,
          seconds: 0,
          written: [],
          failure: `${path}: not run (stopped)`,
        });
        continue;
      }
      rows.push(await runOne(path, `[${i + 1}/${options.notebooks.length}]`, options, log));
    }
  } finally {
    for (const remove of handlers) remove();
  }
  log(`\n${summaryTable(rows)}`);
  const pages = rows.flatMap((r) => r.written);
  if (pages.length) log(`written to ${resolve(options.outDir)}`);
  const hint = slowBackendHint(rows);
  if (hint) log(hint);
  const failures = rows.filter((r) => r.failure !== undefined);
  if (failures.length) {
    log(
      `\n${failures.length} of ${options.notebooks.length} notebook${options.notebooks.length > 1 ? "s" : ""} failed:`,
    );
    for (const f of failures) log(f.failure!);
    return 1;
  }
  return 0;
}
