/**
 * Coalesces a cell's stdout/stderr writes into few stream messages, in order, with a per-cell cap.
 * Each write names the request it belongs to (a cell, or a comm message being handled); writes of
 * different requests are never merged.
 */

export type StreamName = "stdout" | "stderr";

export interface OutputBatcherOptions {
  /** Receives one coalesced chunk of one stream. */
  emit(name: StreamName, text: string, request: number): void;
  /** Per-cell cap on text (UTF-16 code units); the rest is dropped with a notice. */
  maxChars: number;
  /** Flush when this much text is buffered. */
  flushChars?: number;
  /** Coalescing window for scattered writes (ms). */
  delayMs?: number;
  /** A busy cell flushes at least this often, checked at write time (ms). */
  maxLatencyMs?: number;
}

/**
 * ```ts
 * const b = new OutputBatcher({ emit: (name, text) => post(name, text), maxChars: 2_000_000 });
 * b.write("stdout", "hello\n"); b.flush();
 * ```
 */
export class OutputBatcher {
  private chunks: { name: StreamName; request: number; parts: string[] }[] = [];
  private buffered = 0;
  private written = 0;
  private truncated = false;
  private timer: NodeJS.Timeout | undefined;
  private lastFlush = Date.now();

  constructor(private readonly options: OutputBatcherOptions) {}

  write(name: StreamName, text: string, request = 0): void {
    if (text.length === 0 || this.truncated) return;
    const room = this.options.maxChars - this.written;
    if (text.length > room) {
      this.append(name, text.slice(0, Math.max(0, room)), request);
      this.truncated = true;
      const mb = (this.options.maxChars / 1e6).toFixed(1);
      this.append(
        "stderr",
        `\n[deepts: output truncated: this cell wrote more than ${mb} million characters; the rest was dropped]\n`,
        request,
      );
      this.flush();
      return;
    }
    this.written += text.length;
    this.append(name, text, request);
    const now = Date.now();
    if (
      this.buffered >= (this.options.flushChars ?? 65536) ||
      now - this.lastFlush >= (this.options.maxLatencyMs ?? 50)
    ) {
      this.flush();
    } else if (!this.timer) {
      this.timer = setTimeout(() => this.flush(), this.options.delayMs ?? 4);
    }
  }

  private append(name: StreamName, text: string, request: number): void {
    if (text.length === 0) return;
    const last = this.chunks[this.chunks.length - 1];
    if (last && last.name === name && last.request === request) last.parts.push(text);
    else this.chunks.push({ name, request, parts: [text] });
    this.buffered += text.length;
  }

  /** Emits everything buffered (call before any other output so order is kept). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.lastFlush = Date.now();
    const chunks = this.chunks;
    this.chunks = [];
    this.buffered = 0;
    for (const c of chunks) this.options.emit(c.name, c.parts.join(""), c.request);
  }

  /** Flushes and resets the per-cell cap for a new cell. */
  startCell(): void {
    this.flush();
    this.written = 0;
    this.truncated = false;
  }
}
