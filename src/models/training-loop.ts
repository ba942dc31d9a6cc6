/**
 * The epoch loop `fit` and `fitDataset` share: callbacks around each epoch and batch, batch logs
 * averaged into epoch logs (weighted by batch size), validation logs as `val_*`, yielding to the
 * event loop, and `model.stopTraining`.
 */
import type { Logs } from "./callbacks.js";
import { type CallbackList, EpochAverager, type Yielder } from "./callback-list.js";

/** One batch of an epoch: its number of examples, and a function that trains on it and frees it. */
export interface TrainingBatch {
  size: number;
  /** One optimizer step; returns the loss and metric values in `names` order. */
  train(): number[];
}

export interface EpochRun {
  model: { stopTraining: boolean };
  epochs: number;
  initialEpoch: number;
  /** Log names of the values a batch's `train` returns ('loss', metrics). */
  names: string[];
  list: CallbackList;
  yielder: Yielder;
  /** The batches of one epoch (stopped early with `return()` when training stops). */
  batches(epoch: number): AsyncIterable<TrainingBatch> | Iterable<TrainingBatch>;
  /** Validation values (in `names` order) at the end of a complete epoch, if any. */
  validate?(): Promise<number[] | undefined> | number[] | undefined;
}

function named(names: string[], values: number[]): Record<string, number> {
  const out: Record<string, number> = {};
  names.forEach((k, i) => (out[k] = values[i]));
  return out;
}

/**
 * Runs the epochs `initialEpoch … epochs − 1`, firing every callback hook in TF.js's order; when a
 * batch, a callback or an interrupt throws, callbacks get `onTrainAbort(error)` and the error goes on.
 */
export async function runEpochs(run: EpochRun): Promise<void> {
  const { list, yielder, names, model } = run;
  try {
    model.stopTraining = false;
    await list.onTrainBegin();
    for (let epoch = run.initialEpoch; epoch < run.epochs && !model.stopTraining; epoch++) {
      await list.onEpochBegin(epoch);
      const average = new EpochAverager();
      let index = 0;
      for await (const batch of run.batches(epoch)) {
        await list.onBatchBegin(index, { batch: index, size: batch.size });
        const values = named(names, batch.train());
        average.add(values, batch.size);
        const batchLogs: Logs = { batch: index, size: batch.size, ...values };
        await list.onBatchEnd(index, batchLogs);
        await yielder.afterBatch(epoch, index, batchLogs);
        index++;
        if (model.stopTraining) break;
      }
      const epochLogs = average.logs();
      const val = model.stopTraining ? undefined : await run.validate?.();
      if (val) names.forEach((k, i) => (epochLogs[`val_${k}`] = val[i]));
      await list.onEpochEnd(epoch, epochLogs);
      await yielder.afterEpoch();
    }
    await list.onTrainEnd();
  } catch (error) {
    list.onTrainAbort(error);
    throw error;
  }
}
