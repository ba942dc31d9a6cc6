/**
 * `tfvis.render.*`: tfjs-vis's charts, drawn by deepts's plot functions into the cell's output.
 * Each call shows one output per part of its surface; a later call to the same surface in the same
 * cell run replaces it in place.
 */
import { colorScale, isColorScaleName, scaleSampler, type ColorScale } from "../colors.js";
import type { HeatmapTrace, Trace } from "../figure-types.js";
import { plot } from "../plot.js";
import { isTensorLike, toMatrix } from "../tensor-like.js";
import { resolveSurface, surfaceOutput } from "./surfaces.js";
import { checkSize, histogramOn, lineFigure, size, xyOptions, xySeries } from "./charts.js";
import { bundleValue, tableBundle } from "./table.js";
import type {
  BarChartOpts,
  ConfusionMatrixData,
  ConfusionMatrixOptions,
  Drawable,
  HeatmapData,
  HeatmapOptions,
  HistogramOpts,
  TableData,
  TypedArray,
  XYPlotData,
  XYPlotOptions,
} from "./types.js";

/**
 * A scatter plot of one or more series of `{ x, y }` points.
 * @example
 * tfvis.render.scatterplot({ name: "Horsepower v MPG" }, { values: cars.map((c) => ({ x: c.horsepower, y: c.mpg })) },
 *   { xLabel: "Horsepower", yLabel: "MPG", height: 300 });
 */
export async function scatterplot(container: Drawable, data: XYPlotData, opts: XYPlotOptions = {}): Promise<void> {
  const what = "tfvis.render.scatterplot";
  const surface = resolveSurface(container, what);
  checkSize(opts, what);
  const series = xySeries(data, opts, what);
  surfaceOutput(surface, "").show(plot.scatter(series, xyOptions(series, surface.name, opts)));
}

/**
 * A line chart of one or more series of `{ x, y }` points.
 * @example tfvis.render.linechart({ name: "Loss" }, { values: [train, val], series: ["train", "val"] }, { zoomToFit: true });
 */
export async function linechart(container: Drawable, data: XYPlotData, opts: XYPlotOptions = {}): Promise<void> {
  const what = "tfvis.render.linechart";
  const surface = resolveSurface(container, what);
  surfaceOutput(surface, "").show(lineFigure(surface.name, data, opts, what));
}

/**
 * A bar chart of `[{ index, value }, …]`.
 * @example tfvis.render.barchart({ name: "Counts" }, [{ index: 0, value: 50 }, { index: 1, value: 100 }]);
 */
export async function barchart(
  container: Drawable,
  data: { index: number | string; value: number }[],
  opts: BarChartOpts = {},
): Promise<void> {
  const what = "tfvis.render.barchart";
  const surface = resolveSurface(container, what);
  checkSize(opts, what);
  if (!Array.isArray(data)) throw new Error(`${what}: data must be an array of { index, value }`);
  const labels: string[] = [];
  const values: number[] = [];
  data.forEach((d, i) => {
    const v = (d as { value?: unknown } | null)?.value;
    if (typeof v !== "number")
      throw new Error(`${what}: data[${i}] must be { index, value: number }, got ${JSON.stringify(d)}`);
    labels.push(String(d.index ?? i));
    values.push(v);
  });
  const fig = plot.bar(labels, values, {
    title: surface.name,
    ...(opts.xLabel ? { xLabel: opts.xLabel } : {}),
    ...(opts.yLabel ? { yLabel: opts.yLabel } : {}),
    ...size(opts),
  });
  if (opts.color !== undefined) {
    const bars = fig.data[0] as Extract<Trace, { type: "bar" }>;
    const colors = Array.isArray(opts.color) ? opts.color : [opts.color];
    if (colors.length === 0 || colors.some((c) => typeof c !== "string"))
      throw new Error(`${what}: color must be a CSS colour or an array of them`);
    bars.marker = { color: Array.isArray(opts.color) ? labels.map((_, i) => colors[i % colors.length]!) : opts.color };
  }
  surfaceOutput(surface, "").show(fig);
}

