/**
 * Renders a plotly-style figure (the subset in figure-types.ts) as a standalone static SVG:
 * axes with nice ticks, grid, legend, title, colour bars; heatmaps and images as embedded PNGs.
 */
import { PALETTE, rgbHex, scaleSampler, textColorOn, type ColorScale } from "./colors.js";
import { decimate } from "./decimate.js";
import type { Axis, FigureSpec, Layout, Trace } from "./figure-types.js";
import { escapeXml, px, textWidth, truncate, uniqueId } from "./markup.js";
import { encodePng, upscale } from "./png.js";
import { niceTicks, tickLabels } from "./ticks.js";

export const DEFAULT_WIDTH = 640;
export const DEFAULT_HEIGHT = 420;
const FONT = `font-family="Helvetica, Arial, sans-serif"`;
const MAX_POINTS_DRAWN = 4000;

interface Box {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

interface AxisScale {
  kind: "linear" | "category";
  lo: number;
  hi: number;
  categories: string[];
  reversed: boolean;
}

/** The colour a trace is drawn with (its own, else the palette by index). */
export function traceColor(trace: Trace, index: number): string {
  const own =
    trace.type === "scatter"
      ? (trace.line?.color ?? trace.marker?.color)
      : "marker" in trace
        ? trace.marker?.color
        : undefined;
  // Bars coloured one by one (an array) take their first colour where the trace needs one.
  return (Array.isArray(own) ? own[0] : own) ?? PALETTE[index % PALETTE.length]!;
}

function axisKey(id: string, letter: "x" | "y"): `xaxis${string}` | `yaxis${string}` {
  const n = id.slice(1);
  return `${letter}axis${n}` as `xaxis${string}`;
}

function axisOf(layout: Layout, id: string, letter: "x" | "y"): Axis {
  return (layout[axisKey(id, letter)] as Axis | undefined) ?? {};
}

function histogramCounts(trace: Extract<Trace, { type: "histogram" }>): { edges: number[]; counts: number[] } {
  const { start, end, size } = trace.xbins;
  const n = Math.max(1, Math.ceil((end - start) / size - 1e-9));
  const counts = new Array<number>(n).fill(0);
  for (const v of trace.x) {
    if (!Number.isFinite(v) || v < start || v > end) continue;
    counts[Math.min(n - 1, Math.floor((v - start) / size))]! += 1;
  }
  return { edges: Array.from({ length: n + 1 }, (_, i) => start + i * size), counts };
}

/** Index-or-value positions of a trace's x values, collecting category names. */
function xPositions(xs: (number | string)[] | undefined, length: number, categories: string[]): number[] {
  if (!xs) return Array.from({ length }, (_, i) => i);
  return xs.map((v) => {
    // The sent figure is JSON, where NaN became null: a gap, not a category.
    if (typeof v !== "string") return typeof v === "number" ? v : NaN;
    let i = categories.indexOf(v);
    if (i < 0) i = categories.push(v) - 1;
    return i;
  });
}

interface Extent {
  lo: number;
  hi: number;
  categories: string[];
  pad: number;
}

function extend(e: Extent, values: Iterable<number>): void {
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < e.lo) e.lo = v;
    if (v > e.hi) e.hi = v;
  }
}

