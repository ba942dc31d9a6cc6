/**
 * Surfaces in a notebook: a surface names the output a render call shows (its title), and a second
 * render to the same surface in the same cell run replaces that output in place, as tfjs-vis
 * replaces a surface's content. One surface may hold several parts (a histogram's statistics and
 * bars, one chart per metric): each part is one output.
 */
import { JUPYTER_DISPLAY, toMimeBundle } from "../bundle.js";
import { newDisplayId } from "../display-id.js";
import { Figure } from "../figure.js";
import { LiveOutput } from "../live.js";
import { outputAreaNumber } from "../plotly-html.js";
import { type DisplaySink, getDisplaySink } from "../sink.js";
import type { Drawable, SurfaceArea } from "./types.js";

export const DEFAULT_TAB = "Visor";

/** A surface as the renderers use it: what identifies it, and its title. */
export interface ResolvedSurface {
  key: unknown;
  name: string;
  tab: string;
}

/** The tabs of the surfaces used so far, in order (the visor's tabs). */
const tabs = new Set<string>();

export function surfaceTabs(): ReadonlySet<string> {
  return tabs;
}

const surfaceKey = (name: string, tab: string) => `${tab}\u0000${name}`;

/** A surface's draw area, as `visor().surface(...)` hands it out. */
export function surfaceArea(name: string, tab: string): SurfaceArea {
  return Object.freeze({ surface: Object.freeze({ name, tab }) });
}

function isSurfaceArea(v: unknown): v is SurfaceArea {
  const s = (v as Partial<SurfaceArea> | null)?.surface;
  return typeof s === "object" && s !== null && typeof s.name === "string" && typeof s.tab === "string";
}

/** Names of objects with a draw area that is not one of ours (the key is the object itself). */
const foreignAreas = new WeakMap<object, number>();
let foreignCount = 0;

/**
 * What a render call's first argument names.
 * @example resolveSurface({ name: "Loss", tab: "Training" }).name === "Loss"
 */
export function resolveSurface(drawable: Drawable, what: string): ResolvedSurface {
  const d = drawable as { name?: unknown; tab?: unknown; drawArea?: unknown } | null | undefined;
  let resolved: ResolvedSurface | undefined;
  if (d !== null && typeof d === "object") {
    if (typeof d.name === "string" || d.name instanceof String) {
      const name = String(d.name);
      const tab = d.tab === undefined || d.tab === null ? DEFAULT_TAB : String(d.tab);
      resolved = { key: surfaceKey(name, tab), name, tab };
    } else if (isSurfaceArea(d.drawArea)) {
      const { name, tab } = d.drawArea.surface;
      resolved = { key: surfaceKey(name, tab), name, tab };
    } else if (d.drawArea !== null && typeof d.drawArea === "object") {
      const area = d.drawArea as { id?: unknown };
      let n = foreignAreas.get(area);
      if (n === undefined) foreignAreas.set(area, (n = ++foreignCount));
      const name = typeof area.id === "string" && area.id ? area.id : `surface ${n}`;
      resolved = { key: area, name, tab: DEFAULT_TAB };
    }
  }
  if (!resolved)
    throw new Error(
      `${what}: the first argument must be a surface: { name: "…", tab?: "…" }, tfvis.visor().surface({ name }) or an object with a drawArea`,
    );
  tabs.add(resolved.tab);
  return resolved;
}

/** One output of a surface: shown once, then replaced in place. */
class PartOutput {
  readonly id = newDisplayId();
  private shown = false;
  private live?: LiveOutput;
  /**
   * The part's one figure: later charts are copied into it, so that the chart that carried the
   * cell's plotly.js loader keeps carrying it when replaced (see `chartHtml`'s owner).
   */
  private figure?: Figure;

  constructor(private readonly sink: DisplaySink | undefined) {}

  private adopt(value: unknown): unknown {
    if (!(value instanceof Figure)) return value;
    if (!this.figure) return (this.figure = value);
    this.figure.data = value.data;
    this.figure.layout = value.layout;
    return this.figure;
  }

  /** A value that renders `make()`'s result when a bundle is actually sent. */
  private lazy(make: () => unknown): unknown {
    return { [JUPYTER_DISPLAY]: () => toMimeBundle(this.adopt(make())) };
  }

  /** Shows `value` now with its full bundle (display the first time, update after). */
  show(value: unknown): void {
    if (this.live) {
      this.live.close(this.lazy(() => value));
      this.live = undefined;
      return;
    }
    const bundle = toMimeBundle(this.adopt(value));
    if (!this.sink) console.log(bundle["text/plain"]);
    else if (this.shown) this.sink.update(this.id, bundle, {});
    else this.sink.display(bundle, {}, this.id);
    this.shown = true;
  }

  /**
   * Shows `make()` as a live output: light updates at most a few times a second (rendered only
   * when sent) until `finish`.
   */
  showLive(make: () => unknown): void {
    this.live ??= new LiveOutput({ id: this.id, maxRate: 4, sink: this.sink, shown: this.shown });
    this.live.update(this.lazy(make));
    this.shown = true;
  }

  /** Ends a live output with the full bundle of its last state. */
  finish(): void {
    this.live?.close();
    this.live = undefined;
  }
}

/** The outputs of this cell run: sink → surface → part. A new cell run starts afresh. */
let area = -1;
let outputs = new Map<DisplaySink | undefined, Map<unknown, Map<string, PartOutput>>>();

/**
 * The output of one part of a surface in the current cell run (and display sink).
 * @example surfaceOutput(resolveSurface({ name: "Loss" }, "render"), "").show(fig)
 */
export function surfaceOutput(surface: ResolvedSurface, part: string): PartOutput {
  if (area !== outputAreaNumber()) {
    area = outputAreaNumber();
    outputs = new Map();
  }
  const sink = getDisplaySink();
  let surfaces = outputs.get(sink);
  if (!surfaces) outputs.set(sink, (surfaces = new Map()));
  let parts = surfaces.get(surface.key);
  if (!parts) surfaces.set(surface.key, (parts = new Map()));
  let out = parts.get(part);
  if (!out) parts.set(part, (out = new PartOutput(sink)));
  return out;
}

export type { PartOutput };
