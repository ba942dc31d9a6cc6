/**
 * The `plot` API: small functions that build displayable {@link Figure}s from arrays or tensors.
 */
import { colorScale, isColorScaleName, PALETTE, type ColorScaleName } from "./colors.js";
import { checkedConfusionMatrix, countConfusions, isPlotValues, rowShares } from "./confusion-matrix.js";
import { Figure } from "./figure.js";
import type { Axis, FigureSpec, Layout, Trace } from "./figure-types.js";
import { encodePng } from "./png.js";
import { niceStep, niceStepAtLeast } from "./ticks.js";
import { byteScale, isIntegerData, type PixelRange } from "./pixel-scale.js";
import { isTensorLike, numericValues, toMatrix, toNumbers, type TensorLike } from "./tensor-like.js";

export interface PlotOptions {
  title?: string;
  xLabel?: string;
  yLabel?: string;
  width?: number;
  height?: number;
  /** Show the legend (default: when there are several named series). */
  legend?: boolean;
  xRange?: [number, number];
  yRange?: [number, number];
}

type Numbers = number[] | Float32Array | Float64Array | Int32Array | Uint8Array | TensorLike;

/** One named series of a line or scatter plot. */
export interface Series {
  x?: Numbers | string[];
  y: Numbers;
  name?: string;
  color?: string;
  dash?: "solid" | "dash" | "dot";
}

function layoutFrom(opts: PlotOptions, extra: Partial<Layout> = {}): Layout {
  if (opts.width !== undefined && !(opts.width >= 100 && opts.width <= 4000))
    throw new Error(`plot: width must be 100..4000 pixels, got ${opts.width}`);
  if (opts.height !== undefined && !(opts.height >= 80 && opts.height <= 4000))
    throw new Error(`plot: height must be 80..4000 pixels, got ${opts.height}`);
  const xaxis: Axis = { ...(extra.xaxis as Axis | undefined) };
  const yaxis: Axis = { ...(extra.yaxis as Axis | undefined) };
  if (opts.xLabel) xaxis.title = { text: opts.xLabel };
  if (opts.yLabel) yaxis.title = { text: opts.yLabel };
  if (opts.xRange) xaxis.range = opts.xRange;
  if (opts.yRange) yaxis.range = opts.yRange;
  const layout: Layout = { ...extra, xaxis, yaxis };
  if (opts.title) layout.title = { text: opts.title };
  if (opts.width) layout.width = opts.width;
  if (opts.height) layout.height = opts.height;
  if (opts.legend !== undefined) layout.showlegend = opts.legend;
  return layout;
}

function xValues(x: Series["x"], what: string): (number | string)[] | undefined {
  if (x === undefined) return undefined;
  if (Array.isArray(x) && (x as unknown[]).every((v) => typeof v === "string")) return x as string[];
  return toNumbers(x, what);
}

function isSeries(v: unknown): v is Series {
  return (
    v !== null &&
    typeof v === "object" &&
    !Array.isArray(v) &&
    !isTensorLike(v) &&
    !ArrayBuffer.isView(v) &&
    "y" in (v as object)
  );
}

/** Normalises the many accepted inputs into a list of series. */
function seriesList(input: unknown, what: string): Series[] {
  if (isSeries(input)) return [input];
  if (Array.isArray(input) && input.length > 0 && input.every(isSeries)) return input as Series[];
  if (isTensorLike(input) && input.shape.length === 2) {
    const m = toMatrix(input, what);
    const cols = m[0]?.length ?? 0;
    return Array.from({ length: cols }, (_, c) => ({ y: m.map((row) => row[c]!), name: `column ${c}` }));
  }
  if (Array.isArray(input) && input.length > 0 && input.every((r) => Array.isArray(r))) {
    return (input as number[][]).map((y, i) => ({ y, name: `series ${i}` }));
  }
  return [{ y: toNumbers(input, what) }];
}

function scatterTraces(series: Series[], mode: "lines" | "markers", what: string): Trace[] {
  return series.map((s, i) => {
    const y = toNumbers(s.y, `${what}: y`);
    const x = xValues(s.x, `${what}: x`);
    if (x && x.length !== y.length)
      throw new Error(`${what}: series ${i} has ${x.length} x values but ${y.length} y values`);
    const color = s.color ?? PALETTE[i % PALETTE.length]!;
    const trace: Trace = {
      type: "scatter",
      mode,
      y,
      name: s.name ?? (series.length > 1 ? `series ${i}` : undefined),
      ...(mode === "lines"
        ? { line: { color, width: 2, ...(s.dash ? { dash: s.dash } : {}) } }
        : { marker: { color, size: 6 } }),
    };
    if (x) trace.x = x;
    if (!trace.name) delete trace.name;
    return trace;
  });
}

