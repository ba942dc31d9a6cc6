/** `tf.node.tensorBoard`: a `fit` callback that logs losses and metrics for TensorBoard. */
import { join } from "node:path";
import { CustomCallback, type Logs } from "../callbacks.js";
import type { Tensor } from "../core.js";
import { type SummaryFileWriter, summaryFileWriter } from "./summary-writer.js";

/** Options of `tf.node.tensorBoard` (tfjs-node's names and defaults). */
export interface TensorBoardCallbackArgs {
  /** 'epoch' (default): write logs after each epoch; 'batch': after each batch too. */
  updateFreq?: "batch" | "epoch";
  /** Every this many epochs, a histogram of each weight of the model (0, the default: never). */
  histogramFreq?: number;
}

interface NamedWeights {
  weights?: { name: string; read(): Tensor }[];
}

/**
 * Writes `fit`'s logs to `<logdir>/train` and (the `val_` ones) `<logdir>/val` as `epoch_<name>`
 * and, with `updateFreq: 'batch'`, `batch_<name>` scalars.
 */
export class TensorBoardCallback extends CustomCallback {
  private trainWriter?: SummaryFileWriter;
  private valWriter?: SummaryFileWriter;
  private batchesSeen = 0;
  private readonly updateFreq: "batch" | "epoch";
  private readonly histogramFreq: number;

  constructor(
    readonly logdir = "./logs",
    args: TensorBoardCallbackArgs = {},
  ) {
    super({
      onBatchEnd: (_batch, logs) => {
        this.batchesSeen++;
        if (this.updateFreq !== "epoch") this.logMetrics(logs, "batch_", this.batchesSeen);
      },
      onEpochEnd: (epoch, logs) => {
        this.logMetrics(logs, "epoch_", epoch + 1);
        if (this.histogramFreq > 0 && epoch % this.histogramFreq === 0) this.logWeights(epoch);
      },
      onTrainEnd: () => {
        this.trainWriter?.flush();
        this.valWriter?.flush();
      },
    });
    this.updateFreq = args.updateFreq ?? "epoch";
    if (this.updateFreq !== "batch" && this.updateFreq !== "epoch") {
      throw new Error(`Expected updateFreq to be 'batch' or 'epoch', but got ${this.updateFreq}`);
    }
    this.histogramFreq = args.histogramFreq ?? 0;
    if (!Number.isInteger(this.histogramFreq) || this.histogramFreq < 0) {
      throw new Error(`Expected histogramFreq to be a positive integer, but got ${this.histogramFreq}`);
    }
  }

  private logMetrics(logs: Logs | undefined, prefix: string, step: number): void {
    for (const [key, value] of Object.entries(logs ?? {})) {
      if (key === "batch" || key === "size" || key === "num_steps") continue;
      if (key.startsWith("val_")) {
        this.valWriter ??= summaryFileWriter(join(this.logdir, "val"));
        this.valWriter.scalar(prefix + key.slice(4), value, step);
      } else {
        this.trainWriter ??= summaryFileWriter(join(this.logdir, "train"));
        this.trainWriter.scalar(prefix + key, value, step);
      }
    }
  }

  private logWeights(step: number): void {
    const weights = (this.model as NamedWeights | undefined)?.weights ?? [];
    this.trainWriter ??= summaryFileWriter(join(this.logdir, "train"));
    for (const w of weights) this.trainWriter.histogram(w.name, w.read(), step);
  }
}

/**
 * A `fit` callback that logs the loss and metrics for TensorBoard (as tfjs-node's): per epoch,
 * or per batch too with `updateFreq: 'batch'`; validation values go to `<logdir>/val`.
 * @example
 * await model.fit(xs, ys, { epochs: 5, callbacks: tf.node.tensorBoard("/tmp/fit_logs") });
 */
export function tensorBoard(logdir = "./logs", args?: TensorBoardCallbackArgs): TensorBoardCallback {
  return new TensorBoardCallback(logdir, args);
}
