/**
 * The charts behind `tfvis.render` and `tfvis.show`: XY series and their axes as tfjs-vis draws
 * them, line charts, histograms with their statistics table.
 */
import { plot, type Series } from "../plot.js";
import type { Figure } from "../figure.js";
import { niceStep } from "../ticks.js";
import { type ResolvedSurface, surfaceOutput } from "./surfaces.js";
import { bundleValue, formatCell, tableBundle } from "./table.js";
import type { HistogramOpts, HistogramStats, Point2D, XYPlotData, XYPlotOptions } from "./types.js";

/** The axis range tfjs-vis's charts have: the given domain, the data's (zoomToFit) or the data's and 0. */
export function axisRange(
  values: number[],
  zoomToFit: boolean | undefined,
  domain: [number, number] | undefined,
): [number, number] | undefined {
  if (zoomToFit) return undefined;
  if (domain) return [domain[0], domain[1]];
  let lo = 0;
  let hi = 0;
  for (const v of values) if (Number.isFinite(v)) (lo = Math.min(lo, v)), (hi = Math.max(hi, v));
  if (lo === hi) return undefined;
  const step = niceStep((hi - lo) / 5);
  return [Math.floor(lo / step + 1e-9) * step, Math.ceil(hi / step - 1e-9) * step];
}

/** Refuses a width or height that is not a positive number of pixels. */
export function checkSize(opts: { width?: number; height?: number }, what: string): void {
  for (const k of ["width", "height"] as const) {
    const v = opts[k];
    if (v !== undefined && v !== null && !(typeof v === "number" && v > 0))
      throw new Error(`${what}: ${k} must be a number of pixels, got ${String(v)}`);
  }
}

/** Width and height for plot options (only those given; the charts' own bounds apply). */
export function size(opts: { width?: number; height?: number }): { width?: number; height?: number } {
  const out: { width?: number; height?: number } = {};
  if (opts.width) out.width = Math.min(4000, Math.max(100, opts.width));
  if (opts.height) out.height = Math.min(4000, Math.max(80, opts.height));
  return out;
}

/** The series of an XY chart: `values` is one series of points or an array of them. */
export function xySeries(data: XYPlotData, opts: XYPlotOptions, what: string): Series[] {
  if (data === null || typeof data !== "object" || !Array.isArray(data.values))
    throw new Error(`${what}: data must be { values: [{ x, y }, …] or [[{ x, y }, …], …], series?: [names] }`);
  const nested: Point2D[][] = Array.isArray(data.values[0]) ? (data.values as Point2D[][]) : [data.values as Point2D[]];
  if (data.series && data.series.length !== nested.length)
    throw new Error(`${what}: ${data.series.length} series names for ${nested.length} series of values`);
  if (opts.seriesColors && opts.seriesColors.length !== nested.length)
    throw new Error(`${what}: ${opts.seriesColors.length} seriesColors for ${nested.length} series of values`);
  return nested.map((points, i) => {
    if (!Array.isArray(points)) throw new Error(`${what}: values[${i}] must be an array of { x, y } points`);
    const x = new Array<number>(points.length);
    const y = new Array<number>(points.length);
    points.forEach((p, j) => {
      const px = (p as Partial<Point2D> | null)?.x;
      const py = (p as Partial<Point2D> | null)?.y;
      if ((typeof px !== "number" && px !== null) || (typeof py !== "number" && py !== null))
        throw new Error(
          `${what}: point ${j}${nested.length > 1 ? ` of series ${i}` : ""} must be { x: number, y: number }, got ${JSON.stringify(p)}`,
        );
      x[j] = px ?? NaN;
      y[j] = py ?? NaN;
    });
    const s: Series = { x, y, name: data.series?.[i] ?? `Series ${i + 1}` };
    const color = opts.seriesColors?.[i];
    if (color) s.color = color;
    return s;
  });
}