/**
 * A line chart.
 * @example plot.line([1, 3, 2], { title: "loss" })
 * plot.line([{ y: train, name: "train" }, { y: val, name: "val" }], { xLabel: "epoch" })
 */
function line(ys: Numbers | number[][] | Series | Series[], opts: PlotOptions = {}): Figure {
  return new Figure({
    data: scatterTraces(seriesList(ys, "plot.line"), "lines", "plot.line"),
    layout: layoutFrom(opts),
  });
}

/**
 * A scatter plot: `plot.scatter(xs, ys, opts)` or `plot.scatter([{ x, y, name }], opts)`.
 * @example plot.scatter([1, 2, 3], [2, 4, 1], { title: "points" })
 */
function scatter(xs: Numbers | Series | Series[], ys?: Numbers | PlotOptions, opts: PlotOptions = {}): Figure {
  if (isSeries(xs) || (Array.isArray(xs) && xs.length > 0 && (xs as unknown[]).every(isSeries))) {
    return new Figure({
      data: scatterTraces(seriesList(xs, "plot.scatter"), "markers", "plot.scatter"),
      layout: layoutFrom((ys as PlotOptions | undefined) ?? {}),
    });
  }
  if (ys === undefined || (!Array.isArray(ys) && !ArrayBuffer.isView(ys) && !isTensorLike(ys)))
    throw new Error("plot.scatter: expected (xs, ys, options?) or ([{ x, y, name }], options?)");
  return new Figure({
    data: scatterTraces([{ x: xs as Numbers, y: ys as Numbers }], "markers", "plot.scatter"),
    layout: layoutFrom(opts),
  });
}

/**
 * A bar chart: `plot.bar(values)`, `plot.bar(labels, values)` or `plot.bar({ a: 1, b: 2 })`.
 * @example plot.bar(["cat", "dog"], [3, 5], { title: "counts" })
 */
function bar(
  a: Numbers | string[] | Record<string, number>,
  b?: Numbers | PlotOptions,
  opts: PlotOptions = {},
): Figure {
  let labels: (string | number)[];
  let values: number[];
  let o = opts;
  if (a !== null && typeof a === "object" && !Array.isArray(a) && !ArrayBuffer.isView(a) && !isTensorLike(a)) {
    labels = Object.keys(a);
    values = Object.values(a).map(Number);
    o = (b as PlotOptions | undefined) ?? {};
  } else if (b !== undefined && (Array.isArray(b) || ArrayBuffer.isView(b) || isTensorLike(b))) {
    labels =
      Array.isArray(a) && (a as unknown[]).every((v) => typeof v === "string")
        ? (a as string[])
        : toNumbers(a, "plot.bar: labels");
    values = toNumbers(b, "plot.bar: values");
  } else {
    values = toNumbers(a, "plot.bar: values");
    labels = values.map((_, i) => String(i));
    o = (b as PlotOptions | undefined) ?? {};
  }
  if (labels.length !== values.length) throw new Error(`plot.bar: ${labels.length} labels but ${values.length} values`);
  const x = labels.map(String);
  return new Figure({
    data: [{ type: "bar", x, y: values, marker: { color: PALETTE[0] } }],
    layout: layoutFrom(o, { xaxis: { type: "category" } }),
  });
}

export interface HistogramOptions extends PlotOptions {
  /** Number of bins (default: about √n, 10..50). */
  bins?: number;
  /** At most this many bins, of a round width (1, 2 or 5 × 10^k); ignored when `bins` is given. */
  maxBins?: number;
}

/**
 * A histogram of values (numbers, typed array or tensor of any rank).
 * @example plot.histogram(weights, { bins: 40, title: "weights" })
 */
