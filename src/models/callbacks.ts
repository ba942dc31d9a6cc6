/**
 * Training callbacks: plain objects with `onTrainBegin/End`, `onEpochBegin/End`, `onBatchBegin/End`
 * (each may be async), the `Callback` base class, `tf.callbacks.earlyStopping`,
 * `tf.callbacks.learningRateScheduler`, the `History` that `fit` returns, and the hook the
 * kernel uses to add a live display to every `fit`.
 */
import type * as tf from "./core.js";
import type { Optimizer } from "./optimizers.js";

export type Logs = Record<string, number>;

/** What `fit` tells callbacks about the run. */
export interface FitParams {
  epochs: number;
  initialEpoch: number;
  samples: number;
  steps: number;
  batchSize: number;
  verbose: number;
  doValidation: boolean;
  /** Log keys: 'loss', metric names, and their 'val_' versions. */
  metrics: string[];
}

/** The part of a model callbacks may touch. */
export interface TrainableModel {
  stopTraining: boolean;
  optimizer?: Optimizer;
  getWeights(): tf.Tensor[];
  setWeights(w: tf.Tensor[]): void;
}

type MaybePromise = void | Promise<void>;

/** Any object with some of these methods can be passed in `fit({ callbacks })`. */
export interface CallbackLike {
  setModel?(model: TrainableModel): void;
  setParams?(params: FitParams): void;
  onTrainBegin?(logs?: Logs): MaybePromise;
  onTrainEnd?(logs?: Logs): MaybePromise;
  onEpochBegin?(epoch: number, logs?: Logs): MaybePromise;
  onEpochEnd?(epoch: number, logs?: Logs): MaybePromise;
  onBatchBegin?(batch: number, logs?: Logs): MaybePromise;
  onBatchEnd?(batch: number, logs?: Logs): MaybePromise;
}

/** Base class for callbacks that need the model (`this.model`) or the run's `params`. */
export class Callback implements CallbackLike {
  model?: TrainableModel;
  params?: FitParams;
  setModel(model: TrainableModel): void {
    this.model = model;
  }
  setParams(params: FitParams): void {
    this.params = params;
  }
}

/** Per-epoch logs of a `fit` run: `history.loss[i]` is the mean loss of epoch `epoch[i]`. */
export class History extends Callback {
  readonly epoch: number[] = [];
  readonly history: Record<string, number[]> = {};
  onEpochEnd(epoch: number, logs: Logs = {}): void {
    this.epoch.push(epoch);
    for (const [k, v] of Object.entries(logs)) (this.history[k] ??= []).push(v);
  }
}

/**
 * Stops training when `monitor` has not improved by more than `minDelta` for `patience` epochs.
 *
 * ```ts
 * await model.fit(xs, ys, { epochs: 100, validationSplit: 0.2,
 *   callbacks: tf.callbacks.earlyStopping({ monitor: "val_loss", patience: 3 }) });
 * ```
 */
export class EarlyStopping extends Callback {
  readonly monitor: string;
  readonly minDelta: number;
  readonly patience: number;
  readonly mode: "min" | "max";
  readonly baseline: number | undefined;
  readonly restoreBestWeights: boolean;
  /** Epoch at which training was stopped (0 when it ran to the end). */
  stoppedEpoch = 0;
  private wait = 0;
  private best = Infinity;
  private bestWeights: tf.Tensor[] | undefined;
  private warned = false;

  constructor(
    args: {
      monitor?: string;
      minDelta?: number;
      patience?: number;
      mode?: "auto" | "min" | "max";
      baseline?: number;
      restoreBestWeights?: boolean;
    } = {},
  ) {
    super();
    this.monitor = args.monitor ?? "val_loss";
    this.minDelta = Math.abs(args.minDelta ?? 0);
    this.patience = args.patience ?? 0;
    const mode = args.mode ?? "auto";
    this.mode = mode === "auto" ? (/acc|precision|recall/.test(this.monitor) ? "max" : "min") : mode;
    this.baseline = args.baseline;
    this.restoreBestWeights = args.restoreBestWeights ?? false;
  }