function computeScales(fig: FigureSpec): Map<string, AxisScale> {
  const extents = new Map<string, Extent>();
  const get = (id: string) => {
    let e = extents.get(id);
    if (!e) extents.set(id, (e = { lo: Infinity, hi: -Infinity, categories: [], pad: 0 }));
    return e;
  };
  const reversedByDefault = new Set<string>();
  for (const t of fig.data) {
    const xe = get(t.xaxis ?? "x");
    const ye = get(t.yaxis ?? "y");
    switch (t.type) {
      case "scatter": {
        extend(xe, xPositions(t.x, t.y.length, xe.categories));
        extend(ye, t.y);
        const markers = (t.mode ?? "lines") !== "lines";
        xe.pad = Math.max(xe.pad, markers ? 0.04 : 0);
        ye.pad = Math.max(ye.pad, 0.05);
        break;
      }
      case "bar": {
        const xs = xPositions(t.x, t.y.length, xe.categories);
        const half = t.width !== undefined ? t.width / 2 : 0.5;
        extend(
          xe,
          xs.flatMap((x) => [x - half, x + half]),
        );
        extend(ye, [0, ...t.y]);
        ye.pad = Math.max(ye.pad, 0.05);
        break;
      }
      case "histogram": {
        const { edges, counts } = histogramCounts(t);
        extend(xe, [edges[0]!, edges[edges.length - 1]!]);
        extend(ye, [0, ...counts]);
        ye.pad = Math.max(ye.pad, 0.05);
        break;
      }
      case "heatmap": {
        const rows = t.z.length;
        const cols = rows ? t.z[0]!.length : 0;
        const xs = heatmapCenters(t.x, cols, xe.categories);
        const ys = heatmapCenters(t.y, rows, ye.categories);
        extend(xe, cellEdges(xs));
        extend(ye, cellEdges(ys));
        break;
      }
      case "image": {
        const { w: cols, h: rows } = imageSize(t);
        extend(xe, [-0.5, cols - 0.5]);
        extend(ye, [-0.5, rows - 0.5]);
        reversedByDefault.add(t.yaxis ?? "y");
        break;
      }
    }
  }
  const scales = new Map<string, AxisScale>();
  for (const [id, e] of extents) {
    const axis = axisOf(fig.layout, id, id[0] as "x" | "y");
    let lo = e.lo;
    let hi = e.hi;
    if (!Number.isFinite(lo) || !Number.isFinite(hi)) [lo, hi] = [0, 1];
    if (lo === hi) [lo, hi] = [lo - 1, hi + 1];
    const span = hi - lo;
    lo -= span * e.pad;
    hi += span * e.pad;
    if (axis.range) [lo, hi] = axis.range;
    const kind =
      axis.type === "category" || (axis.type === undefined && e.categories.length > 0) ? "category" : "linear";
    const reversed = axis.autorange === "reversed" || (axis.autorange === undefined && reversedByDefault.has(id));
    scales.set(id, { kind, lo, hi, categories: e.categories, reversed });
  }
  return scales;
}

function heatmapCenters(labels: (number | string)[] | undefined, n: number, categories: string[]): number[] {
  if (!labels || labels.length !== n) return Array.from({ length: n }, (_, i) => i);
  return xPositions(labels, n, categories);
}

function cellEdges(centers: number[]): number[] {
  if (centers.length === 0) return [];
  const d = centers.length > 1 ? (centers[centers.length - 1]! - centers[0]!) / (centers.length - 1) : 1;
  return [centers[0]! - d / 2, centers[centers.length - 1]! + d / 2];
}

function mapper(scale: AxisScale, from: number, to: number): (v: number) => number {
  const [a, b] = scale.reversed ? [to, from] : [from, to];
  const k = (b - a) / (scale.hi - scale.lo || 1);
  return (v: number) => a + (v - scale.lo) * k;
}

interface LegendEntry {
  name: string;
  color: string;
  kind: "line" | "box" | "marker";
  dash?: string;
}

/**
 * Renders a figure to an SVG document string.
 * @example figureToSvg({ data: [{ type: "scatter", y: [1, 3, 2] }], layout: { title: { text: "t" } } })
 */
