/**
 * Coalesces `update_display_data` per display id. Only the latest state of a display matters, so a
 * cell that updates one handle thousands of times sends a few dozen messages a second instead of
 * flooding the frontend (whose iopub queue drops messages beyond its high-water mark); the last
 * update always goes out, before the cell's reply.
 */
import type { MimeBundle } from "../../display/sink.js";

export interface DisplayUpdate {
  displayId: string;
  data: MimeBundle;
  metadata: Record<string, unknown>;
  /** Whose output the update is (passed through to `emit`). */
  request?: number;
}

export interface DisplayUpdatesOptions {
  emit(update: DisplayUpdate): void;
  /** The least time between two sends of updates (ms). */
  intervalMs?: number;
}

/**
 * ```ts
 * const updates = new DisplayUpdates({ emit: (u) => post(u) });
 * for (let i = 0; i < 10_000; i++) updates.update({ displayId: "d", data: { "text/plain": `${i}` }, metadata: {} });
 * updates.flush(); // "9999" is sent last
 * ```
 */
export class DisplayUpdates {
  private readonly pending = new Map<string, DisplayUpdate>();
  private timer: NodeJS.Timeout | undefined;
  private lastSent = 0;

  constructor(private readonly options: DisplayUpdatesOptions) {}

  update(u: DisplayUpdate): void {
    // Re-inserting keeps the order in which displays last changed.
    this.pending.delete(u.displayId);
    this.pending.set(u.displayId, u);
    const interval = this.options.intervalMs ?? 50;
    const since = Date.now() - this.lastSent;
    // Checked here as well as by the timer: a synchronous loop never lets the timer run.
    if (since >= interval) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), interval - since);
  }

  /** Sends every pending update now (call before any other output, so that order is kept). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.size === 0) return;
    this.lastSent = Date.now();
    const updates = [...this.pending.values()];
    this.pending.clear();
    for (const u of updates) this.options.emit(u);
  }
}
