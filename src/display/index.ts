/**
 * Rich display for deepts: mime bundles for values (tensors, models, figures, anything with a
 * `[Symbol.for("Jupyter.display")]()` hook), typed display helpers, display handles, live outputs,
 * the `plot` API, a training panel, model summaries/diagrams and gradient graphs.
 *
 * Everything here is offline: no CDN, no requirejs, no server paths. See `sink.ts` for the contract
 * with the kernel.
 */
export {
  setDisplaySink,
  getDisplaySink,
  withDisplaySink,
  exitDisplaySinkScopes,
  type DisplaySink,
  type MimeBundle,
} from "./sink.js";
export { toMimeBundle, normalizeBundle, plainText, JUPYTER_DISPLAY } from "./bundle.js";
export {
  display,
  clearOutput,
  clear_output,
  updateDisplay,
  bundles,
  type Display,
  type DisplayHandle,
  type DisplayOptions,
} from "./display.js";
export { LiveOutput, lightBundle, type LiveOutputOptions } from "./live.js";
export { Figure, PLOTLY_MIME, MAX_POINTS_PER_TRACE } from "./figure.js";
export type { FigureSpec, Trace, Layout, Axis } from "./figure-types.js";
export {
  plot,
  type PlotOptions,
  type Series,
  type HistogramOptions,
  type HeatmapOptions,
  type SubplotOptions,
  type ImageOptions,
} from "./plot.js";
export { figureToSvg } from "./chart-svg.js";
export { resetPlotlySession, startPlotlyOutputArea } from "./plotly-html.js";
export {
  TrainingPanel,
  trainingPanel,
  showsTraining,
  SHOWS_TRAINING,
  type TrainingParams,
  type TrainingPanelOptions,
} from "./training.js";
export { isTensorLike, type TensorLike } from "./tensor-like.js";
export {
  tensorBundle,
  tensorText,
  tensorTableHtml,
  tensorSummary,
  tensorImageGrid,
  type TensorDisplayOptions,
} from "./tensor-display.js";
export {
  isModelLike,
  modelBundle,
  modelDiagramSvg,
  modelSummaryBundle,
  modelSummaryHtml,
  modelSummaryText,
  paramCounts,
  type LayerLike,
  type ModelLike,
} from "./model-display.js";
export {
  gradientGraph,
  gradientGraphBundle,
  gradientGraphSvg,
  type TracedOp,
  type TracedTensor,
  type Trace as GradientTrace,
} from "./grad-graph.js";
export { tslab, type TslabDisplay } from "./tslab.js";
export { encodePng } from "./png.js";
export { COLOR_SCALE_NAMES, type ColorScaleName } from "./colors.js";
export { isHistoryLike, historyBundle, historyText, type HistoryLike } from "./history-display.js";
