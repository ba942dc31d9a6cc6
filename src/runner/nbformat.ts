/** Reading and writing nbformat 4 notebooks (the `.ipynb` JSON), with Jupyter's on-disk conventions. */
import { readFileSync, writeFileSync } from "node:fs";

/** A multiline string as stored: one string, or its lines (each ending in "\n" but the last). */
export type MultilineString = string | string[];
export type MimeBundle = Record<string, unknown>;

export type Output =
  | { output_type: "stream"; name: string; text: MultilineString }
  | { output_type: "display_data"; data: MimeBundle; metadata: Record<string, unknown> }
  | {
      output_type: "execute_result";
      execution_count: number | null;
      data: MimeBundle;
      metadata: Record<string, unknown>;
    }
  | { output_type: "error"; ename: string; evalue: string; traceback: string[] };

export interface CodeCell {
  cell_type: "code";
  id?: string;
  metadata: Record<string, unknown>;
  source: MultilineString;
  execution_count: number | null;
  outputs: Output[];
}

export interface OtherCell {
  cell_type: "markdown" | "raw";
  id?: string;
  metadata: Record<string, unknown>;
  source: MultilineString;
  attachments?: Record<string, MimeBundle>;
}

export type Cell = CodeCell | OtherCell;

export interface Notebook {
  nbformat: number;
  nbformat_minor: number;
  metadata: Record<string, unknown>;
  cells: Cell[];
}

/** Joins a stored multiline string. */
export function joinText(text: MultilineString | undefined): string {
  return Array.isArray(text) ? text.join("") : (text ?? "");
}

/** Splits text into the stored list of lines (each keeps its "\n"). */
export function splitLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/**
 * Reads a notebook file; throws a clear error when it is not nbformat 4.
 *
 * ```ts
 * const nb = readNotebook("notebooks/01-neural-networks-and-deep-learning.ipynb");
 * ```
 */
export function readNotebook(path: string): Notebook {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw new Error(
      `${path}: ${(e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : `not a notebook (${(e as Error).message})`}`,
    );
  }
  const nb = json as Partial<Notebook>;
  if (nb === null || typeof nb !== "object" || !Array.isArray(nb.cells))
    throw new Error(`${path}: not a notebook (no "cells" list)`);
  if (nb.nbformat !== 4) throw new Error(`${path}: nbformat ${String(nb.nbformat)} is not supported (only nbformat 4)`);
  for (const cell of nb.cells) {
    if (cell.cell_type === "code") {
      cell.outputs ??= [];
      cell.execution_count ??= null;
    }
    cell.metadata ??= {};
  }
  return { nbformat: 4, nbformat_minor: nb.nbformat_minor ?? 0, metadata: nb.metadata ?? {}, cells: nb.cells };
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
  );
}

/** Text-like mime types are stored as lists of lines (like nbformat's writer); others as they are. */
function storedData(data: MimeBundle): MimeBundle {
  const out: MimeBundle = {};
  for (const [mime, value] of Object.entries(data)) {
    const split =
      typeof value === "string" &&
      (mime.startsWith("text/") || mime === "application/javascript" || mime === "image/svg+xml");
    out[mime] = split ? splitLines(value) : value;
  }
  return out;
}

function storedOutput(output: Output): Output {
  switch (output.output_type) {
    case "stream":
      return { ...output, text: splitLines(joinText(output.text)) };
    case "display_data":
    case "execute_result":
      return { ...output, data: storedData(output.data) };
    default:
      return output;
  }
}

/** The notebook as Jupyter writes it: sorted keys, one-space indent, sources and texts as lists of lines. */
export function serializeNotebook(nb: Notebook): string {
  const cells = nb.cells.map((cell) => {
    const source = splitLines(joinText(cell.source));
    return cell.cell_type === "code"
      ? { ...cell, source, outputs: cell.outputs.map(storedOutput) }
      : { ...cell, source };
  });
  return JSON.stringify(sortKeys({ ...nb, cells }), null, 1) + "\n";
}

export function writeNotebook(path: string, nb: Notebook): void {
  writeFileSync(path, serializeNotebook(nb));
}