export function xyOptions(series: Series[], title: string, opts: XYPlotOptions, legend?: boolean) {
  const all = (k: "x" | "y") => series.flatMap((s) => s[k] as number[]);
  const xRange = axisRange(all("x"), opts.zoomToFit, opts.xAxisDomain);
  const yRange = axisRange(all("y"), opts.zoomToFit, opts.yAxisDomain);
  return {
    title,
    xLabel: opts.xLabel ?? "x",
    yLabel: opts.yLabel ?? "y",
    legend: legend ?? series.length > 1,
    ...size(opts),
    ...(xRange ? { xRange } : {}),
    ...(yRange ? { yRange } : {}),
  };
}

/** A line chart figure of XY data (shared by `linechart` and `show.history`). */
export function lineFigure(
  title: string,
  data: XYPlotData,
  opts: XYPlotOptions,
  what: string,
  legend?: boolean,
): Figure {
  checkSize(opts, what);
  const series = xySeries(data, opts, what);
  return plot.line(series, xyOptions(series, title, opts, legend));
}

/** Summary statistics of values, as tfjs-vis computes them for a histogram. */
export function arrayStats(values: ArrayLike<number>): HistogramStats {
  const numVals = values.length;
  if (numVals === 0) return { numVals: 0, numNans: 0, numZeros: 0, max: undefined, min: undefined };
  let min = Infinity;
  let max = -Infinity;
  let numZeros = 0;
  let numNans = 0;
  let numInfs = 0;
  for (let i = 0; i < numVals; i++) {
    const v = values[i]!;
    if (v > max) max = v;
    if (v < min) min = v;
    if (v === 0) numZeros++;
    if (Number.isNaN(v)) numNans++;
    else if (!Number.isFinite(v)) numInfs++;
  }
  return {
    numVals,
    numZeros,
    numNans,
    max: max === -Infinity && numNans === numVals ? NaN : max,
    min: min === Infinity && numNans === numVals ? NaN : min,
    numInfs,
  };
}

const percent = (part: number, whole: number) =>
  whole && part > 0 ? ` (${Number(((part / whole) * 100).toPrecision(4))}%)` : "";

/** The statistics table shown above a histogram. */
export function statsTable(title: string, stats: HistogramStats, fontSize?: number): unknown {
  const headers: string[] = [];
  const cells: string[] = [];
  const add = (header: string, v: number | undefined, share = false) => {
    if (v === undefined || v === null) return;
    headers.push(header);
    cells.push(formatCell(v) + (share && stats.numVals ? percent(v, stats.numVals) : ""));
  };
  add("Num Vals", stats.numVals);
  add("Min", stats.min);
  add("Max", stats.max);
  add("# Zeros", stats.numZeros, true);
  add("# NaNs", stats.numNans, true);
  add("# Infinity", stats.numInfs, true);
  return bundleValue(tableBundle(title, headers, [cells], { fontSize }));
}

/**
 * Shows a histogram on a surface: the statistics table (part `stats`, unless `stats: false`) and
 * the bars (part `histogram`, or `part`), titled `title` (default: the surface's name).
 */
export function histogramOn(
  surface: ResolvedSurface,
  values: ArrayLike<number>,
  opts: HistogramOpts,
  part = "histogram",
  title = surface.name,
): void {
  if (opts.stats !== false)
    surfaceOutput(surface, "stats").show(statsTable(title, opts.stats ?? arrayStats(values), opts.fontSize));
  const finite = Array.from(values).filter(Number.isFinite);
  if (finite.length === 0) return;
  const fig = plot.histogram(finite, {
    title,
    maxBins: opts.maxBins ?? 12,
    ...(opts.xLabel ? { xLabel: opts.xLabel } : {}),
    ...(opts.yLabel ? { yLabel: opts.yLabel } : {}),
    ...size(opts),
  });
  if (opts.color) for (const t of fig.data) if (t.type === "bar") t.marker = { color: opts.color };
  surfaceOutput(surface, part).show(fig);
}
