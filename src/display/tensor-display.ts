/**
 * Tensors as mime bundles: small ones as a coloured table, image-shaped ones as an image grid,
 * large ones as a summary (statistics and a histogram) instead of a wall of numbers.
 */
import { byteScale, isIntegerData } from "./pixel-scale.js";
import { isColorScaleName, MUTED_TEXT, rgbHex, scaleSampler, textColorOn, type ColorScaleName } from "./colors.js";
import { escapeXml, formatNumber, svgDataUri } from "./markup.js";
import { encodePng, upscale } from "./png.js";
import type { MimeBundle } from "./sink.js";
import { numericValues, tensorSize, type TensorLike } from "./tensor-like.js";
import { niceTicks, tickLabels } from "./ticks.js";

export interface TensorDisplayOptions {
  /** Cell colouring of tables: a scale name, or "none". Default: "rdbu" for mixed signs, else "blues". */
  colorScale?: ColorScaleName | "none";
  /** Largest number of cells shown as a table (default 400); bigger tensors get a summary. */
  maxTableCells?: number;
  /** Largest number of images in an image grid (default 64). */
  maxImages?: number;
  /** Significant digits of the numbers shown (default 4), in tables and in the text form. */
  precision?: number;
}

const DEFAULT_PRECISION = 4;
/** Defaults for every tensor shown from now on (`display.options`). */
const defaults: TensorDisplayOptions = {};

/**
 * Sets defaults for tensors displayed from now on (table colours, table size, precision); returns
 * the defaults now in force. Options given to `display.tensor(t, opts)` still win.
 *
 * ```ts
 * display.options({ precision: 8 }); // tensors show 8 significant digits
 * display.options({ precision: undefined }); // back to 4
 * ```
 */
export function setTensorDisplayDefaults(opts: TensorDisplayOptions): TensorDisplayOptions {
  checkOptions(opts);
  for (const [key, value] of Object.entries(opts) as [keyof TensorDisplayOptions, never][]) {
    if (value === undefined) delete defaults[key];
    else defaults[key] = value;
  }
  return { ...defaults };
}

const NUMERIC = new Set(["float32", "float16", "float64", "int32", "int64", "int8", "uint8", "bool"]);

function checkOptions(opts: TensorDisplayOptions): void {
  const p = opts.precision;
  if (p !== undefined && !(Number.isInteger(p) && p >= 1 && p <= 17))
    throw new Error(`display: precision must be a whole number of significant digits, 1..17, got ${String(p)}`);
  if (opts.colorScale !== undefined && opts.colorScale !== "none" && !isColorScaleName(opts.colorScale)) {
    throw new Error(`display.tensor: unknown colorScale '${String(opts.colorScale)}'`);
  }
}

function shapeText(shape: number[]): string {
  return `[${shape.join(", ")}]`;
}

/** A one-line description: `Tensor float32 [2, 3]`. */
export function tensorHeading(t: TensorLike): string {
  return `Tensor ${t.dtype} ${shapeText(t.shape)}`;
}

function hasOwnToString(t: object): boolean {
  const f = (t as { toString?: unknown }).toString;
  return typeof f === "function" && f !== Object.prototype.toString;
}

function valueText(v: unknown, precision = DEFAULT_PRECISION): string {
  if (typeof v === "number") return formatNumber(v, precision);
  if (typeof v === "string") return JSON.stringify(v);
  return String(v);
}

/**
 * The tensor's text form: its own `toString()` when it has one, else a nested listing with the
 * middle of long dimensions elided.
 */
export function tensorText(t: TensorLike, precision = DEFAULT_PRECISION): string {
  if (precision === DEFAULT_PRECISION && hasOwnToString(t)) {
    const s = String(t);
    if (s && !s.startsWith("[object")) return s;
  }
  const data = Array.from(t.dataSync() as ArrayLike<unknown>);
  const shape = t.shape;
  const edge = 3;
  const strides = shape.map((_, i) => tensorSize(shape.slice(i + 1)));
  const render = (dim: number, offset: number, indent: string): string => {
    if (dim === shape.length) return valueText(data[offset], precision);
    const n = shape[dim]!;
    const idx =
      n > 2 * edge
        ? [...Array(edge).keys(), -1, ...Array.from({ length: edge }, (_, i) => n - edge + i)]
        : [...Array(n).keys()];
    const parts = idx.map((i) => (i < 0 ? "..." : render(dim + 1, offset + i * strides[dim]!, `${indent} `)));
    const sep = dim === shape.length - 1 ? ", " : `,\n${indent} `;
    return `[${parts.join(sep)}]`;
  };
  return `${tensorHeading(t)}\n${render(0, 0, "")}`;
}

