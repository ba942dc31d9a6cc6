/**
 * What `fit` prints outside a notebook (library use, `verbose > 0`): on a terminal, one progress
 * bar updated in place (epoch, batch, ETA, latest logs); otherwise (a pipe, a log file) one line
 * per epoch. In the kernel the live training panel replaces it.
 */
import { Callback, type Logs } from "./callbacks.js";

/** Where the progress goes: `process.stdout` by default. */
export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

const BAR_WIDTH = 24;
const REDRAW_MS = 100;

function clock(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

function logText(logs: Logs): string {
  return Object.entries(logs)
    .filter(([k]) => k !== "batch" && k !== "size")
    .map(([k, v]) => `${k}=${Number(v).toPrecision(4)}`)
    .join(" ");
}

/**
 * The default `fit` callback outside a notebook.
 *
 * ```ts
 * await model.fit(xs, ys, { epochs: 5 }); // a terminal shows: Epoch 3/5 [=========>    ] 61/100 0:04 ETA 0:03 loss=0.2301
 * ```
 */
export class ConsoleProgress extends Callback {
  private readonly out: ProgressStream;
  private epochStart = 0;
  private trainStart = 0;
  private epoch = 0;
  private lastDraw = 0;
  private lastLine = "";
  private drawn = false;

  constructor(out: ProgressStream = process.stdout) {
    super();
    this.out = out;
  }

  private get tty(): boolean {
    return this.out.isTTY === true;
  }

  onTrainBegin(): void {
    this.trainStart = Date.now();
  }

  onEpochBegin(epoch: number): void {
    this.epoch = epoch;
    this.epochStart = Date.now();
  }

  onBatchEnd(batch: number, logs: Logs = {}): void {
    if (!this.tty || Date.now() - this.lastDraw < REDRAW_MS) return;
    const steps = this.params?.steps ?? 0;
    const epochs = this.params?.epochs ?? 0;
    const first = this.params?.initialEpoch ?? 0;
    const done = steps ? (batch + 1) / steps : 0;
    const filled = Math.round(done * BAR_WIDTH);
    const bar = `[${"=".repeat(Math.max(0, filled - 1))}${filled > 0 ? ">" : ""}${" ".repeat(BAR_WIDTH - filled)}]`;
    const elapsed = Date.now() - this.trainStart;
    const progress = epochs > first ? (this.epoch - first + done) / (epochs - first) : 0;
    const eta = progress > 0 ? ` ETA ${clock((elapsed * (1 - progress)) / progress)}` : "";
    this.draw(
      `Epoch ${this.epoch + 1}/${epochs || "?"} ${bar} ${batch + 1}/${steps || "?"} ${clock(elapsed)}${eta} ${logText(logs)}`,
    );
  }

  onEpochEnd(epoch: number, logs: Logs = {}): void {
    const secs = ((Date.now() - this.epochStart) / 1000).toFixed(1);
    const line = `Epoch ${epoch + 1}/${this.params?.epochs ?? "?"} · ${secs}s · ${logText(logs)}`;
    if (this.tty) this.draw(line, true);
    else this.out.write(`${line}\n`);
  }

  onTrainEnd(): void {
    if (this.drawn) this.out.write("\n");
    this.drawn = false;
  }

  onTrainAbort(error: unknown): void {
    const why = error instanceof Error && error.name === "InterruptError" ? "interrupted" : "stopped by an error";
    const line = `Epoch ${this.epoch + 1}/${this.params?.epochs ?? "?"} · ${why}`;
    if (this.tty) {
      this.draw(line, true);
      this.out.write("\n");
      this.drawn = false;
    } else this.out.write(`${line}\n`);
  }

  /** Rewrites the terminal line in place (padded to clear what the previous one left). */
  private draw(line: string, force = false): void {
    if (!force && line === this.lastLine) return;
    const width = Math.max(20, (this.out.columns || Number(process.env.COLUMNS) || 100) - 1);
    const text = line.length > width ? `${line.slice(0, width - 1)}…` : line;
    this.out.write(`\r${text.padEnd(Math.min(width, Math.max(text.length, this.lastLine.length)))}`);
    this.lastLine = text;
    this.lastDraw = Date.now();
    this.drawn = true;
  }
}
