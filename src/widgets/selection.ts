/**
 * Selection widgets: `Dropdown`, `RadioButtons`, `ToggleButtons`, `Select`, `SelectionSlider`.
 * The frontend sees option labels and the selected `index`; `value` (any type) lives in the kernel.
 */
import { type Disableable, type DisableableOptions, DOMWidget, type ModelDef } from "./dom-widget.js";

/** Options as values (`["relu", "tanh"]`, labels are their text) or `[label, value]` pairs. */
export type SelectionOptions<T> = readonly T[] | readonly (readonly [string, T])[];

export interface SelectionWidgetOptions<T> extends DisableableOptions {
  options: SelectionOptions<T>;
  /** The selected value (default: the first option). */
  value?: T;
  /** The selected label. */
  label?: string;
  /** The selected position. */
  index?: number | null;
}

interface Entry<T> {
  label: string;
  value: T;
}

function entries<T>(options: SelectionOptions<T>, cls: string): Entry<T>[] {
  if (!Array.isArray(options))
    throw new TypeError(`${cls}: options must be an array of values or [label, value] pairs`);
  const pairs =
    options.length > 0 && options.every((o) => Array.isArray(o) && o.length === 2 && typeof o[0] === "string");
  return (options as unknown[]).map((o) =>
    pairs ? { label: (o as [string, T])[0], value: (o as [string, T])[1] } : { label: String(o), value: o as T },
  );
}

/** Base of the selection widgets. */
export class Selection<T = unknown> extends DOMWidget {
  private choices: Entry<T>[];

  constructor(def: ModelDef, options: SelectionWidgetOptions<T>) {
    const { options: opts, value, label, index, ...rest } = options ?? ({} as SelectionWidgetOptions<T>);
    const choices = entries(opts ?? [], def.name);
    let i: number | null = choices.length > 0 ? 0 : null;
    if (index !== undefined) i = index;
    else if (label !== undefined) i = choices.findIndex((c) => c.label === label);
    else if (value !== undefined) i = choices.findIndex((c) => Object.is(c.value, value));
    if (i !== null && (i < 0 || i >= choices.length || !Number.isInteger(i)))
      throw new RangeError(
        `${def.name}: ${value !== undefined ? `value ${JSON.stringify(value)}` : label !== undefined ? `label ${JSON.stringify(label)}` : `index ${index}`} is not among the options`,
      );
    super({ ...def, defaults: { _options_labels: choices.map((c) => c.label), index: i, ...def.defaults } }, rest);
    this.choices = choices;
  }

  /** The options' values. */
  get options(): T[] {
    return this.choices.map((c) => c.value);
  }
  set options(options: SelectionOptions<T>) {
    const previous = this.value;
    this.choices = entries(options, this.constructor.name);
    const keep = this.choices.findIndex((c) => Object.is(c.value, previous));
    this.set({
      _options_labels: this.choices.map((c) => c.label),
      index: keep >= 0 ? keep : this.choices.length > 0 ? 0 : null,
    });
  }

  /** The selected value (undefined when nothing is selected). */
  get value(): T {
    const i = this.state.index as number | null;
    return (i === null ? undefined : this.choices[i]?.value) as T;
  }
  set value(v: T) {
    const i = this.choices.findIndex((c) => Object.is(c.value, v));
    if (i < 0) throw new RangeError(`${this.constructor.name}: ${JSON.stringify(v)} is not among the options`);
    this.set({ index: i });
  }

  /** The selected label. */
  get label(): string | undefined {
    const i = this.state.index as number | null;
    return i === null ? undefined : this.choices[i]?.label;
  }
  set label(l: string | undefined) {
    if (l === undefined) throw new TypeError(`${this.constructor.name}: label must be a string`);
    const i = this.choices.findIndex((c) => c.label === l);
    if (i < 0) throw new RangeError(`${this.constructor.name}: no option is labelled ${JSON.stringify(l)}`);
    this.set({ index: i });
  }

  protected override validateState(s: Record<string, unknown>): void {
    const i = s.index;
    const n = (s._options_labels as unknown[]).length;
    if (i !== null && !(typeof i === "number" && Number.isInteger(i) && i >= 0 && i < n))
      throw new RangeError(`${this.constructor.name}: index ${JSON.stringify(i)} is out of range 0..${n - 1}`);
  }

