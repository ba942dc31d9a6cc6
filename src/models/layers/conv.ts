/** Convolution (Conv2D, Conv1D) and pooling layers, channels-last (NHWC / NWC). */
import * as tf from "../core.js";
import { Layer, type LayerArgs, type Shape, type LayerVariable } from "../topology.js";
import { getActivation, type Activation } from "../activations.js";
import { getInitializer, type InitializerIdentifier, type Initializer } from "../initializers.js";
import { getRegularizer, type Regularizer, type RegularizerIdentifier } from "../regularizers.js";
import { registerLayerClass } from "../registry.js";
import { addBiasAndActivate, serialize, type ActivationIdentifier } from "./core.js";
import {
  tuple,
  padding,
  checkChannelsLast,
  convLength,
  positiveInt,
  lastDim,
  expectRank,
  type PaddingMode,
} from "./common.js";

export interface ConvArgs extends LayerArgs {
  filters: number;
  kernelSize: number | number[];
  strides?: number | number[];
  padding?: PaddingMode;
  dataFormat?: string;
  dilationRate?: number | number[];
  activation?: ActivationIdentifier;
  useBias?: boolean;
  kernelInitializer?: InitializerIdentifier;
  biasInitializer?: InitializerIdentifier;
  kernelRegularizer?: RegularizerIdentifier;
  biasRegularizer?: RegularizerIdentifier;
  activityRegularizer?: RegularizerIdentifier;
}

/** Shared by Conv1D and Conv2D: `rank` spatial axes. */
abstract class Conv extends Layer {
  readonly filters: number;
  readonly kernelSize: number[];
  readonly strides: number[];
  readonly padding: PaddingMode;
  readonly dilationRate: number[];
  readonly activation: Activation;
  readonly useBias: boolean;
  readonly kernelInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly kernelRegularizer: Regularizer | null;
  readonly biasRegularizer: Regularizer | null;
  kernel?: LayerVariable;
  bias?: LayerVariable;

  constructor(
    readonly rank: number,
    args: ConvArgs,
  ) {
    super(args);
    const what = this.getClassName().toLowerCase();
    this.filters = positiveInt(`${what}: filters`, args?.filters);
    this.kernelSize = tuple(`${what}: kernelSize`, args.kernelSize, rank, []);
    if (this.kernelSize.length !== rank) throw new Error(`${what}: kernelSize is required`);
    this.strides = tuple(`${what}: strides`, args.strides, rank, new Array(rank).fill(1));
    this.dilationRate = tuple(`${what}: dilationRate`, args.dilationRate, rank, new Array(rank).fill(1));
    this.padding = padding(what, args.padding);
    checkChannelsLast(what, args.dataFormat);
    this.activation = getActivation(args.activation);
    this.useBias = args.useBias ?? true;
    this.kernelInitializer = getInitializer(args.kernelInitializer, "glorotUniform");
    this.biasInitializer = getInitializer(args.biasInitializer, "zeros");
    this.kernelRegularizer = getRegularizer(args.kernelRegularizer);
    this.biasRegularizer = getRegularizer(args.biasRegularizer);
    this.activityRegularizer = getRegularizer(args.activityRegularizer);
  }
  override build(inputShape: Shape): void {
    expectRank(
      this.name,
      inputShape,
      this.rank + 2,
      this.rank === 2 ? "images [batch, height, width, channels]" : "sequences [batch, steps, channels]",
    );
    const inC = lastDim(this.name, inputShape);
    this.kernel = this.addWeight("kernel", [...this.kernelSize, inC, this.filters], this.kernelInitializer, {
      regularizer: this.kernelRegularizer,
    });
    if (this.useBias)
      this.bias = this.addWeight("bias", [this.filters], this.biasInitializer, { regularizer: this.biasRegularizer });
    this.built = true;
  }
  override computeOutputShape(inputShape: Shape): Shape {
    const spatial = inputShape
      .slice(1, -1)
      .map((d, i) => convLength(d, this.kernelSize[i], this.padding, this.strides[i], this.dilationRate[i]));
    return [inputShape[0], ...spatial, this.filters];
  }
  protected abstract convolve(x: tf.Tensor, kernel: tf.Tensor): tf.Tensor;
  call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    if (x.shape.length !== this.rank + 2)
      throw new Error(`${this.name}: expected rank-${this.rank + 2} input, got shape [${x.shape}]`);
    return tf.tidy(() => {
      return addBiasAndActivate(this.convolve(x, this.kernel!.read()), this.bias?.read(), this.activation);
    });
  }
  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      filters: this.filters,
      kernelSize: this.kernelSize,
      strides: this.strides,
      padding: this.padding,
      dataFormat: "channels_last",
      dilationRate: this.dilationRate,
      activation: this.activation.name,
      useBias: this.useBias,
      kernelInitializer: serialize(this.kernelInitializer),
      biasInitializer: serialize(this.biasInitializer),
      kernelRegularizer: serialize(this.kernelRegularizer),
      biasRegularizer: serialize(this.biasRegularizer),
      activityRegularizer: serialize(this.activityRegularizer),
    };
  }
}

