/** `display(value)` and its typed helpers, display handles, and `clearOutput`. */
import { JUPYTER_DISPLAY, normalizeBundle, toMimeBundle } from "./bundle.js";
import { newDisplayId } from "./display-id.js";
import { LiveOutput, type LiveOutputOptions } from "./live.js";
import { isModelLike, modelSummaryBundle, type ModelLike } from "./model-display.js";
import { svgDataUri, svgImgTag } from "./markup.js";
import { getDisplaySink, type MimeBundle } from "./sink.js";
import { setTensorDisplayDefaults, tensorBundle, type TensorDisplayOptions } from "./tensor-display.js";
import { isTensorLike } from "./tensor-like.js";

export interface DisplayOptions extends TensorDisplayOptions {
  /** A display id to show under (so it can be updated later); `true` for a fresh one. */
  id?: string | true;
  /** Jupyter output metadata (e.g. `{ "image/png": { width: 100 } }`). */
  metadata?: Record<string, unknown>;
}

/** An output that can be replaced in place. */
export interface DisplayHandle {
  readonly id: string;
  /** Replaces the output (update_display_data). */
  update(value: unknown): void;
  /** Shows `value` as another output with the same id (later updates change both). */
  display(value: unknown): void;
}

function send(bundle: MimeBundle, metadata: Record<string, unknown>, id?: string): void {
  const sink = getDisplaySink();
  if (sink) sink.display(bundle, metadata, id);
  else console.log(bundle["text/plain"]);
}

function handleFor(id: string, opts: DisplayOptions): DisplayHandle {
  const handle: DisplayHandle & { [JUPYTER_DISPLAY](): MimeBundle } = {
    id,
    [JUPYTER_DISPLAY]: () => ({ "text/plain": `DisplayHandle(${id})` }),
    update(value: unknown) {
      updateDisplay(id, value, opts);
    },
    display(value: unknown) {
      send(toMimeBundle(value, opts), opts.metadata ?? {}, id);
    },
  };
  return handle;
}

function show(bundle: MimeBundle, opts?: DisplayOptions): DisplayHandle | undefined {
  const id = opts ? (typeof opts.id === "string" ? opts.id : newDisplayId()) : undefined;
  send(bundle, opts?.metadata ?? {}, id);
  return id !== undefined ? handleFor(id, opts!) : undefined;
}

/** Replaces the output shown under display id `id` with `value`. */
export function updateDisplay(id: string, value: unknown, opts: DisplayOptions = {}): void {
  const bundle = toMimeBundle(value, opts);
  const sink = getDisplaySink();
  if (sink) sink.update(id, bundle, opts.metadata ?? {});
  else console.log(bundle["text/plain"]);
}

/**
 * Clears the cell's output; with `wait`, only once new output arrives (no flicker in loops).
 * @example for (...) { clearOutput(true); display(chart); }
 */
export function clearOutput(wait = false): void {
  const sink = getDisplaySink();
  if (sink) sink.clear(wait);
}
/** Same as `clearOutput` (Jupyter/IPython's name). */
export const clear_output = clearOutput;

function bytes(data: unknown, what: string): Buffer {
  if (typeof data === "string") {
    const b64 = data.replace(/^data:[^,]*;base64,/, "");
    if (!/^[A-Za-z0-9+/=\s]*$/.test(b64)) throw new Error(`display.${what}: a string must be base64 data`);
    return Buffer.from(b64, "base64");
  }
  if (data instanceof Uint8Array) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (data instanceof ArrayBuffer) return Buffer.from(data);
  throw new Error(`display.${what}: expected a Buffer, Uint8Array or base64 string`);
}

const SIGNATURES: Record<string, number[]> = {
  png: [0x89, 0x50, 0x4e, 0x47],
  jpeg: [0xff, 0xd8, 0xff],
  gif: [0x47, 0x49, 0x46, 0x38],
};

function imageBundle(kind: "png" | "jpeg" | "gif", data: unknown): MimeBundle {
  const b = bytes(data, kind);
  if (!SIGNATURES[kind]!.every((v, i) => b[i] === v))
    throw new Error(`display.${kind}: the data is not a ${kind.toUpperCase()} image`);
  return { [`image/${kind}`]: b.toString("base64"), "text/plain": `<${kind.toUpperCase()} image, ${b.length} bytes>` };
}

function requireString(s: unknown, what: string): string {
  if (typeof s !== "string") throw new Error(`display.${what}: expected a string, got ${typeof s}`);
  return s;
}