export function figureToSvg(fig: FigureSpec): string {
  const layout = fig.layout;
  const W = layout.width ?? DEFAULT_WIDTH;
  const H = layout.height ?? DEFAULT_HEIGHT;
  const legend: LegendEntry[] = [];
  fig.data.forEach((t, i) => {
    if (t.type === "heatmap" || t.type === "image" || t.showlegend === false) return;
    const name = t.name ?? `trace ${i}`;
    const kind = t.type === "scatter" ? ((t.mode ?? "lines") === "markers" ? "marker" : "line") : "box";
    legend.push({
      name: truncate(name, 28),
      color: traceColor(t, i),
      kind,
      dash: t.type === "scatter" ? t.line?.dash : undefined,
    });
  });
  const showLegend = layout.showlegend ?? legend.length > 1;
  const legendWidth = showLegend && legend.length ? Math.max(...legend.map((e) => textWidth(e.name, 12))) + 44 : 0;
  const colorbar = fig.data.find(
    (t): t is Extract<Trace, { type: "heatmap" }> => t.type === "heatmap" && t.showscale !== false,
  );
  const colorbarWidth = colorbar ? 70 : 0;
  const title = layout.title?.text;
  const m = {
    l: layout.margin?.l ?? 64,
    r: layout.margin?.r ?? 20 + legendWidth + colorbarWidth,
    t: layout.margin?.t ?? (title ? 52 : 24),
    b: layout.margin?.b ?? 52,
  };
  const plot: Box = { left: m.l, right: W - m.r, top: m.t, bottom: H - m.b };
  const scales = computeScales(fig);
  const out: string[] = [];
  const defs: string[] = [];
  out.push(`<rect x="0" y="0" width="${W}" height="${H}" fill="#ffffff"/>`);

  const pairs = new Map<string, { x: string; y: string; traces: [Trace, number][] }>();
  fig.data.forEach((t, i) => {
    const x = t.xaxis ?? "x";
    const y = t.yaxis ?? "y";
    const key = `${x}${y}`;
    if (!pairs.has(key)) pairs.set(key, { x, y, traces: [] });
    pairs.get(key)!.traces.push([t, i]);
  });
  if (pairs.size === 0) pairs.set("xy", { x: "x", y: "y", traces: [] });

  const uid = uniqueId("chart");
  let clipId = 0;
  for (const { x, y, traces } of pairs.values()) {
    const xAxis = axisOf(layout, x, "x");
    const yAxis = axisOf(layout, y, "y");
    const xs = scales.get(x) ?? { kind: "linear", lo: 0, hi: 1, categories: [], reversed: false };
    const ys = scales.get(y) ?? { kind: "linear", lo: 0, hi: 1, categories: [], reversed: false };
    const xd = xAxis.domain ?? [0, 1];
    const yd = yAxis.domain ?? [0, 1];
    const pw = plot.right - plot.left;
    const ph = plot.bottom - plot.top;
    const box: Box = {
      left: plot.left + xd[0] * pw,
      right: plot.left + xd[1] * pw,
      top: plot.bottom - yd[1] * ph,
      bottom: plot.bottom - yd[0] * ph,
    };
    if (yAxis.scaleanchor === x) equalAspect(box, xs, ys);
    const fx = mapper(xs, box.left, box.right);
    const fy = mapper(ys, box.bottom, box.top);
    out.push(...axisMarkup(box, xs, ys, fx, fy, xAxis, yAxis));
    const id = `${uid}-clip${clipId++}`;
    defs.push(
      `<clipPath id="${id}"><rect x="${px(box.left)}" y="${px(box.top)}" width="${px(box.right - box.left)}" height="${px(box.bottom - box.top)}"/></clipPath>`,
    );
    out.push(`<g clip-path="url(#${id})">`);
    for (const [t, i] of traces)
      out.push(
        traceMarkup(
          t,
          i,
          fx,
          fy,
          xs,
          ys,
          box,
          traces.filter(([u]) => u.type === "bar").map(([, j]) => j),
        ),
      );
    out.push(`</g>`);
  }

  for (const a of layout.annotations ?? []) {
    const ax = plot.left + a.x * (plot.right - plot.left);
    const ay = plot.bottom - a.y * (plot.bottom - plot.top) - 4;
    out.push(
      `<text x="${px(ax)}" y="${px(ay)}" text-anchor="middle" font-size="${a.font?.size ?? 13}" fill="#222">${escapeXml(a.text)}</text>`,
    );
  }
  if (title)
    out.push(
      `<text x="${px(W / 2)}" y="30" text-anchor="middle" font-size="17" fill="#222">${escapeXml(truncate(title, 90))}</text>`,
    );
  if (showLegend && legend.length) out.push(legendMarkup(legend, W - m.r + colorbarWidth + 14, plot.top));
  if (colorbar) {
    const cb = colorbarMarkup(colorbar, W - m.r + 18, plot.top, Math.min(220, plot.bottom - plot.top), `${uid}-cbar`);
    defs.push(cb.def);
    out.push(cb.body);
  }
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" ${FONT}>` +
    `<defs>${defs.join("")}</defs>${out.join("")}</svg>`
  );
}