function histogram(values: Numbers | Series[], opts: HistogramOptions = {}): Figure {
  const groups: { name?: string; v: number[] }[] =
    Array.isArray(values) && values.length > 0 && (values as unknown[]).every(isSeries)
      ? (values as Series[]).map((s) => ({ name: s.name, v: toNumbers(s.y, "plot.histogram") }))
      : [{ v: toNumbers(values, "plot.histogram") }];
  const finite = groups.flatMap((g) => g.v.filter(Number.isFinite));
  if (finite.length === 0) throw new Error("plot.histogram: no finite values to count");
  if (opts.bins !== undefined && !(Number.isInteger(opts.bins) && opts.bins >= 1 && opts.bins <= 1000))
    throw new Error(`plot.histogram: bins must be an integer 1..1000, got ${opts.bins}`);
  if (opts.maxBins !== undefined && !(Number.isInteger(opts.maxBins) && opts.maxBins >= 1 && opts.maxBins <= 1000))
    throw new Error(`plot.histogram: maxBins must be an integer 1..1000, got ${opts.maxBins}`);
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of finite) (lo = Math.min(lo, v)), (hi = Math.max(hi, v));
  const { start, size, n } = histogramBins(lo, hi, finite.length, opts);
  const data: Trace[] = groups.map((g, k) => {
    const counts = new Array<number>(n).fill(0);
    for (const v of g.v)
      if (Number.isFinite(v)) counts[Math.max(0, Math.min(n - 1, Math.floor((v - start) / size)))]! += 1;
    const t: Trace = {
      type: "bar",
      x: counts.map((_, i) => start + (i + 0.5) * size),
      y: counts,
      width: size,
      marker: { color: PALETTE[k % PALETTE.length] },
    };
    if (g.name) t.name = g.name;
    return t;
  });
  const layout = layoutFrom({ yLabel: "count", ...opts }, { bargap: 0, barmode: "overlay" } as Partial<Layout>);
  return new Figure({ data, layout });
}

/** Where the bins of a histogram of values in `[lo, hi]` start, how wide they are and how many there are. */
function histogramBins(
  lo: number,
  hi: number,
  count: number,
  opts: HistogramOptions,
): { start: number; size: number; n: number } {
  if (!(hi > lo)) return { start: lo - 0.5, size: 1, n: 1 };
  if (opts.bins) return { start: lo, size: (hi - lo) / opts.bins, n: opts.bins };
  const binsFor = (size: number, start: number) => Math.max(1, Math.ceil((hi - start) / size - 1e-9) || 1);
  if (opts.maxBins === undefined) {
    const size = niceStep((hi - lo) / Math.min(50, Math.max(10, Math.round(Math.sqrt(count)))));
    const start = Math.floor(lo / size) * size;
    return { start, size, n: binsFor(size, start) };
  }
  // Round widths from the smallest that could fit, until the bins aligned to it fit too.
  let size = niceStepAtLeast((hi - lo) / opts.maxBins);
  for (;;) {
    const start = Math.floor(lo / size) * size;
    const n = binsFor(size, start);
    if (n <= opts.maxBins) return { start, size, n };
    size = niceStepAtLeast(size * 1.5);
  }
}

export interface HeatmapOptions extends PlotOptions {
  colorScale?: ColorScaleName;
  xLabels?: (string | number)[];
  yLabels?: (string | number)[];
  zmin?: number;
  zmax?: number;
}

/**
 * A heatmap of a matrix (number[][] or rank-2 tensor); row 0 is drawn at the top.
 * @example plot.heatmap(confusion, { xLabels: classes, yLabels: classes, title: "confusion" })
 */
