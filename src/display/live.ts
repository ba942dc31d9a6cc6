/**
 * A display that is updated in place many times (training progress, growing plots) without
 * flooding the notebook: updates are throttled, carry only `text/html` + `text/plain` (the
 * server drops output above ~1000 msgs/s, and some renderers ignore repeated updates of the same
 * rich mime type), and the output always ends on one update with the full bundle.
 */
import { toMimeBundle } from "./bundle.js";
import { getDisplaySink, type DisplaySink, type MimeBundle } from "./sink.js";
import { newDisplayId } from "./display-id.js";
import { renderingLightUpdate } from "./plotly-html.js";

export interface LiveOutputOptions {
  /** Display id to use (default: a fresh one). */
  id?: string;
  /** Most updates per second (default 10). */
  maxRate?: number;
  /** The sink to send to (default: the current one, looked up at each send). */
  sink?: DisplaySink;
  /** The output `id` is already shown (e.g. by an earlier live output): the first state is sent as an update. */
  shown?: boolean;
}

/** Keeps the light mime types of a bundle, for intermediate updates. */
export function lightBundle(bundle: MimeBundle): MimeBundle {
  const out: MimeBundle = { "text/plain": bundle["text/plain"] };
  if (bundle["text/html"] !== undefined) out["text/html"] = bundle["text/html"];
  return out;
}

/**
 * One output area, updated in place at most `maxRate` times per second.
 * Values are rendered (via `toMimeBundle`) only when actually sent, so skipped updates cost nothing.
 * Works in synchronous loops too: an update is sent as soon as the interval since the last one has
 * passed; a timer delivers the last pending update when the loop yields.
 * @example
 * const live = new LiveOutput().show(fig);
 * for (const batch of batches) { fig.extend(...); live.update(fig); }
 * live.close(); // final full bundle
 */
export class LiveOutput {
  readonly id: string;
  private readonly interval: number;
  private readonly fixedSink?: DisplaySink;
  private lastSent = -Infinity;
  private pending: { value: unknown } | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private latest: unknown;
  private shown = false;
  private closed = false;
  /** Number of messages sent (display + updates), for diagnostics and tests. */
  sent = 0;

  constructor(opts: LiveOutputOptions = {}) {
    const rate = opts.maxRate ?? 10;
    if (!(rate > 0 && rate <= 100))
      throw new Error(`LiveOutput: maxRate must be in (0, 100] updates per second, got ${rate}`);
    this.interval = 1000 / rate;
    this.id = opts.id ?? newDisplayId();
    this.fixedSink = opts.sink;
    this.shown = opts.shown === true && opts.id !== undefined;
  }

  private sink(): DisplaySink | undefined {
    return this.fixedSink ?? getDisplaySink();
  }

  /** Shows the first state (full bundle), immediately. */
  show(value: unknown): this {
    if (this.closed) throw new Error("LiveOutput: already closed");
    this.latest = value;
    const bundle = toMimeBundle(value);
    const sink = this.sink();
    if (sink) sink.display(bundle, {}, this.id);
    else console.log(bundle["text/plain"]);
    this.shown = true;
    this.sent++;
    this.lastSent = Date.now();
    return this;
  }

  /** Replaces the output with `value` (light bundle), now or when the rate allows. */
  update(value: unknown): void {
    if (this.closed) throw new Error("LiveOutput: already closed");
    this.latest = value;
    if (!this.shown) {
      this.show(value);
      return;
    }
    const wait = this.lastSent + this.interval - Date.now();
    if (wait <= 0) {
      this.cancelTimer();
      this.send(value, false);
      return;
    }
    this.pending = { value };
    if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        const p = this.pending;
        if (p && !this.closed) this.send(p.value, false);
      }, wait);
    }
  }

  /** Sends the final state with the full bundle and stops; later updates are errors. */
  close(finalValue?: unknown): void {
    if (this.closed) return;
    const value = finalValue === undefined ? this.latest : finalValue;
    this.cancelTimer();
    if (!this.shown) this.show(value);
    else this.send(value, true);
    this.closed = true;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  private cancelTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private send(value: unknown, full: boolean): void {
    this.pending = undefined;
    const bundle = full ? toMimeBundle(value) : renderingLightUpdate(() => toMimeBundle(value));
    const sink = this.sink();
    if (sink) sink.update(this.id, full ? bundle : lightBundle(bundle), {});
    else if (full) console.log(bundle["text/plain"]); // outside a notebook: the final state as text
    this.sent++;
    this.lastSent = Date.now();
  }
}
