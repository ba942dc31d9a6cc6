/**
 * Preprocessing layers: Rescaling, CenterCrop, Resizing, CategoryEncoding and RandomWidth
 * (images are `[batch, h, w, c]` or one image `[h, w, c]`).
 */
import * as tf from "../core.js";
import { Layer, type LayerArgs, type Shape, type CallArgs } from "../topology.js";
import { registerClass, type ConfigDict } from "../registry.js";
import { randomFrom } from "../random.js";
import { oneShape, oneTensor, positiveInt } from "./common.js";
import { resizeBilinear, resizeNearest } from "./resize-ops.js";

type Interpolation = "bilinear" | "nearest";

function interpolation(layer: string, value: string | undefined, fallback: Interpolation): Interpolation {
  const v = value ?? fallback;
  if (v !== "bilinear" && v !== "nearest")
    throw new Error(`${layer}: interpolation must be 'bilinear' or 'nearest', got '${v}'`);
  return v;
}

/** An image shape (`[…, h, w, c]`) with another height and width. */
function withImageSize(shape: Shape, height: number | null, width: number | null): Shape {
  const out = shape.slice();
  out[out.length - 3] = height;
  out[out.length - 2] = width;
  return out;
}

/** Resizes one image or a batch (rank 3 or 4) with `resize`. */
function resizeImages(x: tf.Tensor, size: [number, number], resize: (images: tf.Tensor) => tf.Tensor): tf.Tensor {
  if (x.rank === 4) return resize(x);
  if (x.rank === 3) return tf.squeeze(resize(tf.expandDims(x, 0)), [0]);
  throw new Error(`expected images [batch, h, w, c] or [h, w, c], got shape [${x.shape}] (resizing to ${size})`);
}

/** `x·scale + offset` (e.g. `scale: 1/255` for pixel values). */
export class Rescaling extends Layer {
  static className = "Rescaling";
  readonly scale: number;
  readonly offset: number;
  constructor(args: LayerArgs & { scale: number; offset?: number }) {
    super(args);
    if (typeof args?.scale !== "number") throw new Error("rescaling needs { scale }, e.g. { scale: 1 / 255 }");
    this.scale = args.scale;
    this.offset = args.offset ?? 0;
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = oneTensor(this.name, inputs);
    return tf.tidy(() => tf.add(tf.mul(x.dtype === "float32" ? x : tf.cast(x, "float32"), this.scale), this.offset));
  }
  override getConfig(): ConfigDict {
    return { ...super.getConfig(), scale: this.scale, offset: this.offset };
  }
}
registerClass(Rescaling);

/** Crops the central `height`×`width` region of images (resizing up when the image is smaller). */
export class CenterCrop extends Layer {
  static className = "CenterCrop";
  readonly height: number;
  readonly width: number;
  constructor(args: LayerArgs & { height: number; width: number }) {
    super(args);
    this.height = positiveInt("centerCrop: height", args?.height);
    this.width = positiveInt("centerCrop: width", args?.width);
  }
  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return withImageSize(oneShape(inputShape), this.height, this.width);
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = oneTensor(this.name, inputs);
    const h = x.shape[x.rank - 3];
    const w = x.shape[x.rank - 2];
    return tf.tidy(() => {
      if (h < this.height || w < this.width)
        return tf.cast(
          resizeImages(x, [this.height, this.width], (im) => resizeBilinear(im, [this.height, this.width])),
          x.dtype,
        );
      const top = Math.floor((h - this.height) / 2);
      const left = Math.floor((w - this.width) / 2);
      const begin = x.shape.map((_, i) => (i === x.rank - 3 ? top : i === x.rank - 2 ? left : 0));
      const size = x.shape.map((d, i) => (i === x.rank - 3 ? this.height : i === x.rank - 2 ? this.width : d));
      return tf.slice(x, begin, size);
    });
  }
  override getConfig(): ConfigDict {
    return { ...super.getConfig(), height: this.height, width: this.width };
  }
}
registerClass(CenterCrop);

/**
 * Resizes images to `height`×`width` ('bilinear' by default, or 'nearest'). Sampling follows
 * TF.js: corners aligned unless `cropToAspectRatio`.
 */
export class Resizing extends Layer {
  static className = "Resizing";
  readonly height: number;
  readonly width: number;
  readonly interpolation: Interpolation;
  readonly cropToAspectRatio: boolean;
  constructor(
    args: LayerArgs & { height: number; width: number; interpolation?: Interpolation; cropToAspectRatio?: boolean },
  ) {
    super(args);
    this.height = positiveInt("resizing: height", args?.height);
    this.width = positiveInt("resizing: width", args?.width);
    this.interpolation = interpolation("resizing", args.interpolation, "bilinear");
    this.cropToAspectRatio = Boolean(args.cropToAspectRatio);
  }
  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return withImageSize(oneShape(inputShape), this.height, this.width);
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = oneTensor(this.name, inputs);
    const size: [number, number] = [this.height, this.width];
    const align = !this.cropToAspectRatio;
    return tf.tidy(() =>
      resizeImages(x, size, (im) =>
        this.interpolation === "bilinear" ? resizeBilinear(im, size, align) : resizeNearest(im, size, align),
      ),
    );
  }
  override getConfig(): ConfigDict {
    return {
      ...super.getConfig(),
      height: this.height,
      width: this.width,
      interpolation: this.interpolation,
      cropToAspectRatio: this.cropToAspectRatio,
    };
  }
}
registerClass(Resizing);