interface Stats {
  min: number;
  max: number;
  mean: number;
  std: number;
  nan: number;
  count: number;
}

function stats(values: Float64Array): Stats {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let sq = 0;
  let nan = 0;
  let count = 0;
  for (const v of values) {
    if (Number.isNaN(v)) {
      nan++;
      continue;
    }
    if (!Number.isFinite(v)) {
      if (v < min) min = v;
      if (v > max) max = v;
      continue;
    }
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
    sq += v * v;
    count++;
  }
  const mean = count ? sum / count : NaN;
  const std = count ? Math.sqrt(Math.max(0, sq / count - mean * mean)) : NaN;
  return { min, max, mean, std, nan, count };
}

/** Whether a shape looks like a batch of images: [n,h,w], [n,h,w,1|3|4] or one [h,w,3|4] image. */
export function imageLayout(shape: number[]): { n: number; h: number; w: number; c: 1 | 3 | 4 } | undefined {
  const ok = (h: number, w: number) => h >= 4 && w >= 4 && h <= 2048 && w <= 2048;
  if (shape.length === 4) {
    const [n, h, w, c] = shape as [number, number, number, number];
    if ((c === 1 || c === 3 || c === 4) && n >= 1 && ok(h, w)) return { n, h, w, c };
  }
  if (shape.length === 3) {
    const [a, b, c] = shape as [number, number, number];
    if ((c === 3 || c === 4) && a >= 8 && b >= 8 && ok(a, b)) return { n: 1, h: a, w: b, c };
    if (a >= 1 && ok(b, c)) return { n: a, h: b, w: c, c: 1 };
  }
  return undefined;
}

/** The first `maxImages` images of an image-shaped tensor tiled into one PNG. */
export function tensorImageGrid(
  t: TensorLike,
  maxImages = 64,
): { png: Buffer; width: number; height: number; shown: number; total: number } {
  const layout = imageLayout(t.shape);
  if (!layout) throw new Error(`display: shape ${shapeText(t.shape)} is not an image batch ([n,h,w] or [n,h,w,1|3|4])`);
  const { n, h: fullH, w: fullW, c } = layout;
  const values = numericValues(t);
  // Big images are sampled down so a tile is at most 256 px and the grid stays small.
  const step = Math.max(1, Math.ceil(Math.max(fullH, fullW) / 256));
  const h = Math.ceil(fullH / step);
  const w = Math.ceil(fullW / step);
  const s = stats(values);
  const toByte = byteScale(s.min, s.max, isIntegerData(values, t.dtype));
  const shown = Math.min(n, maxImages, Math.max(1, Math.floor(64 / step ** 2)));
  const cols = Math.min(shown, Math.max(1, Math.ceil(Math.sqrt(shown * 1.5))));
  const rows = Math.ceil(shown / cols);
  const gap = 2;
  const gw = cols * w + (cols + 1) * gap;
  const gh = rows * h + (rows + 1) * gap;
  const grid = new Uint8Array(gw * gh * 3).fill(200);
  for (let k = 0; k < shown; k++) {
    const ox = gap + (k % cols) * (w + gap);
    const oy = gap + Math.floor(k / cols) * (h + gap);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const base = ((k * fullH + y * step) * fullW + x * step) * c;
        const d = ((oy + y) * gw + ox + x) * 3;
        for (let ch = 0; ch < 3; ch++) {
          const v = values[base + (c === 1 ? 0 : ch)]!;
          grid[d + ch] = Number.isFinite(v) ? toByte(v) : 255;
        }
      }
    }
  }
  const factor = Math.max(1, Math.min(Math.floor(64 / Math.max(h, w)), Math.floor(1024 / gw)));
  return {
    png: encodePng(upscale(grid, gw, gh, 3, factor), gw * factor, gh * factor, 3),
    width: gw * factor,
    height: gh * factor,
    shown,
    total: n,
  };
}

function autoScale(s: Stats): ColorScaleName {
  return s.min < 0 && s.max > 0 ? "rdbu" : "blues";
}

