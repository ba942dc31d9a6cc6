/**
 * Pooling layers: max/average pooling over 1, 2 or 3 spatial axes, and global max/average pooling
 * of sequences and images. Channels-last; `dataFormat: 'channelsFirst'` inputs are transposed.
 */
import * as tf from "../core.js";
import { InputSpec, Layer, type LayerArgs, type Shape } from "../topology.js";
import { registerClass, type ConfigDict } from "../registry.js";
import {
  tuple,
  padding,
  dataFormat,
  channelsPerm,
  permuteShape,
  convLength,
  oneShape,
  oneTensor,
  type DataFormat,
  type PaddingMode,
} from "./common.js";
import { pool3d } from "./conv3d-ops.js";

export interface PoolArgs extends LayerArgs {
  /** Window size (default 2 per axis). */
  poolSize?: number | number[];
  /** Step between windows (default: the window size). */
  strides?: number | number[];
  padding?: "valid" | "same";
  dataFormat?: DataFormat;
}

abstract class Pool extends Layer {
  readonly poolSize: number[];
  readonly strides: number[];
  readonly padding: Exclude<PaddingMode, "causal">;
  readonly dataFormat: DataFormat;
  constructor(
    readonly rank: number,
    readonly mode: "max" | "avg",
    args: PoolArgs = {},
  ) {
    super(args);
    const what = this.getClassName();
    this.poolSize = tuple(`${what}: poolSize`, args?.poolSize, rank, new Array(rank).fill(2));
    this.strides = tuple(`${what}: strides`, args?.strides, rank, this.poolSize);
    this.padding = padding(what, args?.padding) as "valid" | "same";
    this.dataFormat = dataFormat(what, args?.dataFormat);
    this.inputSpec = [new InputSpec({ ndim: rank + 2 })];
  }
  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = oneShape(inputShape);
    const first = this.dataFormat === "channelsFirst";
    const last = first ? permuteShape(shape, true) : shape;
    const spatial = last.slice(1, -1).map((d, i) => convLength(d, this.poolSize[i], this.padding, this.strides[i]));
    const out = [last[0], ...spatial, last[last.length - 1]];
    return first ? permuteShape(out, false) : out;
  }
  private poolLast(x: tf.Tensor): tf.Tensor {
    if (this.rank === 3) return pool3d(x, this.mode, this.poolSize, this.strides, this.padding);
    const pool = this.mode === "max" ? tf.maxPool : tf.avgPool;
    if (this.rank === 2)
      return pool(x, this.poolSize as [number, number], this.strides as [number, number], this.padding);
    const y = pool(tf.expandDims(x, 1), [1, this.poolSize[0]], [1, this.strides[0]], this.padding);
    return tf.squeeze(y, [1]);
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = oneTensor(this.name, inputs);
    if (x.rank !== this.rank + 2)
      throw new Error(`${this.name}: expected rank-${this.rank + 2} input, got shape [${x.shape}]`);
    return tf.tidy(() => {
      if (this.dataFormat === "channelsLast") return this.poolLast(x);
      const y = this.poolLast(tf.transpose(x, channelsPerm(x.rank, true)));
      return tf.transpose(y, channelsPerm(y.rank, false));
    });
  }
  override getConfig(): ConfigDict {
    const config: ConfigDict = {
      ...super.getConfig(),
      poolSize: this.poolSize,
      padding: this.padding,
      strides: this.strides,
    };
    if (this.rank > 1) config.dataFormat = this.dataFormat;
    return config;
  }
}

