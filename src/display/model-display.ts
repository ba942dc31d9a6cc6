/**
 * Neural network models (TF.js LayersModel-shaped, duck-typed): `model.summary()` as an HTML table
 * and a layer diagram (SVG) with output shapes and parameter counts, branches included.
 */
import { diagramSvg, type DiagramEdge, type DiagramNode } from "./diagram-svg.js";
import { escapeXml, formatCount, svgImgTag } from "./markup.js";
import type { MimeBundle } from "./sink.js";

/** What display needs from a layer (the TF.js `Layer` shape). */
export interface LayerLike {
  name: string;
  getClassName(): string;
  /** `[null, 10]`, or one shape per output. May throw when unknown (not built). */
  outputShape?: (number | null)[] | (number | null)[][];
  countParams(): number;
  /** Calls of the layer; `inboundLayers` are the layers feeding it (functional models). */
  inboundNodes?: { inboundLayers: LayerLike[] }[];
  trainable?: boolean;
  trainableWeights?: { shape: (number | null)[] }[];
}

/** What display needs from a model (the TF.js `LayersModel`/`Sequential` shape). */
export interface ModelLike {
  name?: string;
  layers: LayerLike[];
  getClassName?(): string;
}

function isLayerLike(v: unknown): v is LayerLike {
  return (
    v !== null &&
    typeof v === "object" &&
    typeof (v as LayerLike).getClassName === "function" &&
    typeof (v as LayerLike).countParams === "function"
  );
}

/** True for objects with a `layers` array of layer-like objects and a model-ish `getClassName` or `summary`. */
export function isModelLike(value: unknown): value is ModelLike {
  if (value === null || typeof value !== "object") return false;
  const m = value as Record<string, unknown>;
  return (
    Array.isArray(m.layers) &&
    m.layers.every(isLayerLike) &&
    (typeof m.getClassName === "function" || typeof m.summary === "function")
  );
}

function safe<T>(f: () => T, fallback: T): T {
  try {
    return f();
  } catch {
    return fallback;
  }
}

/** `[null, 28, 28]`; several outputs are joined with ", ". */
export function formatShape(shape: unknown): string {
  if (!Array.isArray(shape)) return "?";
  if (shape.length > 0 && shape.every((s) => Array.isArray(s))) return shape.map(formatShape).join(", ");
  return `[${shape.map((d) => (d === null || d === undefined ? "null" : String(d))).join(",")}]`;
}

interface LayerRow {
  layer: LayerLike;
  name: string;
  type: string;
  shape: string;
  params: number;
  trainable: number;
  inputs: LayerLike[];
}

function modelName(model: ModelLike): string {
  return model.name ?? safe(() => model.getClassName?.() ?? "model", "model");
}

/** The layers with everything display shows about them, plus layers only reachable as inputs. */
function layerRows(model: ModelLike): LayerRow[] {
  const all: LayerLike[] = [...model.layers];
  const seen = new Set(all);
  const inputsOf = (l: LayerLike): LayerLike[] => {
    const nodes = safe(() => l.inboundNodes ?? [], []);
    return nodes.flatMap((n) => (Array.isArray(n?.inboundLayers) ? n.inboundLayers.filter(isLayerLike) : []));
  };
  for (let i = 0; i < all.length; i++) {
    for (const src of inputsOf(all[i]!)) {
      if (!seen.has(src)) {
        seen.add(src);
        all.unshift(src);
        i++;
      }
    }
  }
  const anyLinks = all.some((l) => inputsOf(l).length > 0);
  return all.map((layer, i) => {
    const params = safe(() => layer.countParams(), 0);
    const tw = safe(() => layer.trainableWeights, undefined);
    const shapes = Array.isArray(tw) && tw.every((w) => Array.isArray(w?.shape)) ? tw.map((w) => w.shape) : undefined;
    const trainable =
      layer.trainable === false
        ? 0
        : shapes
          ? shapes.reduce((a, s) => a + s.reduce<number>((p, d) => p * (d ?? 1), 1), 0)
          : params;
    const inputs = anyLinks ? [...new Set(inputsOf(layer))] : i > 0 ? [all[i - 1]!] : [];
    return {
      layer,
      name: String(layer.name ?? `layer_${i}`),
      type: safe(() => layer.getClassName(), "Layer"),
      shape: formatShape(safe(() => layer.outputShape, undefined)),
      params,
      trainable: Math.min(trainable, params),
      inputs,
    };
  });
}

/** Totals over all layers. */
export function paramCounts(model: ModelLike): { total: number; trainable: number; nonTrainable: number } {
  const rows = layerRows(model);
  const total = rows.reduce((a, r) => a + r.params, 0);
  const trainable = rows.reduce((a, r) => a + r.trainable, 0);
  return { total, trainable, nonTrainable: total - trainable };
}

/** `model.summary()` as text (a fixed-width table like TF.js prints). */
export function modelSummaryText(model: ModelLike): string {
  const rows = layerRows(model);
  const functional = rows.some((r) => r.inputs.length > 1);
  const head = ["Layer (type)", "Output shape", "Param #", ...(functional ? ["Receives inputs"] : [])];
  const body = rows.map((r) => [
    `${r.name} (${r.type})`,
    r.shape,
    formatCount(r.params),
    ...(functional ? [r.inputs.map((l) => l.name).join(", ")] : []),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)) + 2);
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join("")
      .trimEnd();
  const rule = (ch: string) => ch.repeat(widths.reduce((a, b) => a + b, 0));
  const t = paramCounts(model);
  return [
    `Model: ${modelName(model)}`,
    rule("_"),
    line(head),
    rule("="),
    ...body.flatMap((b, i) => [line(b), rule(i === body.length - 1 ? "=" : "_")]),
    `Total params: ${formatCount(t.total)}`,
    `Trainable params: ${formatCount(t.trainable)}`,
    `Non-trainable params: ${formatCount(t.nonTrainable)}`,
  ].join("\n");
}

