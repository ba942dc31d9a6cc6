/**
 * Interactive widgets with ipywidgets' names (resident as `widgets`): controls that sync with the
 * frontend's widget manager over the Jupyter widget protocol 2.1 (`@jupyter-widgets/controls` 5).
 *
 * @example
 * const lr = new widgets.FloatLogSlider({ value: 1e-2, min: -4, max: -1, description: "lr" });
 * lr.observe(({ new: v }) => console.log("lr is now", v));
 * display(lr);
 * widgets.interact(({ units, act }) => `${units} ${act}`, { units: [4, 64, 4], act: ["relu", "tanh"] });
 */
export { Widget, type ChangeEvent, type Observer, PROTOCOL_VERSION, WIDGET_VIEW_MIME } from "./widget.js";
export { DOMWidget, type DOMWidgetOptions, type DescriptionOptions, type DisableableOptions } from "./dom-widget.js";
export { Layout, Style, type LayoutOptions, type StyleOptions } from "./layout.js";
export {
  IntSlider,
  FloatSlider,
  FloatLogSlider,
  IntRangeSlider,
  FloatRangeSlider,
  type SliderOptions,
  type LogSliderOptions,
} from "./sliders.js";
export {
  Selection,
  Dropdown,
  RadioButtons,
  Select,
  ToggleButtons,
  SelectionSlider,
  type SelectionOptions,
  type SelectionWidgetOptions,
} from "./selection.js";
export {
  Checkbox,
  ToggleButton,
  Text,
  Textarea,
  IntText,
  FloatText,
  Button,
  Label,
  HTML,
  type ButtonOptions,
} from "./inputs.js";
export {
  Image,
  Play,
  IntProgress,
  FloatProgress,
  type ImageOptions,
  type PlayOptions,
  type ProgressOptions,
} from "./media.js";
export { Box, HBox, VBox, Tab, Accordion, type BoxOptions, type TabOptions } from "./containers.js";
export { Output, type OutputItem } from "./output.js";
export { link, dlink, jslink, jsdlink, Link, type WidgetOption } from "./link.js";
export {
  interact,
  interactive,
  Interactive,
  fixed,
  Fixed,
  type InteractOptions,
  type InteractSpecEntry,
  type InteractValue,
  type InteractValues,
} from "./interact.js";
export { widgetManagerSeen } from "./manager.js";
