import type TS from "typescript";
import type { CompletionResult, Diagnostic, EvalOptions, InspectionResult } from "./api.js";

/** True when the cell's first line is a `// @ts-nocheck` comment. */
export function hasNoCheckDirective(code: string): boolean {
  return /^\s*\/\/\s*@ts-nocheck\b/.test(code);
}

export class CellChecker {
  constructor(private readonly ts: typeof TS, private readonly opts: EvalOptions) {}
  check(_code: string): Diagnostic[] { return []; }
  commit(_code: string): void {}
  complete(_code: string, cursorPos: number): CompletionResult { return { matches: [], cursorStart: cursorPos, cursorEnd: cursorPos }; }
  inspect(_code: string, _pos: number, _d: 0 | 1): InspectionResult { return { found: false, text: "", markdown: "" }; }
}
