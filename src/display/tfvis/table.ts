/** Tables as tfjs-vis draws them (`render.table`, model and layer summaries, statistics): HTML and text. */
import { JUPYTER_DISPLAY } from "../bundle.js";
import { escapeXml } from "../markup.js";
import type { MimeBundle } from "../sink.js";

/** A table cell as tfjs-vis writes it: numbers with thousands separators and at most 4 decimals. */
export function formatCell(v: unknown): string {
  if (typeof v === "number") {
    if (!Number.isFinite(v)) return String(v);
    return v.toLocaleString("en-US", { maximumFractionDigits: 4 });
  }
  if (v === null || v === undefined) return "";
  return String(v);
}

const stripTags = (html: string) =>
  html
    .replace(/<[^>]*>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&");

export interface TableOptions {
  fontSize?: number;
  /** String cells and headers are HTML (what `render.table` promises); otherwise they are text. */
  htmlStrings?: boolean;
}

/**
 * A titled table as a bundle: `text/html`, and `text/plain` with aligned columns.
 * @example tableBundle("Model Summary", ["Layer Name", "# Of Params"], [["dense_1", 2]])
 */
export function tableBundle(title: string, headers: unknown[], rows: unknown[][], opts: TableOptions = {}): MimeBundle {
  const html = (v: unknown) => (opts.htmlStrings && typeof v === "string" ? v : escapeXml(formatCell(v)));
  const text = (v: unknown) => (opts.htmlStrings && typeof v === "string" ? stripTags(v) : formatCell(v));
  const fontSize = opts.fontSize !== undefined && opts.fontSize > 0 ? opts.fontSize : 13;
  const cell = (tag: "th" | "td", v: unknown, numeric: boolean) =>
    `<${tag} style="text-align:${numeric ? "right" : "left"};padding:3px 10px;border-bottom:${tag === "th" ? "2px solid #999" : "1px solid #ddd"}${tag === "th" ? ";font-weight:600" : ""}">${html(v)}</${tag}>`;
  const head = `<tr>${headers.map((h) => cell("th", h, false)).join("")}</tr>`;
  const body = rows
    .map((r) => `<tr>${(Array.isArray(r) ? r : [r]).map((v) => cell("td", v, typeof v === "number")).join("")}</tr>`)
    .join("");
  const htmlTable =
    `<div><div style="font-weight:bold;margin-bottom:4px">${escapeXml(title)}</div>` +
    `<table style="border-collapse:collapse;font-size:${fontSize}px">${head}${body}</table></div>`;
  const textRows = [headers.map(text), ...rows.map((r) => (Array.isArray(r) ? r : [r]).map(text))];
  const widths = textRows.reduce<number[]>((w, r) => r.map((c, i) => Math.max(w[i] ?? 0, c.length)), []);
  const line = (r: string[]) =>
    r
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  const plain = [title, line(textRows[0]!), ...textRows.slice(1).map(line)].join("\n");
  return { "text/plain": plain, "text/html": htmlTable };
}

/** A bundle as a displayable value (what the surface outputs show). */
export function bundleValue(bundle: MimeBundle): { [JUPYTER_DISPLAY]: () => MimeBundle } {
  return { [JUPYTER_DISPLAY]: () => bundle };
}
