/**
 * Convolution layers: Conv1D, Conv2D, Conv3D, Conv2DTranspose, Conv3DTranspose, DepthwiseConv2D and
 * SeparableConv2D. Computation is channels-last; `dataFormat: 'channelsFirst'` inputs are
 * transposed in and out. Kernel layouts are TF.js's, so weights move between the two.
 */
import * as tf from "../core.js";
import { InputSpec, Layer, type LayerArgs, type Shape, type LayerVariable } from "../topology.js";
import { getActivation, type Activation } from "../activations.js";
import { getInitializer, type InitializerIdentifier, type Initializer } from "../initializers.js";
import { getRegularizer, type Regularizer, type RegularizerIdentifier } from "../regularizers.js";
import { getConstraint, type Constraint, type ConstraintIdentifier } from "../constraints.js";
import { registerClass, type ConfigDict } from "../registry.js";
import { addBiasAndActivate, type ActivationIdentifier } from "./core.js";
import {
  tuple,
  padding,
  dataFormat,
  channelsPerm,
  permuteShape,
  convLength,
  deconvLength,
  positiveInt,
  oneShape,
  oneTensor,
  serialize,
  type DataFormat,
  type PaddingMode,
} from "./common.js";
import { conv3d, conv3dTranspose } from "./conv3d-ops.js";

export interface BaseConvArgs extends LayerArgs {
  /** Window size: a number or one per spatial axis. */
  kernelSize: number | number[];
  strides?: number | number[];
  /** 'valid' (default), 'same', or for Conv1D 'causal' (left-padded, no look-ahead). */
  padding?: PaddingMode;
  dataFormat?: DataFormat;
  dilationRate?: number | number[];
  activation?: ActivationIdentifier;
  useBias?: boolean;
  biasInitializer?: InitializerIdentifier;
  biasRegularizer?: RegularizerIdentifier;
  activityRegularizer?: RegularizerIdentifier;
  biasConstraint?: ConstraintIdentifier;
}

export interface ConvArgs extends BaseConvArgs {
  /** Number of output channels. */
  filters: number;
  /** Default 'glorotNormal' (TF.js's default). */
  kernelInitializer?: InitializerIdentifier;
  kernelRegularizer?: RegularizerIdentifier;
  kernelConstraint?: ConstraintIdentifier;
}

/** What every convolution shares: window, strides, padding, format, bias and activation. */
abstract class BaseConv extends Layer {
  readonly kernelSize: number[];
  readonly strides: number[];
  readonly padding: PaddingMode;
  readonly dataFormat: DataFormat;
  readonly dilationRate: number[];
  readonly activation: Activation;
  readonly useBias: boolean;
  readonly biasInitializer: Initializer;
  readonly biasRegularizer: Regularizer | null;
  readonly biasConstraint: Constraint | null;
  bias?: LayerVariable;

  constructor(
    readonly rank: number,
    args: BaseConvArgs,
  ) {
    super(args);
    const what = this.getClassName();
    if (args?.kernelSize == null) throw new Error(`${what}: kernelSize is required`);
    this.kernelSize = tuple(`${what}: kernelSize`, args.kernelSize, rank, []);
    this.strides = tuple(`${what}: strides`, args.strides, rank, new Array(rank).fill(1));
    this.dilationRate = tuple(`${what}: dilationRate`, args.dilationRate, rank, new Array(rank).fill(1));
    this.padding = padding(what, args.padding, rank === 1);
    this.dataFormat = dataFormat(what, args.dataFormat);
    this.activation = getActivation(args.activation);
    this.useBias = args.useBias ?? true;
    this.biasInitializer = getInitializer(args.biasInitializer, "zeros");
    this.biasRegularizer = getRegularizer(args.biasRegularizer);
    this.biasConstraint = getConstraint(args.biasConstraint);
    this.activityRegularizer = getRegularizer(args.activityRegularizer);
    this.inputSpec = [new InputSpec({ ndim: rank + 2 })];
  }

