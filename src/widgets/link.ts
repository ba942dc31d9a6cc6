/** Keeping two widget options equal: `link` (in the kernel) and `jslink` (in the frontend, no round trip). */
import { modelKeys } from "./model-spec.js";
import { Widget } from "./widget.js";

/** A widget and one of its options, e.g. `[slider, "value"]`. */
export type WidgetOption = readonly [Widget, string];

function checkPair(what: string, [w, name]: WidgetOption): void {
  if (!(w instanceof Widget)) throw new TypeError(`${what}: expected [widget, "option"], got a ${typeof w}`);
  if (w.get(name) === undefined && !(name in w))
    throw new TypeError(`${what}: ${w.constructor.name} has no option "${name}"`);
}

/**
 * Keeps `target`'s option equal to `source`'s (both ways unless `directional`), in the kernel:
 * works for any options, including ones with kernel-side values such as a Dropdown's `value`.
 * Returns a function that unlinks them.
 * @example const unlink = widgets.link([slider, "value"], [text, "value"]);
 */
export function link(source: WidgetOption, target: WidgetOption, directional = false): () => void {
  checkPair("link", source);
  checkPair("link", target);
  const read = ([w, n]: WidgetOption) => (w as unknown as Record<string, unknown>)[n] ?? w.get(n);
  const write = ([w, n]: WidgetOption, v: unknown) => {
    if (n in w) (w as unknown as Record<string, unknown>)[n] = v;
    else w.set({ [n]: v });
  };
  let busy = false;
  const copy = (from: WidgetOption, to: WidgetOption) => () => {
    if (busy) return;
    busy = true;
    try {
      write(to, read(from));
    } finally {
      busy = false;
    }
  };
  copy(source, target)();
  const stops = [source[0].observe(copy(source, target), source[1])];
  if (!directional) stops.push(target[0].observe(copy(target, source), target[1]));
  return () => {
    for (const stop of stops) stop();
  };
}

/** `link` one way: `target` follows `source`. */
export function dlink(source: WidgetOption, target: WidgetOption): () => void {
  return link(source, target, true);
}

/**
 * A link that the frontend keeps (the values sync without the kernel: smooth while a cell runs).
 * Option names are state keys: `"value"`, `"max"` …; close it to unlink.
 * @example widgets.jslink([play, "value"], [slider, "value"]);
 */
export class Link extends Widget {
  constructor(source: WidgetOption, target: WidgetOption, name = "Link") {
    checkPair("jslink", source);
    checkPair("jslink", target);
    const ref = ([w, n]: WidgetOption) => [w, n.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)];
    super({ ...modelKeys(name, { view: null }), source: ref(source), target: ref(target) });
  }
}

/** A frontend link, both ways. */
export function jslink(source: WidgetOption, target: WidgetOption): Link {
  return new Link(source, target);
}

/** A frontend link, one way. */
export function jsdlink(source: WidgetOption, target: WidgetOption): Link {
  return new Link(source, target, "DirectionalLink");
}
