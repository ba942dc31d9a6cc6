/**
 * The transformed JavaScript and parsed source map of the cells run lately, by their code: a cell
 * run again (the usual notebook loop: edit a later cell, re-run an earlier one) skips TypeScript's
 * emit. The transform depends on the code alone, so a hit is exactly what a fresh transform gives.
 */
import type { SourceMap } from "node:module";
import type TS from "typescript";
import { parseSourceMap } from "./traceback.js";
import { transformCell, type TransformedCell } from "./transform.js";

export interface PreparedCell {
  cell: TransformedCell;
  map: SourceMap | undefined;
}

export class TransformCache {
  private readonly entries = new Map<string, PreparedCell>();

  constructor(
    private readonly ts: typeof TS,
    private readonly capacity = 32,
  ) {}

  /** The cell transformed (syntax errors included), from the cache when the same code ran lately. */
  get(code: string, fileName: string): PreparedCell {
    const known = this.entries.get(code);
    if (known) {
      // Most recently used last: the first entry is the one to evict.
      this.entries.delete(code);
      this.entries.set(code, known);
      return known;
    }
    const cell = transformCell(this.ts, code, fileName);
    const prepared = { cell, map: cell.syntaxErrors.length > 0 ? undefined : parseSourceMap(cell.sourceMap) };
    this.entries.set(code, prepared);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
    return prepared;
  }
}