  /** The input shape as channels-last. */
  protected lastShape(inputShape: Shape | Shape[]): Shape {
    const shape = oneShape(inputShape);
    if (shape.length !== this.rank + 2)
      throw new Error(
        `${this.name} expects inputs of rank ${this.rank + 2} ([batch, ${this.rank === 1 ? "steps" : this.rank === 2 ? "height, width" : "depth, height, width"}, channels]), got shape [${shape.map((d) => d ?? "null")}]`,
      );
    return this.dataFormat === "channelsFirst" ? permuteShape(shape, true) : shape;
  }

  protected channels(inputShape: Shape | Shape[]): number {
    const c = this.lastShape(inputShape)[this.rank + 1];
    if (c === null) throw new Error(`${this.name}: the channel dimension of the inputs must be known`);
    return c;
  }

  protected addBias(size: number): void {
    if (this.useBias)
      this.bias = this.addWeight(
        "bias",
        [size],
        "float32",
        this.biasInitializer,
        this.biasRegularizer,
        true,
        this.biasConstraint,
      );
  }

  /** The output's spatial sizes for a channels-last input shape (window, strides, padding, dilation). */
  protected spatialOutput(shape: Shape): (number | null)[] {
    return shape
      .slice(1, -1)
      .map((d, i) => convLength(d, this.kernelSize[i], this.padding, this.strides[i], this.dilationRate[i]));
  }

  /** Output shape, channels-last, for a channels-last input shape. */
  protected abstract outputLastShape(shape: Shape): Shape;

  /** The convolution on a channels-last input. */
  protected abstract convolve(x: tf.Tensor): tf.Tensor;

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const out = this.outputLastShape(this.lastShape(inputShape));
    return this.dataFormat === "channelsFirst" ? permuteShape(out, false) : out;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = oneTensor(this.name, inputs);
    if (x.rank !== this.rank + 2)
      throw new Error(`${this.name}: expected rank-${this.rank + 2} input, got shape [${x.shape}]`);
    return tf.tidy(() => {
      const first = this.dataFormat === "channelsFirst";
      const xl = first ? tf.transpose(x, channelsPerm(x.rank, true)) : x;
      const y = addBiasAndActivate(this.convolve(xl), this.bias?.read(), this.activation);
      return first ? tf.transpose(y, channelsPerm(y.rank, false)) : y;
    });
  }

  override getConfig(): ConfigDict {
    return {
      ...super.getConfig(),
      kernelSize: this.kernelSize,
      strides: this.strides,
      padding: this.padding,
      dataFormat: this.dataFormat,
      dilationRate: this.dilationRate,
      activation: this.activation.name,
      useBias: this.useBias,
      biasInitializer: serialize(this.biasInitializer),
      biasRegularizer: serialize(this.biasRegularizer),
      activityRegularizer: serialize(this.activityRegularizer),
      biasConstraint: serialize(this.biasConstraint),
    };
  }
}

/** Convolutions with a full `[...kernelSize, inChannels, filters]` kernel. */
abstract class Conv extends BaseConv {
  readonly filters: number;
  readonly kernelInitializer: Initializer;
  readonly kernelRegularizer: Regularizer | null;
  readonly kernelConstraint: Constraint | null;
  kernel?: LayerVariable;

  constructor(rank: number, args: ConvArgs) {
    super(rank, args);
    this.filters = positiveInt(`${this.getClassName()}: filters`, args.filters);
    this.kernelInitializer = getInitializer(args.kernelInitializer, "glorotNormal");
    this.kernelRegularizer = getRegularizer(args.kernelRegularizer);
    this.kernelConstraint = getConstraint(args.kernelConstraint);
  }

  /** The kernel's shape for `channels` input channels. */
  protected kernelShape(channels: number): number[] {
    return [...this.kernelSize, channels, this.filters];
  }

  override build(inputShape: Shape | Shape[]): void {
    const c = this.channels(inputShape);
    this.kernel = this.addWeight(
      "kernel",
      this.kernelShape(c),
      "float32",
      this.kernelInitializer,
      this.kernelRegularizer,
      true,
      this.kernelConstraint,
    );
    this.addBias(this.filters);
    const channelAxis = this.dataFormat === "channelsFirst" ? 1 : this.rank + 1;
    this.inputSpec = [new InputSpec({ ndim: this.rank + 2, axes: { [channelAxis]: c } })];
    this.built = true;
  }

