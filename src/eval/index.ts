/**
 * Cell evaluation for the deepts kernel: TypeScript cells → type check → transform → run in
 * this thread's realm, plus completion, inspection and is-complete from a language service.
 *
 * TypeScript is loaded lazily (on the first call that needs it), so importing this module is cheap.
 *
 * @example
 * const flag = new Int32Array(new SharedArrayBuffer(4));
 * const ev = createCellEvaluator({ cwd: process.cwd(), residents: [], interruptFlag: flag });
 * await ev.execute("const x = 1");
 * const r = await ev.execute("x + 1"); // { status: "ok", value: 2, hasValue: true }
 */
import type {
  AnalysisHandle,
  CellEvaluator,
  CellResult,
  CompletionResult,
  EvalOptions,
  ExecuteOptions,
  InspectionResult,
  IsCompleteResult,
  ResidentType,
} from "./api.js";
import type { Evaluator } from "./evaluator.js";
import { completeFromRuntime } from "./runtime-completion.js";
import { analysisThreadAvailable, ThreadAnalyzer } from "./analyzer.js";

export type * from "./api.js";
export { InterruptError } from "./interrupt.js";

/**
 * Starts the type checker's thread for a notebook folder and its residents' types, before the
 * residents themselves are loaded, so that it builds its first program meanwhile. Gives undefined
 * where the thread cannot run (the evaluator then checks in its own thread).
 *
 * @example
 * const analysis = startAnalysis({ cwd, residents: [{ name: "tf", typesFrom: "/abs/dist/tf.d.ts" }] });
 * // … load tf …
 * const ev = createCellEvaluator({ cwd, residents, interruptFlag, analysis });
 */
export function startAnalysis(setup: { cwd: string; residents: ResidentType[] }): AnalysisHandle | undefined {
  if (!analysisThreadAvailable()) return undefined;
  const loadTypeScript = () =>
    import("typescript").then((m) => (m as { default?: typeof import("typescript") }).default ?? m);
  return new ThreadAnalyzer(loadTypeScript as () => Promise<typeof import("typescript")>, setup);
}

export function createCellEvaluator(opts: EvalOptions): CellEvaluator {
  if (!opts || typeof opts.cwd !== "string") throw new TypeError("createCellEvaluator: opts.cwd must be a folder path");
  if (!(opts.interruptFlag instanceof Int32Array) || opts.interruptFlag.length < 1) {
    throw new TypeError("createCellEvaluator: opts.interruptFlag must be an Int32Array (on a SharedArrayBuffer)");
  }
  if (!Array.isArray(opts.residents)) throw new TypeError("createCellEvaluator: opts.residents must be an array");
  for (const r of opts.residents) {
    Object.defineProperty(globalThis, r.name, {
      value: r.value,
      writable: true,
      configurable: true,
      enumerable: false,
    });
  }
  let impl: Evaluator | undefined;
  let disposed = false;
  // TypeScript (and so the evaluator) loads on the first call that needs it, not before: an idle
  // kernel stays small. Completion before then answers a dotted name from the live values (and
  // starts the load); inspection and is-complete wait for it.
  let loading: Promise<Evaluator> | undefined;
  const load = (): Promise<Evaluator> => {
    loading ??= import("./evaluator.js").then((m) => {
      impl = new m.Evaluator(opts);
      if (disposed) impl.dispose();
      return impl;
    });
    loading.catch(() => {});
    return loading;
  };

  return {
    async execute(code: string, options?: ExecuteOptions): Promise<CellResult> {
      let ev: Evaluator;
      try {
        ev = await load();
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        return { status: "error", ename: "EvaluatorError", evalue: message, traceback: [`EvaluatorError: ${message}`] };
      }
      if (typeof code !== "string") {
        return {
          status: "error",
          ename: "TypeError",
          evalue: "cell code must be a string",
          traceback: ["TypeError: cell code must be a string"],
        };
      }
      return ev.execute(code, options);
    },
    async complete(code: string, cursorPos: number): Promise<CompletionResult> {
      // Before TypeScript has even loaded, live values can answer (see runtime-completion.ts).
      const quick = impl ? undefined : completeFromRuntime(code, cursorPos);
      if (quick) {
        void load();
        return quick;
      }
      try {
        return await (await load()).complete(code, cursorPos);
      } catch {
        return { matches: [], cursorStart: cursorPos, cursorEnd: cursorPos };
      }
    },
    async inspect(code: string, cursorPos: number, detailLevel: 0 | 1): Promise<InspectionResult> {
      try {
        return await (await load()).inspect(code, cursorPos, detailLevel);
      } catch {
        return { found: false, text: "", markdown: "" };
      }
    },
    async isComplete(code: string): Promise<IsCompleteResult> {
      try {
        return (await load()).isComplete(code);
      } catch {
        return { status: "unknown" };
      }
    },
    abandon(): void {
      impl?.abandon();
    },
    async warmUp(): Promise<void> {
      await (await load()).warmUp();
    },
    dispose(): void {
      disposed = true;
      impl?.dispose();
    },
  };
}
