/** Turning any value into a mime bundle. */
import { inspect } from "node:util";
import { gradientGraphBundle, isTraceLike } from "./grad-graph.js";
import { historyBundle, isHistoryLike } from "./history-display.js";
import { isModelLike, modelBundle, paramCounts, type ModelLike } from "./model-display.js";
import type { MimeBundle } from "./sink.js";
import { tensorBundle, type TensorDisplayOptions } from "./tensor-display.js";
import { isTensorLike } from "./tensor-like.js";

/** The display hook (Deno's convention): `[Symbol.for("Jupyter.display")]()` returns a mime bundle. */
export const JUPYTER_DISPLAY = Symbol.for("Jupyter.display");

/**
 * Plain-text representation as the notebook shows results: `util.inspect` to depth 2, with models
 * inside objects (a callback's or a history's `.model`) shortened to one line.
 */
export function plainText(value: unknown): string {
  if (typeof value === "string") return `'${value}'`;
  if (value instanceof Promise) return promiseText(value);
  return inspect(withCompactModels(value), { colors: false, depth: 2 });
}

/**
 * `Promise { <pending> }` or `Promise { value }`: the state without the async-tracking symbols
 * Node adds to promises while the kernel's async hooks are on.
 */
function promiseText(promise: Promise<unknown>): string {
  const text = inspect(promise, { colors: false, depth: 2 });
  const inner = text.replace(/^Promise \{\s*/, "").replace(/\s*\}$/, "");
  const state = inner.split(/,\s*(?=\[Symbol\((?:async_id_symbol|trigger_async_id_symbol|kResourceStore)\)\])/)[0];
  return `Promise { ${state.trim()} }`;
}

/** A shallow copy of `value` (same prototype, so the class name stays) with model-valued properties as one-line stand-ins. */
function withCompactModels(value: unknown): unknown {
  if (
    value === null ||
    typeof value !== "object" ||
    Array.isArray(value) ||
    ArrayBuffer.isView(value) ||
    isModelLike(value)
  )
    return value;
  const entries = Object.entries(value);
  if (!entries.some(([, v]) => isModelLike(v))) return value;
  const copy = Object.create(Object.getPrototypeOf(value) as object | null) as Record<string, unknown>;
  for (const [k, v] of entries) copy[k] = isModelLike(v) ? modelStandIn(v) : v;
  return copy;
}

function modelStandIn(model: ModelLike): object {
  const kind = safeCall(() => model.getClassName?.(), undefined) ?? "Model";
  const params = safeCall(() => paramCounts(model).total, undefined);
  const text = `[${kind}${model.name ? ` '${model.name}'` : ""}: ${model.layers.length} layers${params === undefined ? "" : `, ${params.toLocaleString("en-US")} params`}]`;
  return { [inspect.custom]: () => text };
}

function safeCall<T, F>(f: () => T, fallback: F): T | F {
  try {
    return f();
  } catch {
    return fallback;
  }
}

const JSON_MIME = /(^application\/json$|\+json$)/;

/**
 * Makes a bundle safe to send: every bundle carries `text/plain`, and JSON mime types carry
 * objects (a JSON string is parsed; an unparsable one is an error).
 */
export function normalizeBundle(bundle: MimeBundle, fallbackText: () => string): MimeBundle {
  const out: MimeBundle = {};
  for (const [mime, data] of Object.entries(bundle)) {
    if (data === undefined) continue;
    if (JSON_MIME.test(mime) && typeof data === "string") {
      try {
        out[mime] = JSON.parse(data);
      } catch {
        throw new Error(`display: ${mime} data must be JSON; got a string that does not parse`);
      }
    } else {
      out[mime] = data;
    }
  }
  if (typeof out["text/plain"] !== "string") out["text/plain"] = fallbackText();
  return out;
}

/**
 * The mime bundle for any value: its own `[Symbol.for("Jupyter.display")]()` if it has one; tensors
 * (anything with `shape`, `dtype`, `dataSync()`) as tables, image grids or summaries; models (a
 * `layers` array) as a layer diagram; training histories as a table of metrics; `tf.trace(fn)` results as an op graph; anything else as text.
 * @example toMimeBundle({ [Symbol.for("Jupyter.display")]: () => ({ "text/html": "<b>hi</b>" }) })
 */
export function toMimeBundle(value: unknown, opts: TensorDisplayOptions = {}): MimeBundle {
  if (value !== null && (typeof value === "object" || typeof value === "function")) {
    const hook = (value as Record<symbol, unknown>)[JUPYTER_DISPLAY];
    if (typeof hook === "function") {
      const bundle = hook.call(value) as unknown;
      if (bundle === null || typeof bundle !== "object" || typeof (bundle as { then?: unknown }).then === "function") {
        throw new Error(
          "display: [Symbol.for('Jupyter.display')]() must return a mime bundle object (mime type → data), synchronously",
        );
      }
      return normalizeBundle(bundle as MimeBundle, () => plainText(value));
    }
    if (isTensorLike(value)) return tensorBundle(value, opts);
    if (isModelLike(value)) return modelBundle(value);
    if (isHistoryLike(value)) return historyBundle(value);
    if (isTraceLike(value)) {
      try {
        return gradientGraphBundle(value);
      } catch (e) {
        return { "text/plain": `${plainText(value).slice(0, 20_000)}\n[no diagram: ${(e as Error).message}]` };
      }
    }
  }
  return { "text/plain": plainText(value) };
}
