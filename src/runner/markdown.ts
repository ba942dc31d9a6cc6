/**
 * A small Markdown → HTML renderer for notebook markdown cells: headings, paragraphs, emphasis,
 * code spans and fenced blocks, links and images, block quotes, nested lists, GitHub tables,
 * rules and raw HTML. LaTeX (`$…$`, `$$…$$`) is safe from the emphasis rules: typeset by
 * `options.math` when given, else kept as text inside `<span class="math">`.
 */

export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

export interface MarkdownOptions {
  /** Resolves `attachment:NAME` image sources (a cell's attachments) to URLs. */
  attachment?(name: string): string | undefined;
  /** Typesets TeX (without its `$` delimiters) to HTML; without it, maths stays as escaped text. */
  math?(tex: string, display: boolean): string;
}

/** A piece of maths: typeset, or escaped source in a `.math` element. */
function mathHtml(
  source: string,
  tex: string,
  display: boolean,
  options: MarkdownOptions,
  tag: "span" | "div",
): string {
  if (options.math) return `<${tag} class="math${display ? " display" : ""}">${options.math(tex, display)}</${tag}>`;
  return `<${tag} class="math${display && tag === "span" ? " display" : ""}">${escapeHtml(source)}</${tag}>`;
}

/**
 * Renders Markdown to HTML.
 *
 * ```ts
 * renderMarkdown("# Title\n\nSome *text* and $x^2$.");
 * // <h1 id="title">Title</h1>\n<p>Some <em>text</em> and <span class="math">$x^2$</span>.</p>
 * ```
 */
export function renderMarkdown(source: string, options: MarkdownOptions = {}): string {
  return renderBlocks(source.replace(/\r\n?/g, "\n").replace(/\t/g, "    ").split("\n"), options);
}

const FENCE = /^ {0,3}(`{3,}|~{3,})\s*([^`\s]*)[^`]*$/;
const HEADING = /^ {0,3}(#{1,6})(?:\s+(.*?))?(?:\s+#+)?\s*$/;
const RULE = /^ {0,3}([-*_])(?:\s*\1){2,}\s*$/;
const QUOTE = /^ {0,3}> ?/;
const LIST_ITEM = /^( {0,3})([-*+]|\d{1,9}[.)])(\s+|$)/;
const TABLE_SEPARATOR = /^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/;
const HTML_BLOCK = /^ {0,3}<(\/?[a-zA-Z][\w-]*|!--)/;
const MATH_BLOCK = /^ {0,3}\$\$/;

function renderBlocks(lines: string[], options: MarkdownOptions): string {
  const out: string[] = [];
  let i = 0;
  const startsBlock = (line: string, next: string | undefined) =>
    FENCE.test(line) ||
    HEADING.test(line) ||
    RULE.test(line) ||
    QUOTE.test(line) ||
    LIST_ITEM.test(line) ||
    HTML_BLOCK.test(line) ||
    MATH_BLOCK.test(line) ||
    (line.includes("|") && next !== undefined && TABLE_SEPARATOR.test(next) && next.includes("-"));
  while (i < lines.length) {
    const line = lines[i]!;
    if (line.trim() === "") {
      i++;
      continue;
    }
    let m: RegExpMatchArray | null;
    if ((m = line.match(FENCE))) {
      const fence = m[1]!;
      const lang = m[2] ?? "";
      const body: string[] = [];
      i++;
      while (
        i < lines.length &&
        !(lines[i]!.trim().startsWith(fence[0]!.repeat(fence.length)) && lines[i]!.trim().replace(/[`~]/g, "") === "")
      )
        body.push(lines[i++]!);
      i++;
      const cls = lang ? ` class="language-${escapeHtml(lang)}"` : "";
      out.push(`<pre><code${cls}>${escapeHtml(body.join("\n"))}${body.length ? "\n" : ""}</code></pre>`);
    } else if ((m = line.match(HEADING))) {
      const level = m[1]!.length;
      const text = m[2] ?? "";
      out.push(`<h${level} id="${slug(text)}">${renderInline(text, options)}</h${level}>`);
      i++;
    } else if (RULE.test(line)) {
      out.push("<hr>");
      i++;
    } else if (MATH_BLOCK.test(line)) {
      const body: string[] = [line.trim()];
      const closedOnFirst = line.trim().length > 2 && line.trim().endsWith("$$");
      i++;
      if (!closedOnFirst) {
        while (i < lines.length && !lines[i]!.includes("$$")) body.push(lines[i++]!);
        if (i < lines.length) body.push(lines[i++]!);
      }
      const source = body.join("\n");
      const tex = source.trim().replace(/^\$\$/, "").replace(/\$\$$/, "");
      out.push(mathHtml(source, tex, true, options, "div"));
    } else if (QUOTE.test(line)) {
      const body: string[] = [];
      while (i < lines.length && lines[i]!.trim() !== "") body.push(lines[i++]!.replace(QUOTE, ""));
      out.push(`<blockquote>\n${renderBlocks(body, options)}\n</blockquote>`);
    } else if (LIST_ITEM.test(line)) {
      i = renderList(lines, i, out, options);
    } else if (HTML_BLOCK.test(line)) {
      const body: string[] = [];
      while (i < lines.length && lines[i]!.trim() !== "") body.push(lines[i++]!);
      out.push(body.join("\n"));
    } else if (
      line.includes("|") &&
      i + 1 < lines.length &&
      TABLE_SEPARATOR.test(lines[i + 1]!) &&
      lines[i + 1]!.includes("-")
    ) {
      i = renderTable(lines, i, out, options);
    } else {
      const body: string[] = [line];
      i++;
      while (i < lines.length && lines[i]!.trim() !== "" && !startsBlock(lines[i]!, lines[i + 1]))
        body.push(lines[i++]!);
      out.push(
        `<p>${renderInline(body.map((l) => (l.trim() === l ? l : l.replace(/^\s+/, ""))).join("\n"), options)}</p>`,
      );
    }
  }
  return out.join("\n");
}

