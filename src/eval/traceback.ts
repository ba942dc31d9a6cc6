/**
 * Error → Jupyter traceback. Stack frames of cell scripts (named `cell-<id>.ts`) are mapped back
 * through each cell's source map to the line the user wrote, shown IPython-style:
 *
 *   Cell In[3], line 2, in f
 *         1 function f() {
 *   ----> 2   throw new Error("boom");
 *         3 }
 *
 * Frames of other code are left out: deepts's own (kernel, runtime, models) always, and those of
 * imported packages unless no frame belongs to a cell. `DEEPTS_FULL_TRACEBACK=1` (in the
 * kernel's environment, or `process.env.DEEPTS_FULL_TRACEBACK = "1"` in a cell) appends the whole
 * stack as V8 wrote it.
 */
import { SourceMap } from "node:module";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { explainMessage } from "./explain.js";

export interface CellRecord {
  /** Script file name used for the cell's code, e.g. `cell-3.ts`. */
  fileName: string;
  /** Heading shown for the cell, e.g. `Cell In[3]`. */
  label: string;
  lines: string[];
  map: SourceMap | undefined;
  /** 1-based line of the generated script's top-level call of the cell wrapper (not a user frame). */
  wrapperCallLine?: number;
}

export interface ErrorReport {
  ename: string;
  evalue: string;
  traceback: string[];
}

interface Frame {
  fn: string | undefined;
  file: string;
  line: number;
  column: number;
}

// `at f (file:1:2)`, `at file:1:2`, and the same after `async ` (a frame resumed after an await).
const FRAME_RE = /^\s*at (?:async )?(?:(.*?) \()?(.*?):(\d+):(\d+)\)?$/;
/** deepts's own compiled (or source) tree: `dist/` or `src/`, the parent of this file's folder. */
const DEEPTS_DIR = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

/** Whether tracebacks show every frame (`DEEPTS_FULL_TRACEBACK=1`), read at each error. */
export function fullTraceback(): boolean {
  return /^(1|true|yes|on)$/i.test(process.env.DEEPTS_FULL_TRACEBACK ?? "");
}

function parseStack(stack: string): Frame[] {
  const frames: Frame[] = [];
  for (const raw of stack.split("\n")) {
    const m = FRAME_RE.exec(raw);
    if (!m) continue;
    const fn = m[1]?.replace(/^async /, "");
    frames.push({ fn: fn || undefined, file: m[2]!, line: Number(m[3]), column: Number(m[4]) });
  }
  return frames;
}

function isInternal(file: string): boolean {
  if (file.startsWith("node:") || file === "native" || file.startsWith("evalmachine")) return true;
  const fsPath = file.startsWith("file://") ? fileURLToPath(file) : file;
  return fsPath.startsWith(DEEPTS_DIR + path.sep);
}

/** Source lines around `line` (1-based) with an arrow at `line`. */
export function sourceExcerpt(lines: string[], line: number, context = 2): string {
  const first = Math.max(1, line - context);
  const last = Math.min(lines.length, line + context);
  const width = String(last).length;
  const out: string[] = [];
  for (let n = first; n <= last; n++) {
    const marker = n === line ? "---->" : "     ";
    out.push(`${marker} ${String(n).padStart(width)} ${lines[n - 1] ?? ""}`);
  }
  return out.join("\n");
}

/** Maps a 1-based generated position in a cell script to a 1-based cell position. */
export function mapPosition(cell: CellRecord, line: number, column: number): { line: number; column: number } {
  const entry = cell.map?.findEntry(line - 1, column - 1) as
    | { originalLine?: number; originalColumn?: number }
    | undefined;
  if (!entry || entry.originalLine === undefined) return { line, column };
  return { line: entry.originalLine + 1, column: (entry.originalColumn ?? 0) + 1 };
}

function describe(err: unknown): { ename: string; evalue: string; stack: string | undefined } {
  if (err instanceof Error || (err !== null && typeof err === "object" && "message" in err)) {
    const e = err as Error;
    const ename = e.name || e.constructor?.name || "Error";
    return { ename, evalue: String(e.message ?? ""), stack: typeof e.stack === "string" ? e.stack : undefined };
  }
  let evalue: string;
  try {
    evalue = typeof err === "string" ? err : (JSON.stringify(err) ?? String(err));
  } catch {
    evalue = String(err);
  }
  return { ename: "Uncaught", evalue, stack: undefined };
}

/** Builds the ename/evalue/traceback for a thrown value, with cell frames mapped to cell lines. */
export function formatError(err: unknown, cells: ReadonlyMap<string, CellRecord>): ErrorReport {
  const described = describe(err);
  const { ename, stack } = described;
  const evalue = explainMessage(ename, described.evalue);
  const frames = stack ? parseStack(stack) : [];
  const blocks: string[] = [];
  for (const frame of frames) {
    const cell = cells.get(frame.file);
    if (!cell || frame.line === cell.wrapperCallLine) continue;
    const pos = mapPosition(cell, frame.line, frame.column);
    const where = frame.fn && !frame.fn.startsWith("__deepts") ? `, in ${frame.fn}` : "";
    blocks.push(`${cell.label}, line ${pos.line}${where}\n${sourceExcerpt(cell.lines, pos.line)}`);
  }
  if (blocks.length === 0) {
    const outside = frames.filter((f) => !isInternal(f.file));
    if (outside.length > 0) {
      blocks.push(outside.map((f) => `  at ${f.fn ? `${f.fn} ` : ""}(${f.file}:${f.line}:${f.column})`).join("\n"));
    }
  }
  // V8 lists the innermost frame first; Jupyter users read tracebacks innermost last.
  blocks.reverse();
  const full = fullTraceback() && stack ? [`Full stack (DEEPTS_FULL_TRACEBACK=1):\n${stack}`] : [];
  return { ename, evalue, traceback: [...collapseRepeats(blocks), ...full, `${ename}: ${evalue}`] };
}

/** Deep recursion: runs of the same frame are shown once, with a count of the ones left out. */
function collapseRepeats(blocks: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < blocks.length; ) {
    let j = i + 1;
    while (j < blocks.length && blocks[j] === blocks[i]) j++;
    out.push(blocks[i]!);
    const repeats = j - i - 1;
    if (repeats > 1) out.push(`[... skipping similar frames: ${blocks[i]!.split("\n")[0]} (${repeats} times)]`);
    else if (repeats === 1) out.push(blocks[i]!);
    i = j;
  }
  return out;
}

export function parseSourceMap(json: string): SourceMap | undefined {
  if (!json) return undefined;
  try {
    return new SourceMap(JSON.parse(json));
  } catch {
    return undefined;
  }
}