/** 2-D convolution over images `[batch, h, w, c]` with a `[kh, kw, c, filters]` kernel. */
export class Conv2D extends Conv {
  constructor(args: ConvArgs) {
    super(2, args);
  }
  getClassName(): string {
    return "Conv2D";
  }
  protected convolve(x: tf.Tensor, kernel: tf.Tensor): tf.Tensor {
    return tf.conv2d(
      x,
      kernel,
      this.strides as [number, number],
      this.padding,
      "NHWC",
      this.dilationRate as [number, number],
    );
  }
}

/** 1-D convolution over sequences `[batch, steps, c]` with a `[k, c, filters]` kernel. */
export class Conv1D extends Conv {
  constructor(args: ConvArgs) {
    super(1, args);
  }
  getClassName(): string {
    return "Conv1D";
  }
  protected convolve(x: tf.Tensor, kernel: tf.Tensor): tf.Tensor {
    return tf.conv1d(x, kernel, this.strides[0], this.padding, "NWC", this.dilationRate[0]);
  }
}

export interface PoolArgs extends LayerArgs {
  poolSize?: number | number[];
  strides?: number | number[];
  padding?: PaddingMode;
  dataFormat?: string;
}

abstract class Pool extends Layer {
  readonly poolSize: number[];
  readonly strides: number[];
  readonly padding: PaddingMode;
  constructor(
    readonly rank: number,
    readonly mode: "max" | "avg",
    args: PoolArgs = {},
  ) {
    super(args);
    const what = this.getClassName();
    this.poolSize = tuple(`${what}: poolSize`, args.poolSize, rank, new Array(rank).fill(2));
    this.strides = tuple(`${what}: strides`, args.strides, rank, this.poolSize);
    this.padding = padding(what, args.padding);
    checkChannelsLast(what, args.dataFormat);
  }
  override computeOutputShape(inputShape: Shape): Shape {
    expectRank(
      this.name,
      inputShape,
      this.rank + 2,
      this.rank === 2 ? "images [batch, height, width, channels]" : "sequences [batch, steps, channels]",
    );
    const spatial = inputShape
      .slice(1, -1)
      .map((d, i) => convLength(d, this.poolSize[i], this.padding, this.strides[i]));
    return [inputShape[0], ...spatial, inputShape[inputShape.length - 1]];
  }
  call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    if (x.shape.length !== this.rank + 2)
      throw new Error(`${this.name}: expected rank-${this.rank + 2} input, got shape [${x.shape}]`);
    const pool = this.mode === "max" ? tf.maxPool : tf.avgPool;
    if (this.rank === 2)
      return pool(x, this.poolSize as [number, number], this.strides as [number, number], this.padding);
    return tf.tidy(() => {
      const x4 = tf.expandDims(x, 1);
      const y = pool(x4, [1, this.poolSize[0]], [1, this.strides[0]], this.padding);
      return tf.squeeze(y, [1]);
    });
  }
  override getConfig(): Record<string, unknown> {
    const one = (v: number[]) => (this.rank === 1 ? v[0] : v);
    return {
      ...super.getConfig(),
      poolSize: one(this.poolSize),
      padding: this.padding,
      strides: one(this.strides),
      dataFormat: "channels_last",
    };
  }
}