  private improved(current: number, reference: number): boolean {
    return this.mode === "min" ? current < reference - this.minDelta : current > reference + this.minDelta;
  }

  onTrainBegin(): void {
    this.wait = 0;
    this.stoppedEpoch = 0;
    this.best = this.baseline ?? (this.mode === "min" ? Infinity : -Infinity);
    this.disposeBest();
  }

  onEpochEnd(epoch: number, logs: Logs = {}): void {
    const current = logs[this.monitor];
    if (current === undefined) {
      if (!this.warned)
        console.warn(`earlyStopping: '${this.monitor}' is not in the logs (have: ${Object.keys(logs).join(", ")})`);
      this.warned = true;
      return;
    }
    if (this.improved(current, this.best)) {
      this.best = current;
      this.wait = 0;
      if (this.restoreBestWeights && this.model) {
        this.disposeBest();
        this.bestWeights = this.model.getWeights();
      }
      return;
    }
    this.wait++;
    if (this.wait > this.patience && this.model) {
      this.stoppedEpoch = epoch;
      this.model.stopTraining = true;
      if (this.bestWeights) this.model.setWeights(this.bestWeights);
    }
  }

  onTrainEnd(): void {
    this.disposeBest();
  }

  private disposeBest(): void {
    for (const t of this.bestWeights ?? []) t.dispose();
    this.bestWeights = undefined;
  }
}

/** Sets the optimizer's learning rate at the start of each epoch to `schedule(epoch, currentRate)`. */
export class LearningRateScheduler extends Callback {
  constructor(readonly schedule: (epoch: number, lr: number) => number) {
    super();
  }
  onEpochBegin(epoch: number): void {
    const opt = this.model?.optimizer;
    if (opt) opt.setLearningRate(this.schedule(epoch, opt.learningRate));
  }
}

/** `tf.callbacks`: ready-made callbacks for `model.fit`. */
export const callbacks = {
  /** Stops `fit` when the monitored value (default `val_loss`) has not improved for `patience` epochs. Example: `await model.fit(xs, ys, { epochs: 100, validationSplit: 0.2, callbacks: tf.callbacks.earlyStopping({ patience: 3 }) })`. */
  earlyStopping: (args?: ConstructorParameters<typeof EarlyStopping>[0]) => new EarlyStopping(args),
  /** Sets the optimizer's learning rate before each epoch to `schedule(epoch, currentRate)`. Example: `tf.callbacks.learningRateScheduler((epoch, lr) => (epoch < 5 ? lr : lr * 0.9))`. */
  learningRateScheduler: (schedule: (epoch: number, lr: number) => number) => new LearningRateScheduler(schedule),
};

export type DefaultCallbackFactory = (model: TrainableModel, params: FitParams) => CallbackLike | undefined;
const defaultFactories: DefaultCallbackFactory[] = [];

/**
 * Adds a callback to every `fit` run with `verbose > 0` (the kernel uses it for a live training
 * panel). Returns a function that removes the factory again.
 */
export function registerDefaultFitCallback(factory: DefaultCallbackFactory): () => void {
  defaultFactories.push(factory);
  return () => {
    const i = defaultFactories.indexOf(factory);
    if (i >= 0) defaultFactories.splice(i, 1);
  };
}

/** The callbacks the registered factories make for this run. */
export function defaultFitCallbacks(model: TrainableModel, params: FitParams): CallbackLike[] {
  return defaultFactories.map((f) => f(model, params)).filter((c): c is CallbackLike => c !== undefined);
}

/** Prints one line per epoch: `Epoch 2/5 · 1.3s · loss=0.1234 acc=0.9600 …`. */
export class ConsoleLogger extends Callback {
  private started = 0;
  onEpochBegin(): void {
    this.started = Date.now();
  }
  onEpochEnd(epoch: number, logs: Logs = {}): void {
    const secs = ((Date.now() - this.started) / 1000).toFixed(1);
    const values = Object.entries(logs)
      .map(([k, v]) => `${k}=${v.toPrecision(4)}`)
      .join(" ");
    console.log(`Epoch ${epoch + 1}/${this.params?.epochs ?? "?"} · ${secs}s · ${values}`);
  }
}
