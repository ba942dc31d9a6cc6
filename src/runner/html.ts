/**
 * A self-contained HTML page of an executed notebook, offline: maths typeset at export time
 * (KaTeX, fonts inlined), plotly.js once per page, images as data URIs.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { PLOTLY_LOADER_ATTRIBUTE, plotlyLoaderScript } from "../display/plotly-html.js";
import { escapeHtml, type MarkdownOptions, renderMarkdown } from "./markdown.js";
import { mathStylesheet, typesetMath } from "./math.js";
import { joinText, type Cell, type MimeBundle, type Notebook, type Output } from "./nbformat.js";
import { WIDGET_STATE_MIME, WIDGET_VIEW_MIME, type WidgetStateDocument } from "./widget-state.js";

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;?]*[A-Za-z]/g;

function text(value: unknown): string {
  return Array.isArray(value) ? value.join("") : typeof value === "string" ? value : JSON.stringify(value, null, 2);
}

function imageSource(mime: string, value: unknown): string {
  const data = text(value).replace(/\s+/g, "");
  return `data:${mime};base64,${data}`;
}

/** JSON that can sit inside a <script> element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c");
}

/** Model ids of the widgets whose state the page carries (set while a page is rendered). */
let savedWidgets: Set<string> = new Set();

/** The richest representation of a mime bundle that a static page can show. */
const MATH: Pick<MarkdownOptions, "math"> = { math: typesetMath };

/** `text/latex` output: `$$…$$`, `$…$`, `\[…\]` or bare TeX, typeset as display maths. */
function latexHtml(source: string): string {
  const tex = source
    .trim()
    .replace(/^\$\$([\s\S]*)\$\$$|^\$([\s\S]*)\$$|^\\\[([\s\S]*)\\\]$/, (_, a, b, c) => a ?? b ?? c);
  return `<div class="math display">${typesetMath(tex, true)}</div>`;
}

function renderBundle(data: MimeBundle, metadata: Record<string, unknown>): string {
  const view = data[WIDGET_VIEW_MIME] as { model_id?: string } | undefined;
  if (view?.model_id && savedWidgets.has(view.model_id))
    return `<div class="widget"><script type="${WIDGET_VIEW_MIME}">${scriptJson(view)}</script></div>`;
  const meta = (mime: string) => (metadata[mime] ?? {}) as { width?: number; height?: number };
  const size = (mime: string) => {
    const m = meta(mime);
    return `${m.width ? ` width="${m.width}"` : ""}${m.height ? ` height="${m.height}"` : ""}`;
  };
  if ("text/html" in data) return `<div class="html">${text(data["text/html"])}</div>`;
  if ("image/svg+xml" in data) return `<div class="svg">${text(data["image/svg+xml"])}</div>`;
  for (const mime of ["image/png", "image/jpeg", "image/gif", "image/webp"]) {
    if (mime in data) return `<img src="${imageSource(mime, data[mime])}"${size(mime)} alt="">`;
  }
  if ("text/markdown" in data)
    return `<div class="markdown">${renderMarkdown(text(data["text/markdown"]), MATH)}</div>`;
  if ("text/latex" in data) return latexHtml(text(data["text/latex"]));
  if ("application/json" in data) return `<pre>${escapeHtml(text(data["application/json"]))}</pre>`;
  if ("text/plain" in data) return `<pre>${escapeHtml(text(data["text/plain"]).replace(ANSI, ""))}</pre>`;
  return "";
}

/** What a terminal shows: each line keeps only what follows its last carriage return. */
function overwriteCarriageReturns(text: string): string {
  return text
    .replace(/\r\n/g, "\n")
    .split("\n")
    .map((line) => line.slice(line.lastIndexOf("\r") + 1))
    .join("\n");
}

function renderOutput(output: Output): string {
  switch (output.output_type) {
    case "stream":
      return `<pre class="stream ${escapeHtml(output.name)}">${escapeHtml(overwriteCarriageReturns(joinText(output.text)).replace(ANSI, ""))}</pre>`;
    case "display_data":
      return `<div class="display">${renderBundle(output.data, output.metadata)}</div>`;
    case "execute_result":
      return `<div class="result"><span class="prompt">Out[${output.execution_count ?? " "}]:</span>${renderBundle(output.data, output.metadata)}</div>`;
    case "error":
      return `<pre class="error">${escapeHtml(output.traceback.join("\n").replace(ANSI, "") || `${output.ename}: ${output.evalue}`)}</pre>`;
  }
}

