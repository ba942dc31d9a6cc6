/**
 * The subset of plotly.js's figure format ({data, layout}) that deepts produces and renders itself.
 * Everything here is valid plotly.js 2.x input, so the same object feeds the interactive chart
 * and deepts's own static SVG renderer.
 */
import type { ColorScale } from "./colors.js";

export type AxisId = "x" | `x${number}`;
export type YAxisId = "y" | `y${number}`;

interface TraceBase {
  name?: string;
  /** plotly.js hover text; `boundedSpec` fills in one with the series name and rounded values. */
  hovertemplate?: string;
  xaxis?: AxisId;
  yaxis?: YAxisId;
  showlegend?: boolean;
}

export interface ScatterTrace extends TraceBase {
  type: "scatter";
  x?: (number | string)[];
  y: number[];
  mode?: "lines" | "markers" | "lines+markers";
  line?: { color?: string; width?: number; dash?: "solid" | "dash" | "dot" };
  marker?: { color?: string; size?: number };
}

export interface BarTrace extends TraceBase {
  type: "bar";
  x: (number | string)[];
  y: number[];
  /** Bar width in x units (numeric x); default: 0.8 of a category slot. */
  width?: number;
  /** One colour for every bar, or one per bar. */
  marker?: { color?: string | string[] };
}

export interface HistogramTrace extends TraceBase {
  type: "histogram";
  x: number[];
  /** Always given explicitly, so every renderer bins alike. */
  xbins: { start: number; end: number; size: number };
  marker?: { color?: string };
}

export interface HeatmapTrace extends TraceBase {
  type: "heatmap";
  /** Rows of values; row 0 is drawn at the bottom unless the y axis is reversed. */
  z: number[][];
  x?: (number | string)[];
  y?: (number | string)[];
  colorscale: ColorScale;
  zmin?: number;
  zmax?: number;
  showscale?: boolean;
  /** Text written in each cell (same rows and columns as `z`), shown with `texttemplate: "%{text}"`. */
  text?: string[][];
  texttemplate?: "%{text}";
}

export interface ImageTrace extends TraceBase {
  type: "image";
  /** Rows of [r, g, b] pixels, 0..255; row 0 at the top. */
  z?: [number, number, number][][];
  /** Or the image as a `data:image/png;base64,…` URI (what deepts sends: compact). */
  source?: string;
}

export type Trace = ScatterTrace | BarTrace | HistogramTrace | HeatmapTrace | ImageTrace;

export interface Axis {
  title?: { text: string };
  domain?: [number, number];
  anchor?: string;
  range?: [number, number];
  autorange?: boolean | "reversed";
  type?: "linear" | "category";
  showgrid?: boolean;
  zeroline?: boolean;
  scaleanchor?: string;
  constrain?: "domain";
  showticklabels?: boolean;
  /** Distance between ticks (plotly's `dtick`). */
  dtick?: number;
  ticks?: "" | "outside";
}

export interface Layout {
  title?: { text: string };
  width?: number;
  height?: number;
  showlegend?: boolean;
  barmode?: "group" | "overlay";
  bargap?: number;
  margin?: { l?: number; r?: number; t?: number; b?: number };
  /** Titles of subplots, drawn as annotations by plotly.js. */
  annotations?: {
    text: string;
    x: number;
    y: number;
    xref: "paper";
    yref: "paper";
    showarrow: false;
    xanchor: "center";
    yanchor: "bottom";
    font?: { size: number };
  }[];
  [axis: `xaxis${string}` | `yaxis${string}`]: Axis | undefined;
}

/** A plotly.js figure. */
export interface FigureSpec {
  data: Trace[];
  layout: Layout;
}
