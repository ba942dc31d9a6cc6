/** Small helpers for writing SVG and HTML text safely. */

/** Escapes text for XML/HTML content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) =>
    c === "&" ? "&amp;" : c === "<" ? "&lt;" : c === ">" ? "&gt;" : c === '"' ? "&quot;" : "&#39;",
  );
}

/** A `data:` URI for an SVG document (base64, so it survives any attribute quoting). */
export function svgDataUri(svg: string): string {
  return `data:image/svg+xml;base64,${Buffer.from(svg, "utf8").toString("base64")}`;
}

/** An `<img>` tag showing an SVG document; what untrusted notebooks still render. */
export function svgImgTag(svg: string, width: number, height: number, alt: string): string {
  return `<img src="${svgDataUri(svg)}" width="${Math.round(width)}" height="${Math.round(height)}" alt="${escapeXml(alt)}">`;
}

/** Rounds a coordinate to 2 decimals to keep SVG text short. */
export function px(v: number): string {
  return String(Math.round(v * 100) / 100);
}

/** Approximate width in pixels of `text` in a sans-serif font of `fontSize`. */
export function textWidth(text: string, fontSize: number): number {
  let w = 0;
  for (const ch of text)
    w += /[il.,:;|'!1 ]/.test(ch) ? 0.32 : /[mwMW@%]/.test(ch) ? 0.85 : /[A-Z]/.test(ch) ? 0.66 : 0.56;
  return w * fontSize;
}

/** Shortens `text` to at most `max` characters with an ellipsis. */
export function truncate(value: string, max: number): string {
  const text = String(value);
  return text.length <= max ? text : `${text.slice(0, Math.max(1, max - 1))}…`;
}

/** Formats a number compactly and readably: 3 significant digits for floats, exponent when huge/tiny. */
export function formatNumber(v: number, digits = 4): string {
  if (Number.isNaN(v)) return "NaN";
  if (!Number.isFinite(v)) return v > 0 ? "Infinity" : "-Infinity";
  if (Number.isInteger(v) && Math.abs(v) < 1e9) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e6 || a < 1e-3)) return Number(v.toPrecision(digits)).toExponential();
  return String(Number(v.toPrecision(digits)));
}

/** `1234567` → `"1,234,567"`. */
export function formatCount(n: number): string {
  return Math.round(n).toLocaleString("en-US");
}

/** Serialises JSON for embedding inside a `<script>` element. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

let idCounter = 0;
/** A document-unique id prefix, so SVGs inlined into one page never share `id`s. */
export function uniqueId(prefix: string): string {
  idCounter = (idCounter + 1) % 1e9;
  return `${prefix}${Math.random().toString(36).slice(2, 8)}${idCounter}`;
}
