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

/** How long a fit runs before its panel gets controls. */
const SHOW_AFTER_MS = 1000;
/** How long the finished panel's widgets outlive it, so frontends finish building their views first. */
const CLOSE_DELAY_MS = 3000;

export class TrainingControls {
  readonly stop: Button;
  readonly learningRate?: FloatLogSlider;
  private readonly view = new HTML();
  private readonly box: VBox;
  private target: DisplaySink | undefined;
  private displayId: string | undefined;
  private shown = false;

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

  /**
   * The sink to give the panel. Its first display is the plain panel; once training has run for
   * `SHOW_AFTER_MS` the output becomes this widget, and later updates go to its HTML view. A fit
   * that ends sooner never shows controls it had no use for (and frontends are not asked to build
   * views that are replaced while they are still being built).
   */
  sink(): DisplaySink {
    let started = 0;
    let metadata: Record<string, unknown> = {};
    return {
      display: (data, meta, displayId) => {
        this.target = getDisplaySink();
        this.displayId = displayId;
        metadata = meta ?? {};
        started = Date.now();
        this.view.value = String(data["text/html"] ?? "");
        this.target?.display(data, metadata, displayId);
      },
      update: (displayId, data) => {
        this.view.value = String(data["text/html"] ?? "");
        if (this.shown || !this.target) return;
        if (Date.now() - started < SHOW_AFTER_MS) return this.target.update(displayId, data, metadata);
        this.shown = true;
        const view = { version_major: 2, version_minor: 0, model_id: this.box.modelId };
        this.target.update(displayId, { ...data, [WIDGET_VIEW_MIME]: view }, metadata);
      },
      clear: (wait) => getDisplaySink()?.clear(wait),
    };
  }

  /**
   * Training ended: the output becomes the plain final panel. Shown widgets close a moment later:
   * closing them at once races the frontend, which may still be building their views.
   */
  finish(finalBundle: MimeBundle): void {
    if (this.target && this.displayId !== undefined) this.target.update(this.displayId, finalBundle, {});
    const widgets = [
      this.box,
      ...this.box.children,
      this.view,
      this.stop,
      ...(this.learningRate ? [this.learningRate] : []),
    ];
    const close = () => {
      for (const w of widgets) w.close();
    };
    if (this.shown) setTimeout(close, CLOSE_DELAY_MS).unref();
    else close();
  }
}