function heatmap(matrix: number[][] | TensorLike, opts: HeatmapOptions = {}): Figure {
  const full = toMatrix(matrix, "plot.heatmap");
  const z = shrinkMatrix(full, MAX_HEATMAP_CELLS_PER_SIDE);
  const blocks =
    z === full
      ? undefined
      : { r: Math.ceil(full.length / z.length), c: Math.ceil((full[0]?.length ?? 0) / (z[0]?.length ?? 1)) };
  if (z.length === 0 || z[0]!.length === 0) throw new Error("plot.heatmap: the matrix is empty");
  if (opts.colorScale !== undefined && !isColorScaleName(opts.colorScale))
    throw new Error(`plot.heatmap: unknown colorScale '${String(opts.colorScale)}'`);
  if (opts.xLabels && opts.xLabels.length !== full[0]!.length)
    throw new Error(`plot.heatmap: ${opts.xLabels.length} xLabels for ${full[0]!.length} columns`);
  if (opts.yLabels && opts.yLabels.length !== full.length)
    throw new Error(`plot.heatmap: ${opts.yLabels.length} yLabels for ${full.length} rows`);
  const t: Trace = { type: "heatmap", z, colorscale: colorScale(opts.colorScale ?? "viridis") };
  if (blocks && (opts.xLabels || opts.yLabels))
    throw new Error(`plot.heatmap: labels need a matrix of at most ${MAX_HEATMAP_CELLS_PER_SIDE} rows and columns`);
  if (opts.xLabels) t.x = opts.xLabels.map(String);
  if (opts.yLabels) t.y = opts.yLabels.map(String);
  if (blocks) {
    // Averaged blocks, placed at the centres of the original cells they cover.
    t.x = z[0]!.map((_, j) => j * blocks.c + (blocks.c - 1) / 2);
    t.y = z.map((_, i) => i * blocks.r + (blocks.r - 1) / 2);
  }
  if (opts.zmin !== undefined) t.zmin = opts.zmin;
  if (opts.zmax !== undefined) t.zmax = opts.zmax;
  const xaxis: Axis = opts.xLabels ? { type: "category" } : { dtick: indexStep(full[0]!.length) };
  const yaxis: Axis = {
    autorange: "reversed",
    ...(opts.yLabels ? { type: "category" as const } : { dtick: indexStep(full.length) }),
  };
  return new Figure({ data: [t], layout: layoutFrom(opts, { xaxis, yaxis }) });
}

const MAX_HEATMAP_CELLS_PER_SIDE = 200;

export interface ConfusionMatrixOptions extends PlotOptions {
  /** Names of the classes, in index order (default 0, 1, 2, …). */
  classNames?: (string | number)[];
  /** How many classes (default: `classNames.length`, else one more than the largest index seen). */
  numClasses?: number;
  /** Colour each cell by its share of the true class's row (per-class recall) and print it after the count. */
  normalize?: boolean;
  /** Default "blues". */
  colorScale?: ColorScaleName;
}

// Past this many classes the cells are too small for their counts to be read.
const MAX_CONFUSION_CELL_TEXT = 30;

/**
 * A confusion matrix as a heatmap: row i is the true class i, column j the predicted class j, and
 * each cell shows its count. Give the true and predicted class indices (arrays or 1-D tensors), or
 * a square matrix of counts such as `tf.math.confusionMatrix` returns.
 * @example plot.confusionMatrix(yTrue, model.predict(xs).argMax(-1), { classNames: ["cat", "dog", "bird"] })
 * @example plot.confusionMatrix(tf.math.confusionMatrix(labels, predictions, 10), { normalize: true })
 */
function confusionMatrix(
  labelsOrMatrix: Numbers | number[][],
  predictionsOrOptions?: Numbers | ConfusionMatrixOptions,
  options: ConfusionMatrixOptions = {},
): Figure {
  const fromLabels = isPlotValues(predictionsOrOptions);
  const opts = fromLabels ? options : ((predictionsOrOptions as ConfusionMatrixOptions | undefined) ?? {});
  const numClasses = opts.numClasses ?? opts.classNames?.length;
  const counts = fromLabels
    ? countConfusions(labelsOrMatrix, predictionsOrOptions, numClasses)
    : checkedConfusionMatrix(labelsOrMatrix);
  const n = counts.length;
  if (numClasses !== undefined && numClasses !== n)
    throw new Error(`plot.confusionMatrix: ${numClasses} classes asked for, the matrix has ${n}`);
  const names = (opts.classNames ?? counts.map((_, i) => i)).map(String);
  const shares = rowShares(counts);
  const { classNames, numClasses: _n, normalize, ...rest } = opts;
  const fig = heatmap(normalize ? shares : counts, {
    xLabel: "predicted",
    yLabel: "true",
    colorScale: "blues",
    zmin: 0,
    ...(normalize ? { zmax: 1 } : {}),
    ...rest,
    xLabels: names,
    yLabels: names,
  });
  if (n <= MAX_CONFUSION_CELL_TEXT) {
    const trace = fig.data[0] as Extract<Trace, { type: "heatmap" }>;
    trace.text = counts.map((row, i) =>
      row.map((v, j) => (normalize ? `${v} (${Math.round(shares[i]![j]! * 100)}%)` : String(v))),
    );
    trace.texttemplate = "%{text}";
  }
  return fig;
}

