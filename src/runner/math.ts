/**
 * Maths for exported pages: TeX typeset to HTML with KaTeX (from npm) when the page is written, and
 * KaTeX's stylesheet with only the fonts the page uses, inlined as WOFF2 data URIs, so pages show
 * typeset maths offline without running any script.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import katex from "katex";

const require = createRequire(import.meta.url);
const katexDir = dirname(require.resolve("katex/package.json"));

/**
 * TeX → HTML (KaTeX). Errors in the TeX show as the source in red instead of failing the page.
 *
 * ```ts
 * typesetMath("\\sigma(z)", false); // <span class="katex">…</span>
 * ```
 */
export function typesetMath(tex: string, display: boolean): string {
  return katex.renderToString(tex, {
    displayMode: display,
    throwOnError: false,
    output: "html",
    strict: "ignore",
    trust: false,
  });
}

let cachedCss: string | undefined;

function katexCss(): string {
  cachedCss ??= readFileSync(join(katexDir, "dist/katex.min.css"), "utf8");
  return cachedCss;
}

/** The font file KaTeX's CSS names for a family, weight and style (`KaTeX_Main-BoldItalic`). */
function fontFile(family: string, bold: boolean, italic: boolean): string {
  const variant = bold && italic ? "BoldItalic" : bold ? "Bold" : italic ? "Italic" : "Regular";
  return `${family}-${variant}`;
}

/** The fonts the typeset HTML needs: Main Regular always, others when a class that uses them occurs. */
function fontsUsed(html: string, css: string): Set<string> {
  const classes = new Set<string>();
  for (const m of html.matchAll(/class="([^"]*)"/g)) for (const c of m[1]!.split(/\s+/)) if (c) classes.add(c);
  const used = new Set<string>(["KaTeX_Main-Regular"]);
  const rules = css.replace(/@font-face\{[^}]*\}/g, "");
  for (const m of rules.matchAll(/([^{}]+)\{([^{}]*font-family:(KaTeX_\w+)[^{}]*)\}/g)) {
    const [, selectors, body, family] = m as unknown as [string, string, string, string];
    const bold = /font-weight:(700|bold)/.test(body);
    const italic = /font-style:italic/.test(body);
    const applies = selectors.split(",").some((selector) => {
      const needed = [...selector.matchAll(/\.([\w-]+)/g)].map((c) => c[1]!);
      return needed.length > 0 && needed.every((c) => classes.has(c));
    });
    if (applies) used.add(fontFile(family, bold, italic));
  }
  return used;
}

/**
 * KaTeX's stylesheet for a page whose maths is `html`: `@font-face` rules only for the fonts used,
 * each as an inlined WOFF2 file (every browser that runs KaTeX reads WOFF2).
 */
export function mathStylesheet(html: string): string {
  const css = katexCss();
  const used = fontsUsed(html, css);
  return css.replace(/@font-face\{([^}]*)\}/g, (_, body: string) => {
    const family = /font-family:(KaTeX_\w+)/.exec(body)?.[1];
    if (!family) return "";
    const file = fontFile(family, /font-weight:(700|bold)/.test(body), /font-style:italic/.test(body));
    if (!used.has(file)) return "";
    const font = readFileSync(join(katexDir, "dist/fonts", `${file}.woff2`)).toString("base64");
    const rest = body.replace(/src:[^;}]*;?/, "");
    return `@font-face{${rest};src:url(data:font/woff2;base64,${font}) format("woff2")}`;
  });
}