/** Bundles for the typed helpers (also used by the tslab-compatible object). */
export const bundles = {
  html: (s: string): MimeBundle => ({
    "text/html": requireString(s, "html"),
    "text/plain":
      requireString(s, "html")
        .replace(/<[^>]*>/g, "")
        .trim()
        .slice(0, 2000) || "<HTML>",
  }),
  svg: (s: string): MimeBundle => {
    requireString(s, "svg");
    if (!/<svg[\s>]/.test(s)) throw new Error("display.svg: the string is not an SVG document (no <svg> element)");
    const size = (name: string) =>
      Number(new RegExp(`<svg[^>]*\\s${name}="(\\d+(?:\\.\\d+)?)(?:px)?"`).exec(s)?.[1] ?? NaN);
    const [w, h] = [size("width"), size("height")];
    // The same picture as an <img>, which untrusted notebooks still show.
    const img =
      Number.isFinite(w) && Number.isFinite(h)
        ? svgImgTag(s, w, h, "SVG image")
        : `<img src="${svgDataUri(s)}" alt="SVG image">`;
    return { "image/svg+xml": s, "text/html": img, "text/plain": "<SVG image>" };
  },
  png: (d: Uint8Array | ArrayBuffer | string) => imageBundle("png", d),
  jpeg: (d: Uint8Array | ArrayBuffer | string) => imageBundle("jpeg", d),
  gif: (d: Uint8Array | ArrayBuffer | string) => imageBundle("gif", d),
  markdown: (s: string): MimeBundle => ({ "text/markdown": requireString(s, "markdown"), "text/plain": s }),
  latex: (s: string): MimeBundle => ({ "text/latex": requireString(s, "latex"), "text/plain": s }),
  json: (v: unknown): MimeBundle => {
    const obj = typeof v === "string" ? (JSON.parse(v) as unknown) : v;
    const text = JSON.stringify(obj, null, 2);
    if (text === undefined) throw new Error("display.json: the value is not JSON-serialisable");
    return {
      "application/json": JSON.parse(text) as unknown,
      "text/plain": text.length > 4000 ? `${text.slice(0, 4000)}…` : text,
    };
  },
  text: (s: string): MimeBundle => ({ "text/plain": String(s) }),
  javascript: (s: string): MimeBundle => ({
    "application/javascript": requireString(s, "javascript"),
    "text/plain": "<JavaScript>",
  }),
  raw: (mime: string, data: string | Uint8Array): MimeBundle => {
    requireString(mime, "raw");
    const value = typeof data === "string" ? data : Buffer.from(data).toString("base64");
    return normalizeBundle({ [mime]: value }, () => `<${mime}>`);
  },
};

type Helper<A extends unknown[]> = {
  (...args: A): void;
  (...args: [...A, DisplayOptions]): DisplayHandle;
};

function helper<A extends unknown[]>(make: (...args: A) => MimeBundle, arity: number): Helper<A> {
  return ((...args: unknown[]) => {
    const opts = args.length > arity ? (args[arity] as DisplayOptions) : undefined;
    return show(make(...(args.slice(0, arity) as A)), opts);
  }) as Helper<A>;
}

export interface Display {
  /**
   * Shows a value in the notebook: tensors, models, figures, anything with
   * `[Symbol.for("Jupyter.display")]()`, else its text. With options (e.g. `{ id: true }`) it returns a
   * handle whose `update(value)` replaces the output in place.
   * @example display(tf.tensor([1, 2, 3]));
   * const h = display("starting…", { id: true }); h.update("done");
   */
  (value: unknown): void;
  (value: unknown, opts: DisplayOptions): DisplayHandle;
  html: Helper<[html: string]>;
  svg: Helper<[svg: string]>;
  /** PNG bytes (Buffer/Uint8Array) or base64. */
  png: Helper<[data: Uint8Array | ArrayBuffer | string]>;
  jpeg: Helper<[data: Uint8Array | ArrayBuffer | string]>;
  gif: Helper<[data: Uint8Array | ArrayBuffer | string]>;
  markdown: Helper<[markdown: string]>;
  latex: Helper<[latex: string]>;
  /** A JSON value, sent as a JSON object (application/json). */
  json: Helper<[value: unknown]>;
  text: Helper<[text: string]>;
  javascript: Helper<[code: string]>;
  raw: Helper<[mime: string, data: string | Uint8Array]>;
  /** A tensor with options (colour scale, table size, precision). */
  tensor: (t: unknown, opts?: DisplayOptions) => DisplayHandle | undefined;
  /**
   * Defaults for tensors shown from now on: `precision` (significant digits, default 4),
   * `colorScale`, `maxTableCells`, `maxImages`; returns those in force.
   * @example display.options({ precision: 8 })
   */
  options: (opts: TensorDisplayOptions) => TensorDisplayOptions;
  /** `model.summary()` as an HTML table. */
  summary: (model: ModelLike) => void;
  /** Replaces the output shown under `id`. */
  update: (id: string, value: unknown) => void;
  /**
   * Shows `value` as a {@link LiveOutput}: `update(v)` is throttled, `close()` sends the full final state.
   * @example const live = display.live(fig); ...; live.update(fig); ...; live.close();
   */
  live: (value: unknown, opts?: LiveOutputOptions) => LiveOutput;
  clear: (wait?: boolean) => void;
}

function displayValue(value: unknown, opts?: DisplayOptions): DisplayHandle | undefined {
  return show(toMimeBundle(value, opts ?? {}), opts);
}

/** Shows values in the notebook; see {@link Display}. */
export const display: Display = Object.assign(displayValue as Display, {
  html: helper(bundles.html, 1),
  svg: helper(bundles.svg, 1),
  png: helper(bundles.png, 1),
  jpeg: helper(bundles.jpeg, 1),
  gif: helper(bundles.gif, 1),
  markdown: helper(bundles.markdown, 1),
  latex: helper(bundles.latex, 1),
  json: helper(bundles.json, 1),
  text: helper(bundles.text, 1),
  javascript: helper(bundles.javascript, 1),
  raw: helper(bundles.raw, 2),
  tensor: (t: unknown, opts?: DisplayOptions) => {
    if (!isTensorLike(t))
      throw new Error("display.tensor: expected a tensor (an object with shape, dtype and dataSync())");
    return show(tensorBundle(t, opts ?? {}), opts);
  },
  options: (opts: TensorDisplayOptions) => setTensorDisplayDefaults(opts),
  summary: (model: ModelLike) => {
    if (!isModelLike(model))
      throw new Error("display.summary: expected a model (an object with a layers array, like tf.sequential())");
    show(modelSummaryBundle(model));
  },
  update: (id: string, value: unknown) => updateDisplay(id, value),
  live: (value: unknown, opts?: LiveOutputOptions) => new LiveOutput(opts).show(value),
  clear: (wait?: boolean) => clearOutput(wait),
});
