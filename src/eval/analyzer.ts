/**
 * The language-service side of evaluation (type checks, the notebook's declarations, completion,
 * inspection) behind one asynchronous interface, so it can run in its own thread: building the
 * first TypeScript program takes seconds, and the cells that do not need it (JavaScript cells)
 * must not wait for it. `createAnalyzer` picks the thread when the built worker file is there
 * (the kernel) and this thread otherwise (tests that load the sources).
 *
 * The language service is a helper: if it fails (a TypeScript bug, an odd file), cells still run,
 * unchecked, and the failure is reported once on stderr.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type TS from "typescript";
import type { AnalysisHandle, CompletionResult, Diagnostic, InspectionResult } from "./api.js";
import type { CheckMode } from "./cell-mode.js";
import { CellChecker, type CheckedMode, type CheckerSetup } from "./checker.js";

export interface Analyzer extends AnalysisHandle {
  /** Type errors of a cell in the context of the committed cells. */
  check(code: string, mode: CheckedMode): Promise<Diagnostic[]>;
  /** Adds an executed cell's declarations (in order with checks). */
  commit(code: string, mode: CheckMode): void;
  complete(code: string, cursorPos: number, mode: CheckedMode): Promise<CompletionResult>;
  inspect(code: string, cursorPos: number, detailLevel: 0 | 1, mode: CheckedMode): Promise<InspectionResult>;
  /** True once the language service has built its first program (answers come quickly). */
  readonly warm: boolean;
  /** Resolves when the service is warm. */
  warmUp(): Promise<void>;
  dispose(): void;
}

/** Requests from the evaluator's thread to the analysis thread. */
export type AnalysisRequest =
  | { id: number; kind: "check"; code: string; mode: CheckedMode }
  | { id: number; kind: "commit"; code: string; mode: CheckMode }
  | { id: number; kind: "complete"; code: string; cursorPos: number; mode: CheckedMode }
  | { id: number; kind: "inspect"; code: string; cursorPos: number; detailLevel: 0 | 1; mode: CheckedMode }
  | { id: number; kind: "warm-up" };

export type AnalysisReply = { id: number; result: unknown } | { id: number; failed: string; stack: string };

const NO_COMPLETIONS = (pos: number): CompletionResult => ({ matches: [], cursorStart: pos, cursorEnd: pos });
const NOT_FOUND: InspectionResult = { found: false, text: "", markdown: "" };

/** Writes each kind of failure once. */
function failureReporter(): (what: string, detail: string) => void {
  const reported = new Set<string>();
  return (what, detail) => {
    if (reported.has(what)) return;
    reported.add(what);
    process.stderr.write(`deepts: ${what} failed, going on without it: ${detail}\n`);
  };
}

/** Runs a request against a checker; the one place both analyzers answer from. */
export function answer(checker: CellChecker, request: AnalysisRequest, residents: readonly string[]): unknown {
  switch (request.kind) {
    case "check":
      return checker.check(request.code, request.mode);
    case "commit":
      return checker.commit(request.code, request.mode);
    case "complete":
      return checker.complete(request.code, request.cursorPos, request.mode);
    case "inspect":
      return checker.inspect(request.code, request.cursorPos, request.detailLevel, request.mode);
    case "warm-up":
      return warmUpChecker(checker, residents);
  }
}

/** Builds the first program and touches every resident's type, so the first real cell is fast. */
export function warmUpChecker(checker: CellChecker, residents: readonly string[]): void {
  const names = residents.map((n) => `${n};`).join("\n");
  checker.check(`const __deepts_warmup: number = 1;\n__deepts_warmup.toFixed(2);\n${names}`, "typescript");
  const first = residents[0] ?? "Math";
  checker.complete(`${first}.`, first.length + 1, "typescript");
}

/** What a failed request answers with: nothing to report, so the cell runs unchecked. */
function fallback(request: AnalysisRequest): unknown {
  if (request.kind === "check") return [];
  if (request.kind === "complete") return NO_COMPLETIONS(request.cursorPos);
  if (request.kind === "inspect") return NOT_FOUND;
  return undefined;
}

function describeRequest(request: AnalysisRequest): string {
  return request.kind === "check" ? "type check" : request.kind === "commit" ? "recording a cell" : request.kind;
}

/** The checker in this thread. */
export class InlineAnalyzer implements Analyzer {
  private readonly checker: CellChecker;
  private readonly report = failureReporter();
  warm = false;

  constructor(
    ts: typeof TS,
    private readonly setup: CheckerSetup,
  ) {
    this.checker = new CellChecker(ts, setup);
  }

  private run<T>(request: AnalysisRequest): T {
    try {
      return answer(
        this.checker,
        request,
        this.setup.residents.map((r) => r.name),
      ) as T;
    } catch (err) {
      this.report(describeRequest(request), (err as Error)?.stack ?? String(err));
      return fallback(request) as T;
    }
  }

  async check(code: string, mode: CheckedMode): Promise<Diagnostic[]> {
    const r = this.run<Diagnostic[]>({ id: 0, kind: "check", code, mode });
    this.warm = true;
    return r;
  }

  commit(code: string, mode: CheckMode): void {
    this.run({ id: 0, kind: "commit", code, mode });
  }

  async complete(code: string, cursorPos: number, mode: CheckedMode): Promise<CompletionResult> {
    return this.run({ id: 0, kind: "complete", code, cursorPos, mode });
  }