/** `model.summary()` as an HTML table: layer, type, output shape, params (and inputs for branching models), totals. */
export function modelSummaryHtml(model: ModelLike): string {
  const rows = layerRows(model);
  const functional = rows.some((r) => r.inputs.length > 1);
  const th = (s: string, right = false) =>
    `<th style="text-align:${right ? "right" : "left"};padding:3px 10px;border-bottom:2px solid #999">${s}</th>`;
  const td = (s: string, right = false, mono = false) =>
    `<td style="text-align:${right ? "right" : "left"};padding:3px 10px;border-bottom:1px solid #ddd${mono ? ";font-family:monospace" : ""}">${s}</td>`;
  const head = `<tr>${th("Layer")}${th("Type")}${th("Output shape")}${th("Params", true)}${functional ? th("Inputs") : ""}</tr>`;
  const body = rows
    .map(
      (r) =>
        `<tr>${td(escapeXml(r.name))}${td(escapeXml(r.type))}${td(escapeXml(r.shape), false, true)}${td(formatCount(r.params), true, true)}${functional ? td(escapeXml(r.inputs.map((l) => l.name).join(", "))) : ""}</tr>`,
    )
    .join("");
  const t = paramCounts(model);
  const totals = `<div style="margin-top:4px;font-size:12px">Total params: <b>${formatCount(t.total)}</b> · trainable ${formatCount(t.trainable)} · non-trainable ${formatCount(t.nonTrainable)}</div>`;
  return `<div><div style="font-weight:bold;margin-bottom:4px">Model: ${escapeXml(modelName(model))}</div><table style="border-collapse:collapse;font-size:12px">${head}${body}</table>${totals}</div>`;
}

/** `model.summary()` as a bundle (text/plain + text/html). */
export function modelSummaryBundle(model: ModelLike): MimeBundle {
  return { "text/plain": modelSummaryText(model), "text/html": modelSummaryHtml(model) };
}

const LAYER_COLORS: [RegExp, string, string][] = [
  [/input/i, "#f2f2f2", "#888888"],
  [/conv/i, "#fdebd3", "#d9822b"],
  [/pool/i, "#fff6cc", "#b8a22a"],
  [/dense/i, "#e3ecfa", "#4a6fa5"],
  [/(dropout|batchnorm|normalization)/i, "#f0e6f6", "#8e5ea2"],
  [/(lstm|gru|rnn|embedding|attention)/i, "#e1f3e8", "#3c8d5a"],
  [/(add|concat|multiply|average|maximum|subtract|dot)/i, "#fde2e2", "#c0504d"],
];

function layerColors(type: string): { fill: string; stroke: string } {
  const hit = LAYER_COLORS.find(([re]) => re.test(type));
  return hit ? { fill: hit[1], stroke: hit[2] } : { fill: "#eef3fb", stroke: "#4a6fa5" };
}

function frozenNote(r: LayerRow): string {
  if (r.trainable >= r.params) return "";
  return r.trainable === 0 ? " (frozen)" : ` (${formatCount(r.trainable)} trainable)`;
}

/**
 * The model as a diagram: one box per layer (name, type, output shape, parameters), arrows from inputs.
 * @example modelDiagramSvg(model).svg
 */
export function modelDiagramSvg(model: ModelLike): { svg: string; width: number; height: number } {
  const rows = layerRows(model);
  const ids = new Map(rows.map((r, i) => [r.layer, `n${i}`]));
  const nodes: DiagramNode[] = rows.map((r) => ({
    id: ids.get(r.layer)!,
    lines: [r.name, `${r.type} → ${r.shape}`, ...(r.params ? [`${formatCount(r.params)} params${frozenNote(r)}`] : [])],
    ...layerColors(r.type),
  }));
  const edges: DiagramEdge[] = rows.flatMap((r) =>
    r.inputs.filter((l) => ids.has(l)).map((l) => ({ source: ids.get(l)!, target: ids.get(r.layer)! })),
  );
  const t = paramCounts(model);
  return diagramSvg(nodes, edges, { title: `${modelName(model)} · ${formatCount(t.total)} params` });
}

/** Models with more layers than this are displayed as their summary table. */
export const MAX_DIAGRAM_LAYERS = 150;

/** The bundle for `display(model)`: the diagram (SVG, and as an `<img>` in HTML) and the summary text. */
export function modelBundle(model: ModelLike): MimeBundle {
  // Very deep models make unreadable (and large) diagrams: show the summary table instead.
  if (layerRows(model).length > MAX_DIAGRAM_LAYERS) return modelSummaryBundle(model);
  const d = modelDiagramSvg(model);
  return {
    "text/plain": modelSummaryText(model),
    "image/svg+xml": d.svg,
    "text/html": svgImgTag(d.svg, d.width, d.height, `diagram of ${modelName(model)}`),
  };
}
