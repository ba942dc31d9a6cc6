/**
 * Training callbacks: plain objects with `onTrainBegin/End`, `onEpochBegin/End`, `onBatchBegin/End`
 * (each may be async), the `Callback` base class, `tf.CustomCallback`, `tf.callbacks.earlyStopping`,
 * `tf.callbacks.learningRateScheduler`, the `History` that `fit` returns, and the hooks that add
 * callbacks to every `fit` (the kernel's live display, `tf.registerCallbackConstructor`).
 */
import type * as tf from "./core.js";
import type { Optimizer } from "./optimizers.js";

export type Logs = Record<string, number>;

/** What `fit` tells callbacks about the run. */
export interface FitParams {
  epochs: number;
  initialEpoch: number;
  /** Training examples per epoch (null for datasets). */
  samples: number | null;
  /** Batches per epoch (null when a dataset's length is unknown). */
  steps: number | null;
  /** Examples per batch (null for datasets: each batch has its own). */
  batchSize: number | null;
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
  /**
   * deepts only (TF.js has no such hook): called instead of `onTrainEnd` when `fit` ends by an
   * error, an interrupt included, so a progress display can say where training stopped.
   */
  onTrainAbort?(error: unknown): void;
  /** Called when training lets the event loop run (see `yieldEvery`), with the latest batch logs. */
  onYield?(epoch: number, batch: number, logs: Logs): MaybePromise;
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

/** Options of `tf.callbacks.earlyStopping` (TF.js's names and defaults). */
export interface EarlyStoppingCallbackArgs {
  /** The log key to watch (default 'val_loss'). */
  monitor?: string;
  /** A change smaller than this is no improvement (default 0). */
  minDelta?: number;
  /** Epochs without improvement before stopping (default 0: stop at the first). */
  patience?: number;
  /** 1: print the epoch at which training stopped. */
  verbose?: number;
  /** 'min', 'max', or 'auto' (default: 'max' for accuracy-like names, else 'min'). */
  mode?: "auto" | "min" | "max";
  /** Stop unless the monitored value gets better than this. */
  baseline?: number;
  /** Put back the weights of the best epoch when stopping (TF.js does not support this yet; deepts does). */
  restoreBestWeights?: boolean;
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
  /** 1: print the epoch at which training stopped. */
  readonly verbose: number;
  /** Epoch at which training was stopped (0 when it ran to the end). */
  stoppedEpoch = 0;
  private wait = 0;
  private best = Infinity;
  private bestWeights: tf.Tensor[] | undefined;
  private warned = false;

  constructor(args: EarlyStoppingCallbackArgs = {}) {
    super();
    const a = args ?? {};
    this.monitor = a.monitor || "val_loss";
    this.minDelta = Math.abs(a.minDelta || 0);
    this.patience = a.patience || 0;
    this.verbose = a.verbose || 0;
    let mode = a.mode || "auto";
    if (!["auto", "min", "max"].includes(mode)) {
      console.warn(`EarlyStopping mode '${mode}' is invalid. Falling back to mode 'auto'.`);
      mode = "auto";
    }
    this.mode = mode === "auto" ? (/acc|precision|recall/.test(this.monitor) ? "max" : "min") : mode;
    this.baseline = a.baseline;
    this.restoreBestWeights = a.restoreBestWeights ?? false;
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
        console.warn(
          `Metric for EarlyStopping ${this.monitor} is not available. Available metrics are: ${Object.keys(logs).join(",")}`,
        );
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
    if (this.wait >= this.patience && this.model) {
      this.stoppedEpoch = epoch;
      this.model.stopTraining = true;
      if (this.bestWeights) this.model.setWeights(this.bestWeights);
    }
  }

