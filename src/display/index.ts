/**
 * Display: turns values into mime bundles and sends them to the current sink.
 * (Minimal version; the rich display issue extends it.)
 */
import { inspect } from "node:util";
import { getDisplaySink, type MimeBundle } from "./sink.js";

export { setDisplaySink, getDisplaySink, type DisplaySink, type MimeBundle } from "./sink.js";

const JUPYTER_DISPLAY = Symbol.for("Jupyter.display");

/** The mime bundle for any value: its own `[Symbol.for("Jupyter.display")]()` if it has one, else text. */
export function toMimeBundle(value: unknown): MimeBundle {
  if (value !== null && (typeof value === "object" || typeof value === "function")) {
    const hook = (value as Record<symbol, unknown>)[JUPYTER_DISPLAY];
    if (typeof hook === "function") {
      const bundle = hook.call(value) as MimeBundle;
      return { "text/plain": inspect(value, { colors: false, depth: 4 }), ...bundle };
    }
  }
  return { "text/plain": typeof value === "string" ? `'${value}'` : inspect(value, { colors: false, depth: 4 }) };
}

/** Shows a value in the notebook. */
export function display(value: unknown): void {
  const sink = getDisplaySink();
  const bundle = toMimeBundle(value);
  if (sink) sink.display(bundle, {});
  else console.log(bundle["text/plain"]);
}