type OutputMode = "oneHot" | "multiHot" | "count";

/**
 * Integer categories → vectors of `numTokens`: 'multiHot' (default: 1 for each category present),
 * 'oneHot' (one row per id) or 'count' (occurrences, optionally weighted by `countWeights`).
 */
export class CategoryEncoding extends Layer {
  static className = "CategoryEncoding";
  readonly numTokens: number;
  readonly outputMode: OutputMode;
  constructor(args: LayerArgs & { numTokens: number; outputMode?: OutputMode }) {
    super(args);
    this.numTokens = positiveInt("categoryEncoding: numTokens", args?.numTokens);
    const mode = args.outputMode ?? "multiHot";
    if (mode !== "oneHot" && mode !== "multiHot" && mode !== "count")
      throw new Error(`categoryEncoding: outputMode must be 'oneHot', 'multiHot' or 'count', got '${mode}'`);
    this.outputMode = mode;
  }
  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = oneShape(inputShape).slice();
    if (shape.length === 0) return [this.numTokens];
    if (this.outputMode === "oneHot" && shape[shape.length - 1] !== 1) return [...shape, this.numTokens];
    shape[shape.length - 1] = this.numTokens;
    return shape;
  }
  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: CallArgs = {}): tf.Tensor {
    const x = oneTensor(this.name, inputs);
    const weights = kwargs.countWeights as tf.Tensor | undefined;
    if (weights !== undefined && this.outputMode !== "count")
      throw new Error(`${this.name}: countWeights is only used with outputMode 'count'`);
    const ids = x.dtype === "int32" ? x : tf.cast(x, "int32");
    const values = ids.dataSync();
    for (const v of values)
      if (!(v >= 0 && v < this.numTokens))
        throw new Error(`${this.name}: input values must be in [0, ${this.numTokens}), got ${v}`);
    return tf.tidy(() => {
      let t = ids.rank === 0 ? tf.reshape(ids, [1]) : ids;
      if (this.outputMode === "oneHot" && t.shape[t.rank - 1] !== 1) t = tf.expandDims(t, -1);
      if (t.rank > 2) throw new Error(`${this.name}: inputs of rank > 2 are not supported, got shape [${x.shape}]`);
      // One one-hot row per id; rows summed over the id axis give the counts.
      let rows = tf.oneHot(t, this.numTokens, 1, 0, "float32");
      if (weights) rows = tf.mul(rows, tf.expandDims(tf.reshape(weights, t.shape), -1));
      const counts = tf.sum(rows, t.rank - 1);
      return this.outputMode === "count" ? counts : tf.minimum(counts, 1);
    });
  }
  override getConfig(): ConfigDict {
    return { ...super.getConfig(), numTokens: this.numTokens, outputMode: this.outputMode };
  }
}
registerClass(CategoryEncoding);

/**
 * In training, stretches images horizontally by a random factor in [1 + lower, 1 + upper]
 * (`factor`: a number f for ±f, or [lower, upper]); identity in inference.
 */
export class RandomWidth extends Layer {
  static className = "RandomWidth";
  readonly factor: number | [number, number];
  readonly interpolation: Interpolation;
  readonly seed: number | null;
  private readonly lower: number;
  private readonly upper: number;
  constructor(args: LayerArgs & { factor: number | [number, number]; interpolation?: Interpolation; seed?: number }) {
    super(args);
    const f = args?.factor;
    if (Array.isArray(f) && f.length === 2) [this.lower, this.upper] = f;
    else if (typeof f === "number" && f > 0) [this.lower, this.upper] = [-f, f];
    else throw new Error(`randomWidth: factor must be a positive number or [lower, upper], got ${JSON.stringify(f)}`);
    if (this.lower < -1 || this.upper < -1)
      throw new Error(`randomWidth: factor values must be ≥ -1, got ${JSON.stringify(f)}`);
    if (this.upper < this.lower)
      throw new Error(`randomWidth: factor [${this.lower}, ${this.upper}] has upper < lower`);
    this.factor = Array.isArray(f) ? [f[0], f[1]] : f;
    this.interpolation = interpolation("randomWidth", args.interpolation, "bilinear");
    this.seed = args.seed ?? null;
  }
  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = oneShape(inputShape);
    return withImageSize(shape, shape[shape.length - 3], null);
  }
  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: CallArgs = {}): tf.Tensor {
    const x = oneTensor(this.name, inputs);
    if (!kwargs.training) return x;
    const rng = randomFrom(this.seed);
    const scale = 1 + this.lower + (this.upper - this.lower) * rng.uniform();
    const size: [number, number] = [x.shape[x.rank - 3], Math.max(1, Math.round(scale * x.shape[x.rank - 2]))];
    return tf.tidy(() =>
      resizeImages(x, size, (im) =>
        this.interpolation === "bilinear" ? resizeBilinear(im, size) : resizeNearest(im, size),
      ),
    );
  }
  override getConfig(): ConfigDict {
    return { ...super.getConfig(), factor: this.factor, interpolation: this.interpolation, seed: this.seed };
  }
}
registerClass(RandomWidth);
