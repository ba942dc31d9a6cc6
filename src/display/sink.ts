/** Where display output goes. The kernel installs a sink that publishes Jupyter iopub messages. */
import { AsyncLocalStorage } from "node:async_hooks";

/** Mime type → data. JSON mime types carry objects, never strings. */
export type MimeBundle = Record<string, unknown>;

export interface DisplaySink {
  display(data: MimeBundle, metadata: Record<string, unknown>, displayId?: string): void;
  update(displayId: string, data: MimeBundle, metadata: Record<string, unknown>): void;
  clear(wait: boolean): void;
  /** Console text; a sink without it leaves console output to the kernel's streams. */
  stream?(name: "stdout" | "stderr", text: string): void;
}

let current: DisplaySink | undefined;
const scoped = new AsyncLocalStorage<DisplaySink>();

/** Installs the sink (the kernel does this in its executor); returns the previous one. */
export function setDisplaySink(sink: DisplaySink | undefined): DisplaySink | undefined {
  const previous = current;
  current = sink;
  return previous;
}

/** The sink output goes to now: the innermost {@link withDisplaySink} scope's, else the installed one. */
export function getDisplaySink(): DisplaySink | undefined {
  return scoped.getStore() ?? current;
}

/**
 * Leaves every {@link withDisplaySink} scope, so that this module holds no async hooks until the
 * next one starts (the kernel does this just before it stops a cell forcibly).
 * @example
 * exitDisplaySinkScopes();
 */
export function exitDisplaySinkScopes(): void {
  scoped.disable();
}

/**
 * Runs `fn` with its display (and, when the sink has `stream`, console) output sent to `sink`,
 * including output of everything it awaits; other code running meanwhile is not affected.
 * @example
 * await withDisplaySink(outputWidgetSink, async () => { display(plot.line([1, 2])); console.log("hi"); });
 */
export function withDisplaySink<T>(sink: DisplaySink, fn: () => T): T {
  return scoped.run(sink, fn);
}
