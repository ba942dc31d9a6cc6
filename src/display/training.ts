/**
 * A live training panel: one output with a progress bar (epoch, batch, ETA, samples/s) and
 * loss/metric curves for training and validation, updated in place a few times a second.
 * It is a fit callback (TF.js callback shape) and works in hand-written loops too.
 */
import { JUPYTER_DISPLAY } from "./bundle.js";
import { figureToSvg } from "./chart-svg.js";
import { BODY_TEXT, PALETTE } from "./colors.js";
import { decimate } from "./decimate.js";
import type { FigureSpec, Trace } from "./figure-types.js";
import { LiveOutput } from "./live.js";
import { escapeXml, formatCount, formatNumber, svgImgTag } from "./markup.js";
import type { DisplaySink, MimeBundle } from "./sink.js";

/** What the panel needs to know about the run (TF.js's `setParams` object has these names). */
export interface TrainingParams {
  epochs?: number;
  /** Epoch to start counting from (resumed training). */
  initialEpoch?: number;
  /** Training samples per epoch (null for datasets). */
  samples?: number | null;
  /** Batches per epoch (when samples is unknown, e.g. datasets). */
  steps?: number | null;
  /** Examples per batch (null for datasets). */
  batchSize?: number | null;
}

export interface TrainingPanelOptions extends TrainingParams {
  title?: string;
  /** Most display updates per second (default 4). */
  maxRate?: number;
  /** Where to show it (default: the current display sink). */
  sink?: DisplaySink;
}

export type Logs = Record<string, number | { dataSync(): ArrayLike<number> } | undefined>;

const CHART_POINTS = 600;

/**
 * Marks a fit callback that shows training progress itself (such as `tfvis.show.fitCallbacks`'s):
 * the kernel's default training panel steps aside for it, as for a `TrainingPanel`.
 */
export const SHOWS_TRAINING = Symbol.for("deepts.showsTraining");

/** Whether a fit callback shows training progress itself (a `TrainingPanel`, or marked with {@link SHOWS_TRAINING}). */
export function showsTraining(callback: unknown): boolean {
  return (
    callback instanceof TrainingPanel ||
    (typeof callback === "object" &&
      callback !== null &&
      (callback as Record<symbol, unknown>)[SHOWS_TRAINING] === true)
  );
}

function logNumber(v: unknown): number | undefined {
  if (typeof v === "number") return v;
  if (v && typeof v === "object" && typeof (v as { dataSync?: unknown }).dataSync === "function") {
    const d = (v as { dataSync(): ArrayLike<number> }).dataSync();
    return d.length ? Number(d[0]) : undefined;
  }
  return undefined;
}

function numericLogs(logs: Logs | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(logs ?? {})) {
    if (k === "batch" || k === "size" || k === "epoch") continue;
    const n = logNumber(v);
    if (n !== undefined) out[k] = n;
  }
  return out;
}

function duration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return "?";
  const s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, "0");
  return h ? `${h}:${String(m).padStart(2, "0")}:${sec}` : `${m}:${sec}`;
}

/**
 * A training progress panel, usable as a `model.fit` callback.
 *
 * Expected calls (TF.js callback protocol; all optional except what you want to see):
 * `setParams({ epochs, samples | steps, batchSize })` (or those keys in the options or in
 * `onTrainBegin(logs)`), `onTrainBegin()`, `onEpochBegin(epoch)`, `onBatchEnd(batch, { size, loss, ... })`,
 * `onEpochEnd(epoch, { loss, val_loss, acc, val_acc, ... })`, `onTrainEnd()`.
 * @example
 * await model.fit(xs, ys, { epochs: 5, callbacks: [new TrainingPanel()] });
 * // custom loop:
 * const panel = trainingPanel({ epochs: 3, steps: 100 });
 * for (let e = 0; e < 3; e++) { panel.onEpochBegin(e); for (let b = 0; b < 100; b++) panel.onBatchEnd(b, { loss }); panel.onEpochEnd(e, { loss }); }
 * panel.onTrainEnd();
 */
export class TrainingPanel {
  params: TrainingParams;
  readonly title: string;
  private readonly maxRate: number;
  private readonly sink?: DisplaySink;
  private live?: LiveOutput;
  private start = 0;
  private end?: number;
  /** Why training ended before its last epoch: interrupted, an error, or stopped (early stopping). */
  private stopped?: "interrupted" | "error" | "early";
  private epoch = 0;
  private batch = -1;
  private batchesDone = 0;
  private samplesDone = 0;
  private lastLogs: Record<string, number> = {};
  /** Per-epoch logs, in order. */
  readonly epochs: { epoch: number; logs: Record<string, number> }[] = [];
  /** Per-batch logs at fractional epochs (thinned as it grows). */
  private batches: { x: number; logs: Record<string, number> }[] = [];
  private model?: unknown;