function cellStyle(bg?: [number, number, number]): string {
  const base = "padding:2px 6px;text-align:right;border:1px solid #e0e0e0";
  return bg ? `${base};background:${rgbHex(bg)};color:${textColorOn(bg)}` : base;
}

/** A rank ≤ 2 tensor as a plain HTML `<table>` with inline cell colours; no style or script elements. */
export function tensorTableHtml(t: TensorLike, options: TensorDisplayOptions = {}): string {
  checkOptions(options);
  const opts = { ...defaults, ...options };
  if (t.shape.length > 2)
    throw new Error(`display: a table needs a tensor of rank ≤ 2, got shape ${shapeText(t.shape)}`);
  const raw = Array.from(t.dataSync() as ArrayLike<unknown>);
  const numeric = raw.every((v) => typeof v === "number" || typeof v === "boolean");
  const nums = numeric ? raw.map((v) => Number(v)) : [];
  const s = numeric ? stats(Float64Array.from(nums)) : undefined;
  const scaleName = opts.colorScale ?? (s ? autoScale(s) : "none");
  let colour: ((v: number) => [number, number, number]) | undefined;
  if (s && scaleName !== "none" && Number.isFinite(s.min) && Number.isFinite(s.max) && s.max > s.min) {
    const sample = scaleSampler(scaleName);
    // Keep to the lighter part of sequential scales so the numbers stay easy to read.
    const diverging = scaleName === "rdbu";
    const bound = Math.max(Math.abs(s.min), Math.abs(s.max));
    colour = diverging
      ? (v) => sample(0.5 + (0.4 * v) / bound)
      : scaleName === "blues"
        ? (v) => sample((0.75 * (v - s.min)) / (s.max - s.min))
        : (v) => sample((v - s.min) / (s.max - s.min));
  }
  const rows = t.shape.length === 2 ? t.shape[0]! : 1;
  const cols = t.shape.length === 0 ? 1 : t.shape[t.shape.length - 1]!;
  const head =
    t.shape.length === 2
      ? `<tr><th></th>${Array.from({ length: cols }, (_, c) => `<th style="padding:2px 6px;color:${MUTED_TEXT};font-weight:normal">${c}</th>`).join("")}</tr>`
      : "";
  const body: string[] = [];
  for (let r = 0; r < rows; r++) {
    const cells: string[] = [];
    for (let c = 0; c < cols; c++) {
      const v = raw[r * cols + c];
      const bg = colour && Number.isFinite(Number(v)) ? colour(Number(v)) : undefined;
      cells.push(`<td style="${cellStyle(bg)}">${escapeXml(valueText(v, opts.precision))}</td>`);
    }
    const label =
      t.shape.length === 2 ? `<th style="padding:2px 6px;color:${MUTED_TEXT};font-weight:normal">${r}</th>` : "";
    body.push(`<tr>${label}${cells.join("")}</tr>`);
  }
  const caption = `<div style="font-family:monospace;font-size:12px;color:${MUTED_TEXT};margin-bottom:2px">${escapeXml(tensorHeading(t))}</div>`;
  return `<div>${caption}<table style="border-collapse:collapse;font-family:monospace;font-size:12px">${head}${body.join("")}</table></div>`;
}

/** A small SVG histogram of values (used by summaries). */
export function histogramSvg(values: Float64Array, bins = 30, width = 320, height = 120): string {
  const s = stats(values);
  const lo = Number.isFinite(s.min) ? s.min : 0;
  const hi = Number.isFinite(s.max) && s.max > lo ? s.max : lo + 1;
  const counts = new Array<number>(bins).fill(0);
  for (const v of values)
    if (Number.isFinite(v)) counts[Math.min(bins - 1, Math.floor(((v - lo) / (hi - lo)) * bins))]! += 1;
  const top = Math.max(1, ...counts);
  const m = { l: 8, r: 8, t: 6, b: 22 };
  const pw = width - m.l - m.r;
  const ph = height - m.t - m.b;
  const bars = counts
    .map((c, i) => {
      if (!c) return "";
      const h = (c / top) * ph;
      return `<rect x="${(m.l + (i * pw) / bins).toFixed(1)}" y="${(m.t + ph - h).toFixed(1)}" width="${Math.max(0.5, pw / bins - 1).toFixed(1)}" height="${h.toFixed(1)}" fill="#1f77b4"/>`;
    })
    .join("");
  const ticks = niceTicks(lo, hi, 4);
  const labels = tickLabels(ticks);
  const axis = ticks
    .map((v, i) => {
      const x = m.l + ((v - lo) / (hi - lo)) * pw;
      return `<line x1="${x.toFixed(1)}" y1="${m.t + ph}" x2="${x.toFixed(1)}" y2="${m.t + ph + 3}" stroke="#888"/><text x="${x.toFixed(1)}" y="${height - 6}" text-anchor="middle" font-size="10" fill="#444">${escapeXml(labels[i]!)}</text>`;
    })
    .join("");
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif">` +
    `<rect width="${width}" height="${height}" fill="#fff"/>${bars}<line x1="${m.l}" y1="${m.t + ph}" x2="${width - m.r}" y2="${m.t + ph}" stroke="#888"/>${axis}</svg>`
  );
}