  protected outputLastShape(shape: Shape): Shape {
    const spatial = this.spatialOutput(shape);
    return [shape[0], ...spatial, this.filters];
  }

  override getConfig(): ConfigDict {
    return {
      ...super.getConfig(),
      filters: this.filters,
      kernelInitializer: serialize(this.kernelInitializer),
      kernelRegularizer: serialize(this.kernelRegularizer),
      kernelConstraint: serialize(this.kernelConstraint),
    };
  }
}

/** 1-D convolution over sequences `[batch, steps, channels]` with a `[k, channels, filters]` kernel. */
export class Conv1D extends Conv {
  static className = "Conv1D";
  constructor(args: ConvArgs) {
    super(1, args);
  }
  protected convolve(x: tf.Tensor): tf.Tensor {
    const kernel = this.kernel!.read();
    if (this.padding === "causal") {
      // Left-pad so that step t sees only steps ≤ t.
      const left = (this.kernelSize[0] - 1) * this.dilationRate[0];
      const padded = tf.pad(x, [
        [0, 0],
        [left, 0],
        [0, 0],
      ]);
      return tf.conv1d(padded, kernel, this.strides[0], "valid", "NWC", this.dilationRate[0]);
    }
    return tf.conv1d(x, kernel, this.strides[0], this.padding, "NWC", this.dilationRate[0]);
  }
  override getConfig(): ConfigDict {
    const { dataFormat: _, ...config } = super.getConfig();
    return config;
  }
}
registerClass(Conv1D);

/** 2-D convolution over images `[batch, h, w, channels]` with a `[kh, kw, channels, filters]` kernel. */
export class Conv2D extends Conv {
  static className = "Conv2D";
  constructor(args: ConvArgs) {
    super(2, args);
  }
  protected convolve(x: tf.Tensor): tf.Tensor {
    return tf.conv2d(
      x,
      this.kernel!.read(),
      this.strides as [number, number],
      this.padding as "valid" | "same",
      "NHWC",
      this.dilationRate as [number, number],
    );
  }
}
registerClass(Conv2D);

/** 3-D convolution over volumes `[batch, depth, h, w, channels]` with a `[kd, kh, kw, channels, filters]` kernel. */
export class Conv3D extends Conv {
  static className = "Conv3D";
  constructor(args: ConvArgs) {
    super(3, args);
  }
  protected convolve(x: tf.Tensor): tf.Tensor {
    return conv3d(x, this.kernel!.read(), this.strides, this.padding as "valid" | "same", this.dilationRate);
  }
}
registerClass(Conv3D);

/** Transposed convolutions: kernel `[...kernelSize, filters, channels]`, output `strides` times larger. */
abstract class ConvTranspose extends Conv {
  constructor(rank: number, args: ConvArgs) {
    super(rank, args);
    if (this.padding !== "valid" && this.padding !== "same")
      throw new Error(`${this.name} supports padding 'same' and 'valid', got '${this.padding}'`);
  }
  protected override kernelShape(channels: number): number[] {
    return [...this.kernelSize, this.filters, channels];
  }
  protected override outputLastShape(shape: Shape): Shape {
    const spatial = shape
      .slice(1, -1)
      .map((d, i) => deconvLength(d, this.strides[i], this.kernelSize[i], this.padding));
    return [shape[0], ...spatial, this.filters];
  }
  /** The transposed convolution of a channels-last input to `outputShape`. */
  protected abstract transpose(x: tf.Tensor, kernel: tf.Tensor, outputShape: number[]): tf.Tensor;
  protected convolve(x: tf.Tensor): tf.Tensor {
    return this.transpose(x, this.kernel!.read(), this.outputLastShape(x.shape) as number[]);
  }
  override getConfig(): ConfigDict {
    const { dilationRate: _, ...config } = super.getConfig();
    return config;
  }
}

/**
 * Transposed 2-D convolution (upsampling by `strides`): `[batch, h, w, c]` → `[batch, h·s, w·s, filters]`
 * ('same'). Kernel `[kh, kw, filters, channels]`.
 */
