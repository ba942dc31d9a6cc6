/** Where display output goes. The kernel installs a sink that publishes Jupyter iopub messages. */

/** Mime type → data. JSON mime types carry objects, never strings. */
export type MimeBundle = Record<string, unknown>;

export interface DisplaySink {
  display(data: MimeBundle, metadata: Record<string, unknown>, displayId?: string): void;
  update(displayId: string, data: MimeBundle, metadata: Record<string, unknown>): void;
  clear(wait: boolean): void;
}

let current: DisplaySink | undefined;

/** Installs the sink (the kernel does this in its executor); returns the previous one. */
export function setDisplaySink(sink: DisplaySink | undefined): DisplaySink | undefined {
  const previous = current;
  current = sink;
  return previous;
}

export function getDisplaySink(): DisplaySink | undefined {
  return current;
}
