/**
 * `interact` / `interactive`: controls built from a short spec, and a function re-run into an
 * Output each time one of them changes.
 */
import { display } from "../display/display.js";
import { VBox } from "./containers.js";
import { Button, Checkbox, Text } from "./inputs.js";
import { Output } from "./output.js";
import { Dropdown, type Selection } from "./selection.js";
import { FloatLogSlider, FloatSlider, IntSlider } from "./sliders.js";
import { Widget } from "./widget.js";

/** A value passed to the function as is, without a control. */
export class Fixed<T> {
  constructor(readonly value: T) {}
}

/** Wraps a value that `interact` should pass unchanged (no control). */
export function fixed<T>(value: T): Fixed<T> {
  return new Fixed(value);
}

/**
 * How a spec entry becomes a control:
 * `[min, max]` / `[min, max, step]` → a slider (integers: IntSlider; numbers spanning ≥ 100× above 0:
 * FloatLogSlider; else FloatSlider); any other array → a Dropdown of its values (or `[label, value]`
 * pairs); `true`/`false` → Checkbox; a string → Text; a number `v` → a slider from -v to 3v; a widget → itself;
 * `fixed(v)` → no control.
 */
export type InteractSpecEntry =
  | readonly [number, number]
  | readonly [number, number, number]
  | readonly unknown[]
  | boolean
  | string
  | number
  | Widget
  | Fixed<unknown>;

/** The value type a spec entry gives the function. */
export type InteractValue<S> =
  S extends Fixed<infer V>
    ? V
    : S extends Selection<infer V>
      ? V
      : S extends Widget & { value: infer V }
        ? V
        : S extends readonly [number, number] | readonly [number, number, number]
          ? number
          : S extends readonly (readonly [string, infer V])[]
            ? V
            : S extends readonly (infer E)[]
              ? E
              : S extends boolean
                ? boolean
                : S extends string
                  ? string
                  : S extends number
                    ? number
                    : never;

export type InteractValues<S> = { [K in keyof S]: InteractValue<S[K]> };

export interface InteractOptions {
  /** Send slider and text values while dragging/typing (default true); false: on release/Enter. */
  continuousUpdate?: boolean;
  /** Wait this long after the last change before running (ms, default 0). */
  debounceMs?: number;
  /** Run only when a "Run" button is clicked (`interact_manual`). */
  manual?: boolean | string;
}

function decimals(step: number): number {
  const s = String(step);
  return s.includes("e-") ? Number(s.split("e-")[1]) : (s.split(".")[1]?.length ?? 0);
}

function sliderFor(name: string, spec: readonly number[], continuousUpdate: boolean): Widget {
  const [min, max, step] = spec as [number, number, number | undefined];
  if (!(min < max)) throw new RangeError(`interact: ${name}: [min, max] needs min < max, got [${min}, ${max}]`);
  const common = { description: name, continuousUpdate };
  if (spec.every(Number.isInteger)) {
    const s = step ?? 1;
    return new IntSlider({ ...common, min, max, step: s, value: min + Math.floor((max - min) / s / 2) * s });
  }
  if (min > 0 && max / min >= 100 && step === undefined) {
    const lo = Math.log10(min);
    const hi = Math.log10(max);
    return new FloatLogSlider({
      ...common,
      min: lo,
      max: hi,
      step: 0.1,
      value: 10 ** ((lo + hi) / 2),
      readoutFormat: ".1e",
    });
  }
  const s = step ?? Number(((max - min) / 100).toPrecision(1));
  const value = Number((min + Math.round((max - min) / s / 2) * s).toFixed(decimals(s)));
  return new FloatSlider({ ...common, min, max, step: s, value, readoutFormat: `.${Math.min(6, decimals(s))}f` });
}

/** The control for one spec entry (undefined for `fixed`). */
export function widgetFor(name: string, spec: InteractSpecEntry, continuousUpdate = true): Widget | undefined {
  if (spec instanceof Fixed) return undefined;
  if (spec instanceof Widget) {
    if (!("value" in spec)) throw new TypeError(`interact: ${name}: a ${spec.constructor.name} has no value`);
    return spec;
  }
  if (Array.isArray(spec)) {
    if ((spec.length === 2 || spec.length === 3) && spec.every((v) => typeof v === "number"))
      return sliderFor(name, spec as number[], continuousUpdate);
    if (spec.length === 0) throw new RangeError(`interact: ${name}: an empty array gives no choices`);
    return new Dropdown<unknown>({ options: spec, description: name });
  }
  switch (typeof spec) {
    case "boolean":
      return new Checkbox({ value: spec, description: name });
    case "string":
      return new Text({ value: spec, description: name, continuousUpdate });
    case "number": {
      const [min, max] = spec > 0 ? [-spec, 3 * spec] : spec < 0 ? [3 * spec, -spec] : [0, 1];
      const w = sliderFor(name, [min, max], continuousUpdate);
      w.set({ value: spec });
      return w;
    }
  }
  throw new TypeError(`interact: ${name}: cannot make a control from ${JSON.stringify(spec)}`);
}