export class Conv2DTranspose extends ConvTranspose {
  static className = "Conv2DTranspose";
  constructor(args: ConvArgs) {
    super(2, args);
  }
  protected transpose(x: tf.Tensor, kernel: tf.Tensor, outputShape: number[]): tf.Tensor {
    return tf.conv2dTranspose(
      x,
      kernel,
      outputShape,
      this.strides as [number, number],
      this.padding as "valid" | "same",
    );
  }
}
registerClass(Conv2DTranspose);

/** Transposed 3-D convolution (volume upsampling). Kernel `[kd, kh, kw, filters, channels]`. */
export class Conv3DTranspose extends ConvTranspose {
  static className = "Conv3DTranspose";
  constructor(args: ConvArgs) {
    super(3, args);
  }
  protected transpose(x: tf.Tensor, kernel: tf.Tensor, outputShape: number[]): tf.Tensor {
    return conv3dTranspose(x, kernel, outputShape, this.strides, this.padding as "valid" | "same");
  }
}
registerClass(Conv3DTranspose);

export interface DepthwiseConv2DArgs extends BaseConvArgs {
  /** Output channels per input channel (default 1). */
  depthMultiplier?: number;
  /** Default 'glorotNormal'. */
  depthwiseInitializer?: InitializerIdentifier;
  depthwiseRegularizer?: RegularizerIdentifier;
  depthwiseConstraint?: ConstraintIdentifier;
}

/** The `[kh, kw, channels, multiplier]` kernel of a depthwise (or separable) convolution. */
function addDepthwiseKernel(layer: DepthwiseConv2D | SeparableConv2D, channels: number): LayerVariable {
  return layer.addWeight(
    "depthwise_kernel",
    [...layer.kernelSize, channels, layer.depthMultiplier],
    "float32",
    layer.depthwiseInitializer,
    layer.depthwiseRegularizer,
    true,
    layer.depthwiseConstraint,
  );
}

/** Each input channel convolved with its own `depthMultiplier` filters: kernel `[kh, kw, channels, multiplier]`. */
export class DepthwiseConv2D extends BaseConv {
  static className = "DepthwiseConv2D";
  readonly depthMultiplier: number;
  readonly depthwiseInitializer: Initializer;
  readonly depthwiseRegularizer: Regularizer | null;
  readonly depthwiseConstraint: Constraint | null;
  depthwiseKernel?: LayerVariable;
  constructor(args: DepthwiseConv2DArgs) {
    super(2, args);
    this.depthMultiplier = positiveInt("depthwiseConv2d: depthMultiplier", args.depthMultiplier ?? 1);
    this.depthwiseInitializer = getInitializer(args.depthwiseInitializer, "glorotNormal");
    this.depthwiseRegularizer = getRegularizer(args.depthwiseRegularizer);
    this.depthwiseConstraint = getConstraint(args.depthwiseConstraint);
  }
  override build(inputShape: Shape | Shape[]): void {
    const c = this.channels(inputShape);
    this.depthwiseKernel = addDepthwiseKernel(this, c);
    this.addBias(c * this.depthMultiplier);
    this.built = true;
  }
  protected outputLastShape(shape: Shape): Shape {
    const spatial = this.spatialOutput(shape);
    const c = shape[3];
    return [shape[0], ...spatial, c === null ? null : c * this.depthMultiplier];
  }
  protected convolve(x: tf.Tensor): tf.Tensor {
    return tf.depthwiseConv2d(
      x,
      this.depthwiseKernel!.read(),
      this.strides as [number, number],
      this.padding as "valid" | "same",
      "NHWC",
      this.dilationRate as [number, number],
    );
  }
  override getConfig(): ConfigDict {
    return {
      ...super.getConfig(),
      depthMultiplier: this.depthMultiplier,
      depthwiseInitializer: serialize(this.depthwiseInitializer),
      depthwiseRegularizer: serialize(this.depthwiseRegularizer),
      depthwiseConstraint: serialize(this.depthwiseConstraint),
    };
  }
}
registerClass(DepthwiseConv2D);

