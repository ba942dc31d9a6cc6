/**
 * `tf.node.summaryFileWriter`: scalars and histograms written to a TensorFlow event file
 * (`<logdir>/events.out.tfevents.<seconds>.<host><suffix>`) that TensorBoard reads.
 */
import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join, resolve } from "node:path";
import type { Tensor } from "../core.js";
import { fileVersionEvent, histogramBuckets, histogramEvent, scalarEvent } from "./events.js";
import { tfRecord } from "./tfrecord.js";

function checkStep(step: number): void {
  if (!Number.isInteger(step)) throw new Error(`step is expected to be an integer, but is instead ${step}`);
}

/** Writes summaries of one log directory; get one with `tf.node.summaryFileWriter(logdir)`. */
export class SummaryFileWriter {
  /** The event file this writer appends to. */
  readonly path: string;
  private queue: Uint8Array[] = [];

  constructor(
    logdir: string,
    private readonly maxQueue: number,
    flushMillis: number,
    filenameSuffix: string,
  ) {
    mkdirSync(logdir, { recursive: true });
    const seconds = Math.floor(Date.now() / 1000);
    this.path = join(logdir, `events.out.tfevents.${String(seconds).padStart(10, "0")}.${hostname()}${filenameSuffix}`);
    writeFileSync(this.path, tfRecord(fileVersionEvent(Date.now() / 1000)));
    setInterval(() => this.flush(), flushMillis).unref();
  }

  private push(event: Uint8Array): void {
    this.queue.push(tfRecord(event));
    if (this.queue.length >= this.maxQueue) this.flush();
  }

  /**
   * Writes a scalar: the point `(step, value)` of the series `name` in TensorBoard's Scalars tab.
   * @example writer.scalar("loss", 0.25, 10);
   */
  scalar(name: string, value: Tensor | number, step: number, description?: string): void {
    if (description != null) throw new Error("scalar() does not support description yet");
    checkStep(step);
    let v: number;
    if (typeof value === "number") v = value;
    else {
      if (value?.rank !== 0) {
        throw new Error(`A non-scalar tensor (rank ${value?.rank}) is passed to writeScalarSummary()`);
      }
      v = value.dataSync()[0] as number;
    }
    this.push(scalarEvent(Date.now() / 1000, step, name, v));
  }

  /**
   * Writes a histogram of every element of `data` (any shape) in `buckets` equal-width buckets
   * (30 by default), for TensorBoard's Histograms and Distributions tabs.
   * @example writer.histogram("weights", tf.randomNormal([1000]), 0);
   */
  histogram(name: string, data: Tensor, step: number, buckets?: number, description?: string): void {
    checkStep(step);
    const values = data.dataSync() as ArrayLike<number>;
    this.push(histogramEvent(Date.now() / 1000, step, name, histogramBuckets(values, buckets ?? 30), description));
  }

  /** Writes what is queued to the file now. */
  flush(): void {
    if (this.queue.length === 0) return;
    const records = this.queue;
    this.queue = [];
    appendFileSync(this.path, Buffer.concat(records));
  }
}

const writers = new Map<string, SummaryFileWriter>();
let flushAtExit = false;

/**
 * A summary writer for TensorBoard, one per log directory (asking again for the same `logdir`
 * returns the same writer). Events are queued and written every `maxQueue` events, every
 * `flushMillis` milliseconds, on `flush()` and when the process exits.
 * @example
 * const writer = tf.node.summaryFileWriter("/tmp/logs");
 * for (let step = 0; step < 100; step++) writer.scalar("sine", Math.sin(step / 8), step);
 * writer.flush(); // then: tensorboard --logdir /tmp/logs
 */
export function summaryFileWriter(
  logdir: string,
  maxQueue = 10,
  flushMillis = 120000,
  filenameSuffix = ".v2",
): SummaryFileWriter {
  if (typeof logdir !== "string" || logdir.length === 0) {
    throw new Error(`Invalid logdir: ${logdir}. Expected a non-empty string for logdir.`);
  }
  const key = resolve(logdir);
  let writer = writers.get(key);
  if (!writer) {
    writer = new SummaryFileWriter(key, Math.max(1, maxQueue), flushMillis, filenameSuffix);
    writers.set(key, writer);
    if (!flushAtExit) {
      flushAtExit = true;
      process.once("exit", () => {
        for (const w of writers.values()) w.flush();
      });
    }
  }
  return writer;
}