  async inspect(code: string, cursorPos: number, detailLevel: 0 | 1, mode: CheckedMode): Promise<InspectionResult> {
    return this.run({ id: 0, kind: "inspect", code, cursorPos, detailLevel, mode });
  }

  async warmUp(): Promise<void> {
    if (this.warm) return;
    this.run({ id: 0, kind: "warm-up" });
    this.warm = true;
  }

  dispose(): void {}
}

const WORKER_FILE = new URL("./analysis-worker.js", import.meta.url);

/**
 * The checker in a worker thread of its own. Requests are answered in order. If the thread dies,
 * an inline checker takes over (the committed cells are replayed into it).
 */
export class ThreadAnalyzer implements Analyzer {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, { request: AnalysisRequest; resolve: (v: unknown) => void }>();
  private nextId = 1;
  private readonly commits: { code: string; mode: CheckMode }[] = [];
  private inline: Promise<InlineAnalyzer> | undefined;
  private readonly report = failureReporter();
  private readonly warmed: Promise<void>;
  warm = false;

  /** `loadTypeScript` is called only if the thread dies (the inline checker that takes over needs it). */
  constructor(
    private readonly loadTypeScript: () => Promise<typeof TS>,
    private readonly setup: CheckerSetup,
  ) {
    const worker = new Worker(WORKER_FILE, { workerData: setup, stdout: false, stderr: false });
    worker.unref();
    worker.on("message", (reply: AnalysisReply) => this.settle(reply));
    worker.on("error", (err) => this.takeOver(`it threw ${(err as Error)?.stack ?? String(err)}`));
    worker.on("exit", (code) => this.takeOver(`it exited with code ${code}`));
    this.worker = worker;
    this.warmed = this.request<void>({ id: 0, kind: "warm-up" }).then(() => {
      this.warm = true;
    });
  }

  private settle(reply: AnalysisReply): void {
    const p = this.pending.get(reply.id);
    if (!p) return;
    this.pending.delete(reply.id);
    if ("failed" in reply) {
      this.report(describeRequest(p.request), reply.stack || reply.failed);
      p.resolve(fallback(p.request));
    } else p.resolve(reply.result);
  }

  /** The thread is gone: answer everything from an inline checker from now on. */
  private takeOver(why: string): void {
    if (!this.worker) return;
    this.worker = undefined;
    process.stderr.write(`deepts: the type-checking thread stopped (${why}); checking goes on in the cell thread\n`);
    this.inline = this.loadTypeScript().then((ts) => {
      const inline = new InlineAnalyzer(ts, this.setup);
      for (const c of this.commits) inline.commit(c.code, c.mode);
      this.warm = true;
      return inline;
    });
    const waiting = [...this.pending.values()];
    this.pending.clear();
    for (const p of waiting) {
      if (p.request.kind === "commit" || p.request.kind === "warm-up") p.resolve(undefined);
      else void this.forward(p.request).then(p.resolve);
    }
  }

  private async forward(request: AnalysisRequest): Promise<unknown> {
    const inline = await this.inline!;
    switch (request.kind) {
      case "check":
        return inline.check(request.code, request.mode);
      case "complete":
        return inline.complete(request.code, request.cursorPos, request.mode);
      case "inspect":
        return inline.inspect(request.code, request.cursorPos, request.detailLevel, request.mode);
      case "commit":
        inline.commit(request.code, request.mode);
        return undefined;
      case "warm-up":
        return inline.warmUp();
    }
  }

  private request<T>(request: AnalysisRequest): Promise<T> {
    if (!this.worker) return this.forward(request) as Promise<T>;
    const id = this.nextId++;
    const message = { ...request, id };
    return new Promise<T>((resolve) => {
      this.pending.set(id, { request: message, resolve: resolve as (v: unknown) => void });
      this.worker!.postMessage(message);
    });
  }

  check(code: string, mode: CheckedMode): Promise<Diagnostic[]> {
    return this.request({ id: 0, kind: "check", code, mode });
  }

  commit(code: string, mode: CheckMode): void {
    this.commits.push({ code, mode });
    void this.request({ id: 0, kind: "commit", code, mode });
  }

  complete(code: string, cursorPos: number, mode: CheckedMode): Promise<CompletionResult> {
    return this.request({ id: 0, kind: "complete", code, cursorPos, mode });
  }

  inspect(code: string, cursorPos: number, detailLevel: 0 | 1, mode: CheckedMode): Promise<InspectionResult> {
    return this.request({ id: 0, kind: "inspect", code, cursorPos, detailLevel, mode });
  }

  warmUp(): Promise<void> {
    return this.warmed;
  }

  dispose(): void {
    const worker = this.worker;
    this.worker = undefined;
    void worker?.terminate();
    for (const p of this.pending.values()) p.resolve(fallback(p.request));
    this.pending.clear();
  }
}

/** True where the analysis thread can run: its built worker file is there (not when tests load the sources). */
export function analysisThreadAvailable(): boolean {
  return WORKER_FILE.protocol === "file:" && existsSync(fileURLToPath(WORKER_FILE));
}

/** The analyzer in its own thread where it can run, else in this thread. */
export function createAnalyzer(ts: typeof TS, setup: CheckerSetup, thread = true): Analyzer {
  return thread && analysisThreadAvailable()
    ? new ThreadAnalyzer(async () => ts, setup)
    : new InlineAnalyzer(ts, setup);
}