  /** A change of `index` is also a change of `value` and `label` for observers. */
  protected override notify(key: string, old: unknown, value: unknown): void {
    super.notify(key, old, value);
    if (key !== "index") return;
    const at = (i: unknown) => (typeof i === "number" ? this.choices[i] : undefined);
    super.notify("value", at(old)?.value, at(value)?.value);
    super.notify("label", at(old)?.label, at(value)?.label);
  }

  override toString(): string {
    return `${this.constructor.name}(options=${JSON.stringify(this.choices.map((c) => c.label))}, value=${JSON.stringify(this.value)})`;
  }

  /** The selected position (null: none). */
  get index(): number | null {
    return this.state.index as number | null;
  }
  set index(i: number | null) {
    this.set({ index: i });
  }
}
export interface Selection extends Disableable {}

const described = (name: string, style: ModelDef["style"], defaults: Record<string, unknown>): ModelDef => ({
  name,
  style,
  description: true,
  defaults: { disabled: false, ...defaults },
});

/**
 * A drop-down list.
 * @example const act = new widgets.Dropdown({ options: ["relu", "tanh", "sigmoid"], value: "tanh", description: "activation" });
 */
export class Dropdown<T = string> extends Selection<T> {
  constructor(options: SelectionWidgetOptions<T>) {
    super(described("Dropdown", "DescriptionStyle", {}), options);
  }
}

/** Radio buttons, one per option. */
export class RadioButtons<T = string> extends Selection<T> {
  constructor(options: SelectionWidgetOptions<T> & { orientation?: "vertical" | "horizontal" }) {
    super(described("RadioButtons", "DescriptionStyle", { orientation: "vertical" }), options);
  }
  get orientation(): "vertical" | "horizontal" {
    return this.get("orientation") as "vertical" | "horizontal";
  }
  set orientation(v: "vertical" | "horizontal") {
    this.set({ orientation: v });
  }
}

/** A list box showing `rows` options. */
export class Select<T = string> extends Selection<T> {
  constructor(options: SelectionWidgetOptions<T> & { rows?: number }) {
    super(described("Select", "DescriptionStyle", { rows: 5 }), options);
  }
  get rows(): number {
    return this.get("rows") as number;
  }
  set rows(v: number) {
    this.set({ rows: v });
  }
}

/**
 * A row of toggle buttons, one per option.
 * @example new widgets.ToggleButtons({ options: ["sgd", "adam"], buttonStyle: "info" })
 */
export class ToggleButtons<T = string> extends Selection<T> {
  constructor(
    options: SelectionWidgetOptions<T> & {
      buttonStyle?: "" | "primary" | "success" | "info" | "warning" | "danger";
      tooltips?: string[];
      icons?: string[];
    },
  ) {
    super(described("ToggleButtons", "ToggleButtonsStyle", { button_style: "", icons: [], tooltips: [] }), options);
  }
  get buttonStyle(): string {
    return this.get("button_style") as string;
  }
  set buttonStyle(v: string) {
    this.set({ button_style: v });
  }
  get tooltips(): string[] {
    return this.get("tooltips") as string[];
  }
  set tooltips(v: string[]) {
    this.set({ tooltips: v });
  }
  get icons(): string[] {
    return this.get("icons") as string[];
  }
  set icons(v: string[]) {
    this.set({ icons: v });
  }
}

/** A slider over the options (e.g. named sizes). */
export class SelectionSlider<T = string> extends Selection<T> {
  constructor(
    options: SelectionWidgetOptions<T> & {
      orientation?: "horizontal" | "vertical";
      readout?: boolean;
      continuousUpdate?: boolean;
      behavior?: string;
    },
  ) {
    super(
      described("SelectionSlider", "SliderStyle", {
        behavior: "drag-tap",
        continuous_update: true,
        orientation: "horizontal",
        readout: true,
      }),
      options,
    );
  }
  get orientation(): "horizontal" | "vertical" {
    return this.get("orientation") as "horizontal" | "vertical";
  }
  set orientation(v: "horizontal" | "vertical") {
    this.set({ orientation: v });
  }
  get readout(): boolean {
    return this.get("readout") as boolean;
  }
  set readout(v: boolean) {
    this.set({ readout: v });
  }
  get continuousUpdate(): boolean {
    return this.get("continuous_update") as boolean;
  }
  set continuousUpdate(v: boolean) {
    this.set({ continuous_update: v });
  }
}
