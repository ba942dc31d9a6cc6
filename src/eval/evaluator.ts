/**
 * The cell evaluator proper (loaded lazily by `index.ts` because it pulls in TypeScript).
 * Runs transformed cells with `vm.runInThisContext`, i.e. in the calling thread's own realm.
 */
import ts from "./typescript.js";
import vm from "node:vm";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { createRequire } from "node:module";
import type {
  BackgroundError,
  CellResult,
  CompletionResult,
  Diagnostic,
  EvalOptions,
  ExecuteOptions,
  InspectionResult,
  IsCompleteResult,
} from "./api.js";
import { RUNTIME_NAMES } from "./transform.js";
import { TransformCache } from "./transform-cache.js";
import { createModuleLoader, importDefault, importNamed } from "./imports.js";
import { InterruptError, makeInterruptCheck } from "./interrupt.js";
import { formatError, sourceExcerpt, type CellRecord } from "./traceback.js";
import { CellChecker, hasNoCheckDirective, lineColumn } from "./checker.js";
import { checkCompleteness } from "./is-complete.js";

/** How often a pending cell looks at the interrupt flag (for awaits that never reach a check). */
const INTERRUPT_POLL_MS = 25;

interface RunningCell {
  fileName: string;
  fail: (err: unknown) => void;
  /** Records the cell's declarations for the type checker (once). */
  commit: () => void;
}

/** The cell files (`cell-N.ts`) an error's stack passes through. */
function cellFilesOf(err: unknown): Set<string> {
  const stack = err instanceof Error ? String(err.stack ?? "") : "";
  return new Set(stack.match(/cell-\d+\.ts/g) ?? []);
}

export class Evaluator {
  private readonly cells = new Map<string, CellRecord>();
  private readonly checker: CellChecker;
  private readonly transforms = new TransformCache(ts);
  private readonly helpers: Record<string, unknown>;
  private running: RunningCell | undefined;
  private sequence = 0;
  private readonly reportedFailures = new Set<string>();
  private readonly onRejection = (reason: unknown) => this.background(reason, "rejection");
  private readonly onException = (err: unknown) => this.background(err, "exception");

  constructor(private readonly opts: EvalOptions) {
    this.checker = new CellChecker(ts, opts);
    this.helpers = {
      [RUNTIME_NAMES.check]: makeInterruptCheck(opts.interruptFlag),
      [RUNTIME_NAMES.declare]: declareGlobals,
      [RUNTIME_NAMES.importModule]: createModuleLoader(opts.cwd),
      [RUNTIME_NAMES.importDefault]: importDefault,
      [RUNTIME_NAMES.importNamed]: importNamed,
      [RUNTIME_NAMES.importMeta]: { url: pathToFileURL(path.join(opts.cwd, "notebook.ts")).href, dirname: opts.cwd },
    };
    // @types/node declares a global `require`; give cells one that resolves from the notebook folder.
    if (typeof (globalThis as { require?: unknown }).require === "undefined") {
      Object.defineProperty(globalThis, "require", {
        value: createRequire(path.join(path.resolve(opts.cwd), "notebook.js")),
        writable: true,
        configurable: true,
        enumerable: false,
      });
    }
    // Errors thrown deep inside the runtime must still have the cell's frames in their stack.
    Error.stackTraceLimit = Math.max(Error.stackTraceLimit, 50);
    process.on("unhandledRejection", this.onRejection);
    process.on("uncaughtException", this.onException);
  }

  dispose(): void {
    process.off("unhandledRejection", this.onRejection);
    process.off("uncaughtException", this.onException);
  }

  async execute(code: string, options: ExecuteOptions = {}): Promise<CellResult> {
    const id = ++this.sequence;
    const fileName = `cell-${id}.ts`;
    const label = `Cell In[${options.executionCount ?? id}]`;
    const lines = code.split(/\r?\n/);
    try {
      const { cell: out, map } = this.transforms.get(code, fileName);
      if (out.syntaxErrors.length > 0) {
        const diagnostics = out.syntaxErrors.map((e) => this.toDiagnostic(code, e.start, e.message, e.code));
        return compileError("SyntaxError", diagnostics, lines, label);
      }
      const typeCheck = (options.typeCheck ?? true) && !hasNoCheckDirective(code);
      if (typeCheck) {
        const diagnostics = this.guard("type check", () => this.checker.check(code), []);
        if (diagnostics.length > 0) return compileError("CompileError", diagnostics, lines, label);
      }
      const record: CellRecord = {
        fileName,
        label,
        lines,
        map,
        wrapperCallLine: out.js.trimEnd().split("\n").length,
      };
      this.cells.set(fileName, record);
      let committed = false;
      const commit = () => {
        if (committed) return;
        committed = true;
        this.guard("recording the cell's declarations", () => this.checker.commit(code), undefined);
      };
      const outcome = await this.run(out.js, fileName, commit);
      commit();
      if (outcome.error !== undefined) return { status: "error", ...formatError(outcome.error, this.cells) };
      const value = outcome.value;
      return { status: "ok", value, hasValue: out.hasLastExpression && value !== undefined };
    } catch (err) {
      return { status: "error", ...formatError(err, this.cells) };
    }
  }