  constructor(opts: TrainingPanelOptions = {}) {
    const { title, maxRate, sink, ...params } = opts;
    this.params = params;
    this.title = title ?? "Training";
    this.maxRate = maxRate ?? 4;
    this.sink = sink;
    // TF.js wraps plain callback objects and calls these methods detached from the object.
    for (const m of [
      "setParams",
      "setModel",
      "onTrainBegin",
      "onEpochBegin",
      "onBatchBegin",
      "onBatchEnd",
      "onEpochEnd",
      "onTrainEnd",
      "onTrainAbort",
    ] as const) {
      (this as Record<string, unknown>)[m] = (this[m] as (...a: unknown[]) => unknown).bind(this);
    }
  }

  /** TF.js calls this with `{ epochs, samples, steps, batchSize, ... }` before training. */
  setParams(params: TrainingParams): void {
    this.params = { ...this.params, ...params };
  }

  /** TF.js calls this with the model; kept for reference. */
  setModel(model: unknown): void {
    this.model = model;
  }

  /** The display id of the panel once training began. */
  get displayId(): string | undefined {
    return this.live?.id;
  }

  onTrainBegin(logs?: Logs & TrainingParams): void {
    if (logs) {
      const p: TrainingParams = {};
      for (const k of ["epochs", "initialEpoch", "samples", "steps", "batchSize"] as const)
        if (typeof logs[k] === "number") (p as Record<string, number>)[k] = logs[k] as number;
      this.setParams(p);
    }
    this.start = Date.now();
    this.end = undefined;
    this.stopped = undefined;
    this.epoch = this.params.initialEpoch ?? 0;
    this.live?.close();
    this.live = new LiveOutput({ maxRate: this.maxRate, sink: this.sink }).show(this);
  }

  private ensureStarted(): void {
    if (!this.live) this.onTrainBegin();
  }

  onEpochBegin(epoch: number, _logs?: Logs): void {
    this.ensureStarted();
    this.epoch = epoch;
    this.batch = -1;
    this.live!.update(this);
  }

  onBatchBegin(_batch: number, _logs?: Logs): void {}

  onBatchEnd(batch: number, logs?: Logs): void {
    this.ensureStarted();
    this.batch = batch;
    this.batchesDone++;
    const size = logNumber(logs?.size) ?? this.params.batchSize ?? 0;
    this.samplesDone += size;
    const values = numericLogs(logs);
    Object.assign(this.lastLogs, values);
    const steps = this.stepsPerEpoch();
    if (Object.keys(values).length) {
      this.batches.push({ x: this.epoch + (steps ? (batch + 1) / steps : 0.5), logs: values });
      if (this.batches.length > 2 * CHART_POINTS) this.batches = this.batches.filter((_, i) => i % 2 === 1);
    }
    this.live!.update(this);
  }

  onEpochEnd(epoch: number, logs?: Logs): void {
    this.ensureStarted();
    const values = numericLogs(logs);
    Object.assign(this.lastLogs, values);
    this.epochs.push({ epoch, logs: values });
    this.epoch = epoch + 1;
    this.batch = -1;
    this.live!.update(this);
  }

  /** Leaves the panel in its final state (full bundle). */
  onTrainEnd(_logs?: Logs): void {
    this.ensureStarted();
    this.end = Date.now();
    const epochs = this.params.epochs;
    if (epochs !== undefined && this.epoch < epochs) this.stopped = "early";
    this.live!.close(this);
  }

  /** `fit` ended by an error or an interrupt: the panel says where it stopped. */
  onTrainAbort(error?: unknown): void {
    this.ensureStarted();
    this.end = Date.now();
    this.stopped = (error as Error | undefined)?.name === "InterruptError" ? "interrupted" : "error";
    this.live!.close(this);
  }

  /** Batches per epoch, from `steps` or `samples / batchSize`. */
  stepsPerEpoch(): number | undefined {
    const { steps, samples, batchSize } = this.params;
    if (steps) return steps;
    if (samples && batchSize) return Math.ceil(samples / batchSize);
    return undefined;
  }

  /** Fraction of the whole run done, 0..1, when the run's length is known. */
  progress(): number | undefined {
    const epochs = this.params.epochs;
    if (!epochs) return undefined;
    const first = this.params.initialEpoch ?? 0;
    const steps = this.stepsPerEpoch();
    const within = steps && this.batch >= 0 ? Math.min(1, (this.batch + 1) / steps) : 0;
    return Math.min(1, Math.max(0, (this.epoch - first + within) / (epochs - first)));
  }

