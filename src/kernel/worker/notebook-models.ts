/**
 * Notebook behaviour of the models library, installed by the executor worker:
 * - every `model.fit` with `verbose > 0` shows one live `TrainingPanel` (instead of one console
 *   line per epoch), unless the run already has a `TrainingPanel` among its callbacks; where a
 *   frontend with a widget manager is connected, the panel has Stop and learning-rate controls;
 * - `model.summary()` without a `printFn` shows the summary as an HTML table, with the text the
 *   model prints as the `text/plain` of the same output.
 */
import type { DefaultCallbackFactory, Logs } from "../../models/index.js";
import { getDisplaySink, modelSummaryHtml, toMimeBundle, TrainingPanel, type ModelLike } from "../../display/index.js";
import { widgetManagerSeen } from "../../widgets/manager.js";
import { type ControlledModel, TrainingControls } from "./training-controls.js";

type ModelsApi = Pick<typeof import("../../models/index.js"), "registerDefaultFitCallback" | "LayersModel">;

/** Installs both behaviours; returns a function that undoes them. */
export function installNotebookModels(models: ModelsApi): () => void {
  const undoPanel = installTrainingPanel(models);
  const undoSummary = installSummaryTable(models);
  return () => {
    undoPanel();
    undoSummary();
  };
}

function installTrainingPanel(models: ModelsApi): () => void {
  // The factory does not see the run's own callbacks. `fit` calls the factory, then `setModel` on
  // the user's callbacks before the default ones, so a user panel announces itself in between.
  const defaultPanels = new WeakSet<TrainingPanel>();
  let userPanelModel: unknown;
  const proto = TrainingPanel.prototype;
  const setModel = Object.getOwnPropertyDescriptor(proto, "setModel")!;
  Object.defineProperty(proto, "setModel", {
    ...setModel,
    value(this: TrainingPanel, model: unknown) {
      if (!defaultPanels.has(this)) userPanelModel = model;
      return (setModel.value as (m: unknown) => void).call(this, model);
    },
  });

  const remove = models.registerDefaultFitCallback((model): ReturnType<DefaultCallbackFactory> => {
    userPanelModel = undefined;
    const controls = widgetManagerSeen() ? new TrainingControls(model as unknown as ControlledModel) : undefined;
    const panel = new TrainingPanel(controls ? { sink: controls.sink() } : {});
    defaultPanels.add(panel);
    let active = true;
    const finish = () => controls?.finish(toMimeBundle(panel));
    return {
      setModel(model) {
        if (userPanelModel === model) {
          active = false;
          finish();
        } else panel.setModel(model);
      },
      setParams: (params) => active && panel.setParams(params),
      onTrainBegin: (logs?: Logs) => void (active && panel.onTrainBegin(logs)),
      onEpochBegin: (epoch, logs) => void (active && panel.onEpochBegin(epoch, logs)),
      onBatchEnd: (batch, logs) => void (active && panel.onBatchEnd(batch, logs)),
      onEpochEnd: (epoch, logs) => void (active && panel.onEpochEnd(epoch, logs)),
      onTrainEnd: (logs) => {
        if (!active) return;
        panel.onTrainEnd(logs);
        finish();
      },
      onTrainAbort: (error) => {
        if (!active) return;
        panel.onTrainAbort(error);
        finish();
      },
    };
  });
  return () => {
    remove();
    Object.defineProperty(proto, "setModel", setModel);
  };
}

function installSummaryTable(models: ModelsApi): () => void {
  const proto = models.LayersModel.prototype;
  const summary = Object.getOwnPropertyDescriptor(proto, "summary")!;
  const printText = summary.value as (
    this: unknown,
    lineLength?: number,
    positions?: number[],
    printFn?: (line: string) => void,
  ) => void;
  Object.defineProperty(proto, "summary", {
    ...summary,
    value(this: ModelLike, lineLength?: number, positions?: number[], printFn?: (line: string) => void) {
      const sink = getDisplaySink();
      if (printFn !== undefined || !sink) return printText.call(this, lineLength, positions, printFn);
      const lines: string[] = [];
      printText.call(this, lineLength, positions, (line) => lines.push(line));
      sink.display({ "text/plain": lines.join("\n"), "text/html": modelSummaryHtml(this) }, {});
    },
  });
  return () => Object.defineProperty(proto, "summary", summary);
}
