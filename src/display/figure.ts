/**
 * A chart that displays itself: plotly.js JSON for interactive front ends, HTML with a static
 * picture plus the interactive chart, and SVG. It can be shown live and updated in place.
 */
import { JUPYTER_DISPLAY } from "./bundle.js";
import { DEFAULT_HEIGHT, DEFAULT_WIDTH, figureToSvg } from "./chart-svg.js";
import { decimate } from "./decimate.js";
import type { FigureSpec, Layout, Trace } from "./figure-types.js";
import { LiveOutput, type LiveOutputOptions } from "./live.js";
import { chartHtml } from "./plotly-html.js";
import type { MimeBundle } from "./sink.js";

/** The plotly.js mime type (JupyterLab's plotly renderer, nteract, VS Code). */
export const PLOTLY_MIME = "application/vnd.plotly.v1+json";
/** Points per trace kept in the JSON sent to the notebook (longer series are decimated). */
export const MAX_POINTS_PER_TRACE = 5000;

function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

/** Numbers to 4 significant digits, trailing zeros dropped (d3-format, as plotly.js reads it). */
const ROUNDED = ":.4~g";

/**
 * Hover text naming the series (plotly.js would say `trace 0`) with rounded values (not
 * `0.9529412`); `<extra></extra>` drops the second box that repeats the name.
 */
function hoverTemplate(t: Trace): string | undefined {
  if (t.hovertemplate !== undefined) return t.hovertemplate;
  const name = t.name ? "%{fullData.name}<br>" : "";
  const numericX = (xs: unknown[] | undefined) => xs === undefined || xs.every((v) => typeof v === "number");
  switch (t.type) {
    case "scatter":
      return `${name}x %{x${numericX(t.x) ? ROUNDED : ""}}<br>y %{y${ROUNDED}}<extra></extra>`;
    case "bar":
      return `${name}%{x${numericX(t.x) ? ROUNDED : ""}}: %{y${ROUNDED}}<extra></extra>`;
    case "histogram":
      return `${name}%{x${ROUNDED}}: %{y}<extra></extra>`;
    case "heatmap":
      return `${name}x %{x}, y %{y}<br>value %{z${ROUNDED}}<extra></extra>`;
    default:
      return undefined;
  }
}

/** A copy of the figure fit for sending: plain JSON, long series decimated, NaN as null. */
export function boundedSpec(spec: FigureSpec): FigureSpec {
  const data = spec.data.map((t) => {
    if (t.type === "scatter" && t.y.length > MAX_POINTS_PER_TRACE) {
      const d = decimate(t.x ?? t.y.map((_, i) => i), t.y, MAX_POINTS_PER_TRACE);
      return { ...t, x: d.x, y: d.y };
    }
    if (t.type === "histogram" && t.x.length > 20000) {
      // Keep the exact bin counts plotly.js would compute by sending pre-binned bars instead.
      const { start, size, end } = t.xbins;
      const n = Math.max(1, Math.ceil((end - start) / size - 1e-9));
      const counts = new Array<number>(n).fill(0);
      for (const v of t.x)
        if (Number.isFinite(v) && v >= start && v <= end) counts[Math.min(n - 1, Math.floor((v - start) / size))]! += 1;
      const bar: Trace = {
        type: "bar",
        name: t.name,
        x: counts.map((_, i) => start + (i + 0.5) * size),
        y: counts,
        width: size,
        marker: t.marker,
        xaxis: t.xaxis,
        yaxis: t.yaxis,
      };
      return bar;
    }
    return t;
  });
  const hovered = data.map((t) => {
    const hovertemplate = hoverTemplate(t);
    return hovertemplate === undefined ? t : { ...t, hovertemplate };
  });
  return clone({ data: hovered, layout: spec.layout });
}

/**
 * A plotly.js figure with a display hook.
 * @example
 * const fig = new Figure({ data: [{ type: "scatter", y: [1, 3, 2] }], layout: { title: { text: "demo" } } });
 * display(fig);
 */
export class Figure implements FigureSpec {
  data: Trace[];
  layout: Layout;
  private live?: LiveOutput;

  constructor(spec: FigureSpec) {
    if (!spec || !Array.isArray(spec.data)) throw new Error("Figure: expected { data: Trace[], layout }");
    this.data = spec.data;
    this.layout = spec.layout ?? {};
  }

  get width(): number {
    return this.layout.width ?? DEFAULT_WIDTH;
  }

  get height(): number {
    return this.layout.height ?? DEFAULT_HEIGHT;
  }

  /** The plotly.js figure (plain JSON). */
  toJSON(): FigureSpec {
    return boundedSpec(this);
  }

  /** The static picture. */
  toSVG(): string {
    return figureToSvg(this.toJSON());
  }

  [JUPYTER_DISPLAY](): MimeBundle {
    const spec = this.toJSON();
    const svg = figureToSvg(spec);
    const kinds = [...new Set(spec.data.map((t) => t.type))].join("/") || "empty";
    const title = spec.layout.title?.text;
    return {
      "text/plain": `Figure (${kinds}, ${spec.data.length} trace${spec.data.length === 1 ? "" : "s"})${title ? `: ${title}` : ""}`,
      [PLOTLY_MIME]: spec,
      "text/html": chartHtml(spec, svg, this.width, this.height, { owner: this }),
      "image/svg+xml": svg,
    };
  }

  /**
   * Shows the figure as a live output that `update`/`extend` change in place; call `close()` at the end.
   * Returns nothing, so `fig.show()` as a cell's last line does not show the figure twice.
   */
  show(opts: LiveOutputOptions = {}): void {
    this.live?.close();
    this.live = new LiveOutput(opts).show(this);
  }

  /** Display id of the live output, if shown with `show()`. */
  get displayId(): string | undefined {
    return this.live?.id;
  }

  /**
   * Changes the figure (a function that edits it, or new data/layout) and refreshes the live output.
   * @example fig.update((f) => { f.layout.title = { text: "epoch 3" }; });
   */
  update(change: ((fig: Figure) => void) | Partial<FigureSpec>): this {
    if (typeof change === "function") change(this);
    else {
      if (change.data) this.data = change.data;
      if (change.layout) this.layout = { ...this.layout, ...change.layout };
    }
    this.live?.update(this);
    return this;
  }

  /**
   * Appends points to a line/scatter trace and refreshes the live output (throttled).
   * @example fig.extend(0, { y: [loss] }); // x continues from the last index
   */
  extend(trace: number, points: { x?: (number | string)[]; y: number[] }): this {
    const t = this.data[trace];
    if (!t) throw new Error(`Figure.extend: no trace ${trace} (the figure has ${this.data.length})`);
    if (t.type !== "scatter" && t.type !== "bar")
      throw new Error(`Figure.extend: trace ${trace} is a ${t.type}; only scatter and bar traces can be extended`);
    if (points.x && points.x.length !== points.y.length)
      throw new Error("Figure.extend: x and y must have the same length");
    const start = t.y.length;
    if (t.x || points.x) {
      const xs = t.x ?? t.y.map((_, i) => i);
      t.x = [...xs, ...(points.x ?? points.y.map((_, i) => start + i))];
    }
    t.y = [...t.y, ...points.y];
    this.live?.update(this);
    return this;
  }

  /** Ends the live output with the full bundle (interactive chart included). */
  close(): void {
    this.live?.close(this);
  }
}