/** Block-averages a matrix so neither side exceeds `max` (NaN-aware); returns it unchanged when small. */
function shrinkMatrix(m: number[][], max: number): number[][] {
  const rows = m.length;
  const cols = m[0]?.length ?? 0;
  if (rows <= max && cols <= max) return m;
  const br = Math.ceil(rows / max);
  const bc = Math.ceil(cols / max);
  return Array.from({ length: Math.ceil(rows / br) }, (_, i) =>
    Array.from({ length: Math.ceil(cols / bc) }, (_, j) => {
      let sum = 0;
      let n = 0;
      for (let r = i * br; r < Math.min(rows, (i + 1) * br); r++) {
        for (let c = j * bc; c < Math.min(cols, (j + 1) * bc); c++) {
          const v = m[r]![c]!;
          if (Number.isFinite(v)) (sum += v), n++;
        }
      }
      return n ? sum / n : NaN;
    }),
  );
}

/** Whole-number tick spacing for an axis of `n` cells (1, 2, 5, 10, ...). */
function indexStep(n: number): number {
  return Math.max(1, niceStep(n / 8));
}

/** RGB pixels and size from an image-like input ([h,w], [h,w,1|3|4] tensor, or nested arrays). */
function imagePixels(img: unknown, range: PixelRange): { rgb: Uint8Array; w: number; h: number; gray: boolean } {
  let shape: number[];
  let values: ArrayLike<number>;
  let dtype: string | undefined;
  if (isTensorLike(img)) {
    shape = img.shape;
    dtype = img.dtype;
    values = numericValues(img);
  } else if (Array.isArray(img)) {
    const h = img.length;
    const first = img[0] as unknown[] | undefined;
    const w = first?.length ?? 0;
    const c = Array.isArray(first?.[0]) ? (first![0] as unknown[]).length : 0;
    shape = c ? [h, w, c] : [h, w];
    values = (img as unknown[]).flat(2) as number[];
    if (values.length !== h * w * (c || 1)) throw new Error("plot.image: rows or pixels have different lengths");
  } else {
    throw new Error("plot.image: expected a tensor or nested arrays ([h][w] or [h][w][3])");
  }
  if (shape.length === 4 && shape[0] === 1) shape = shape.slice(1);
  const [fullH, fullW, c = 1] = shape as [number, number, number?];
  if (!(shape.length === 2 || (shape.length === 3 && [1, 3, 4].includes(c))) || !fullH || !fullW) {
    throw new Error(`plot.image: expected shape [h, w] or [h, w, 1|3|4], got [${shape.join(", ")}]`);
  }
  // Keep what is sent bounded: images over 512 px are sampled down.
  const step = Math.max(1, Math.ceil(Math.max(fullH, fullW) / 512));
  const h = Math.ceil(fullH / step);
  const w = Math.ceil(fullW / step);
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isFinite(v)) (lo = Math.min(lo, v)), (hi = Math.max(hi, v));
  }
  const scale = byteScale(lo, hi, isIntegerData(values, dtype), range);
  const rgb = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const src = (y * step * fullW + x * step) * c;
      for (let k = 0; k < 3; k++) {
        const v = values[src + (c >= 3 ? k : 0)]!;
        rgb[(y * w + x) * 3 + k] = Number.isFinite(v) ? scale(v) : 0;
      }
    }
  }
  return { rgb, w, h, gray: c < 3 };
}

export interface ImageOptions extends PlotOptions, PixelRange {}

/**
 * An image from a tensor or matrix: [h, w] greyscale or [h, w, 3] colour. Integer data (int32,
 * uint8, whole numbers) within 0..255 is bytes as is; data within 0..1 is × 255; other data (e.g.
 * floats up to 37.5) is stretched min–max to the full range. `{ vmin, vmax }` sets black and white.
 * @example plot.image(xTrain.slice([0, 0, 0], [1, 28, 28]).reshape([28, 28]))
 * plot.image(activations, { vmin: 0, vmax: 6 })
 */
function image(img: TensorLike | number[][] | number[][][], opts: ImageOptions = {}): Figure {
  const { rgb, w, h, gray } = imagePixels(img, { vmin: opts.vmin, vmax: opts.vmax });
  const source = `data:image/png;base64,${encodePng(rgb, w, h, 3).toString("base64")}`;
  // Hover: the pixel's grey level or colour (0..255), not plotly's raw [r, g, b, a].
  const hovertemplate = gray
    ? "x %{x}, y %{y}<br>value %{z[0]}<extra></extra>"
    : "x %{x}, y %{y}<br>rgb(%{z[0]}, %{z[1]}, %{z[2]})<extra></extra>";
  const trace: Trace = { type: "image", source, hovertemplate };
  const size = Math.min(480, Math.max(200, 8 * Math.max(w, h)));
  const o = { width: size + 84, height: size + (opts.title ? 76 : 48), ...opts };
  return new Figure({
    data: [trace],
    layout: layoutFrom(o, {
      xaxis: { showgrid: false, zeroline: false, dtick: indexStep(w) },
      yaxis: { showgrid: false, zeroline: false, scaleanchor: "x", autorange: "reversed", dtick: indexStep(h) },
    }),
  });
}