export interface SeparableConvArgs extends BaseConvArgs {
  filters: number;
  depthMultiplier?: number;
  /** Default 'glorotUniform'. */
  depthwiseInitializer?: InitializerIdentifier;
  /** Default 'glorotUniform'. */
  pointwiseInitializer?: InitializerIdentifier;
  depthwiseRegularizer?: RegularizerIdentifier;
  pointwiseRegularizer?: RegularizerIdentifier;
  depthwiseConstraint?: ConstraintIdentifier;
  pointwiseConstraint?: ConstraintIdentifier;
}

/**
 * A depthwise convolution followed by a 1×1 convolution mixing channels: kernels
 * `depthwise_kernel [kh, kw, channels, multiplier]` and `pointwise_kernel [1, 1, channels·multiplier, filters]`.
 */
export class SeparableConv2D extends BaseConv {
  static className = "SeparableConv2D";
  readonly filters: number;
  readonly depthMultiplier: number;
  readonly depthwiseInitializer: Initializer;
  readonly pointwiseInitializer: Initializer;
  readonly depthwiseRegularizer: Regularizer | null;
  readonly pointwiseRegularizer: Regularizer | null;
  readonly depthwiseConstraint: Constraint | null;
  readonly pointwiseConstraint: Constraint | null;
  depthwiseKernel?: LayerVariable;
  pointwiseKernel?: LayerVariable;
  constructor(args: SeparableConvArgs) {
    super(2, args);
    const extra = args as unknown as Record<string, unknown>;
    if (extra.kernelInitializer != null || extra.kernelRegularizer != null || extra.kernelConstraint != null)
      throw new Error(
        "separableConv2d: use depthwise*/pointwise* Initializer/Regularizer/Constraint instead of kernelInitializer/kernelRegularizer/kernelConstraint",
      );
    this.filters = positiveInt("separableConv2d: filters", args.filters);
    this.depthMultiplier = positiveInt("separableConv2d: depthMultiplier", args.depthMultiplier ?? 1);
    this.depthwiseInitializer = getInitializer(args.depthwiseInitializer, "glorotUniform");
    this.pointwiseInitializer = getInitializer(args.pointwiseInitializer, "glorotUniform");
    this.depthwiseRegularizer = getRegularizer(args.depthwiseRegularizer);
    this.pointwiseRegularizer = getRegularizer(args.pointwiseRegularizer);
    this.depthwiseConstraint = getConstraint(args.depthwiseConstraint);
    this.pointwiseConstraint = getConstraint(args.pointwiseConstraint);
  }
  override build(inputShape: Shape | Shape[]): void {
    const c = this.channels(inputShape);
    this.depthwiseKernel = addDepthwiseKernel(this, c);
    this.pointwiseKernel = this.addWeight(
      "pointwise_kernel",
      [1, 1, c * this.depthMultiplier, this.filters],
      "float32",
      this.pointwiseInitializer,
      this.pointwiseRegularizer,
      true,
      this.pointwiseConstraint,
    );
    this.addBias(this.filters);
    this.built = true;
  }
  protected outputLastShape(shape: Shape): Shape {
    const spatial = this.spatialOutput(shape);
    return [shape[0], ...spatial, this.filters];
  }
  protected convolve(x: tf.Tensor): tf.Tensor {
    return tf.separableConv2d(
      x,
      this.depthwiseKernel!.read(),
      this.pointwiseKernel!.read(),
      this.strides as [number, number],
      this.padding as "valid" | "same",
      this.dilationRate as [number, number],
      "NHWC",
    );
  }
  override getConfig(): ConfigDict {
    return {
      ...super.getConfig(),
      filters: this.filters,
      depthMultiplier: this.depthMultiplier,
      depthwiseInitializer: serialize(this.depthwiseInitializer),
      pointwiseInitializer: serialize(this.pointwiseInitializer),
      depthwiseRegularizer: serialize(this.depthwiseRegularizer),
      pointwiseRegularizer: serialize(this.pointwiseRegularizer),
      depthwiseConstraint: serialize(this.depthwiseConstraint),
      pointwiseConstraint: serialize(this.pointwiseConstraint),
    };
  }
}
registerClass(SeparableConv2D);
