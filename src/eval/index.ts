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
  CellEvaluator,
  CellResult,
  CompletionResult,
  EvalOptions,
  ExecuteOptions,
  InspectionResult,
  IsCompleteResult,
} from "./api.js";
import type { Evaluator } from "./evaluator.js";

export type * from "./api.js";
export { InterruptError } from "./interrupt.js";

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
  // kernel stays small. Completion and inspection before then start the load and answer nothing.
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
    complete(code: string, cursorPos: number): CompletionResult {
      if (!impl) void load();
      return impl ? impl.complete(code, cursorPos) : { matches: [], cursorStart: cursorPos, cursorEnd: cursorPos };
    },
    inspect(code: string, cursorPos: number, detailLevel: 0 | 1): InspectionResult {
      if (!impl) void load();
      return impl ? impl.inspect(code, cursorPos, detailLevel) : { found: false, text: "", markdown: "" };
    },
    isComplete(code: string): IsCompleteResult {
      if (!impl) void load();
      return impl ? impl.isComplete(code) : { status: "unknown" };
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
