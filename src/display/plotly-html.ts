/**
 * The `text/html` of a chart: a static SVG picture (what untrusted/saved notebooks show), then a
 * script that draws the interactive plotly.js chart over it. plotly.js is read from the npm
 * package `plotly.js-dist-min` and inlined only into the first chart of a kernel session.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { randomUUID } from "node:crypto";
import type { FigureSpec } from "./figure-types.js";
import { scriptJson, svgImgTag } from "./markup.js";

let inlined = false;
let cachedSource: string | undefined;

/** Forgets that plotly.js was inlined (a new kernel session, or tests). */
export function resetPlotlySession(): void {
  inlined = false;
}

/** Whether the next chart will carry plotly.js. */
export function plotlyPending(): boolean {
  return !inlined;
}

function plotlySource(): string {
  if (cachedSource === undefined) {
    const require = createRequire(import.meta.url);
    const path = require.resolve("plotly.js-dist-min");
    // `<\/script` or `<!--` would end or confuse the enclosing <script> element; `\x3C` is `<` in
    // any JS string, template or regular expression, which is where these occur.
    cachedSource = readFileSync(path, "utf8").replace(/<(?=\/script|!--)/gi, "\\x3C");
  }
  return cachedSource;
}

/**
 * A script that defines `window.Plotly` once: skipped when already loaded, and run with AMD's
 * `define` hidden (classic Notebook's requirejs would otherwise register it as a module and
 * leave `window.Plotly` unset).
 */
function plotlyLoaderScript(): string {
  return (
    `<script>if (!window.Plotly) { (function () { var amd = window.define; window.define = undefined; ` +
    `try { (function (define, module, exports) {\n${plotlySource()}\n}).call(window); } ` +
    `finally { window.define = amd; } })(); }</script>`
  );
}

/**
 * The HTML for a chart.
 * @param fig the plotly figure (also drawn statically as `svg`)
 * @param svg the static picture of the same chart
 */
export function chartHtml(
  fig: FigureSpec,
  svg: string,
  width: number,
  height: number,
  opts: { inlinePlotly?: boolean } = {},
): string {
  const id = `deepts-plot-${randomUUID()}`;
  const loader = (opts.inlinePlotly ?? true) && !inlined ? plotlyLoaderScript() : "";
  if (loader) inlined = true;
  const alt = fig.layout.title?.text ?? "chart";
  // Front ends may run the script before the output is attached to the page (or before the
  // loader of an earlier chart ran): look for the element and plotly.js for a few seconds.
  const draw =
    `<script>(function () { var id = ${scriptJson(id)}, tries = 0; function draw() { ` +
    `var el = document.getElementById(id); ` +
    `if (!el || !window.Plotly) { if (++tries < 60) setTimeout(draw, Math.min(1000, 100 * tries)); return; } ` +
    `if (el.getAttribute("data-drawn")) return; el.setAttribute("data-drawn", "1"); ` +
    `var fig = ${scriptJson(fig)}; var still = el.innerHTML; el.innerHTML = ""; ` +
    `try { var p = window.Plotly.newPlot(el, fig.data, fig.layout, { displaylogo: false, responsive: false }); ` +
    `if (p && p.catch) p.catch(function () { el.innerHTML = still; }); } catch (e) { el.innerHTML = still; } } draw(); })();</script>`;
  return `${loader}<div id="${id}" class="deepts-plot" style="width:${width}px;height:${height}px">${svgImgTag(svg, width, height, alt)}</div>${draw}`;
}