/** Max over windows of a sequence `[batch, steps, channels]`. */
export class MaxPooling1D extends Pool {
  static className = "MaxPooling1D";
  constructor(args: PoolArgs = {}) {
    super(1, "max", args);
  }
}
registerClass(MaxPooling1D);
/** Mean over windows of a sequence `[batch, steps, channels]`. */
export class AveragePooling1D extends Pool {
  static className = "AveragePooling1D";
  constructor(args: PoolArgs = {}) {
    super(1, "avg", args);
  }
}
registerClass(AveragePooling1D);
/** Max over windows of an image `[batch, h, w, channels]`. */
export class MaxPooling2D extends Pool {
  static className = "MaxPooling2D";
  constructor(args: PoolArgs = {}) {
    super(2, "max", args);
  }
}
registerClass(MaxPooling2D);
/** Mean over windows of an image `[batch, h, w, channels]` (padding not counted). */
export class AveragePooling2D extends Pool {
  static className = "AveragePooling2D";
  constructor(args: PoolArgs = {}) {
    super(2, "avg", args);
  }
}
registerClass(AveragePooling2D);
/** Max over windows of a volume `[batch, depth, h, w, channels]`. */
export class MaxPooling3D extends Pool {
  static className = "MaxPooling3D";
  constructor(args: PoolArgs = {}) {
    super(3, "max", args);
  }
}
registerClass(MaxPooling3D);
/** Mean over windows of a volume `[batch, depth, h, w, channels]` (padding not counted). */
export class AveragePooling3D extends Pool {
  static className = "AveragePooling3D";
  constructor(args: PoolArgs = {}) {
    super(3, "avg", args);
  }
}
registerClass(AveragePooling3D);

/** Mean (or max) over all positions: `[batch, …, channels]` → `[batch, channels]`. */
abstract class GlobalPool extends Layer {
  readonly dataFormat: DataFormat;
  constructor(
    readonly rank: number,
    readonly mode: "max" | "avg",
    args: LayerArgs & { dataFormat?: DataFormat } = {},
  ) {
    super(args);
    this.dataFormat = dataFormat(this.getClassName(), args?.dataFormat);
    this.inputSpec = [new InputSpec({ ndim: rank + 2 })];
  }
  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = oneShape(inputShape);
    return [shape[0], this.dataFormat === "channelsFirst" ? shape[1] : shape[shape.length - 1]];
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = oneTensor(this.name, inputs);
    const first = this.dataFormat === "channelsFirst" ? 2 : 1;
    const axes = Array.from({ length: this.rank }, (_, i) => first + i);
    return this.mode === "avg" ? tf.mean(x, axes) : tf.max(x, axes);
  }
  override getConfig(): ConfigDict {
    return this.rank === 1 ? super.getConfig() : { ...super.getConfig(), dataFormat: this.dataFormat };
  }
}

/** Mean over the steps of a sequence: `[batch, steps, c]` → `[batch, c]`. */
export class GlobalAveragePooling1D extends GlobalPool {
  static className = "GlobalAveragePooling1D";
  constructor(args: LayerArgs = {}) {
    super(1, "avg", args);
  }
}
registerClass(GlobalAveragePooling1D);
/** Max over the steps of a sequence: `[batch, steps, c]` → `[batch, c]`. */
export class GlobalMaxPooling1D extends GlobalPool {
  static className = "GlobalMaxPooling1D";
  constructor(args: LayerArgs = {}) {
    super(1, "max", args);
  }
}
registerClass(GlobalMaxPooling1D);
/** Mean over the positions of an image: `[batch, h, w, c]` → `[batch, c]`. */
export class GlobalAveragePooling2D extends GlobalPool {
  static className = "GlobalAveragePooling2D";
  constructor(args: LayerArgs & { dataFormat?: DataFormat } = {}) {
    super(2, "avg", args);
  }
}
registerClass(GlobalAveragePooling2D);
/** Max over the positions of an image: `[batch, h, w, c]` → `[batch, c]`. */
export class GlobalMaxPooling2D extends GlobalPool {
  static className = "GlobalMaxPooling2D";
  constructor(args: LayerArgs & { dataFormat?: DataFormat } = {}) {
    super(2, "max", args);
  }
}
registerClass(GlobalMaxPooling2D);
