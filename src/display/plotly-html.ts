/**
 * The `text/html` of a chart: a static SVG picture (what untrusted/saved notebooks show), then a
 * script that draws the interactive plotly.js chart over it.
 *
 * plotly.js (the `plotly.js-cartesian-dist-min` bundle: scatter, bar, heatmap, histogram, image)
 * travels gzip-compressed and base64-encoded (~0.66 MB instead of 1.5 MB) in a loader script that
 * the first chart of each output area (each cell run) carries. So every cell's saved output can
 * draw itself after a save and reload, or after another cell is re-run or deleted, with no server,
 * CDN or notebook extension; later charts of the same cell rely on the first. The loader
 * decompresses with the browser's `DecompressionStream` and defines `window.Plotly` once per page;
 * a page that already has `window.Plotly` (another chart's loader, or a frontend's own copy) skips
 * it. Exported HTML pages keep one loader per page (`PLOTLY_LOADER_ATTRIBUTE` marks it).
 */
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { gzipSync } from "node:zlib";
import type { FigureSpec } from "./figure-types.js";
import { scriptJson, svgImgTag } from "./markup.js";

/** The attribute on the loader's `<script>` element, so pages can keep one copy. */
export const PLOTLY_LOADER_ATTRIBUTE = "data-deepts-plotly";

let area = 0;
let loaderArea = -1;
let lightRendering = false;
/** The output area in which a chart (a live `Figure`) carried the loader: its later states carry it too. */
const carriedBy = new WeakMap<object, number>();
let cachedLoader: string | undefined;

/**
 * A new output area starts (the kernel calls this at each cell run): its first chart carries the
 * plotly.js loader again.
 */
export function startPlotlyOutputArea(): void {
  area++;
}

/** Which output area (cell run) output goes to now: it changes with each `startPlotlyOutputArea`. */
export function outputAreaNumber(): number {
  return area;
}

/** Forgets that plotly.js was sent (a new kernel session, or tests): same as a new output area. */
export const resetPlotlySession = startPlotlyOutputArea;

/** Whether the next chart of this output area will carry plotly.js. */
export function plotlyPending(): boolean {
  return loaderArea !== area;
}

/**
 * Runs `render` for an in-between update of a live output (the final update is rendered
 * normally): charts rendered inside carry no loader, since the page drew the first state already.
 */
export function renderingLightUpdate<T>(render: () => T): T {
  const before = lightRendering;
  lightRendering = true;
  try {
    return render();
  } finally {
    lightRendering = before;
  }
}

/** plotly.js, gzip-compressed and base64-encoded. */
function compressedPlotly(): string {
  const path = createRequire(import.meta.url).resolve("plotly.js-cartesian-dist-min");
  return gzipSync(readFileSync(path), { level: 9 }).toString("base64");
}

/**
 * The loader: decodes and decompresses plotly.js, then runs it with AMD's `define` and CommonJS's
 * `module` hidden (classic Notebook's requirejs would otherwise capture it as a module and leave
 * `window.Plotly` unset). Browsers without `DecompressionStream` keep the static pictures.
 */
export function plotlyLoaderScript(): string {
  cachedLoader ??=
    `<script ${PLOTLY_LOADER_ATTRIBUTE}="loader">(function () {` +
    `if (window.Plotly || window.__deeptsPlotly || typeof DecompressionStream === "undefined") return;` +
    `var text = atob("${compressedPlotly()}"); var bytes = new Uint8Array(text.length);` +
    `for (var i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);` +
    `window.__deeptsPlotly = new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"))).text()` +
    `.then(function (source) { if (!window.Plotly) new Function("define", "module", "exports", source).call(window); })` +
    `.catch(function (e) { window.__deeptsPlotly = undefined; console.warn("deepts: plotly.js did not load", e); });` +
    `})();</script>`;
  return cachedLoader;
}

/**
 * The drawing script. It waits for the element and for plotly.js (an earlier chart's loader may
 * still be decompressing), fits the chart to the output area's width (the figure's width is the
 * most it takes), and takes the frontend's theme colours where it has them (JupyterLab's `--jp-*`).
 */
function drawScript(id: string, fig: FigureSpec): string {
  return (
    `<script>(function () { var id = ${scriptJson(id)}, tries = 0; function draw() { ` +
    `var el = document.getElementById(id); ` +
    `if (!el || !window.Plotly) { if (++tries < 80) setTimeout(draw, Math.min(1000, 100 * tries)); return; } ` +
    `if (el.getAttribute("data-drawn")) return; el.setAttribute("data-drawn", "1"); ` +
    `var fig = ${scriptJson(fig)}; var layout = fig.layout; delete layout.width; layout.autosize = true; ` +
    `var css = getComputedStyle(el), v = function (n) { return css.getPropertyValue(n).trim(); }; ` +
    `var fg = v("--jp-ui-font-color1"), bg = v("--jp-layout-color0"), grid = v("--jp-border-color2"); ` +
    `if (fg && bg) { layout.paper_bgcolor = bg; layout.plot_bgcolor = bg; layout.font = { color: fg }; ` +
    `Object.keys(layout).forEach(function (k) { if (/^[xy]axis/.test(k)) { layout[k].gridcolor = grid || undefined; layout[k].zerolinecolor = grid || undefined; } }); } ` +
    `var still = el.innerHTML; el.innerHTML = ""; ` +
    `try { var p = window.Plotly.newPlot(el, fig.data, layout, { displaylogo: false, responsive: true }); ` +
    `if (p && p.catch) p.catch(function () { el.innerHTML = still; }); } catch (e) { el.innerHTML = still; } } draw(); })();</script>`
  );
}

/**
 * The HTML for a chart.
 * @param fig the plotly figure (also drawn statically as `svg`)
 * @param svg the static picture of the same chart
 * @param width the most the chart takes (it shrinks to narrower output areas)
 */
export function chartHtml(
  fig: FigureSpec,
  svg: string,
  width: number,
  height: number,
  opts: { inlinePlotly?: boolean; owner?: object } = {},
): string {
  const id = `deepts-plot-${randomUUID()}`;
  const owned = opts.owner !== undefined && carriedBy.get(opts.owner) === area;
  const carry = (opts.inlinePlotly ?? true) && !lightRendering && (loaderArea !== area || owned);
  if (carry) {
    loaderArea = area;
    if (opts.owner) carriedBy.set(opts.owner, area);
  }
  const alt = fig.layout.title?.text ?? "chart";
  const picture = svgImgTag(svg, width, height, alt).replace(/>$/, ' style="max-width:100%;height:auto">');
  return (
    `${carry ? plotlyLoaderScript() : ""}<div id="${id}" class="deepts-plot" ` +
    `style="width:100%;max-width:${Math.round(width)}px;min-height:${Math.round(height / 2)}px">${picture}</div>` +
    drawScript(id, { ...fig, layout: { ...fig.layout, height: Math.round(height) } })
  );
}