function equalAspect(box: Box, xs: AxisScale, ys: AxisScale): void {
  const w = box.right - box.left;
  const h = box.bottom - box.top;
  const unitX = w / (xs.hi - xs.lo || 1);
  const unitY = h / (ys.hi - ys.lo || 1);
  const unit = Math.min(unitX, unitY);
  const nw = unit * (xs.hi - xs.lo);
  const nh = unit * (ys.hi - ys.lo);
  box.left += (w - nw) / 2;
  box.right = box.left + nw;
  box.top += (h - nh) / 2;
  box.bottom = box.top + nh;
}

function axisMarkup(
  box: Box,
  xs: AxisScale,
  ys: AxisScale,
  fx: (v: number) => number,
  fy: (v: number) => number,
  xAxis: Axis,
  yAxis: Axis,
): string[] {
  const out: string[] = [];
  const w = box.right - box.left;
  const h = box.bottom - box.top;
  out.push(
    `<rect x="${px(box.left)}" y="${px(box.top)}" width="${px(w)}" height="${px(h)}" fill="#fafafa" stroke="#dddddd"/>`,
  );
  const xt = axisTicks(xs, Math.max(2, Math.round(w / 90)), xAxis.dtick);
  const yt = axisTicks(ys, Math.max(3, Math.round(h / 40)), yAxis.dtick);
  if (xAxis.showticklabels !== false) {
    for (const t of xt) {
      const X = fx(t.value);
      if (xAxis.showgrid !== false && xs.kind === "linear")
        out.push(`<line x1="${px(X)}" y1="${px(box.top)}" x2="${px(X)}" y2="${px(box.bottom)}" stroke="#e6e6e6"/>`);
      out.push(`<line x1="${px(X)}" y1="${px(box.bottom)}" x2="${px(X)}" y2="${px(box.bottom + 4)}" stroke="#888"/>`);
      out.push(
        `<text x="${px(X)}" y="${px(box.bottom + 17)}" text-anchor="middle" font-size="11" fill="#444">${escapeXml(truncate(t.label, 14))}</text>`,
      );
    }
  }
  if (yAxis.showticklabels !== false) {
    for (const t of yt) {
      const Y = fy(t.value);
      if (yAxis.showgrid !== false && ys.kind === "linear")
        out.push(`<line x1="${px(box.left)}" y1="${px(Y)}" x2="${px(box.right)}" y2="${px(Y)}" stroke="#e6e6e6"/>`);
      out.push(`<line x1="${px(box.left - 4)}" y1="${px(Y)}" x2="${px(box.left)}" y2="${px(Y)}" stroke="#888"/>`);
      out.push(
        `<text x="${px(box.left - 7)}" y="${px(Y + 4)}" text-anchor="end" font-size="11" fill="#444">${escapeXml(truncate(t.label, 10))}</text>`,
      );
    }
  }
  if (ys.kind === "linear" && ys.lo < 0 && ys.hi > 0 && yAxis.zeroline !== false) {
    out.push(`<line x1="${px(box.left)}" y1="${px(fy(0))}" x2="${px(box.right)}" y2="${px(fy(0))}" stroke="#999"/>`);
  }
  if (xAxis.title?.text) {
    out.push(
      `<text x="${px((box.left + box.right) / 2)}" y="${px(box.bottom + 36)}" text-anchor="middle" font-size="12" fill="#222">${escapeXml(truncate(xAxis.title.text, 60))}</text>`,
    );
  }
  if (yAxis.title?.text) {
    const cx = box.left - 46;
    const cy = (box.top + box.bottom) / 2;
    out.push(
      `<text x="${px(cx)}" y="${px(cy)}" transform="rotate(-90 ${px(cx)} ${px(cy)})" text-anchor="middle" font-size="12" fill="#222">${escapeXml(truncate(yAxis.title.text, 40))}</text>`,
    );
  }
  return out;
}

