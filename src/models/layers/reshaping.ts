/** Image reshaping layers: ZeroPadding2D, Cropping2D and UpSampling2D (nearest or bilinear). */
import * as tf from "../core.js";
import { InputSpec, Layer, type LayerArgs, type Shape } from "../topology.js";
import { registerClass, type ConfigDict } from "../registry.js";
import { channelsPerm, dataFormat, oneShape, oneTensor, permuteShape, tuple, type DataFormat } from "./common.js";
import { resizeBilinear, resizeNearest } from "./resize-ops.js";

type Margins = [[number, number], [number, number]];

/** `n`, `[rows, cols]` or `[[top, bottom], [left, right]]` as the last form. */
function margins(layer: string, what: string, value: unknown, fallback: number): Margins {
  const ok = (n: unknown): n is number => typeof n === "number" && Number.isInteger(n) && n >= 0;
  if (value == null)
    return [
      [fallback, fallback],
      [fallback, fallback],
    ];
  if (ok(value))
    return [
      [value, value],
      [value, value],
    ];
  if (Array.isArray(value) && value.length === 2) {
    if (ok(value[0]) && ok(value[1]))
      return [
        [value[0], value[0]],
        [value[1], value[1]],
      ];
    const pair = (p: unknown): p is [number, number] => Array.isArray(p) && p.length === 2 && ok(p[0]) && ok(p[1]);
    if (pair(value[0]) && pair(value[1]))
      return [
        [value[0][0], value[0][1]],
        [value[1][0], value[1][1]],
      ];
  }
  throw new Error(
    `${layer}: ${what} must be a non-negative integer, [rows, cols] or [[top, bottom], [left, right]], got ${JSON.stringify(value)}`,
  );
}

/** Runs `fn` on the channels-last view of an image batch and returns the result in the layer's format. */
function channelsLast(format: DataFormat, x: tf.Tensor, fn: (x: tf.Tensor) => tf.Tensor): tf.Tensor {
  if (format === "channelsLast") return fn(x);
  return tf.tidy(() => tf.transpose(fn(tf.transpose(x, channelsPerm(4, true))), channelsPerm(4, false)));
}

/** Shape arithmetic on the channels-last view of an image shape. */
function shapeLast(format: DataFormat, shape: Shape, fn: (s: Shape) => Shape): Shape {
  return format === "channelsLast" ? fn(shape) : permuteShape(fn(permuteShape(shape, true)), false);
}

/** Adds rows and columns of zeros around images (default 1 on every side). */
export class ZeroPadding2D extends Layer {
  static className = "ZeroPadding2D";
  readonly padding: Margins;
  readonly dataFormat: DataFormat;
  constructor(args: LayerArgs & { padding?: number | [number, number] | Margins; dataFormat?: DataFormat } = {}) {
    super(args);
    this.padding = margins(this.name, "padding", args?.padding, 1);
    this.dataFormat = dataFormat("zeroPadding2d", args?.dataFormat);
    this.inputSpec = [new InputSpec({ ndim: 4 })];
  }
  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const [[t, b], [l, r]] = this.padding;
    return shapeLast(this.dataFormat, oneShape(inputShape), (s) => [
      s[0],
      s[1] === null ? null : s[1] + t + b,
      s[2] === null ? null : s[2] + l + r,
      s[3],
    ]);
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return channelsLast(this.dataFormat, oneTensor(this.name, inputs), (x) =>
      tf.pad(x, [[0, 0], this.padding[0], this.padding[1], [0, 0]]),
    );
  }
  override getConfig(): ConfigDict {
    return { ...super.getConfig(), padding: this.padding, dataFormat: this.dataFormat };
  }
}
registerClass(ZeroPadding2D);

/** Removes rows and columns at the image borders. */
export class Cropping2D extends Layer {
  static className = "Cropping2D";
  readonly cropping: Margins;
  readonly dataFormat: DataFormat;
  constructor(args: LayerArgs & { cropping: number | [number, number] | Margins; dataFormat?: DataFormat }) {
    super(args);
    if (args?.cropping == null) throw new Error("cropping2D needs { cropping }, e.g. { cropping: [[2, 2], [1, 1]] }");
    this.cropping = margins(this.name, "cropping", args.cropping, 0);
    this.dataFormat = dataFormat("cropping2D", args.dataFormat);
    this.inputSpec = [new InputSpec({ ndim: 4 })];
  }
  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const [[t, b], [l, r]] = this.cropping;
    return shapeLast(this.dataFormat, oneShape(inputShape), (s) => [
      s[0],
      s[1] === null ? null : s[1] - t - b,
      s[2] === null ? null : s[2] - l - r,
      s[3],
    ]);
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const [[t, b], [l, r]] = this.cropping;
    return channelsLast(this.dataFormat, oneTensor(this.name, inputs), (x) => {
      const [n, h, w, c] = x.shape;
      if (h - t - b <= 0 || w - l - r <= 0)
        throw new Error(`${this.name}: cropping ${JSON.stringify(this.cropping)} leaves nothing of a ${h}×${w} image`);
      return tf.slice(x, [0, t, l, 0], [n, h - t - b, w - l - r, c]);
    });
  }
  override getConfig(): ConfigDict {
    return { ...super.getConfig(), cropping: this.cropping, dataFormat: this.dataFormat };
  }
}
registerClass(Cropping2D);

/** Enlarges images `size` times (rows, columns) by repeating pixels ('nearest') or interpolating ('bilinear'). */
export class UpSampling2D extends Layer {
  static className = "UpSampling2D";
  readonly size: number[];
  readonly dataFormat: DataFormat;
  readonly interpolation: "nearest" | "bilinear";
  constructor(
    args: LayerArgs & {
      size?: number | number[];
      dataFormat?: DataFormat;
      interpolation?: "nearest" | "bilinear";
    } = {},
  ) {
    super(args);
    this.size = tuple("upSampling2d: size", args?.size, 2, [2, 2]);
    this.dataFormat = dataFormat("upSampling2d", args?.dataFormat);
    const interpolation = args?.interpolation ?? "nearest";
    if (interpolation !== "nearest" && interpolation !== "bilinear")
      throw new Error(`upSampling2d: interpolation must be 'nearest' or 'bilinear', got '${interpolation}'`);
    this.interpolation = interpolation;
    this.inputSpec = [new InputSpec({ ndim: 4 })];
  }
  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return shapeLast(this.dataFormat, oneShape(inputShape), (s) => [
      s[0],
      s[1] === null ? null : s[1] * this.size[0],
      s[2] === null ? null : s[2] * this.size[1],
      s[3],
    ]);
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return channelsLast(this.dataFormat, oneTensor(this.name, inputs), (x) => {
      const size: [number, number] = [x.shape[1] * this.size[0], x.shape[2] * this.size[1]];
      return this.interpolation === "nearest" ? resizeNearest(x, size) : resizeBilinear(x, size);
    });
  }
  override getConfig(): ConfigDict {
    return { ...super.getConfig(), size: this.size, dataFormat: this.dataFormat, interpolation: this.interpolation };
  }
}
registerClass(UpSampling2D);
