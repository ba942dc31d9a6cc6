/**
 * The callbacks of one training run, as `fit` and `fitDataset` share them: what users pass in
 * `callbacks` (null, one object, an array; plain `{ onEpochEnd }` objects or `Callback`s), the
 * History, registered and default (live panel / console) callbacks, and when the loop yields to
 * the event loop (`yieldEvery`).
 */
import * as tf from "./core.js";
import {
  type CallbackLike,
  defaultFitCallbacks,
  type FitParams,
  History,
  type Logs,
  registeredCallbacks,
  type TrainableModel,
} from "./callbacks.js";
import { ConsoleProgress } from "./progress.js";

/** When training lets the event loop run: by time ('auto' or milliseconds), per batch or epoch, or never. */
export type YieldEveryOptions = "auto" | "batch" | "epoch" | "never" | number;

/** How often `'auto'` yields. */
const AUTO_YIELD_MS = 40;

/**
 * The callback objects in `callbacks` as `fit` accepts it: null or undefined (none), one
 * object, or an array of them (null entries are skipped).
 */
export function standardizeCallbacks(callbacks: unknown): CallbackLike[] {
  if (callbacks === null || callbacks === undefined) return [];
  const list = Array.isArray(callbacks) ? callbacks : [callbacks];
  return list
    .filter((c) => c !== null && c !== undefined)
    .map((c, i) => {
      if (typeof c !== "object")
        throw new Error(
          `callbacks${Array.isArray(callbacks) ? `[${i}]` : ""}: expected a callback object such as { onEpochEnd: (epoch, logs) => … } or a tf.Callback, got ${typeof c}`,
        );
      return c as CallbackLike;
    });
}

/**
 * Calls each hook on every callback in order, awaiting each (TF.js's `CallbackList`).
 *
 * ```ts
 * const list = new tf.CallbackList([{ onEpochEnd: (e) => console.log(e) }]);
 * await list.onEpochEnd(0, { loss: 1 });
 * ```
 */
export class CallbackList {
  readonly callbacks: CallbackLike[];
  constructor(callbacks?: CallbackLike[] | null, _queueLength = 10) {
    this.callbacks = callbacks ? callbacks.slice() : [];
  }
  append(callback: CallbackLike): void {
    this.callbacks.push(callback);
  }
  setParams(params: FitParams): void {
    for (const c of this.callbacks) c.setParams?.(params);
  }
  setModel(model: TrainableModel): void {
    for (const c of this.callbacks) c.setModel?.(model);
  }
  async onTrainBegin(logs: Logs = {}): Promise<void> {
    for (const c of this.callbacks) await c.onTrainBegin?.(logs);
  }
  async onTrainEnd(logs: Logs = {}): Promise<void> {
    for (const c of this.callbacks) await c.onTrainEnd?.(logs);
  }
  /** Training ended by `error` (an interrupt included): each callback hears it; their own errors are dropped. */
  onTrainAbort(error: unknown): void {
    for (const c of this.callbacks) {
      try {
        c.onTrainAbort?.(error);
      } catch {
        // the training error is the one to report
      }
    }
  }
  async onEpochBegin(epoch: number, logs: Logs = {}): Promise<void> {
    for (const c of this.callbacks) await c.onEpochBegin?.(epoch, logs);
  }
  async onEpochEnd(epoch: number, logs: Logs = {}): Promise<void> {
    for (const c of this.callbacks) await c.onEpochEnd?.(epoch, logs);
  }
  async onBatchBegin(batch: number, logs: Logs = {}): Promise<void> {
    for (const c of this.callbacks) await c.onBatchBegin?.(batch, logs);
  }
  async onBatchEnd(batch: number, logs: Logs = {}): Promise<void> {
    for (const c of this.callbacks) await c.onBatchEnd?.(batch, logs);
  }
  async onYield(epoch: number, batch: number, logs: Logs): Promise<void> {
    for (const c of this.callbacks) await c.onYield?.(epoch, batch, logs);
  }
}

/** What `fit`/`fitDataset` need to set up a run's callbacks. */
export interface RunSetup {
  model: TrainableModel;
  params: FitParams;
  callbacks: unknown;
  verbose: number;
}

/**
 * The run's callbacks in order: the History, the user's, registered constructors, then the
 * default display (the kernel's live panel, else one console line per epoch) when `verbose > 0`.
 * The default factories see the run's other callbacks, so a user's own panel can claim the run.
 */
export function configureCallbacks(setup: RunSetup): { list: CallbackList; history: History } {
  const history = new History();
  const runCallbacks = [...standardizeCallbacks(setup.callbacks), ...registeredCallbacks(setup.verbose)];
  const list = new CallbackList([history, ...runCallbacks]);
  if (setup.verbose > 0) {
    const extra = defaultFitCallbacks(setup.model, setup.params, runCallbacks);
    for (const c of extra.length > 0 ? extra : [new ConsoleProgress()]) list.append(c);
  }
  list.setModel(setup.model);
  list.setParams(setup.params);
  return { list, history };
}

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Decides when the training loop lets the event loop run, and tells `onYield` hooks when it does. */
export class Yielder {
  private last = Date.now();
  private readonly interval: number | undefined;
  constructor(
    private readonly every: YieldEveryOptions,
    private readonly list: CallbackList,
  ) {
    const ok =
      ["auto", "batch", "epoch", "never"].includes(every as string) || (typeof every === "number" && every >= 0);
    if (!ok)
      throw new Error(`yieldEvery must be 'auto', 'batch', 'epoch', 'never' or a number of milliseconds, got ${every}`);
    this.interval = every === "auto" ? AUTO_YIELD_MS : typeof every === "number" ? every : undefined;
  }

  /** After each batch: checks for an interrupt, and yields when the policy says so. */
  async afterBatch(epoch: number, batch: number, logs: Logs): Promise<void> {
    tf.checkInterrupt();
    const due = this.every === "batch" || (this.interval !== undefined && Date.now() - this.last >= this.interval);
    if (!due) return;
    await this.list.onYield(epoch, batch, logs);
    await nextTurn();
    tf.checkInterrupt();
    this.last = Date.now();
  }

  /** After each epoch: yields unless yielding is off. */
  async afterEpoch(): Promise<void> {
    if (this.every === "never") return;
    await nextTurn();
    this.last = Date.now();
  }
}

/** Averages batch logs over an epoch, weighting each batch by its size (TF.js's BaseLogger). */
export class EpochAverager {
  private seen = 0;
  private readonly sums = new Map<string, number>();
  add(values: Record<string, number>, size: number): void {
    this.seen += size;
    for (const [k, v] of Object.entries(values)) this.sums.set(k, (this.sums.get(k) ?? 0) + v * size);
  }
  logs(): Logs {
    const out: Logs = {};
    if (this.seen === 0) return out;
    for (const [k, v] of this.sums) out[k] = v / this.seen;
    return out;
  }
}
