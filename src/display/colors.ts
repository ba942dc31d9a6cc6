/** Colour palettes and continuous colour scales shared by charts, heatmaps and tensor tables. */

/** Trace colours, in order (the classic category-10 set plotly.js also uses). */
export const PALETTE = [
  "#1f77b4",
  "#ff7f0e",
  "#2ca02c",
  "#d62728",
  "#9467bd",
  "#8c564b",
  "#e377c2",
  "#7f7f7f",
  "#bcbd22",
  "#17becf",
];

/** A colour scale as plotly.js understands it: `[position 0..1, "rgb(r,g,b)"]` stops. */
export type ColorScale = [number, string][];

export type ColorScaleName = "viridis" | "greys" | "blues" | "rdbu" | "magma";

const STOPS: Record<ColorScaleName, [number, number, number][]> = {
  viridis: [
    [68, 1, 84],
    [72, 40, 120],
    [62, 74, 137],
    [49, 104, 142],
    [38, 130, 142],
    [31, 158, 137],
    [53, 183, 121],
    [110, 206, 88],
    [181, 222, 43],
    [253, 231, 37],
  ],
  magma: [
    [0, 0, 4],
    [28, 16, 68],
    [79, 18, 123],
    [129, 37, 129],
    [181, 54, 122],
    [229, 80, 100],
    [251, 135, 97],
    [254, 194, 135],
    [252, 253, 191],
  ],
  greys: [
    [0, 0, 0],
    [255, 255, 255],
  ],
  blues: [
    [247, 251, 255],
    [198, 219, 239],
    [107, 174, 214],
    [33, 113, 181],
    [8, 48, 107],
  ],
  rdbu: [],
};

/**
 * Scales whose stops are not evenly spaced. "rdbu" is plotly.js's own `RdBu` (low = blue, high =
 * red), so a static chart and the interactive one agree with what a plotly user expects by that name.
 */
const POSITIONED: Partial<Record<ColorScaleName, [number, [number, number, number]][]>> = {
  rdbu: [
    [0, [5, 10, 172]],
    [0.35, [106, 137, 247]],
    [0.5, [190, 190, 190]],
    [0.6, [220, 170, 132]],
    [0.7, [230, 145, 90]],
    [1, [178, 10, 28]],
  ],
};

/** Names accepted wherever a colour scale is asked for. */
export const COLOR_SCALE_NAMES = Object.keys(STOPS) as ColorScaleName[];

export function isColorScaleName(name: unknown): name is ColorScaleName {
  return typeof name === "string" && name in STOPS;
}

/** The plotly.js form of a named scale (explicit stops, so every renderer draws the same colours). */
export function colorScale(name: ColorScaleName): ColorScale {
  const stops = STOPS[name];
  if (!stops) throw new Error(`Unknown colour scale '${String(name)}'; use one of ${COLOR_SCALE_NAMES.join(", ")}`);
  const positioned = POSITIONED[name];
  if (positioned) return positioned.map(([p, c]) => [p, `rgb(${c[0]},${c[1]},${c[2]})`]);
  return stops.map((c, i) => [i / (stops.length - 1), `rgb(${c[0]},${c[1]},${c[2]})`]);
}

function parseRgb(color: string): [number, number, number] {
  const m = /^rgba?\((\d+(?:\.\d+)?),\s*(\d+(?:\.\d+)?),\s*(\d+(?:\.\d+)?)/.exec(color);
  if (m) return [Number(m[1]), Number(m[2]), Number(m[3])];
  const h = /^#([0-9a-f]{6})$/i.exec(color);
  if (h) {
    const n = parseInt(h[1]!, 16);
    return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
  }
  throw new Error(`Unsupported colour '${color}' (use #rrggbb or rgb(r,g,b))`);
}

/** Resolves a scale given by name or stops into a sampler `t ∈ [0,1] → [r,g,b]`. */
export function scaleSampler(scale: ColorScale | ColorScaleName): (t: number) => [number, number, number] {
  const stops = (typeof scale === "string" ? colorScale(scale) : scale).map(([p, c]) => [p, parseRgb(c)] as const);
  return (t: number) => {
    const x = Number.isFinite(t) ? Math.min(1, Math.max(0, t)) : 0;
    let i = 1;
    while (i < stops.length - 1 && stops[i]![0] < x) i++;
    const [p0, c0] = stops[i - 1]!;
    const [p1, c1] = stops[i]!;
    const f = p1 > p0 ? (x - p0) / (p1 - p0) : 0;
    return [0, 1, 2].map((k) => Math.round(c0[k]! + (c1[k]! - c0[k]!) * f)) as [number, number, number];
  };
}

export function rgbHex([r, g, b]: [number, number, number]): string {
  return `#${((1 << 24) | (r << 16) | (g << 8) | b).toString(16).slice(1)}`;
}

/** Black or white, whichever reads better on the given background. */
export function textColorOn([r, g, b]: [number, number, number]): string {
  // WCAG relative luminance; black or white, whichever contrasts more.
  const linear = (v: number) => {
    const s = v / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  const l = 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
  return (l + 0.05) / 0.05 >= 1.05 / (l + 0.05) ? "#000" : "#fff";
}

/**
 * Muted and body text colours for HTML outputs: the frontend's theme colours where it has them
 * (JupyterLab, Notebook 7, VS Code map these), readable greys on white elsewhere.
 */
export const MUTED_TEXT = "var(--jp-content-font-color2, #555)";
export const BODY_TEXT = "var(--jp-content-font-color1, #222)";
