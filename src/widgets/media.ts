/** `Image`, `Play`, `IntProgress`, `FloatProgress`. */
import { encodePng } from "../runtime/node/png-encode.js";
import {
  type Described,
  type DescriptionOptions,
  type Disableable,
  type DisableableOptions,
  DOMWidget,
  type DOMWidgetOptions,
} from "./dom-widget.js";
import { defineOptions } from "./widget.js";

export interface ImageOptions extends DOMWidgetOptions {
  /** The encoded image (PNG, JPEG, GIF …); sent as a binary buffer. */
  value?: Uint8Array;
  format?: string;
  /** CSS width/height (`"200px"`, or pixels as a string). */
  width?: string;
  height?: string;
}

/**
 * An image from encoded bytes.
 * @example
 * const img = new widgets.Image({ value: readFileSync("digit.png"), width: "112" });
 * img.value = widgets.Image.pngFromPixels(pixels, 28, 28); // grey levels 0..255, row by row
 */
export class Image extends DOMWidget {
  constructor(options: ImageOptions = {}) {
    super({ name: "Image", defaults: { format: "png", height: "", value: new Uint8Array(0), width: "" } }, options);
  }
  protected override validateState(s: Record<string, unknown>): void {
    if (!(s.value instanceof Uint8Array))
      throw new TypeError("Image: value must be a Uint8Array of encoded image bytes");
  }
  /** PNG bytes of a `width`×`height` image: 1 (grey), 3 (RGB) or 4 (RGBA) bytes per pixel, row by row. */
  static pngFromPixels(pixels: ArrayLike<number>, width: number, height: number): Uint8Array {
    const channels = pixels.length / (width * height);
    if (![1, 3, 4].includes(channels))
      throw new RangeError(`pngFromPixels: ${pixels.length} values is not 1, 3 or 4 per pixel of ${width}×${height}`);
    return encodePng(
      Uint8Array.from(pixels, (v) => Math.max(0, Math.min(255, Math.round(v)))),
      width,
      height,
      channels as 1 | 3 | 4,
    );
  }
}
export interface Image {
  value: Uint8Array;
  format: string;
  width: string;
  height: string;
}
defineOptions(Image, ["value", "format", "width", "height"]);

export interface PlayOptions extends DisableableOptions {
  value?: number;
  min?: number;
  max?: number;
  step?: number;
  /** Milliseconds between steps. */
  interval?: number;
  playing?: boolean;
  repeat?: boolean;
  showRepeat?: boolean;
}

/**
 * Play/pause buttons that step `value` from `min` to `max`; link it to a slider to animate.
 * @example const play = new widgets.Play({ max: 50, interval: 200 }); widgets.jslink([play, "value"], [slider, "value"]);
 */
export class Play extends DOMWidget {
  constructor(options: PlayOptions = {}) {
    super(
      {
        name: "Play",
        style: "DescriptionStyle",
        description: true,
        defaults: {
          disabled: false,
          interval: 100,
          max: 100,
          min: 0,
          playing: false,
          repeat: false,
          show_repeat: true,
          step: 1,
          value: 0,
        },
      },
      options,
    );
  }
}
export interface Play extends Disableable {
  value: number;
  min: number;
  max: number;
  step: number;
  interval: number;
  playing: boolean;
  repeat: boolean;
  showRepeat: boolean;
}
defineOptions(Play, ["value", "min", "max", "step", "interval", "playing", "repeat", "showRepeat"]);

export interface ProgressOptions extends DescriptionOptions {
  value?: number;
  min?: number;
  max?: number;
  barStyle?: "" | "success" | "info" | "warning" | "danger";
  orientation?: "horizontal" | "vertical";
}

const progressDefaults = (integer: boolean) => ({
  bar_style: "",
  max: integer ? 100 : 100.0,
  min: 0,
  orientation: "horizontal",
  value: 0,
});

/**
 * A progress bar of integers.
 * @example const bar = new widgets.IntProgress({ max: epochs, description: "epochs" }); bar.value += 1;
 */
export class IntProgress extends DOMWidget {
  constructor(options: ProgressOptions = {}) {
    super(
      {
        name: "IntProgress",
        view: "Progress",
        style: "ProgressStyle",
        description: true,
        defaults: progressDefaults(true),
      },
      options,
    );
  }
}
/** A progress bar of numbers. */
export class FloatProgress extends DOMWidget {
  constructor(options: ProgressOptions = {}) {
    super(
      {
        name: "FloatProgress",
        view: "Progress",
        style: "ProgressStyle",
        description: true,
        defaults: progressDefaults(false),
      },
      options,
    );
  }
}
export interface IntProgress extends Described {
  value: number;
  min: number;
  max: number;
  barStyle: string;
  orientation: string;
}
export interface FloatProgress extends IntProgress {}
defineOptions(IntProgress, ["value", "min", "max", "barStyle", "orientation"]);
defineOptions(FloatProgress, ["value", "min", "max", "barStyle", "orientation"]);