function axisTicks(scale: AxisScale, count: number, dtick?: number): { value: number; label: string }[] {
  if (scale.kind === "category") {
    const n = scale.categories.length;
    const every = Math.max(1, Math.ceil(n / Math.max(1, count * 2)));
    return scale.categories.map((label, i) => ({ value: i, label })).filter((_, i) => i % every === 0);
  }
  let ticks = niceTicks(scale.lo, scale.hi, count);
  if (dtick && dtick > 0 && (scale.hi - scale.lo) / dtick <= 60) {
    ticks = [];
    for (let v = Math.ceil(scale.lo / dtick - 1e-9) * dtick; v <= scale.hi + 1e-9; v += dtick)
      ticks.push(Number(v.toPrecision(12)));
  }
  const labels = tickLabels(ticks);
  return ticks.map((value, i) => ({ value, label: labels[i]! }));
}

function traceMarkup(
  t: Trace,
  index: number,
  fx: (v: number) => number,
  fy: (v: number) => number,
  xs: AxisScale,
  ys: AxisScale,
  box: Box,
  barIndices: number[],
): string {
  const color = traceColor(t, index);
  switch (t.type) {
    case "scatter": {
      const cats = [...xs.categories];
      const x = xPositions(t.x, t.y.length, cats);
      const mode = t.mode ?? "lines";
      const parts: string[] = [];
      if (mode !== "markers") {
        const d = decimate(x, t.y, MAX_POINTS_DRAWN);
        let path = "";
        let pen = false;
        for (let i = 0; i < d.y.length; i++) {
          const yv = d.y[i]!;
          const xv = d.x[i]!;
          if (!Number.isFinite(yv) || !Number.isFinite(xv)) {
            pen = false;
            continue;
          }
          path += `${pen ? "L" : "M"}${px(fx(xv))} ${px(fy(yv))}`;
          pen = true;
        }
        const dash =
          t.line?.dash === "dash" ? ` stroke-dasharray="6 4"` : t.line?.dash === "dot" ? ` stroke-dasharray="2 3"` : "";
        parts.push(
          `<path d="${path}" fill="none" stroke="${color}" stroke-width="${t.line?.width ?? 2}" stroke-linejoin="round"${dash}/>`,
        );
      }
      if (mode !== "lines") {
        const r = (t.marker?.size ?? 6) / 2;
        const step = Math.max(1, Math.ceil(t.y.length / MAX_POINTS_DRAWN));
        for (let i = 0; i < t.y.length; i += step) {
          if (!Number.isFinite(t.y[i]!) || !Number.isFinite(x[i]!)) continue;
          parts.push(
            `<circle cx="${px(fx(x[i]!))}" cy="${px(fy(t.y[i]!))}" r="${r}" fill="${color}" fill-opacity="0.8"/>`,
          );
        }
      }
      return parts.join("");
    }
    case "bar": {
      const cats = [...xs.categories];
      const x = xPositions(t.x, t.y.length, cats);
      const groups = Math.max(1, barIndices.length);
      const slot = Math.max(0, barIndices.indexOf(index));
      const full = t.width ?? 0.8;
      const width = full / groups;
      const gap = t.width !== undefined ? (Math.abs(fx(full) - fx(0)) > 6 ? 0.5 : 0) : 0;
      return x
        .map((xv, i) => {
          const yv = t.y[i]!;
          if (!Number.isFinite(yv)) return "";
          const x0 = fx(xv - full / 2 + slot * width) + gap;
          const x1 = fx(xv - full / 2 + (slot + 1) * width) - gap;
          const y0 = fy(0);
          const y1 = fy(yv);
          const colors = t.marker?.color;
          const fill = Array.isArray(colors) && colors.length > 0 ? colors[i % colors.length]! : color;
          return `<rect x="${px(Math.min(x0, x1))}" y="${px(Math.min(y0, y1))}" width="${px(Math.abs(x1 - x0))}" height="${px(Math.abs(y1 - y0))}" fill="${escapeXml(fill)}"/>`;
        })
        .join("");
    }
    case "histogram": {
      const { edges, counts } = histogramCounts(t);
      return counts
        .map((c, i) => {
          if (c === 0) return "";
          const x0 = fx(edges[i]!);
          const x1 = fx(edges[i + 1]!);
          const y1 = fy(c);
          const y0 = fy(0);
          return `<rect x="${px(Math.min(x0, x1))}" y="${px(Math.min(y0, y1))}" width="${px(Math.max(0.5, Math.abs(x1 - x0) - 1))}" height="${px(Math.abs(y0 - y1))}" fill="${color}" fill-opacity="0.85"/>`;
        })
        .join("");
    }
    case "heatmap": {
      const rows = t.z.length;
      const cols = rows ? t.z[0]!.length : 0;
      if (!rows || !cols) return "";
      const { zmin, zmax } = zRange(t);
      const sample = scaleSampler(t.colorscale);
      const pixels = new Uint8Array(rows * cols * 3);
      const cellColor = (v: number): [number, number, number] =>
        Number.isFinite(v) ? sample((v - zmin) / (zmax - zmin || 1)) : [255, 255, 255];
      for (let r = 0; r < rows; r++) {
        for (let c = 0; c < cols; c++) {
          // PNG rows run top to bottom; z row 0 sits at the bottom unless the axis is reversed.
          const py = ys.reversed ? r : rows - 1 - r;
          pixels.set(cellColor(t.z[r]![c]!), (py * cols + c) * 3);
        }
      }
      const cats = [...ys.categories];
      const yc = heatmapCenters(t.y, rows, cats);
      const xc = heatmapCenters(t.x, cols, [...xs.categories]);
      const [x0, x1] = cellEdges(xc) as [number, number];
      const [y0, y1] = cellEdges(yc) as [number, number];
      const cellText = t.text
        ? t.text
            .flatMap((row, r) =>
              row.map(
                (label, c) =>
                  `<text x="${px(fx(xc[c]!))}" y="${px(fy(yc[r]!) + 4)}" text-anchor="middle" font-size="11" fill="${textColorOn(cellColor(t.z[r]![c]!))}">${escapeXml(label)}</text>`,
              ),
            )
            .join("")
        : "";
      return (
        pixelImage(pixels, cols, rows, 3, fx(x0), fy(ys.reversed ? y0 : y1), fx(x1), fy(ys.reversed ? y1 : y0), box) +
        cellText
      );
    }
    case "image": {
      const { w: cols, h: rows } = imageSize(t);
      if (!rows || !cols) return "";
      if (!t.z) {
        const [x0, x1, y0, y1] = [fx(-0.5), fx(cols - 0.5), fy(-0.5), fy(rows - 0.5)];
        return `<image x="${px(Math.min(x0, x1))}" y="${px(Math.min(y0, y1))}" width="${px(Math.abs(x1 - x0))}" height="${px(Math.abs(y1 - y0))}" preserveAspectRatio="none" style="image-rendering:pixelated" xlink:href="${escapeXml(t.source ?? "")}"/>`;
      }
      const pixels = new Uint8Array(rows * cols * 3);
      for (let r = 0; r < rows; r++)
        for (let c = 0; c < cols; c++)
          pixels.set(
            t.z[r]![c]!.map((v) => Math.max(0, Math.min(255, Math.round(v)))),
            (r * cols + c) * 3,
          );
      return pixelImage(pixels, cols, rows, 3, fx(-0.5), fy(-0.5), fx(cols - 0.5), fy(rows - 0.5), box);
    }
  }
}

