/**
 * Controls for a running `fit` in a frontend with a widget manager: a Stop button (ends training
 * after the current batch; `fit` resolves with the history so far) and, for an optimizer with a
 * fixed learning rate, a log slider that changes it between batches. The live panel is shown inside
 * the same widget (an HTML view updated in place); when training ends the output becomes the plain
 * panel again, so saved notebooks and frontends without widgets show what they always did.
 */
import { type DisplaySink, getDisplaySink, type MimeBundle } from "../../display/index.js";
import { HBox, VBox } from "../../widgets/containers.js";
import { Button, HTML } from "../../widgets/inputs.js";
import { FloatLogSlider } from "../../widgets/sliders.js";
import { WIDGET_VIEW_MIME } from "../../widgets/widget.js";

/** What the controls need of the model being trained (TF.js names). */
export interface ControlledModel {
  stopTraining: boolean;
  optimizer?: { learningRate: number; setLearningRate(lr: number): void };
}

/** Whether the optimizer's rate is a plain number the slider may set (not a schedule). */
function fixedRate(model: ControlledModel): number | undefined {
  const opt = model.optimizer as (ControlledModel["optimizer"] & { schedule?: unknown }) | undefined;
  if (!opt || typeof opt.setLearningRate !== "function" || opt.schedule !== undefined) return undefined;
  const lr = opt.learningRate;
  return typeof lr === "number" && lr > 0 && Number.isFinite(lr) ? lr : undefined;
}

export class TrainingControls {
  readonly stop: Button;
  readonly learningRate?: FloatLogSlider;
  private readonly view = new HTML();
  private readonly box: VBox;
  private target: DisplaySink | undefined;
  private displayId: string | undefined;

  constructor(model: ControlledModel) {
    this.stop = new Button({
      description: "Stop",
      buttonStyle: "danger",
      icon: "stop",
      tooltip: "End training after this batch",
    });
    this.stop.onClick(() => {
      model.stopTraining = true;
      this.stop.set({ disabled: true, description: "Stopping…" });
    });
    const lr = fixedRate(model);
    const row: (Button | FloatLogSlider)[] = [this.stop];
    if (lr !== undefined) {
      const exp = Math.log10(lr);
      this.learningRate = new FloatLogSlider({
        description: "learning rate",
        value: lr,
        min: Math.floor(exp) - 3,
        max: Math.ceil(exp) + 1,
        step: 0.1,
        readoutFormat: ".1e",
        continuousUpdate: false,
        style: { descriptionWidth: "initial" },
      });
      this.learningRate.observe(({ new: v }) => model.optimizer?.setLearningRate(v as number));
      row.push(this.learningRate);
    }
    this.box = new VBox([new HBox(row), this.view]);
  }

  /** The sink to give the panel: its first display becomes this widget, its updates go to the HTML view. */
  sink(): DisplaySink {
    return {
      display: (data, metadata, displayId) => {
        this.target = getDisplaySink();
        this.displayId = displayId;
        this.view.value = String(data["text/html"] ?? "");
        this.target?.display(
          { ...data, [WIDGET_VIEW_MIME]: { version_major: 2, version_minor: 0, model_id: this.box.modelId } },
          metadata,
          displayId,
        );
      },
      update: (_displayId, data) => {
        this.view.value = String(data["text/html"] ?? "");
      },
      clear: (wait) => getDisplaySink()?.clear(wait),
    };
  }

  /** Training ended: the output becomes the plain final panel and the widgets close. */
  finish(finalBundle: MimeBundle): void {
    if (this.target && this.displayId !== undefined) this.target.update(this.displayId, finalBundle, {});
    for (const w of [
      this.box,
      ...this.box.children,
      this.view,
      this.stop,
      ...(this.learningRate ? [this.learningRate] : []),
    ])
      w.close();
  }
}