export class MaxPooling2D extends Pool {
  constructor(args: PoolArgs = {}) {
    super(2, "max", args);
  }
  getClassName(): string {
    return "MaxPooling2D";
  }
}
export class AveragePooling2D extends Pool {
  constructor(args: PoolArgs = {}) {
    super(2, "avg", args);
  }
  getClassName(): string {
    return "AveragePooling2D";
  }
}
export class MaxPooling1D extends Pool {
  constructor(args: PoolArgs = {}) {
    super(1, "max", args);
  }
  getClassName(): string {
    return "MaxPooling1D";
  }
}
export class AveragePooling1D extends Pool {
  constructor(args: PoolArgs = {}) {
    super(1, "avg", args);
  }
  getClassName(): string {
    return "AveragePooling1D";
  }
}

/** Mean (or max) over all spatial positions: `[batch, …, c]` → `[batch, c]`. */
abstract class GlobalPool extends Layer {
  constructor(
    readonly rank: number,
    readonly mode: "max" | "avg",
    args: LayerArgs & { dataFormat?: string } = {},
  ) {
    super(args);
    checkChannelsLast(this.getClassName(), args.dataFormat);
  }
  override computeOutputShape(inputShape: Shape): Shape {
    expectRank(
      this.name,
      inputShape,
      this.rank + 2,
      this.rank === 2 ? "images [batch, height, width, channels]" : "sequences [batch, steps, channels]",
    );
    return [inputShape[0], inputShape[inputShape.length - 1]];
  }
  call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    const axes = this.rank === 2 ? [1, 2] : [1];
    return this.mode === "avg" ? tf.mean(x, axes) : tf.max(x, axes);
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), dataFormat: "channels_last" };
  }
}

export class GlobalAveragePooling2D extends GlobalPool {
  constructor(args: LayerArgs = {}) {
    super(2, "avg", args);
  }
  getClassName(): string {
    return "GlobalAveragePooling2D";
  }
}
export class GlobalMaxPooling2D extends GlobalPool {
  constructor(args: LayerArgs = {}) {
    super(2, "max", args);
  }
  getClassName(): string {
    return "GlobalMaxPooling2D";
  }
}
export class GlobalAveragePooling1D extends GlobalPool {
  constructor(args: LayerArgs = {}) {
    super(1, "avg", args);
  }
  getClassName(): string {
    return "GlobalAveragePooling1D";
  }
}

registerLayerClass("Conv2D", (c) => new Conv2D(c as unknown as ConvArgs));
registerLayerClass("Conv1D", (c) => new Conv1D(c as unknown as ConvArgs));
registerLayerClass("MaxPooling2D", (c) => new MaxPooling2D(c));
registerLayerClass("AveragePooling2D", (c) => new AveragePooling2D(c));
registerLayerClass("MaxPooling1D", (c) => new MaxPooling1D(c));
registerLayerClass("AveragePooling1D", (c) => new AveragePooling1D(c));
registerLayerClass("GlobalAveragePooling2D", (c) => new GlobalAveragePooling2D(c));
registerLayerClass("GlobalMaxPooling2D", (c) => new GlobalMaxPooling2D(c));
registerLayerClass("GlobalAveragePooling1D", (c) => new GlobalAveragePooling1D(c));