  private statusLine(): string {
    const now = this.end ?? Date.now();
    const elapsed = now - this.start;
    const parts: string[] = [];
    const epochs = this.params.epochs;
    // After an epoch ends `epoch` already counts it: early stopping names the last epoch that ran.
    const shownEpoch =
      this.stopped === "early" ? Math.max(1, this.epoch) : Math.min(this.epoch + 1, epochs ?? Infinity);
    const epochText = epochs ? `epoch ${shownEpoch}/${epochs}` : `epoch ${shownEpoch}`;
    parts.push(this.stopped ? `stopped at ${epochText}` : epochText);
    const steps = this.stepsPerEpoch();
    if (this.batch >= 0) parts.push(steps ? `batch ${this.batch + 1}/${steps}` : `batch ${this.batch + 1}`);
    if (this.samplesDone && elapsed > 0) parts.push(`${formatCount((this.samplesDone * 1000) / elapsed)} samples/s`);
    const p = this.progress();
    if (this.stopped === "interrupted") parts.push(`interrupted after ${duration(elapsed)}`);
    else if (this.stopped === "error") parts.push(`failed after ${duration(elapsed)}`);
    else if (this.end !== undefined) parts.push(`${this.stopped ? "ran" : "done in"} ${duration(elapsed)}`);
    else if (p !== undefined && p > 0) parts.push(`ETA ${duration((elapsed * (1 - p)) / p)}`);
    return parts.join(" · ");
  }

  private logsLine(): string {
    return Object.entries(this.lastLogs)
      .map(([k, v]) => `${k} ${formatNumber(v)}`)
      .join(" · ");
  }

  /** Metric names to chart: `loss` first, validation ones folded into their training metric. */
  private metrics(): string[] {
    const names = new Set<string>();
    for (const e of this.epochs) for (const k of Object.keys(e.logs)) names.add(k.replace(/^val_/, ""));
    for (const b of this.batches) for (const k of Object.keys(b.logs)) names.add(k);
    return [...names].sort((a, b) => (a === "loss" ? -1 : b === "loss" ? 1 : a.localeCompare(b))).slice(0, 4);
  }

  /** One line of per-epoch values of the log `key` (undefined before any epoch logged it). */
  private epochTrace(name: string, key: string, color: string, dash?: "dash"): Trace | undefined {
    const ep = this.epochs.filter((e) => key in e.logs);
    if (!ep.length) return undefined;
    return {
      type: "scatter",
      mode: "lines+markers",
      name,
      x: ep.map((e) => e.epoch + 1),
      y: ep.map((e) => e.logs[key]!),
      line: dash ? { color, width: 2, dash } : { color, width: 2 },
      marker: { color, size: 5 },
    };
  }

  /** The chart of one metric (training per batch and per epoch, validation per epoch). */
  chart(metric: string): FigureSpec {
    const data: Trace[] = [];
    const pts = this.batches.filter((b) => metric in b.logs);
    if (pts.length) {
      const d = decimate(
        pts.map((b) => b.x),
        pts.map((b) => b.logs[metric]!),
        CHART_POINTS,
      );
      data.push({
        type: "scatter",
        mode: "lines",
        name: "batches",
        x: d.x,
        y: d.y,
        line: { color: "#9ecae1", width: 1.2 },
      });
    }
    const train = this.epochTrace("train", metric, PALETTE[0]);
    if (train) data.push(train);
    const val = this.epochTrace("val", `val_${metric}`, PALETTE[1], "dash");
    if (val) data.push(val);
    const epochs = this.params.epochs;
    const first = this.params.initialEpoch ?? 0;
    return {
      data,
      layout: {
        title: { text: metric },
        width: 400,
        height: 240,
        margin: { l: 56, r: 16 + (data.length > 1 ? 76 : 0), t: 34, b: 40 },
        showlegend: data.length > 1,
        xaxis: { title: { text: "epoch" }, ...(epochs ? { range: [first, epochs] as [number, number] } : {}) },
        yaxis: {},
      },
    };
  }

  [JUPYTER_DISPLAY](): MimeBundle {
    const status = this.statusLine();
    const logs = this.logsLine();
    const p = this.progress();
    const finished = this.end !== undefined && !this.stopped;
    const pct = p === undefined ? undefined : Math.round((finished ? 1 : p) * 1000) / 10;
    const bar =
      pct === undefined
        ? ""
        : `<div style="background:#e6e6e6;height:10px;border-radius:5px;overflow:hidden;margin:4px 0;max-width:720px"><div style="background:${this.stopped ? "#d62728" : finished ? "#2ca02c" : "#1f77b4"};width:${pct}%;height:100%"></div></div>`;
    const charts = this.metrics()
      .map((m) => {
        const spec = this.chart(m);
        return svgImgTag(figureToSvg(spec), spec.layout.width!, spec.layout.height!, `${m} curve`);
      })
      .join(" ");
    const html =
      `<div style="font-family:Helvetica,Arial,sans-serif;font-size:12px">` +
      `<div><b>${escapeXml(this.title)}</b> · ${escapeXml(status)}${pct !== undefined ? ` · ${pct}%` : ""}</div>${bar}` +
      (logs ? `<div style="font-family:monospace;color:${BODY_TEXT}">${escapeXml(logs)}</div>` : "") +
      (charts ? `<div style="margin-top:4px">${charts}</div>` : "") +
      `</div>`;
    return { "text/plain": `${this.title}: ${status}${logs ? ` · ${logs}` : ""}`, "text/html": html };
  }
}

/** A new {@link TrainingPanel}. */
export function trainingPanel(opts: TrainingPanelOptions = {}): TrainingPanel {
  return new TrainingPanel(opts);
}