/**
 * Controls and an Output in a column; `fn` re-runs with the controls' values whenever one
 * changes (runs never overlap: changes during a run make one more run with the latest values).
 */
export class Interactive<S extends Record<string, InteractSpecEntry> = Record<string, InteractSpecEntry>> extends VBox {
  /** Where `fn`'s output (and its return value, when not undefined) appears. */
  readonly out: Output;
  /** The controls by spec name. */
  readonly controls: Record<string, Widget>;
  /** What the last run returned (awaited). */
  result: unknown;
  private running: Promise<void> | undefined;
  private again = false;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly fn: (values: InteractValues<S>) => unknown,
    private readonly spec: S,
    options: InteractOptions = {},
  ) {
    if (typeof fn !== "function") throw new TypeError("interact: the first argument must be a function");
    if (!spec || typeof spec !== "object")
      throw new TypeError("interact: the second argument must be an object of controls");
    const controls: Record<string, Widget> = {};
    for (const [name, entry] of Object.entries(spec)) {
      const w = widgetFor(name, entry, options.continuousUpdate ?? true);
      if (w) controls[name] = w;
    }
    const out = new Output();
    const manual = options.manual
      ? new Button({ description: typeof options.manual === "string" ? options.manual : "Run Interact" })
      : undefined;
    super([...Object.values(controls), ...(manual ? [manual] : []), out], { boxStyle: "" });
    this.out = out;
    this.controls = controls;
    const debounce = options.debounceMs ?? 0;
    const changed = () => {
      if (debounce <= 0) return this.update();
      if (this.timer) clearTimeout(this.timer);
      this.timer = setTimeout(() => void this.update(), debounce);
    };
    if (manual) manual.onClick(() => this.update());
    else for (const w of Object.values(controls)) w.observe(changed, "value");
  }

  /** The values the function gets now. */
  get kwargs(): InteractValues<S> {
    const values: Record<string, unknown> = {};
    for (const [name, entry] of Object.entries(this.spec))
      values[name] =
        entry instanceof Fixed ? entry.value : (this.controls[name] as unknown as { value: unknown }).value;
    return values as InteractValues<S>;
  }

  /** Runs the function now (or once more after the current run); resolves when no run is left. */
  update(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await this.runOnce();
      } while (this.again);
      this.running = undefined;
    })();
    return this.running;
  }

  private async runOnce(): Promise<void> {
    const values = this.kwargs;
    this.out.clear(true);
    try {
      this.result = await this.out.capture(async () => {
        const r = await this.fn(values);
        if (r !== undefined) display(r);
        return r;
      });
    } catch {
      // shown in the output by capture
    }
  }
}

/**
 * Builds the controls of `spec` and an Output, runs `fn` once, and returns them (not displayed).
 * @example const ui = widgets.interactive(({ n }) => n * 2, { n: [0, 10] }); display(ui);
 */
export function interactive<const S extends Record<string, InteractSpecEntry>>(
  fn: (values: InteractValues<S>) => unknown,
  spec: S,
  options: InteractOptions = {},
): Interactive<S> {
  const ui = new Interactive(fn, spec, options);
  if (!options.manual) void ui.update();
  return ui;
}

/**
 * Shows controls for `spec` and re-runs `fn` into an output below them on every change. Returns
 * nothing, so the cell does not show the controls twice; use `interactive` for a handle on them.
 * @example
 * widgets.interact(({ lr, units, act }) => {
 *   const model = makeModel(units, act);            // your code
 *   return plot.line(train(model, lr));             // a returned value is displayed
 * }, { lr: [1e-4, 1e-1], units: [4, 64, 4], act: ["relu", "tanh"] });
 */
export function interact<const S extends Record<string, InteractSpecEntry>>(
  fn: (values: InteractValues<S>) => unknown,
  spec: S,
  options: InteractOptions = {},
): void {
  display(interactive(fn, spec, options));
}
