/**
 * Notebook behaviour of the models library, installed by the executor worker:
 * - every `model.fit` with `verbose > 0` shows one live `TrainingPanel` (instead of one console
 *   line per epoch), unless the run already has a display of its own among its callbacks (a
 *   `TrainingPanel`, `tfvis.show.fitCallbacks`'s callbacks: `showsTraining`); where a
 *   frontend with a widget manager is connected, the panel has Stop and learning-rate controls;
 * - `model.summary()` without a `printFn` shows the summary as an HTML table, with the text the
 *   model prints as the `text/plain` of the same output.
 */
import type { DefaultCallbackFactory, Logs } from "../../models/index.js";
import {
  getDisplaySink,
  modelSummaryHtml,
  showsTraining,
  toMimeBundle,
  TrainingPanel,
  type ModelLike,
} from "../../display/index.js";
import { widgetManagerSeen } from "../../widgets/manager.js";
import { type ControlledModel, TrainingControls } from "./training-controls.js";

type ModelsApi = Pick<typeof import("../../models/index.js"), "registerDefaultFitCallback" | "setSummaryDisplay">;

/** Installs both behaviours; returns a function that undoes them. */
export function installNotebookModels(models: ModelsApi): () => void {
  const undoPanel = installTrainingPanel(models);
  const undoSummary = models.setSummaryDisplay((model, lines) => {
    const sink = getDisplaySink();
    if (!sink) return false;
    sink.display({ "text/plain": lines.join("\n"), "text/html": modelSummaryHtml(model as unknown as ModelLike) }, {});
    return true;
  });
  return () => {
    undoPanel();
    undoSummary();
  };
}

/** One live panel per verbose fit, unless the run's own callbacks show training themselves. */
function installTrainingPanel(models: ModelsApi): () => void {
  return models.registerDefaultFitCallback((model, _params, runCallbacks): ReturnType<DefaultCallbackFactory> => {
    // The run's own charts show training: no panel, and no console line per epoch either.
    if (runCallbacks.some(showsTraining)) return {};
    const controls = widgetManagerSeen() ? new TrainingControls(model as unknown as ControlledModel) : undefined;
    const panel = new TrainingPanel(controls ? { sink: controls.sink() } : {});
    const finish = () => controls?.finish(toMimeBundle(panel));
    return {
      setModel: (model) => panel.setModel(model),
      setParams: (params) => panel.setParams(params),
      onTrainBegin: (logs?: Logs) => void panel.onTrainBegin(logs),
      onEpochBegin: (epoch, logs) => void panel.onEpochBegin(epoch, logs),
      onBatchEnd: (batch, logs) => void panel.onBatchEnd(batch, logs),
      onEpochEnd: (epoch, logs) => void panel.onEpochEnd(epoch, logs),
      onTrainEnd: (logs) => {
        panel.onTrainEnd(logs);
        finish();
      },
      onTrainAbort: (error) => {
        panel.onTrainAbort(error);
        finish();
      },
    };
  });
}
