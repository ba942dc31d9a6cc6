/**
 * The cell evaluator proper (loaded lazily by `index.ts` because it pulls in TypeScript).
 * Runs transformed cells with `vm.runInThisContext`, i.e. in the calling thread's own realm.
 */
import ts from "./typescript.js";
import vm from "node:vm";
import path from "node:path";
import { pathToFileURL } from "node:url";
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
import { RUNTIME_NAMES, transformCell } from "./transform.js";
import { TransformCache } from "./transform-cache.js";
import { createCellRequire, createModuleLoader, importDefault, importNamed } from "./imports.js";
import { InterruptError, makeInterruptCheck } from "./interrupt.js";
import { formatError, sourceExcerpt, type CellRecord } from "./traceback.js";
import { missingNameHint } from "./explain.js";
import { lineColumn, type CheckedMode } from "./checker.js";
import { checkCompleteness } from "./is-complete.js";
import { createAnalyzer, type Analyzer } from "./analyzer.js";
import { cellMode, typeCheckSetting, type CheckMode } from "./cell-mode.js";
import { findUnboundNames } from "./certain-failures.js";
import { completeFromRuntime } from "./runtime-completion.js";
import { engineSyntaxError } from "./engine-syntax.js";

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
  private readonly analyzer: Analyzer;
  private readonly transforms = new TransformCache(ts);
  private readonly helpers: Record<string, unknown>;
  private running: RunningCell | undefined;
  private sequence = 0;
  private readonly reportedFailures = new Set<string>();
  private readonly onRejection = (reason: unknown) => this.background(reason, "rejection");
  private readonly onException = (err: unknown) => this.background(err, "exception");

  constructor(private readonly opts: EvalOptions) {
    this.analyzer =
      (opts.analysis as Analyzer | undefined) ??
      createAnalyzer(
        ts,
        {
          cwd: opts.cwd,
          residents: opts.residents.map((r) => ({ name: r.name, typesFrom: r.typesFrom, moduleNames: r.moduleNames })),
        },
        opts.analysisThread ?? true,
      );
    const aliases = new Map<string, unknown>();
    for (const r of opts.residents) for (const name of r.moduleNames ?? []) aliases.set(name, r.value);
    this.helpers = {
      [RUNTIME_NAMES.check]: makeInterruptCheck(opts.interruptFlag),
      [RUNTIME_NAMES.declare]: declareGlobals,
      [RUNTIME_NAMES.importModule]: createModuleLoader(opts.cwd, aliases, opts.beforeImport),
      [RUNTIME_NAMES.importDefault]: importDefault,
      [RUNTIME_NAMES.importNamed]: importNamed,
      [RUNTIME_NAMES.importMeta]: { url: pathToFileURL(path.join(opts.cwd, "notebook.ts")).href, dirname: opts.cwd },
    };
    // @types/node declares a global `require`; give cells one that resolves from the notebook folder.
    if (typeof (globalThis as { require?: unknown }).require === "undefined") {
      Object.defineProperty(globalThis, "require", {
        value: createCellRequire(opts.cwd, aliases),
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
    this.analyzer.dispose();
  }

  async execute(code: string, options: ExecuteOptions = {}): Promise<CellResult> {
    const id = ++this.sequence;
    const fileName = `cell-${id}.ts`;
    const label = `Cell In[${options.executionCount ?? id}]`;
    const lines = code.split(/\r?\n/);
    try {
      const { cell: out, map } = this.transforms.get(code, fileName);
      const syntaxErrors = out.syntaxErrors.length > 0 ? out.syntaxErrors : [engineSyntaxError(out.js, map, code)];
      if (syntaxErrors[0]) {
        const diagnostics = syntaxErrors.map((e) => this.toDiagnostic(code, e!.start, e!.message, e!.code));
        return compileError("SyntaxError", diagnostics, lines, label);
      }
      const { mode, checkAll, typescriptSyntax } = cellMode(ts, code, typeCheckSetting());
      const checkedAs: CheckMode = options.typeCheck === false ? "off" : mode;
      if (checkedAs !== "off") {
        const diagnostics = await this.typeErrors(code, checkedAs, checkAll);
        if (diagnostics === "interrupted") return interrupted();
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
        // An unchecked cell joins the notebook as what its syntax says it is.
        const mode = checkedAs !== "off" ? checkedAs : typescriptSyntax ? "typescript" : "javascript";
        this.guard("recording the cell's declarations", () => this.analyzer.commit(code, mode), undefined);
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

  /**
   * What refuses the cell: for JavaScript, names it certainly reads that nothing defines (all
   * diagnostics with `// @ts-check`); for TypeScript, every type error. Waiting for the language
   * service stops on interrupt.
   */
  private async typeErrors(code: string, mode: CheckedMode, checkAll: boolean): Promise<Diagnostic[] | "interrupted"> {
    if (mode === "javascript") {
      const g = globalThis as Record<string, unknown>;
      const unbound = findUnboundNames(
        ts,
        code,
        (name) => name in g,
        () => Object.getOwnPropertyNames(g),
      );
      if (unbound.length > 0) {
        return unbound.map((u) => {
          const hint = missingNameHint(u.name);
          const message = `Cannot find name '${u.name}'.${hint ? ` (${hint})` : u.suggestion ? ` Did you mean '${u.suggestion}'?` : ""}`;
          return this.toDiagnostic(code, u.start, message, u.suggestion ? 2552 : 2304);
        });
      }
      if (!checkAll) return [];
    }
    const found = await untilInterrupted(this.analyzer.check(code, mode), this.opts.interruptFlag);
    return found === "interrupted" ? found : found.map(withPageHint);
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

  /** How the language service should see a cell being edited. */
  private editingMode(code: string): CheckedMode {
    const { mode } = cellMode(ts, code, typeCheckSetting());
    return mode === "off" ? "typescript" : mode;
  }

  async complete(code: string, cursorPos: number): Promise<CompletionResult> {
    if (!this.analyzer.warm) {
      const quick = completeFromRuntime(code, cursorPos);
      if (quick) return quick;
    }
    return this.analyzer.complete(code, cursorPos, this.editingMode(code));
  }

  async inspect(code: string, cursorPos: number, detailLevel: 0 | 1): Promise<InspectionResult> {
    return this.analyzer.inspect(code, cursorPos, detailLevel, this.editingMode(code));
  }

  isComplete(code: string): IsCompleteResult {
    const r = checkCompleteness(ts, code);
    if (r.status !== "complete" || code.trim() === "") return r;
    // What only the engine rejects (strict-mode rules: `let = 5`) is invalid too.
    const out = transformCell(ts, code, "is-complete.ts");
    const invalid = out.syntaxErrors.length > 0 || engineSyntaxError(out.js, undefined, code) !== undefined;
    return invalid ? { status: "invalid" } : r;
  }

  warmUp(): Promise<void> {
    return this.analyzer.warmUp();
  }
}

/** `promise`, or "interrupted" as soon as the interrupt flag is set while waiting for it. */
function untilInterrupted<T>(promise: Promise<T>, flag: Int32Array): Promise<T | "interrupted"> {
  return new Promise((resolve, reject) => {
    const poll = setInterval(() => {
      if (Atomics.load(flag, 0) === 0) return;
      clearInterval(poll);
      resolve("interrupted");
    }, INTERRUPT_POLL_MS);
    promise.then(
      (v) => {
        clearInterval(poll);
        resolve(v);
      },
      (e) => {
        clearInterval(poll);
        reject(e);
      },
    );
  });
}

function interrupted(): CellResult {
  const e = new InterruptError();
  return { status: "error", ename: e.name, evalue: e.message, traceback: [`${e.name}: ${e.message}`] };
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
    return `${label}, line ${d.line}:col ${d.column} - ${errorLabel(d)}: ${d.message}\n${excerpt}\n${caret}`;
  });
  const first = diagnostics[0]!;
  const evalue =
    `line ${first.line}:col ${first.column} - ${errorLabel(first)}: ${first.message}` +
    (diagnostics.length > 1 ? ` (and ${diagnostics.length - 1} more)` : "");
  return { status: "error", ename, evalue, traceback: [...traceback, `${ename}: ${evalue}`], diagnostics };
}

/** `error TS2322`, or plain `error` for what the JavaScript engine reports (code 0). */
function errorLabel(d: Diagnostic): string {
  return d.code > 0 ? `error TS${d.code}` : "error";
}

/** TypeScript's "change your target library" advice for `document` & co. replaced by what a kernel offers. */
function withPageHint(d: Diagnostic): Diagnostic {
  const name = /^Cannot find name '([A-Za-z]+)'/.exec(d.message)?.[1];
  const hint = name === undefined ? undefined : missingNameHint(name);
  return hint ? { ...d, message: `Cannot find name '${name}'. (${hint})` } : d;
}
