/** Boolean, text and number inputs, buttons and labels. */
import {
  type DescriptionOptions,
  type Described,
  type Disableable,
  type DisableableOptions,
  DOMWidget,
  type DOMWidgetOptions,
} from "./dom-widget.js";
import type { Style, StyleOptions } from "./layout.js";
import { defineOptions } from "./widget.js";

type ButtonStyle = "" | "primary" | "success" | "info" | "warning" | "danger";

/**
 * A check box.
 * @example new widgets.Checkbox({ value: true, description: "use bias" })
 */
export class Checkbox extends DOMWidget {
  constructor(options: DisableableOptions & { value?: boolean; indent?: boolean } = {}) {
    super(
      {
        name: "Checkbox",
        style: "CheckboxStyle",
        description: true,
        defaults: { disabled: false, indent: true, value: false },
      },
      options,
    );
  }
}
export interface Checkbox extends Disableable {
  value: boolean;
  indent: boolean;
}
defineOptions(Checkbox, ["value", "indent"]);

/** A button that stays pressed (`value` true) until clicked again. */
export class ToggleButton extends DOMWidget {
  constructor(options: DisableableOptions & { value?: boolean; buttonStyle?: ButtonStyle; icon?: string } = {}) {
    super(
      {
        name: "ToggleButton",
        style: "ToggleButtonStyle",
        description: true,
        defaults: { button_style: "", disabled: false, icon: "", value: false },
      },
      options,
    );
  }
}
export interface ToggleButton extends Disableable {
  value: boolean;
  buttonStyle: ButtonStyle;
  icon: string;
}
defineOptions(ToggleButton, ["value", "buttonStyle", "icon"]);

interface TextOptions extends DisableableOptions {
  value?: string;
  placeholder?: string;
  continuousUpdate?: boolean;
}

/** A one-line text box. */
export class Text extends DOMWidget {
  constructor(options: TextOptions = {}) {
    super(
      {
        name: "Text",
        style: "TextStyle",
        description: true,
        defaults: { continuous_update: true, disabled: false, placeholder: "\u200b", value: "" },
      },
      options,
    );
  }
}
export interface Text extends Disableable {
  value: string;
  placeholder: string;
  continuousUpdate: boolean;
}

/** A multi-line text box. */
export class Textarea extends DOMWidget {
  constructor(options: TextOptions & { rows?: number | null } = {}) {
    super(
      {
        name: "Textarea",
        style: "TextStyle",
        description: true,
        defaults: { continuous_update: true, disabled: false, placeholder: "\u200b", rows: null, value: "" },
      },
      options,
    );
  }
}
export interface Textarea extends Text {
  rows: number | null;
}
defineOptions(Text, ["value", "placeholder", "continuousUpdate"]);
defineOptions(Textarea, ["value", "placeholder", "continuousUpdate", "rows"]);

interface NumberTextOptions extends DisableableOptions {
  value?: number;
  step?: number | null;
  continuousUpdate?: boolean;
}

/**
 * A box for an integer.
 * @example new widgets.IntText({ value: 32, description: "batch size" })
 */
export class IntText extends DOMWidget {
  constructor(options: NumberTextOptions = {}) {
    super(
      {
        name: "IntText",
        style: "DescriptionStyle",
        description: true,
        defaults: { continuous_update: false, disabled: false, step: 1, value: 0 },
      },
      options,
    );
  }
  protected override validateState(s: Record<string, unknown>): void {
    if (typeof s.value !== "number" || !Number.isInteger(s.value))
      throw new TypeError(`IntText: value must be an integer, got ${String(s.value)}`);
  }
}
/** A box for a number. */
export class FloatText extends DOMWidget {
  constructor(options: NumberTextOptions = {}) {
    super(
      {
        name: "FloatText",
        style: "DescriptionStyle",
        description: true,
        defaults: { continuous_update: false, disabled: false, step: null, value: 0.0 },
      },
      options,
    );
  }
  protected override validateState(s: Record<string, unknown>): void {
    if (typeof s.value !== "number" || Number.isNaN(s.value))
      throw new TypeError(`FloatText: value must be a number, got ${String(s.value)}`);
  }
}
export interface IntText extends Disableable {
  value: number;
  step: number | null;
  continuousUpdate: boolean;
}
export interface FloatText extends IntText {}
defineOptions(IntText, ["value", "step", "continuousUpdate"]);
defineOptions(FloatText, ["value", "step", "continuousUpdate"]);

export interface ButtonOptions extends DOMWidgetOptions {
  description?: string;
  disabled?: boolean;
  buttonStyle?: ButtonStyle;
  /** A Font Awesome icon name (`"stop"`, `"play"`, `"check"`). */
  icon?: string;
  style?: Style | StyleOptions;
}

/**
 * A button; `onClick` runs a function on each click (an async one keeps the kernel busy on it).
 * @example
 * const b = new widgets.Button({ description: "Train", buttonStyle: "success", icon: "play" });
 * b.onClick(async () => { await model.fit(xs, ys, { epochs: 5 }); });
 * display(b);
 */
export class Button extends DOMWidget {
  private readonly clickHandlers = new Set<(button: Button) => unknown>();

  constructor(options: ButtonOptions = {}) {
    super(
      {
        name: "Button",
        style: "ButtonStyle",
        defaults: { button_style: "", description: "", disabled: false, icon: "" },
      },
      options,
    );
    this.onCustomMsg((content) => {
      if ((content as { event?: string } | null)?.event !== "click") return;
      return this.click();
    });
  }

  /** Calls `fn` on every click; returns a function that removes it. */
  onClick(fn: (button: Button) => unknown): () => void {
    this.clickHandlers.add(fn);
    return () => this.clickHandlers.delete(fn);
  }

  /** Runs the click handlers as a click in the frontend does. */
  click(): Promise<unknown> | undefined {
    const pending = [...this.clickHandlers]
      .map((fn) => fn(this))
      .filter((r): r is Promise<unknown> => r instanceof Promise);
    return pending.length > 0 ? Promise.all(pending) : undefined;
  }
}
export interface Button {
  description: string;
  disabled: boolean;
  buttonStyle: ButtonStyle;
  icon: string;
  style: Style;
}
defineOptions(Button, ["buttonStyle", "icon"]);

interface LabelOptions extends DescriptionOptions {
  value?: string;
  placeholder?: string;
}

/** Plain text. */
export class Label extends DOMWidget {
  constructor(options: LabelOptions = {}) {
    super(
      { name: "Label", style: "LabelStyle", description: true, defaults: { placeholder: "\u200b", value: "" } },
      options,
    );
  }
}
/**
 * HTML (not run as script).
 * @example const status = new widgets.HTML({ value: "<b>ready</b>" }); status.value = "<i>training…</i>";
 */
export class HTML extends DOMWidget {
  constructor(options: LabelOptions = {}) {
    super(
      { name: "HTML", style: "HTMLStyle", description: true, defaults: { placeholder: "\u200b", value: "" } },
      options,
    );
  }
}
export interface Label extends Described {
  value: string;
  placeholder: string;
}
export interface HTML extends Label {}
defineOptions(Label, ["value", "placeholder"]);
defineOptions(HTML, ["value", "placeholder"]);