/** Values of a histogram: numbers, a typed array, or `[{ value }, …]`. */
function histogramValues(data: unknown, what: string): number[] {
  if (isTensorLike(data)) return Array.from(data.dataSync() as ArrayLike<number>, Number);
  if (!Array.isArray(data) && !ArrayBuffer.isView(data))
    throw new Error(`${what}: data must be an array of numbers, a typed array or [{ value }, …]`);
  const list = Array.from(data as ArrayLike<unknown>);
  return list.map((v, i) => {
    if (typeof v === "number") return v;
    const value = (v as { value?: unknown } | null)?.value;
    if (typeof value === "number") return value;
    if (value === null) return NaN;
    throw new Error(`${what}: data[${i}] must be a number or { value: number }, got ${JSON.stringify(v)}`);
  });
}

/**
 * A histogram of values, with their statistics (count, min, max, zeros, NaNs, infinities) above it.
 * @example tfvis.render.histogram({ name: "Weights" }, weights.dataSync(), { maxBins: 20 });
 */
export async function histogram(
  container: Drawable,
  data: { value: number }[] | number[] | TypedArray,
  opts: HistogramOpts = {},
): Promise<void> {
  const what = "tfvis.render.histogram";
  const surface = resolveSurface(container, what);
  checkSize(opts, what);
  histogramOn(surface, histogramValues(data, what), opts);
}

function transpose(m: number[][]): number[][] {
  return (m[0] ?? []).map((_, j) => m.map((row) => row[j]!));
}

/** plotly.js stops for tfjs-vis's colour maps (`greyscale` is black to white). */
function colorMapScale(map: unknown, what: string): ColorScale {
  if (Array.isArray(map) && map.length === 2 && map.every((c) => typeof c === "string")) {
    const scale: ColorScale = [
      [0, map[0] as string],
      [1, map[1] as string],
    ];
    try {
      scaleSampler(scale);
    } catch (e) {
      throw new Error(`${what}: colorMap: ${(e as Error).message}`);
    }
    return scale;
  }
  const name = map === "greyscale" ? "greys" : map;
  if (!isColorScaleName(name) || !["greys", "viridis", "blues"].includes(name))
    throw new Error(
      `${what}: colorMap must be 'greyscale', 'viridis' or 'blues'${what.includes("confusion") ? " or [lowColour, highColour]" : ""}, got ${JSON.stringify(map)}`,
    );
  return colorScale(name);
}

/**
 * A heatmap. `values[i]` is the column at x = i (column-major, as tfjs-vis), or with
 * `rowMajor: true` the row at y = i; a rank-2 tensor reads the same way.
 * @example tfvis.render.heatmap({ name: "Heatmap" }, { values: [[4, 2, 8], [1, 7, 2]], xTickLabels: ["a", "b"] });
 */