function renderList(lines: string[], start: number, out: string[], options: MarkdownOptions): number {
  const first = lines[start]!.match(LIST_ITEM)!;
  const ordered = /\d/.test(first[2]!);
  const baseIndent = first[1]!.length;
  const items: string[][] = [];
  let loose = false;
  let i = start;
  let blankBefore = false;
  while (i < lines.length) {
    const line = lines[i]!;
    const m = line.match(LIST_ITEM);
    if (m && m[1]!.length <= baseIndent + 1 && /\d/.test(m[2]!) === ordered) {
      if (blankBefore && items.length) loose = true;
      const contentIndent = m[1]!.length + m[2]!.length + Math.min(Math.max(m[3]!.length, 1), 4);
      items.push([line.slice(Math.min(contentIndent, line.length))]);
      (items[items.length - 1] as string[] & { indent?: number }).indent = contentIndent;
      blankBefore = false;
      i++;
      continue;
    }
    const item = items[items.length - 1] as string[] & { indent?: number };
    const indent = line.match(/^ */)![0].length;
    if (line.trim() === "") {
      blankBefore = true;
      item.push("");
      i++;
      continue;
    }
    if (indent >= (item.indent ?? 2)) {
      if (blankBefore) loose = true;
      item.push(line.slice(item.indent ?? 2));
    } else if (!blankBefore && !HEADING.test(line) && !FENCE.test(line) && !RULE.test(line) && !LIST_ITEM.test(line)) {
      item.push(line.trim()); // a lazy continuation of the paragraph
    } else {
      break;
    }
    blankBefore = false;
    i++;
  }
  const startNumber = ordered ? parseInt(first[2]!, 10) : 1;
  const open = ordered ? (startNumber !== 1 ? `<ol start="${startNumber}">` : "<ol>") : "<ul>";
  out.push(open);
  for (const item of items) {
    while (item.length && item[item.length - 1] === "") item.pop();
    let html = renderBlocks(item, options);
    if (!loose) html = html.replace(/^<p>([\s\S]*?)<\/p>(\n|$)/, "$1$2");
    out.push(`<li>${html}</li>`);
  }
  out.push(ordered ? "</ol>" : "</ul>");
  return i;
}

function tableRow(line: string): string[] {
  let s = line.trim();
  if (s.startsWith("|")) s = s.slice(1);
  if (s.endsWith("|") && !s.endsWith("\\|")) s = s.slice(0, -1);
  // Split on pipes that are not escaped and not inside code spans or math.
  const cells: string[] = [];
  let cell = "";
  let inCode = false;
  let inMath = false;
  for (let k = 0; k < s.length; k++) {
    const ch = s[k]!;
    if (ch === "\\" && s[k + 1] === "|") {
      cell += "|";
      k++;
    } else if (ch === "`") {
      inCode = !inCode;
      cell += ch;
    } else if (ch === "$" && !inCode) {
      inMath = !inMath;
      cell += ch;
    } else if (ch === "|" && !inCode && !inMath) {
      cells.push(cell.trim());
      cell = "";
    } else {
      cell += ch;
    }
  }
  cells.push(cell.trim());
  return cells;
}