export interface SubplotOptions {
  /** Figures per row (default: up to 3). */
  cols?: number;
  title?: string;
  width?: number;
  height?: number;
}

/**
 * Several figures in one grid; each keeps its title (above its panel) and axis labels.
 * @example plot.subplots([plot.line(loss, { title: "loss" }), plot.image(x0)], { cols: 2 })
 */
function subplots(figures: (Figure | FigureSpec)[] | (Figure | FigureSpec)[][], opts: SubplotOptions = {}): Figure {
  const grid = Array.isArray(figures[0]) ? (figures as FigureSpec[][]) : undefined;
  const flat = grid ? grid.flat() : (figures as FigureSpec[]);
  if (flat.length === 0) throw new Error("plot.subplots: no figures given");
  if (flat.some((f) => !f || !Array.isArray((f as FigureSpec).data)))
    throw new Error("plot.subplots: every item must be a figure (from plot.*)");
  const cols = grid ? Math.max(...grid.map((r) => r.length)) : (opts.cols ?? Math.min(3, flat.length));
  if (!(Number.isInteger(cols) && cols >= 1))
    throw new Error(`plot.subplots: cols must be a positive integer, got ${cols}`);
  const rows = grid ? grid.length : Math.ceil(flat.length / cols);
  const gx = 0.12;
  const gy = rows > 1 ? 0.16 : 0;
  const cw = (1 - gx * (cols - 1)) / cols;
  const rh = (1 - gy * (rows - 1)) / rows;
  const layout: Layout = {
    width: opts.width ?? Math.min(1200, 330 * cols + 90),
    height: opts.height ?? 290 * rows + (opts.title ? 70 : 40),
    annotations: [],
  };
  if (opts.title) layout.title = { text: opts.title };
  const data: Trace[] = [];
  const cells = grid
    ? grid.flatMap((r, i) => r.map((f, j) => ({ f, i, j })))
    : flat.map((f, k) => ({ f, i: Math.floor(k / cols), j: k % cols }));
  let legendCount = 0;
  cells.forEach(({ f, i, j }, k) => {
    const n = k + 1;
    const xid = n === 1 ? "x" : `x${n}`;
    const yid = n === 1 ? "y" : `y${n}`;
    const x0 = j * (cw + gx);
    const y1 = 1 - i * (rh + gy);
    const src = f.layout ?? {};
    const sx = (src.xaxis ?? {}) as Axis;
    const sy = (src.yaxis ?? {}) as Axis;
    const xa: Axis = { ...sx, domain: [x0, x0 + cw], anchor: yid };
    const ya: Axis = { ...sy, domain: [y1 - rh, y1], anchor: xid };
    if (sy.scaleanchor) ya.scaleanchor = xid;
    layout[(n === 1 ? "xaxis" : `xaxis${n}`) as `xaxis${string}`] = xa;
    layout[(n === 1 ? "yaxis" : `yaxis${n}`) as `yaxis${string}`] = ya;
    if (src.title?.text)
      layout.annotations!.push({
        text: src.title.text,
        x: x0 + cw / 2,
        y: y1,
        xref: "paper",
        yref: "paper",
        showarrow: false,
        xanchor: "center",
        yanchor: "bottom",
        font: { size: 13 },
      });
    for (const t of f.data) {
      const copy = { ...t, xaxis: xid, yaxis: yid } as Trace;
      if (copy.type === "heatmap") copy.showscale = false;
      if (copy.name) legendCount++;
      else copy.showlegend = false;
      data.push(copy);
    }
  });
  layout.showlegend = legendCount > 1;
  return new Figure({ data, layout });
}

/** Plot functions; each returns a {@link Figure} that displays itself (last expression or `display(fig)`). */
export const plot = { line, scatter, bar, histogram, heatmap, confusionMatrix, image, subplots };
