/**
 * `Output`: an output area inside a widget layout. Code run with `capture` sends its `display`,
 * plots and `console` text there (the kernel keeps the outputs as the widget's `outputs` state).
 */
import { toMimeBundle } from "../display/bundle.js";
import { type DisplaySink, type MimeBundle, withDisplaySink } from "../display/sink.js";
import { DOMWidget, type DOMWidgetOptions } from "./dom-widget.js";
import { OUTPUT, OUTPUT_VERSION } from "./model-spec.js";

/** One output as in a notebook file (nbformat 4). */
export type OutputItem =
  | { output_type: "stream"; name: "stdout" | "stderr"; text: string }
  | { output_type: "display_data"; data: MimeBundle; metadata: Record<string, unknown> }
  | { output_type: "error"; ename: string; evalue: string; traceback: string[] };

/** Output widgets with an update waiting to be sent. */
const pending = new Set<Output>();

/** Sends every waiting Output update now (the kernel does this when a cell ends, so its outputs are complete). */
export function flushOutputWidgets(): void {
  for (const out of [...pending]) out.flushNow();
}

/** Most `outputs` updates per second sent while output keeps coming. */
const MAX_RATE = 50;

/**
 * An output area widget.
 * @example
 * const out = new widgets.Output();
 * display(out);
 * await out.capture(() => { console.log("inside"); display(plot.line([1, 3, 2])); });
 * out.clear();
 */
export class Output extends DOMWidget implements DisplaySink {
  private items: OutputItem[] = [];
  private readonly byDisplayId = new Map<string, number>();
  private clearOnNext = false;
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  private lastFlush = 0;

  constructor(options: DOMWidgetOptions = {}) {
    super({ name: "Output", module: OUTPUT, version: OUTPUT_VERSION, defaults: { msg_id: "", outputs: [] } }, options);
  }

  /** The outputs shown now. */
  get outputs(): readonly OutputItem[] {
    return this.items;
  }

  /**
   * Runs `fn` with its output (display, plots, console, an error it throws) shown in this widget,
   * also output of what it awaits. Returns what `fn` returns; a thrown error is shown here and
   * rethrown.
   */
  capture<T>(fn: () => T): T {
    const fail = (e: unknown): never => {
      this.appendError(e);
      throw e;
    };
    try {
      const r = withDisplaySink(this, fn);
      return (r instanceof Promise ? r.catch(fail) : r) as T;
    } catch (e) {
      return fail(e);
    }
  }

  /** Removes every output (`wait`: when the next output comes, so the area does not flicker). */
  clear(wait = false): void {
    if (wait) {
      this.clearOnNext = true;
      return;
    }
    this.items = [];
    this.byDisplayId.clear();
    this.clearOnNext = false;
    this.schedule();
  }

  /** Appends text as stdout. */
  appendStdout(text: string): void {
    this.stream("stdout", text);
  }

  /** Appends text as stderr. */
  appendStderr(text: string): void {
    this.stream("stderr", text);
  }

  /** Appends a value as it would display (a plot, a tensor, HTML …). */
  appendDisplay(value: unknown): void {
    this.display(toMimeBundle(value), {});
  }

  /** Shows an error (its stack as the traceback). */
  appendError(e: unknown): void {
    const err = e instanceof Error ? e : new Error(String(e));
    this.push({
      output_type: "error",
      ename: err.name,
      evalue: err.message,
      traceback: (err.stack ?? `${err.name}: ${err.message}`).split("\n"),
    });
  }

  // --- DisplaySink: what `capture` routes display and console output to ---------------------------
  /** @internal */
  display(data: MimeBundle, metadata: Record<string, unknown>, displayId?: string): void {
    this.push({ output_type: "display_data", data, metadata });
    if (displayId !== undefined) this.byDisplayId.set(displayId, this.items.length - 1);
  }

  /** @internal */
  update(displayId: string, data: MimeBundle, metadata: Record<string, unknown>): void {
    const i = this.byDisplayId.get(displayId);
    if (i === undefined) return;
    this.items = this.items.map((item, j) => (j === i ? { output_type: "display_data", data, metadata } : item));
    this.schedule();
  }

  /** @internal */
  stream(name: "stdout" | "stderr", text: string): void {
    const last = this.items[this.items.length - 1];
    if (!this.clearOnNext && last?.output_type === "stream" && last.name === name) {
      this.items = [...this.items.slice(0, -1), { ...last, text: last.text + text }];
      this.schedule();
    } else this.push({ output_type: "stream", name, text });
  }

  private push(item: OutputItem): void {
    if (this.clearOnNext) {
      this.items = [];
      this.byDisplayId.clear();
      this.clearOnNext = false;
    }
    this.items = [...this.items, item];
    this.schedule();
  }

  /**
   * Sends `outputs` once the code producing them yields (what one handler writes is one update),
   * at most MAX_RATE times a second while output keeps coming.
   */
  private schedule(): void {
    if (this.flushTimer) return;
    const wait = Math.max(0, this.lastFlush + 1000 / MAX_RATE - Date.now());
    this.flushTimer = setTimeout(() => this.flush(), wait);
    pending.add(this);
  }

  /** @internal Sends a waiting update now. */
  flushNow(): void {
    if (this.flushTimer) this.flush();
  }

  /** Outputs the frontend sent (a frontend that captured messages itself) replace the kept ones. */
  protected override notify(key: string, old: unknown, value: unknown): void {
    if (key === "outputs" && value !== this.items) this.items = [...(value as OutputItem[])];
    super.notify(key, old, value);
  }

  private flush(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    pending.delete(this);
    this.lastFlush = Date.now();
    this.set({ outputs: this.items });
  }
}
