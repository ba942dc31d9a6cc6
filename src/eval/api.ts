/**
 * The contract between the kernel's executor (src/kernel) and cell evaluation (src/eval).
 * Evaluation runs in the executor's worker thread, in that thread's own global realm, so values
 * made by the runtime and by cells share one set of built-ins.
 */

export interface Diagnostic {
  /** 1-based line and column within the cell. */
  line: number;
  column: number;
  message: string;
  code: number;
}

/** A cell's outcome, shaped like the Jupyter execute_reply/error it becomes. */
export type CellResult =
  | { status: "ok"; value: unknown; hasValue: boolean }
  | {
      status: "error";
      ename: string;
      evalue: string;
      traceback: string[];
      /** Compile errors (ename "CompileError"/"SyntaxError"), positioned in the cell. */
      diagnostics?: Diagnostic[];
    };

/** An error reported after its cell finished (e.g. a rejected promise nobody awaited). */
export interface BackgroundError {
  ename: string;
  evalue: string;
  traceback: string[];
}

export interface CompletionResult {
  matches: string[];
  cursorStart: number;
  cursorEnd: number;
  /** Per-match type/kind, for `_jupyter_types_experimental`. */
  types?: { text: string; type: string; signature?: string; start: number; end: number }[];
}

export interface InspectionResult {
  found: boolean;
  /** Plain text (signature and doc comment). */
  text: string;
  /** The same as markdown. */
  markdown: string;
}

export interface IsCompleteResult {
  status: "complete" | "incomplete" | "invalid" | "unknown";
  indent?: string;
}

/** A global that is resident in every cell without import (e.g. `tf`, `display`). */
export interface ResidentGlobal {
  name: string;
  value: unknown;
  /**
   * Module specifier or absolute path whose type describes `value` (used as `typeof import(...)`;
   * a `.d.ts` path is fine). A `#member` suffix takes one export: `"/abs/display/index.d.ts#display"`.
   * A whole module also names its types through the global (`tf.Tensor` as a type).
   */
  typesFrom: string;
  /**
   * Package names that `import`/`require` in a cell resolve to this resident when the notebook's
   * folder does not have the package itself (e.g. `@tensorflow/tfjs` for `tf`), so pasted
   * programs run unchanged. Only for whole-module residents (no `#member`).
   */
  moduleNames?: string[];
}

/** A resident global as the type checker needs it: no value (the checker may run in another thread). */
export type ResidentType = Pick<ResidentGlobal, "name" | "typesFrom" | "moduleNames">;

/**
 * The type checker, started ahead of the evaluator (`startAnalysis`) so that it builds its first
 * program while the rest of the kernel loads; give it to `createCellEvaluator` as `analysis`.
 */
export interface AnalysisHandle {
  /** Stops its thread. */
  dispose(): void;
}

export interface EvalOptions {
  /** Folder that `import` resolves from first (the notebook's folder). */
  cwd: string;
  residents: ResidentGlobal[];
  /**
   * Shared flag checked at every loop iteration and function entry of cell code: when
   * `Atomics.load(flag, 0) !== 0` the cell throws an InterruptError. The kernel sets it on
   * SIGINT/interrupt_request and clears it before the next cell.
   */
  interruptFlag: Int32Array;
  /**
   * Receives uncaught errors and unhandled rejections that happen while no cell is running
   * (during a cell they become that cell's error result). Default: written to stderr.
   */
  onBackgroundError?: (error: BackgroundError) => void;
  /**
   * Run the language service (type checks, completion, inspection) in a thread of its own, so
   * that building it never delays a cell that does not need it (default true; it runs in the
   * calling thread when the built worker file is not there, e.g. when the sources are loaded by a
   * test runner).
   */
  analysisThread?: boolean;
  /** The checker `startAnalysis` started for these residents (else the evaluator starts one). */
  analysis?: AnalysisHandle;
  /**
   * Runs before each module a cell imports that is not built into Node, e.g. to install module
   * hooks (`module.register`) only once a cell imports something: starting Node's hooks thread
   * costs tens of milliseconds that a kernel whose cells import nothing need not spend.
   */
  beforeImport?: () => void;
}

export interface ExecuteOptions {
  /**
   * Type-check the cell before running it (default true; a first line `// @ts-nocheck` also turns
   * it off). How a cell is checked is the type policy of `cell-mode.ts`.
   */
  typeCheck?: boolean;
  /** The kernel's execution count, shown in tracebacks as `Cell In[n]` (default: the evaluator's own count). */
  executionCount?: number;
}

export interface CellEvaluator {
  /** Type-checks (unless disabled for the cell), transforms and runs one cell; never throws. */
  execute(code: string, opts?: ExecuteOptions): Promise<CellResult>;
  /**
   * Completions at the cursor. Right after start, while the language service is being built, a
   * dotted name (`Math.ab`, `tf.la`) is completed from the live values instead.
   */
  complete(code: string, cursorPos: number): Promise<CompletionResult>;
  inspect(code: string, cursorPos: number, detailLevel: 0 | 1): Promise<InspectionResult>;
  isComplete(code: string): Promise<IsCompleteResult>;
  /**
   * Forgets the running cell after its host terminated its JavaScript (so that the cell's promise
   * never settles): later cells run normally and see the declarations the cell made.
   */
  abandon?(): void;
  /** Loads TypeScript and resolves when the language service is built (off the critical path). */
  warmUp(): Promise<void>;
  /** Removes the process handlers this evaluator installed (for tests and shutdown). */
  dispose?(): void;
}
