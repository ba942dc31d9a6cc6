/** Containers: `Box`, `HBox`, `VBox`, `Tab`, `Accordion`. */
import { DOMWidget, type DOMWidgetOptions } from "./dom-widget.js";
import { defineOptions, Widget } from "./widget.js";

export interface BoxOptions extends DOMWidgetOptions {
  children?: Widget[];
  boxStyle?: "" | "success" | "info" | "warning" | "danger";
}

function checkChildren(cls: string, children: unknown): void {
  if (!Array.isArray(children) || !children.every((c) => c instanceof Widget))
    throw new TypeError(`${cls}: children must be an array of widgets`);
}

/**
 * A flexible box of widgets (`HBox`: a row, `VBox`: a column).
 * @example display(new widgets.HBox([lr, units, new widgets.VBox([act, out])]));
 */
export class Box extends DOMWidget {
  constructor(children: Widget[] | BoxOptions = [], options: BoxOptions = {}, name = "Box") {
    const opts = Array.isArray(children) ? { ...options, children } : children;
    super({ name, defaults: { box_style: "", children: [] } }, opts);
  }
  protected override validateState(s: Record<string, unknown>): void {
    checkChildren(this.constructor.name, s.children);
  }
  override toString(): string {
    return `${this.constructor.name}(children=[${(this.state.children as Widget[]).map((c) => c.toString()).join(", ")}])`;
  }
}
export interface Box {
  children: Widget[];
  boxStyle: string;
}
defineOptions(Box, ["children", "boxStyle"]);

/** Widgets side by side. */
export class HBox extends Box {
  constructor(children: Widget[] | BoxOptions = [], options: BoxOptions = {}) {
    super(children, options, "HBox");
  }
}

/** Widgets one below the other. */
export class VBox extends Box {
  constructor(children: Widget[] | BoxOptions = [], options: BoxOptions = {}) {
    super(children, options, "VBox");
  }
}

export interface TabOptions extends BoxOptions {
  /** The title of each child. */
  titles?: string[];
  /** The open child (null: none). */
  selectedIndex?: number | null;
}

/** Base of `Tab` and `Accordion`. */
export class SelectionContainer extends DOMWidget {
  constructor(name: string, children: Widget[] | TabOptions, options: TabOptions) {
    const opts = Array.isArray(children) ? { ...options, children } : children;
    super({ name, defaults: { box_style: "", children: [], selected_index: null, titles: [] } }, opts);
  }
  protected override validateState(s: Record<string, unknown>): void {
    checkChildren(this.constructor.name, s.children);
    const n = (s.children as Widget[]).length;
    const titles = [...((s.titles as string[] | undefined) ?? [])];
    while (titles.length < n) titles.push("");
    s.titles = titles;
    const i = s.selected_index;
    if (i !== null && !(typeof i === "number" && Number.isInteger(i) && i >= 0 && i < n))
      throw new RangeError(`${this.constructor.name}: selectedIndex ${JSON.stringify(i)} is out of range`);
  }
  /** Sets the title of child `index`. */
  setTitle(index: number, title: string): void {
    const titles = [...(this.state.titles as string[])];
    while (titles.length <= index) titles.push("");
    titles[index] = title;
    this.set({ titles });
  }
}
export interface SelectionContainer {
  children: Widget[];
  titles: string[];
  selectedIndex: number | null;
}
defineOptions(SelectionContainer, ["children", "titles", "selectedIndex"]);

/**
 * Tabs, one per child.
 * @example new widgets.Tab([lossPlot, accPlot], { titles: ["loss", "accuracy"] })
 */
export class Tab extends SelectionContainer {
  constructor(children: Widget[] | TabOptions = [], options: TabOptions = {}) {
    const opts = Array.isArray(children) ? { ...options, children } : children;
    const hasChildren = (opts.children ?? []).length > 0;
    super("Tab", { selectedIndex: hasChildren ? 0 : null, ...opts }, {});
  }
}

/** Collapsible sections, one per child. */
export class Accordion extends SelectionContainer {
  constructor(children: Widget[] | TabOptions = [], options: TabOptions = {}) {
    super("Accordion", children, options);
  }
}