  private run(js: string, fileName: string, commit: () => void): Promise<{ value?: unknown; error?: unknown }> {
    for (const [name, value] of Object.entries(this.helpers)) {
      Object.defineProperty(globalThis, name, { value, writable: true, configurable: true, enumerable: false });
    }
    return new Promise((resolve) => {
      let settled = false;
      let flagSeen = false;
      const finish = (r: { value?: unknown; error?: unknown }) => {
        if (settled) return;
        settled = true;
        clearInterval(poll);
        this.running = undefined;
        resolve(r);
      };
      // An await that never reaches an instrumented check (a pending promise) still stops on
      // interrupt: give the cell one poll period to throw from its own check, then give up on it.
      const poll = setInterval(() => {
        if (Atomics.load(this.opts.interruptFlag, 0) === 0) return;
        if (flagSeen) finish({ error: new InterruptError() });
        flagSeen = true;
      }, INTERRUPT_POLL_MS);
      this.running = { fileName, fail: (error) => finish({ error }), commit };
      let promise: Promise<{ value: unknown } | undefined>;
      try {
        promise = vm.runInThisContext(js, { filename: fileName, displayErrors: false }) as Promise<
          { value: unknown } | undefined
        >;
      } catch (error) {
        finish({ error });
        return;
      }
      promise.then(
        (r) => finish({ value: r?.value }),
        (error) => finish({ error }),
      );
    });
  }

  /** See CellEvaluator.abandon. */
  abandon(): void {
    const cell = this.running;
    if (!cell) return;
    cell.commit();
    cell.fail(new InterruptError());
  }

  /**
   * Uncaught errors outside the cell's own promise chain fail the running cell, unless they come
   * from an earlier cell (a timer or callback it left behind): those, and errors while no cell runs,
   * are reported on stderr, saying where they came from.
   */
  private background(err: unknown, kind: "exception" | "rejection"): void {
    const files = cellFilesOf(err);
    const fromEarlierCell = files.size > 0 && this.running !== undefined && !files.has(this.running.fileName);
    if (this.running && !fromEarlierCell) {
      this.running.fail(err);
      return;
    }
    const formatted = formatError(err, this.cells);
    const origin = [...files].map((f) => this.cells.get(f)?.label).find((label) => label !== undefined);
    const from = origin ? ` from ${origin}` : "";
    const what =
      kind === "rejection"
        ? `A promise${from} was rejected and nothing handled the rejection (use await or .catch):`
        : `An uncaught error in a timer or callback${from} (it ran after its cell had finished):`;
    const report: BackgroundError = { ...formatted, traceback: [what, ...formatted.traceback] };
    if (this.opts.onBackgroundError) this.opts.onBackgroundError(report);
    else process.stderr.write(`${report.traceback.join("\n")}\n`);
  }

  private toDiagnostic(code: string, start: number, message: string, codeNumber: number): Diagnostic {
    return { ...lineColumn(code, start), message, code: codeNumber };
  }

  complete(code: string, cursorPos: number): CompletionResult {
    const none = { matches: [], cursorStart: cursorPos, cursorEnd: cursorPos };
    return this.guard("completion", () => this.checker.complete(code, cursorPos), none);
  }

  inspect(code: string, cursorPos: number, detailLevel: 0 | 1): InspectionResult {
    return this.guard("inspection", () => this.checker.inspect(code, cursorPos, detailLevel), {
      found: false,
      text: "",
      markdown: "",
    });
  }

  /**
   * The language service is a helper: if it fails (a TypeScript bug, an odd file), cells still
   * run, unchecked, and the failure is reported once on stderr.
   */
  private guard<T>(what: string, action: () => T, fallback: T): T {
    try {
      return action();
    } catch (err) {
      if (!this.reportedFailures.has(what)) {
        this.reportedFailures.add(what);
        process.stderr.write(`deepts: ${what} failed, going on without it: ${(err as Error)?.stack ?? String(err)}\n`);
      }
      return fallback;
    }
  }

  isComplete(code: string): IsCompleteResult {
    return checkCompleteness(ts, code);
  }

  async warmUp(): Promise<void> {
    // Touch every resident's type too, so the first real cell does not pay for resolving it.
    const residents = this.opts.residents.map((r) => `${r.name};`).join("\n");
    this.checker.check(`const __deepts_warmup: number = 1;\n__deepts_warmup.toFixed(2);\n${residents}`);
    const first = this.opts.residents[0]?.name ?? "Math";
    this.checker.complete(`${first}.`, first.length + 1);
  }
}

function declareGlobals(names: string[]): void {
  const g = globalThis as Record<string, unknown>;
  for (const name of names) {
    if (!Object.hasOwn(g, name)) g[name] = undefined;
  }
}

function compileError(ename: string, diagnostics: Diagnostic[], lines: string[], label: string): CellResult {
  const traceback = diagnostics.map((d) => {
    const excerpt = sourceExcerpt(lines, d.line, 0);
    const caret = `${" ".repeat(6 + String(d.line).length + d.column)}^`;
    return `${label}, line ${d.line}:col ${d.column} - error TS${d.code}: ${d.message}\n${excerpt}\n${caret}`;
  });
  const first = diagnostics[0]!;
  const evalue =
    `line ${first.line}:col ${first.column} - error TS${first.code}: ${first.message}` +
    (diagnostics.length > 1 ? ` (and ${diagnostics.length - 1} more)` : "");
  return { status: "error", ename, evalue, traceback: [...traceback, `${ename}: ${evalue}`], diagnostics };
}