  onTrainEnd(): void {
    if (this.stoppedEpoch > 0 && this.verbose) console.log(`Epoch ${this.stoppedEpoch}: early stopping.`);
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

/** `tf.callbacks`: ready-made callbacks for `model.fit` (`earlyStopping`, `learningRateScheduler`). */
export const callbacks = {
  /**
   * A callback that stops training when `monitor` (default 'val_loss') stops improving.
   *
   * ```ts
   * await model.fit(xs, ys, { epochs: 100, validationSplit: 0.2, callbacks: tf.callbacks.earlyStopping({ patience: 3 }) });
   * ```
   */
  earlyStopping: (args?: EarlyStoppingCallbackArgs) => new EarlyStopping(args),
  /**
   * A callback that sets the learning rate at each epoch's start to `schedule(epoch, rate)`.
   *
   * ```ts
   * tf.callbacks.learningRateScheduler((epoch, lr) => (epoch < 5 ? lr : lr * 0.9));
   * ```
   */
  learningRateScheduler: (schedule: (epoch: number, lr: number) => number) => new LearningRateScheduler(schedule),
};

/** The hooks of a `tf.CustomCallback` (TF.js's names). */
export interface CustomCallbackArgs {
  onTrainBegin?: (logs?: Logs) => MaybePromise;
  onTrainEnd?: (logs?: Logs) => MaybePromise;
  onEpochBegin?: (epoch: number, logs?: Logs) => MaybePromise;
  onEpochEnd?: (epoch: number, logs?: Logs) => MaybePromise;
  onBatchBegin?: (batch: number, logs?: Logs) => MaybePromise;
  onBatchEnd?: (batch: number, logs?: Logs) => MaybePromise;
  /** Called when training lets the event loop run (see `yieldEvery`). */
  onYield?: (epoch: number, batch: number, logs: Logs) => MaybePromise;
  /** Accepted for TF.js compatibility; deepts times yields with its own clock. */
  nowFunc?: () => number;
  /** Accepted for TF.js compatibility; deepts yields with `tf.nextFrame`. */
  nextFrameFunc?: () => Promise<void>;
}

/**
 * A callback made of hook functions.
 *
 * ```ts
 * await model.fit(xs, ys, { epochs: 5, callbacks: new tf.CustomCallback({
 *   onEpochEnd: async (epoch, logs) => console.log(epoch, logs?.loss),
 * }) });
 * ```
 */
export class CustomCallback extends Callback {
  private readonly hooks: CustomCallbackArgs;
  /** How often this callback asked to yield ('auto', 'batch', 'epoch', 'never' or milliseconds). */
  readonly yieldEvery: string | number;
  constructor(args: CustomCallbackArgs = {}, yieldEvery: string | number = "auto") {
    super();
    if (args === null || typeof args !== "object")
      throw new Error("tf.CustomCallback takes an object of hooks, e.g. { onEpochEnd: (epoch, logs) => … }");
    if (yieldEvery === "never" && args.onYield)
      throw new Error(
        "yieldEvery is `never` but you provided an `onYield` callback. Either change `yieldEvery` or remove the callback",
      );
    this.hooks = args;
    this.yieldEvery = yieldEvery;
  }
  async onTrainBegin(logs?: Logs): Promise<void> {
    await this.hooks.onTrainBegin?.(logs);
  }
  async onTrainEnd(logs?: Logs): Promise<void> {
    await this.hooks.onTrainEnd?.(logs);
  }
  async onEpochBegin(epoch: number, logs?: Logs): Promise<void> {
    await this.hooks.onEpochBegin?.(epoch, logs);
  }
  async onEpochEnd(epoch: number, logs?: Logs): Promise<void> {
    await this.hooks.onEpochEnd?.(epoch, logs);
  }
  async onBatchBegin(batch: number, logs?: Logs): Promise<void> {
    await this.hooks.onBatchBegin?.(batch, logs);
  }
  async onBatchEnd(batch: number, logs?: Logs): Promise<void> {
    await this.hooks.onBatchEnd?.(batch, logs);
  }
  async onYield(epoch: number, batch: number, logs: Logs): Promise<void> {
    await this.hooks.onYield?.(epoch, batch, logs);
  }
}

/**
 * Makes the default display callback of one run, or none. It sees the run's other callbacks (the
 * user's and the registered ones), so it can step aside when the user brought a display of their own.
 */
export type DefaultCallbackFactory = (
  model: TrainableModel,
  params: FitParams,
  runCallbacks: readonly CallbackLike[],
) => CallbackLike | undefined;
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
export function defaultFitCallbacks(
  model: TrainableModel,
  params: FitParams,
  runCallbacks: readonly CallbackLike[],
): CallbackLike[] {
  return defaultFactories.map((f) => f(model, params, runCallbacks)).filter((c): c is CallbackLike => c !== undefined);
}

const registeredConstructors: { level: number; make: new () => CallbackLike }[] = [];

/**
 * Adds an instance of `callbackConstructor` to every `fit`/`fitDataset` whose `verbose` is at
 * least `verbosityLevel` (TF.js's registry).
 *
 * ```ts
 * class Timer extends tf.Callback { async onTrainEnd() { console.log("done"); } }
 * tf.registerCallbackConstructor(1, Timer);
 * ```
 */
export function registerCallbackConstructor(verbosityLevel: number, callbackConstructor: new () => CallbackLike): void {
  if (!(Number.isInteger(verbosityLevel) && verbosityLevel >= 0))
    throw new Error(`Verbosity level is expected to be an integer >= 0, but got ${verbosityLevel}`);
  if (registeredConstructors.some((r) => r.make === callbackConstructor))
    throw new Error("Duplicate callback constructor.");
  registeredConstructors.push({ level: verbosityLevel, make: callbackConstructor });
}

/** New instances of the registered callback classes for a run with this `verbose`. */
export function registeredCallbacks(verbose: number): CallbackLike[] {
  return registeredConstructors.filter((r) => verbose >= r.level).map((r) => new r.make());
}