export async function heatmap(container: Drawable, data: HeatmapData, opts: HeatmapOptions = {}): Promise<void> {
  const what = "tfvis.render.heatmap";
  const surface = resolveSurface(container, what);
  checkSize(opts, what);
  if (data === null || typeof data !== "object" || data.values === undefined)
    throw new Error(`${what}: data must be { values: number[][] | Tensor2D, xTickLabels?, yTickLabels? }`);
  if (isTensorLike(data.values) && data.values.shape.length !== 2)
    throw new Error(`${what}: values must be a 2-D array or Tensor2D, got shape [${data.values.shape.join(", ")}]`);
  const matrix = toMatrix(data.values, what);
  const z = opts.rowMajor ? matrix : transpose(matrix);
  const columns = z[0]?.length ?? 0;
  if (data.xTickLabels && data.xTickLabels.length !== columns)
    throw new Error(
      `${what}: ${data.xTickLabels.length} xTickLabels for ${columns} x positions (values are column-major unless rowMajor: true)`,
    );
  if (data.yTickLabels && data.yTickLabels.length !== z.length)
    throw new Error(
      `${what}: ${data.yTickLabels.length} yTickLabels for ${z.length} y positions (values are column-major unless rowMajor: true)`,
    );
  const fig = plot.heatmap(z, {
    title: surface.name,
    ...(data.xTickLabels ? { xLabels: data.xTickLabels } : {}),
    ...(data.yTickLabels ? { yLabels: data.yTickLabels } : {}),
    ...(opts.xLabel ? { xLabel: opts.xLabel } : {}),
    ...(opts.yLabel ? { yLabel: opts.yLabel } : {}),
    ...(opts.domain && opts.domain.length >= 2
      ? { zmin: opts.domain[0], zmax: opts.domain[opts.domain.length - 1] }
      : {}),
    ...size(opts),
  });
  (fig.data[0] as HeatmapTrace).colorscale = colorMapScale(opts.colorMap ?? "viridis", what);
  surfaceOutput(surface, "").show(fig);
}

/**
 * A confusion matrix: `values[label][prediction]` counts, each cell's count written in it.
 * @example
 * const values = await tfvis.metrics.confusionMatrix(labels, predictions);
 * tfvis.render.confusionMatrix({ name: "Confusion Matrix" }, { values, tickLabels: ["cat", "dog"] });
 */
export async function confusionMatrix(
  container: Drawable,
  data: ConfusionMatrixData,
  opts: ConfusionMatrixOptions = {},
): Promise<void> {
  const what = "tfvis.render.confusionMatrix";
  const surface = resolveSurface(container, what);
  checkSize(opts, what);
  if (data === null || typeof data !== "object" || !Array.isArray(data.values))
    throw new Error(`${what}: data must be { values: number[][], tickLabels?: string[] }`);
  const n = data.values.length;
  const labels =
    data.tickLabels && data.tickLabels.length > 0 ? data.tickLabels : data.values.map((_, i) => `Class ${i}`);
  if (labels.length !== n) throw new Error(`${what}: ${labels.length} tickLabels for ${n} classes`);
  const fig = plot.confusionMatrix(data.values, {
    title: surface.name,
    classNames: labels,
    xLabel: opts.xLabel || "prediction",
    yLabel: opts.yLabel || "label",
    height: 400,
    ...size(opts),
  });
  const trace = fig.data[0] as HeatmapTrace;
  trace.colorscale = colorMapScale(opts.colorMap ?? "blues", what);
  if (opts.shadeDiagonal === false) {
    const offDiagonal = trace.z.some((row, i) => row.some((v, j) => i !== j && v !== 0));
    // As tfjs-vis: with nothing off the diagonal, the diagonal stays coloured.
    if (offDiagonal) trace.z = trace.z.map((row, i) => row.map((v, j) => (i === j ? NaN : v)));
  }
  if (opts.showTextOverlay === false) {
    delete trace.text;
    delete trace.texttemplate;
  }
  surfaceOutput(surface, "").show(fig);
}

/**
 * A table: `headers` and rows of `values`; numbers get thousands separators and at most 4
 * decimals, strings are HTML.
 * @example tfvis.render.table({ name: "Table" }, { headers: ["a", "b"], values: [[1, 2], ["<b>3</b>", true]] });
 */
export function table(container: Drawable, data: TableData, opts: { fontSize?: number } = {}): void {
  const what = "tfvis.render.table";
  const surface = resolveSurface(container, what);
  if (data === null || typeof data !== "object" || !Array.isArray(data.headers))
    throw new Error(`${what}: data must have a "headers" property (an array of column names)`);
  if (!Array.isArray(data.values)) throw new Error(`${what}: data must have a "values" property (an array of rows)`);
  surfaceOutput(surface, "").show(
    bundleValue(tableBundle(surface.name, data.headers, data.values, { fontSize: opts.fontSize, htmlStrings: true })),
  );
}