function renderCell(cell: Cell): string {
  const source = joinText(cell.source);
  if (cell.cell_type === "markdown") {
    const attachments = cell.attachments ?? {};
    const attachment = (name: string) => {
      const bundle = attachments[name];
      const mime = bundle && Object.keys(bundle)[0];
      return mime ? imageSource(mime, bundle[mime]) : undefined;
    };
    return `<section class="cell markdown">${renderMarkdown(source, { attachment, ...MATH })}</section>`;
  }
  if (cell.cell_type !== "code") return `<section class="cell raw"><pre>${escapeHtml(source)}</pre></section>`;
  const prompt = `<span class="prompt">In [${cell.execution_count ?? " "}]:</span>`;
  return (
    `<section class="cell code">${prompt}<pre class="source"><code class="language-typescript">${escapeHtml(source)}</code></pre>` +
    `<div class="outputs">${cell.outputs.map(renderOutput).join("\n")}</div></section>`
  );
}

const LOADER = new RegExp(`<script ${PLOTLY_LOADER_ATTRIBUTE}="loader">[\\s\\S]*?</script>`, "g");
let widgetEmbedSource: string | undefined;

/**
 * The widget manager for static pages (`@jupyter-widgets/html-manager`'s embed bundle) as a data:
 * URL: the bundle finds its public path from its script's `src` and refuses to run inline.
 */
function widgetEmbedUrl(): string {
  if (widgetEmbedSource === undefined) {
    const path = createRequire(import.meta.url).resolve("@jupyter-widgets/html-manager/dist/embed.js");
    widgetEmbedSource = `data:text/javascript;base64,${readFileSync(path).toString("base64")}`;
  }
  return widgetEmbedSource;
}

function widgetState(nb: Notebook): WidgetStateDocument | undefined {
  const widgets = nb.metadata.widgets as Record<string, unknown> | undefined;
  const doc = widgets?.[WIDGET_STATE_MIME] as WidgetStateDocument | undefined;
  return doc && typeof doc.state === "object" && Object.keys(doc.state).length > 0 ? doc : undefined;
}

/**
 * The page's plotly.js: outputs carry a compressed copy per cell (so they draw in Jupyter after a
 * reload); the page keeps one, in its head, and none in the outputs.
 */
function onePlotlyPerPage(body: string): { body: string; head: string } {
  const stripped = body.replace(LOADER, "");
  const draws = /\bPlotly\./.test(stripped);
  return { body: stripped, head: draws ? plotlyLoaderScript() : "" };
}

const STYLE = `
body { font: 15px/1.55 system-ui, -apple-system, "Segoe UI", sans-serif; max-width: 1000px; margin: 2em auto; padding: 0 1em; color: #222; }
.cell { margin: 1em 0; position: relative; }
.prompt { display: block; font: 12px monospace; color: #888; margin-bottom: 2px; }
pre { background: #f6f8fa; padding: .6em .8em; overflow-x: auto; border-radius: 4px; font-size: 13px; line-height: 1.4; margin: .3em 0; }
pre.source { border-left: 3px solid #4a90d9; }
.outputs pre { background: #fff; border-left: 3px solid #ddd; }
.outputs pre.stderr { background: #fff5f5; }
.outputs pre.error { background: #fff0f0; border-left-color: #d33; color: #811; }
.outputs img, .outputs svg { max-width: 100%; height: auto; }
.outputs .html { overflow-x: auto; }
code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; }
:not(pre) > code { background: #f0f0f0; padding: 0 .25em; border-radius: 3px; font-size: 90%; }
table { border-collapse: collapse; margin: .6em 0; }
th, td { border: 1px solid #ccc; padding: .25em .6em; }
blockquote { border-left: 4px solid #ddd; margin-left: 0; padding-left: 1em; color: #555; }
div.math { text-align: center; margin: .6em 0; overflow-x: auto; overflow-y: hidden; }
.katex-error { color: #c00; }
`;

/**
 * The page for an executed notebook.
 *
 * ```ts
 * writeFileSync("out/01.html", notebookHtml(nb, "01-neural-networks"));
 * ```
 */
export function notebookHtml(nb: Notebook, title: string): string {
  const state = widgetState(nb);
  // Outputs show a widget only when its model is in the saved state (else its text stands in).
  savedWidgets = new Set(Object.keys(state?.state ?? {}));
  try {
    const { body, head } = onePlotlyPerPage(nb.cells.map(renderCell).join("\n"));
    const math = body.includes('class="katex') ? `<style>${mathStylesheet(body)}</style>\n` : "";
    // Widgets render from the saved state with the bundled manager (static: no kernel, no CDN).
    const widgets = state
      ? `<script type="${WIDGET_STATE_MIME}">${scriptJson(state)}</script>\n<script src="${widgetEmbedUrl()}"></script>\n`
      : "";
    return (
      `<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n` +
      `<title>${escapeHtml(title)}</title>\n<style>${STYLE}</style>\n${math}${head}${widgets}</head>\n<body>\n` +
      body +
      `\n</body>\n</html>\n`
    );
  } finally {
    savedWidgets = new Set();
  }
}