/** Pixel size of an image trace: from `z`, or from the PNG header of a `data:` source. */
export function imageSize(t: { z?: unknown[][]; source?: string }): { w: number; h: number } {
  if (t.z) return { h: t.z.length, w: t.z.length ? t.z[0]!.length : 0 };
  const m = /^data:image\/png;base64,(.*)$/.exec(t.source ?? "");
  if (!m) throw new Error("image trace: needs z or a data:image/png;base64 source");
  const head = Buffer.from(m[1]!.slice(0, 44), "base64");
  return { w: head.readUInt32BE(16), h: head.readUInt32BE(20) };
}

export function zRange(t: { z: number[][]; zmin?: number; zmax?: number }): { zmin: number; zmax: number } {
  let lo = Infinity;
  let hi = -Infinity;
  for (const row of t.z) for (const v of row) if (Number.isFinite(v)) (lo = Math.min(lo, v)), (hi = Math.max(hi, v));
  if (!Number.isFinite(lo)) [lo, hi] = [0, 1];
  return { zmin: t.zmin ?? lo, zmax: t.zmax ?? hi };
}

/** An `<image>` of raw pixels stretched over the given corners, crisp (upscaled PNG). */
function pixelImage(
  pixels: Uint8Array,
  w: number,
  h: number,
  channels: 3,
  ax: number,
  ay: number,
  bx: number,
  by: number,
  _box: Box,
): string {
  const targetW = Math.abs(bx - ax);
  const factor = Math.max(1, Math.min(Math.floor(targetW / w), Math.floor(1024 / Math.max(w, h))));
  const png = encodePng(upscale(pixels, w, h, channels, factor), w * factor, h * factor, channels);
  const x = Math.min(ax, bx);
  const y = Math.min(ay, by);
  return `<image x="${px(x)}" y="${px(y)}" width="${px(Math.abs(bx - ax))}" height="${px(Math.abs(by - ay))}" preserveAspectRatio="none" style="image-rendering:pixelated" xlink:href="data:image/png;base64,${png.toString("base64")}"/>`;
}

