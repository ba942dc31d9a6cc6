/** Sliders: `IntSlider`, `FloatSlider`, `FloatLogSlider`, `IntRangeSlider`, `FloatRangeSlider`. */
import { type Disableable, type DisableableOptions, DOMWidget, type ModelDef } from "./dom-widget.js";
import { defineOptions } from "./widget.js";

export interface SliderOptions<T> extends DisableableOptions {
  value?: T;
  min?: number;
  max?: number;
  step?: number;
  orientation?: "horizontal" | "vertical";
  /** Show the value next to the slider. */
  readout?: boolean;
  /** d3-format of the readout: `"d"`, `".2f"`, `".1e"`, `".3g"`. */
  readoutFormat?: string;
  /** Send values while dragging (true) or only on release (false). */
  continuousUpdate?: boolean;
  behavior?: "drag-tap" | "drag-snap" | "tap" | "drag" | "snap";
}

export interface SliderProps<T> extends Disableable {
  value: T;
  min: number;
  max: number;
  step: number;
  orientation: "horizontal" | "vertical";
  readout: boolean;
  readoutFormat: string;
  continuousUpdate: boolean;
  behavior: string;
}

const SLIDER_OPTIONS = [
  "value",
  "min",
  "max",
  "step",
  "orientation",
  "readout",
  "readoutFormat",
  "continuousUpdate",
  "behavior",
];

function sliderDef(name: string, defaults: Record<string, unknown>): ModelDef {
  return {
    name,
    style: "SliderStyle",
    description: true,
    defaults: {
      behavior: "drag-tap",
      continuous_update: true,
      disabled: false,
      orientation: "horizontal",
      readout: true,
      ...defaults,
    },
  };
}

function checkNumber(cls: string, key: string, v: unknown, integer: boolean): number {
  if (typeof v !== "number" || Number.isNaN(v))
    throw new TypeError(`${cls}: ${key} must be a number, got ${String(v)}`);
  if (integer && !Number.isInteger(v)) throw new TypeError(`${cls}: ${key} must be an integer, got ${v}`);
  return v;
}

function clampBounds(cls: string, state: Record<string, unknown>, integer: boolean): [number, number] {
  const min = checkNumber(cls, "min", state.min, integer);
  const max = checkNumber(cls, "max", state.max, integer);
  if (min > max) throw new RangeError(`${cls}: min (${min}) must not be above max (${max})`);
  return [min, max];
}

/**
 * A slider of integers.
 * @example
 * const units = new widgets.IntSlider({ value: 16, min: 4, max: 64, step: 4, description: "units" });
 * units.observe(({ new: n }) => console.log("units", n));
 * display(units);
 */
export class IntSlider extends DOMWidget {
  constructor(options: SliderOptions<number> = {}) {
    super(sliderDef("IntSlider", { max: 100, min: 0, readout_format: "d", step: 1, value: 0 }), options);
  }
  protected override validateState(s: Record<string, unknown>): void {
    const [min, max] = clampBounds(this.constructor.name, s, true);
    s.value = Math.min(max, Math.max(min, checkNumber(this.constructor.name, "value", s.value, true)));
  }
}
export interface IntSlider extends SliderProps<number> {}

/**
 * A slider of numbers.
 * @example new widgets.FloatSlider({ value: 0.5, min: 0, max: 1, step: 0.01, description: "dropout" })
 */
export class FloatSlider extends DOMWidget {
  constructor(options: SliderOptions<number> = {}) {
    super(sliderDef("FloatSlider", { max: 100.0, min: 0.0, readout_format: ".2f", step: 0.1, value: 0.0 }), options);
  }
  protected override validateState(s: Record<string, unknown>): void {
    const [min, max] = clampBounds(this.constructor.name, s, false);
    s.value = Math.min(max, Math.max(min, checkNumber(this.constructor.name, "value", s.value, false)));
  }
}
export interface FloatSlider extends SliderProps<number> {}

export interface LogSliderOptions extends SliderOptions<number> {
  /** Base of the exponent (10). `min`/`max`/`step` are exponents: the value runs from base^min to base^max. */
  base?: number;
}

/**
 * A slider on a log scale: `min`, `max` and `step` are exponents of `base`, `value` is the number.
 * @example new widgets.FloatLogSlider({ value: 1e-3, min: -5, max: -1, step: 0.1, description: "lr" })
 */
export class FloatLogSlider extends DOMWidget {
  constructor(options: LogSliderOptions = {}) {
    super(
      sliderDef("FloatLogSlider", { base: 10.0, max: 4.0, min: 0.0, readout_format: ".3g", step: 0.1, value: 1.0 }),
      options,
    );
  }
  protected override validateState(s: Record<string, unknown>): void {
    const [min, max] = clampBounds(this.constructor.name, s, false);
    const base = checkNumber(this.constructor.name, "base", s.base, false);
    const v = checkNumber(this.constructor.name, "value", s.value, false);
    s.value = Math.min(base ** max, Math.max(base ** min, v));
  }
}
export interface FloatLogSlider extends SliderProps<number> {
  base: number;
}
defineOptions(FloatLogSlider, ["base"]);

function validateRange(cls: string, s: Record<string, unknown>, integer: boolean): void {
  const [min, max] = clampBounds(cls, s, integer);
  const v = s.value;
  if (!Array.isArray(v) || v.length !== 2)
    throw new TypeError(`${cls}: value must be [low, high], got ${JSON.stringify(v)}`);
  const lo = checkNumber(cls, "value[0]", v[0], integer);
  const hi = checkNumber(cls, "value[1]", v[1], integer);
  if (lo > hi) throw new RangeError(`${cls}: value [${lo}, ${hi}] must have low ≤ high`);
  s.value = [Math.min(max, Math.max(min, lo)), Math.min(max, Math.max(min, hi))];
}

/**
 * A slider selecting an integer range `[low, high]`.
 * @example new widgets.IntRangeSlider({ value: [10, 90], min: 0, max: 100, description: "epochs" })
 */
export class IntRangeSlider extends DOMWidget {
  constructor(options: SliderOptions<[number, number]> = {}) {
    super(sliderDef("IntRangeSlider", { max: 100, min: 0, readout_format: "d", step: 1, value: [25, 75] }), options);
  }
  protected override validateState(s: Record<string, unknown>): void {
    validateRange(this.constructor.name, s, true);
  }
}
export interface IntRangeSlider extends SliderProps<[number, number]> {}

/** A slider selecting a range `[low, high]` of numbers. */
export class FloatRangeSlider extends DOMWidget {
  constructor(options: SliderOptions<[number, number]> = {}) {
    super(
      sliderDef("FloatRangeSlider", { max: 100.0, min: 0.0, readout_format: ".2f", step: 0.1, value: [25.0, 75.0] }),
      options,
    );
  }
  protected override validateState(s: Record<string, unknown>): void {
    validateRange(this.constructor.name, s, false);
  }
}
export interface FloatRangeSlider extends SliderProps<[number, number]> {}

for (const cls of [IntSlider, FloatSlider, FloatLogSlider, IntRangeSlider, FloatRangeSlider])
  defineOptions(cls, SLIDER_OPTIONS);
