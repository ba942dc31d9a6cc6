/** `Layout` (CSS box properties of a widget's view) and the style models of the controls. */
import { BASE, modelKeys } from "./model-spec.js";
import { defineOptions, Widget } from "./widget.js";

const LAYOUT_KEYS = [
  "align_content",
  "align_items",
  "align_self",
  "border_bottom",
  "border_left",
  "border_right",
  "border_top",
  "bottom",
  "display",
  "flex",
  "flex_flow",
  "grid_area",
  "grid_auto_columns",
  "grid_auto_flow",
  "grid_auto_rows",
  "grid_column",
  "grid_gap",
  "grid_row",
  "grid_template_areas",
  "grid_template_columns",
  "grid_template_rows",
  "height",
  "justify_content",
  "justify_items",
  "left",
  "margin",
  "max_height",
  "max_width",
  "min_height",
  "min_width",
  "object_fit",
  "object_position",
  "order",
  "overflow",
  "padding",
  "right",
  "top",
  "visibility",
  "width",
] as const;

type Camel<S extends string> = S extends `${infer A}_${infer B}` ? `${A}${Capitalize<Camel<B>>}` : S;

/** CSS properties of a widget's box, each a CSS value string (`"300px"`, `"1px solid red"`) or null for the default. */
export type LayoutOptions = { [K in (typeof LAYOUT_KEYS)[number] as Camel<K>]?: string | null } & {
  /** Shorthand for all four borders. */
  border?: string | null;
};

/**
 * The layout of a widget's view.
 * @example new widgets.IntSlider({ layout: { width: "400px" } }); slider.layout.width = "50%";
 */
export class Layout extends Widget {
  constructor(options: LayoutOptions = {}) {
    const { border, ...rest } = options;
    const sides =
      border === undefined ? {} : { borderBottom: border, borderLeft: border, borderRight: border, borderTop: border };
    super(
      { ...modelKeys("Layout", { module: BASE }), ...Object.fromEntries(LAYOUT_KEYS.map((k) => [k, null])) },
      { ...rest, ...sides },
    );
  }
}
export interface Layout extends Required<Omit<LayoutOptions, "border">> {}
defineOptions(
  Layout,
  LAYOUT_KEYS.map((k) => k.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase())),
);

/** The font and text keys that label-like styles share. */
const TEXT_STYLE = {
  font_family: null,
  font_size: null,
  font_style: null,
  font_variant: null,
  font_weight: null,
  text_color: null,
  text_decoration: null,
} as const;

/** Style keys of each style model, with their defaults. */
const STYLE_DEFAULTS = {
  DescriptionStyle: { description_width: "" },
  SliderStyle: { description_width: "", handle_color: null },
  ProgressStyle: { bar_color: null, description_width: "" },
  CheckboxStyle: { background: null, description_width: "" },
  TextStyle: { background: null, description_width: "", font_size: null, text_color: null },
  HTMLStyle: { background: null, description_width: "", font_size: null, text_color: null },
  LabelStyle: { background: null, description_width: "", ...TEXT_STYLE },
  ButtonStyle: { button_color: null, ...TEXT_STYLE },
  ToggleButtonStyle: { description_width: "", ...TEXT_STYLE },
  ToggleButtonsStyle: { button_width: "", description_width: "", font_weight: "" },
} as const;

export type StyleName = keyof typeof STYLE_DEFAULTS;

/** Style options (camelCase): `{ descriptionWidth: "120px", handleColor: "red", buttonColor: "lightgreen" }`. */
export type StyleOptions = Partial<Record<string, string | null>> & {
  descriptionWidth?: string;
  handleColor?: string | null;
  barColor?: string | null;
  buttonColor?: string | null;
  textColor?: string | null;
  fontWeight?: string | null;
  fontSize?: string | null;
  background?: string | null;
};

/**
 * The style of a control (colours, description width); which keys exist depends on the control.
 * Read with `style.get("handleColor")`, change with `style.set({ handleColor: "red" })`.
 * @example new widgets.IntSlider({ description: "units", style: { descriptionWidth: "120px", handleColor: "orange" } });
 */
export class Style extends Widget {
  constructor(kind: StyleName, options: StyleOptions = {}) {
    super({ ...modelKeys(kind, { viewModule: BASE, view: "Style" }), ...STYLE_DEFAULTS[kind] }, options);
  }
}