function legendMarkup(entries: LegendEntry[], x: number, y: number): string {
  const parts = entries.map((e, i) => {
    const cy = y + 10 + i * 20;
    const dash = e.dash === "dash" ? ` stroke-dasharray="6 4"` : e.dash === "dot" ? ` stroke-dasharray="2 3"` : "";
    const swatch =
      e.kind === "line"
        ? `<line x1="${px(x)}" y1="${px(cy)}" x2="${px(x + 24)}" y2="${px(cy)}" stroke="${e.color}" stroke-width="2.5"${dash}/>`
        : e.kind === "marker"
          ? `<circle cx="${px(x + 12)}" cy="${px(cy)}" r="4" fill="${e.color}"/>`
          : `<rect x="${px(x + 5)}" y="${px(cy - 6)}" width="14" height="12" fill="${e.color}"/>`;
    return `${swatch}<text x="${px(x + 30)}" y="${px(cy + 4)}" font-size="12" fill="#222">${escapeXml(e.name)}</text>`;
  });
  return `<g>${parts.join("")}</g>`;
}

function colorbarMarkup(
  t: { z: number[][]; zmin?: number; zmax?: number; colorscale: ColorScale },
  x: number,
  y: number,
  h: number,
  id: string,
): { def: string; body: string } {
  const { zmin, zmax } = zRange(t);
  const sample = scaleSampler(t.colorscale);
  const stops = Array.from(
    { length: 11 },
    (_, i) => `<stop offset="${i / 10}" stop-color="${rgbHex(sample(1 - i / 10))}"/>`,
  ).join("");
  const def = `<linearGradient id="${id}" x1="0" y1="0" x2="0" y2="1">${stops}</linearGradient>`;
  const ticks = niceTicks(zmin, zmax, 5);
  const labels = tickLabels(ticks);
  const span = zmax - zmin || 1;
  const body =
    `<rect x="${px(x)}" y="${px(y)}" width="14" height="${px(h)}" fill="url(#${id})" stroke="#ccc"/>` +
    ticks
      .map((v, i) => {
        const ty = y + h - ((v - zmin) / span) * h;
        return `<line x1="${px(x + 14)}" y1="${px(ty)}" x2="${px(x + 18)}" y2="${px(ty)}" stroke="#888"/><text x="${px(x + 21)}" y="${px(ty + 4)}" font-size="10" fill="#444">${escapeXml(labels[i]!)}</text>`;
      })
      .join("");
  return { def, body };
}
