/** The model and view names of `@jupyter-widgets/controls` 5.0 / `base` 2.0 / `output` 1.0, as ipywidgets 8.1 sends them. */

export const CONTROLS = "@jupyter-widgets/controls";
export const BASE = "@jupyter-widgets/base";
export const OUTPUT = "@jupyter-widgets/output";
/** Model version of the controls and base modules (their JS packages are 5.0.x and 2.0.x/6.0.x). */
export const MODULE_VERSION = "2.0.0";
export const OUTPUT_VERSION = "1.0.0";

/** `_model_*` / `_view_*` keys of a model: `modelKeys("IntSlider")` → IntSliderModel / IntSliderView in controls. */
export function modelKeys(
  name: string,
  opts: { view?: string | null; module?: string; version?: string; viewModule?: string } = {},
): Record<string, unknown> {
  const module = opts.module ?? CONTROLS;
  const version = opts.version ?? MODULE_VERSION;
  const viewModule = opts.viewModule ?? module;
  return {
    _model_module: module,
    _model_module_version: version,
    _model_name: `${name}Model`,
    _view_count: null,
    _view_module: viewModule,
    _view_module_version: viewModule === OUTPUT ? OUTPUT_VERSION : MODULE_VERSION,
    _view_name: opts.view === null ? null : `${opts.view ?? name}View`,
  };
}
