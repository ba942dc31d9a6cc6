/** Widgets with a view: `layout`, optional `style`, `description`; the common option bags. */
import { display } from "../display/display.js";
import { Layout, type LayoutOptions, Style, type StyleName, type StyleOptions } from "./layout.js";
import { modelKeys } from "./model-spec.js";
import { defineOptions, Widget } from "./widget.js";

/** Options every widget with a view takes. */
export interface DOMWidgetOptions {
  /** CSS box of the view: a `Layout` or its options. */
  layout?: Layout | LayoutOptions;
  /** Tooltip shown on hover. */
  tooltip?: string | null;
  /** Whether Tab reaches it (null: the browser's default). */
  tabbable?: boolean | null;
}

/** Options of controls with a label. */
export interface DescriptionOptions extends DOMWidgetOptions {
  /** The label left of the control. */
  description?: string;
  /** Render `description` as HTML. */
  descriptionAllowHtml?: boolean;
  style?: Style | StyleOptions;
}

/** Options of controls the user can disable. */
export interface DisableableOptions extends DescriptionOptions {
  disabled?: boolean;
}

/** What a widget class says about its model: name (`IntSlider`), view, style, defaults. */
export interface ModelDef {
  name: string;
  view?: string | null;
  module?: string;
  version?: string;
  style?: StyleName;
  /** Whether it has `description` / `description_allow_html`. */
  description?: boolean;
  /** Its own state keys and their defaults (besides the common ones). */
  defaults: Record<string, unknown>;
}

function layoutOf(v: unknown): Layout {
  return v instanceof Layout ? v : new Layout((v ?? {}) as LayoutOptions);
}

/**
 * Base of the widgets that have a view (everything but `Layout`, styles and links).
 * Subclasses call `super(def, options)`.
 */
export class DOMWidget extends Widget {
  constructor(def: ModelDef, options: object = {}) {
    const { layout, style, ...rest } = options as { layout?: unknown; style?: unknown };
    const common: Record<string, unknown> = {
      _dom_classes: [],
      layout: layoutOf(layout),
      tabbable: null,
      tooltip: null,
    };
    if (def.description) Object.assign(common, { description: "", description_allow_html: false });
    if (def.style) common.style = style instanceof Style ? style : new Style(def.style, (style ?? {}) as StyleOptions);
    else if (style !== undefined) throw new TypeError(`${def.name} has no option "style"`);
    super(
      {
        ...modelKeys(def.name, { view: def.view, module: def.module, version: def.version }),
        ...common,
        ...def.defaults,
      },
      rest,
    );
  }

  /**
   * Shows the widget as this cell's output (same as `display(widget)`).
   * @example new widgets.IntSlider().show();
   */
  show(): this {
    display(this);
    return this;
  }
}
export interface DOMWidget {
  layout: Layout;
  tooltip: string | null;
  tabbable: boolean | null;
}
defineOptions(DOMWidget, ["layout", "style", "tooltip", "tabbable", "description", "descriptionAllowHtml", "disabled"]);

/** Accessors of a control with a label and a style. */
export interface Described {
  description: string;
  descriptionAllowHtml: boolean;
  style: Style;
}

/** Accessors of a control that can be disabled. */
export interface Disableable extends Described {
  disabled: boolean;
}
