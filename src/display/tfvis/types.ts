/**
 * The public types of the `tfvis` API, with tfjs-vis's names and shapes, so typed TF.js code that
 * annotates with them (`tfvis.Point2D`, `tfvis.SurfaceInfo` …) checks. Tensors and models are
 * structural (any TF.js-shaped tensor or model fits), as everywhere in display.
 */
import type { TensorLike } from "../tensor-like.js";

/** Names a chart: the surface's `name` is its title (`tab` groups surfaces in the visor). */
export interface SurfaceInfo {
  name: string;
  tab?: string;
  /** Accepted for compatibility; outputs in a notebook size themselves. */
  styles?: StyleOptions;
}

/** tfjs-vis's surface styles (CSS sizes). */
export interface StyleOptions {
  width?: string;
  height?: string;
  maxWidth?: string;
  maxHeight?: string;
}

/** Stands where tfjs-vis has an HTML element: it names the surface it belongs to. */
export interface SurfaceArea {
  readonly surface: { readonly name: string; readonly tab: string };
}

/** What `tfvis.visor().surface(...)` returns; pass it (or its `drawArea`'s owner) to any render call. */
export interface Surface {
  name: string;
  tab: string;
  container: SurfaceArea;
  label: SurfaceArea;
  drawArea: SurfaceArea;
}

/** Where a chart goes: `{ name, tab? }`, a `visor().surface(...)` result, or any object with a `drawArea`. */
export type Drawable = SurfaceInfo | Surface | { drawArea: unknown };

/** Options every render call takes. */
export interface VisOptions {
  /** Width of the chart in pixels. */
  width?: number;
  /** Height of the chart in pixels. */
  height?: number;
  xLabel?: string;
  yLabel?: string;
  /** Accepted for compatibility; the notebook's theme sets the font. */
  fontSize?: number;
  xType?: "quantitative" | "ordinal" | "nominal";
  yType?: "quantitative" | "ordinal" | "nominal";
}

/** Options of line charts and scatter plots. */
export interface XYPlotOptions extends VisOptions {
  /** The x axis's range (ignored with `zoomToFit`). */
  xAxisDomain?: [number, number];
  /** The y axis's range (ignored with `zoomToFit`). */
  yAxisDomain?: [number, number];
  /** Fit the axes to the data; otherwise they include 0. */
  zoomToFit?: boolean;
  /** One CSS colour per series. */
  seriesColors?: string[];
}

/** One point of a line chart or scatter plot. */
export interface Point2D {
  x: number;
  y: number;
}

/** Points of one series, or one array of points per series, and the series' names. */
export interface XYPlotData {
  values: Point2D[][] | Point2D[];
  series?: string[];
}

/** Summary statistics shown above a histogram. */
export interface HistogramStats {
  numVals?: number;
  min?: number;
  max?: number;
  numNans?: number;
  numZeros?: number;
  numInfs?: number;
}

/** Options of `render.histogram`. */
export interface HistogramOpts extends VisOptions {
  /** Statistics to show (computed when left out), or `false` for none. */
  stats?: HistogramStats | false;
  /** At most this many bins (default 12). */
  maxBins?: number;
  /** The bars' CSS colour. */
  color?: string;
}

/** Options of `render.barchart`. */
export interface BarChartOpts extends VisOptions {
  /** One CSS colour for all bars, or one per bar. */
  color?: string | string[];
}

export type TypedArray =
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | Uint8ClampedArray
  | Float32Array
  | Float64Array;

/** A confusion matrix: `values[label][prediction]` counts, and the classes' names. */
export interface ConfusionMatrixData {
  values: number[][];
  tickLabels?: string[];
}

export type NamedColorMap = "greyscale" | "viridis" | "blues";

/** Options of `render.confusionMatrix`. */
export interface ConfusionMatrixOptions extends VisOptions {
  /** Colour the diagonal (default true). */
  shadeDiagonal?: boolean;
  /** Write each cell's count in it (default true). */
  showTextOverlay?: boolean;
  /** A named colour map, or the colours of the lowest and highest count (`#rrggbb` or `rgb(r,g,b)`). */
  colorMap?: NamedColorMap | [string, string];
}

/** A heatmap's values (column-major: `values[i]` is the column at x = i, unless `rowMajor`) and tick labels. */
export interface HeatmapData {
  values: number[][] | TensorLike;
  xTickLabels?: string[];
  yTickLabels?: string[];
}

/** Options of `render.heatmap`. */
export interface HeatmapOptions extends VisOptions {
  /** Default viridis. */
  colorMap?: NamedColorMap;
  /** The values mapped to the lowest and highest colour. */
  domain?: number[];
  /** `values[i]` is the row at y = i. */
  rowMajor?: boolean;
}

/** Data of `render.table`: column names and rows (numbers are formatted; strings are HTML). */
export interface TableData {
  headers: string[];
  // biome-ignore lint/suspicious/noExplicitAny: cells are whatever the user tabulates, as in tfjs-vis
  values: any[][];
}

/** Training logs: metric name → value (a number or a scalar tensor). */
export type Logs = Record<string, number | TensorLike | undefined>;

/** A `History` from `model.fit`, an array of logs, or one array of logs per metric. */
export type HistoryLike = Logs[] | Logs[][] | { history: Record<string, ArrayLike<number | TensorLike>> };

/** Options of `show.history`. */
export interface HistoryOptions extends XYPlotOptions {
  /** Fit accuracy charts to their data instead of showing 0..1. */
  zoomToFitAccuracy?: boolean;
}

/** Options of `show.fitCallbacks`. */
export interface FitCallbackOptions extends HistoryOptions {
  /** Which callbacks to make: `onEpochEnd`, `onBatchEnd` (default both), or other `fit` hooks that get logs. */
  callbacks?: string[];
}

/** The callbacks `show.fitCallbacks` returns, for `model.fit({ callbacks })`. */
export interface FitCallbackHandlers {
  [callback: string]: (iteration: number, log?: Logs) => Promise<void>;
}

/** A layer as `show.layer` and `show.modelSummary` read it (the TF.js `Layer` shape). */
export interface LayerLike {
  name: string;
  countParams(): number;
  outputShape?: unknown;
  trainable?: boolean;
  getWeights?(): TensorLike[];
  weights?: { name: string }[];
}

/** A model as `show.modelSummary` reads it (the TF.js `LayersModel` shape). */
export interface ModelLike {
  layers: LayerLike[];
}