/** Summary of a large tensor: shape, dtype, min/max/mean/std and a histogram. */
export function tensorSummary(t: TensorLike): { text: string; html: string } {
  const values = numericValues(t);
  const s = stats(values);
  const rows: [string, string][] = [
    ["shape", shapeText(t.shape)],
    ["dtype", t.dtype],
    ["size", tensorSize(t.shape).toLocaleString("en-US")],
    ["min", formatNumber(s.min)],
    ["max", formatNumber(s.max)],
    ["mean", formatNumber(s.mean)],
    ["std", formatNumber(s.std)],
  ];
  if (s.nan) rows.push(["NaN", String(s.nan)]);
  const text = `${tensorHeading(t)}: ${rows
    .slice(3)
    .map(([k, v]) => `${k} ${v}`)
    .join(", ")}`;
  const table = rows
    .map(
      ([k, v]) =>
        `<tr><td style="padding:1px 8px 1px 0;color:${MUTED_TEXT}">${k}</td><td style="padding:1px 0;font-family:monospace">${escapeXml(v)}</td></tr>`,
    )
    .join("");
  const hist = histogramSvg(values);
  const html =
    `<div style="display:flex;gap:16px;align-items:flex-start;font-size:12px"><table style="border-collapse:collapse">${table}</table>` +
    `<img src="${svgDataUri(hist)}" width="320" height="120" alt="histogram of values"></div>`;
  return { text, html };
}

const MAX_TEXT = 20_000;

/**
 * The mime bundle for a tensor.
 * @example tensorBundle(tf.tensor2d([[1, 2], [3, 4]])) // text/plain + a coloured text/html table
 */
export function tensorBundle(t: TensorLike, options: TensorDisplayOptions = {}): MimeBundle {
  checkOptions(options);
  const opts = { ...defaults, ...options };
  const size = tensorSize(t.shape);
  const full = tensorText(t, opts.precision);
  const text = full.length > MAX_TEXT ? `${full.slice(0, MAX_TEXT)}…` : full;
  const numeric = NUMERIC.has(t.dtype);
  if (size === 0) return { "text/plain": text };
  if (t.shape.length <= 2 && size <= (opts.maxTableCells ?? 400) && (t.shape[1] ?? 1) <= 40) {
    return { "text/plain": text, "text/html": tensorTableHtml(t, opts) };
  }
  if (!numeric) return { "text/plain": text };
  const layout = imageLayout(t.shape);
  if (layout) {
    const grid = tensorImageGrid(t, opts.maxImages ?? 64);
    const s = stats(numericValues(t));
    const note = `${tensorHeading(t)} · ${grid.shown < grid.total ? `first ${grid.shown} of ${grid.total} images` : `${grid.total} image${grid.total > 1 ? "s" : ""}`} · min ${formatNumber(s.min)} max ${formatNumber(s.max)}`;
    const b64 = grid.png.toString("base64");
    return {
      "text/plain": `${note}\n${text}`,
      "text/html": `<div><div style="font-family:monospace;font-size:12px;color:${MUTED_TEXT};margin-bottom:2px">${escapeXml(note)}</div><img src="data:image/png;base64,${b64}" width="${grid.width}" height="${grid.height}" alt="${escapeXml(tensorHeading(t))}" style="image-rendering:pixelated"></div>`,
      "image/png": b64,
    };
  }
  const summary = tensorSummary(t);
  return {
    "text/plain": `${summary.text}\n${text}`,
    "text/html": `<div><div style="font-family:monospace;font-size:12px;color:${MUTED_TEXT};margin-bottom:4px">${escapeXml(tensorHeading(t))}</div>${summary.html}</div>`,
  };
}