function renderTable(lines: string[], start: number, out: string[], options: MarkdownOptions): number {
  const head = tableRow(lines[start]!);
  const aligns = tableRow(lines[start + 1]!).map((c) =>
    c.startsWith(":") && c.endsWith(":") ? "center" : c.endsWith(":") ? "right" : c.startsWith(":") ? "left" : "",
  );
  const cell = (tag: string, text: string, k: number) =>
    `<${tag}${aligns[k] ? ` style="text-align:${aligns[k]}"` : ""}>${renderInline(text, options)}</${tag}>`;
  out.push("<table>", `<thead><tr>${head.map((t, k) => cell("th", t, k)).join("")}</tr></thead>`, "<tbody>");
  let i = start + 2;
  while (i < lines.length && lines[i]!.trim() !== "" && lines[i]!.includes("|")) {
    const row = tableRow(lines[i++]!);
    out.push(`<tr>${head.map((_, k) => cell("td", row[k] ?? "", k)).join("")}</tr>`);
  }
  out.push("</tbody>", "</table>");
  return i;
}

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/<[^>]*>|[`*_$\\]/g, "")
    .trim()
    .replace(/[^\p{L}\p{N}]+/gu, "-")
    .replace(/^-|-$/g, "");
}

function safeUrl(url: string): string {
  return /^\s*javascript:/i.test(url) ? "#" : url;
}

/** Inline markup of one paragraph (or heading, or table cell). */
export function renderInline(text: string, options: MarkdownOptions = {}): string {
  // Pieces that no other rule may touch are swapped out for placeholders first.
  const held: string[] = [];
  const hold = (html: string) => `\u0000${held.push(html) - 1}\u0000`;
  let s = text;
  s = s.replace(/(`+)([\s\S]*?[^`])\1(?!`)/g, (_, _ticks: string, code: string) =>
    hold(`<code>${escapeHtml(code.replace(/^ (.*) $/s, "$1"))}</code>`),
  );
  s = s.replace(/\\([\\`*_{}[\]()#+\-.!|$<>~])/g, (_, ch: string) => hold(escapeHtml(ch)));
  s = s.replace(/\$\$([\s\S]+?)\$\$/g, (m, tex: string) => hold(mathHtml(m, tex, true, options, "span")));
  s = s.replace(/\$(?=\S)([^$\n]*?\S)\$(?!\d)/g, (m, tex: string) => hold(mathHtml(m, tex, false, options, "span")));
  s = s.replace(/<(https?:\/\/[^\s>]+)>/g, (_, url: string) =>
    hold(`<a href="${escapeHtml(url)}">${escapeHtml(url)}</a>`),
  );
  s = s.replace(/<\/?[a-zA-Z][\w-]*(\s+[^<>]*)?\/?>|<!--[\s\S]*?-->/g, (tag) => hold(tag));
  s = escapeHtml(s);
  s = s.replace(
    /!\[([^\]]*)\]\(\s*([^\s)]+)(?:\s+&quot;([^"]*?)&quot;)?\s*\)/g,
    (_, alt: string, src: string, title?: string) => {
      const url = src.startsWith("attachment:")
        ? (options.attachment?.(decodeURIComponent(src.slice(11))) ?? src)
        : src;
      return hold(`<img src="${safeUrl(url)}" alt="${alt}"${title ? ` title="${title}"` : ""}>`);
    },
  );
  s = s.replace(
    /\[([^\]]+)\]\(\s*([^\s)]+)(?:\s+&quot;([^"]*?)&quot;)?\s*\)/g,
    (_, label: string, href: string, title?: string) =>
      `<a href="${safeUrl(href)}"${title ? ` title="${title}"` : ""}>${label}</a>`,
  );
  s = s.replace(/(\*\*|__)(?=\S)([\s\S]*?\S)\1/g, (m, mark: string, body: string, offset: number, all: string) =>
    mark === "__" && /\w/.test(all[offset - 1] ?? "") ? m : `<strong>${body}</strong>`,
  );
  s = s.replace(/\*(?=[^\s*])([\s\S]*?[^\s*])\*/g, "<em>$1</em>");
  s = s.replace(/(^|[^\w])_(?=[^\s_])([\s\S]*?[^\s_])_(?!\w)/g, "$1<em>$2</em>");
  s = s.replace(/~~(?=\S)([\s\S]*?\S)~~/g, "<del>$1</del>");
  s = s.replace(/( {2,}|\\)\n/g, "<br>\n");
  for (let k = 0; k < 3 && s.includes("\u0000"); k++)
    s = s.replace(/\u0000(\d+)\u0000/g, (_, n: string) => held[Number(n)]!);
  return s;
}
