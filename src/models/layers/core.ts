/**
 * Core layers: Dense, Flatten, Reshape, Permute, RepeatVector, Activation, Masking, Dropout and
 * SpatialDropout1D — TF.js's options, defaults and saved configs.
 */
import * as tf from "../core.js";
import { InputSpec, Layer, type LayerArgs, type Shape, type CallArgs, type LayerVariable } from "../topology.js";
import { fusableActivation, getActivation, type Activation } from "../activations.js";
import { biasActivation } from "../../runtime/ops/bias-activation.js";
import { getInitializer, type InitializerIdentifier, type Initializer } from "../initializers.js";
import { getRegularizer, type Regularizer, type RegularizerIdentifier } from "../regularizers.js";
import { getConstraint, type Constraint, type ConstraintIdentifier } from "../constraints.js";
import { registerClass, type ConfigDict } from "../registry.js";
import { randomFrom } from "../random.js";
import { dataFormat, lastDim, oneShape, oneTensor, positiveInt, serialize, type DataFormat } from "./common.js";

export { serialize };

export type ActivationIdentifier = string | Activation | ((x: tf.Tensor) => tf.Tensor);

export interface DenseArgs extends LayerArgs {
  /** Width of the output. */
  units: number;
  activation?: ActivationIdentifier;
  useBias?: boolean;
  /** Default 'glorotNormal' (TF.js's default). */
  kernelInitializer?: InitializerIdentifier;
  biasInitializer?: InitializerIdentifier;
  kernelRegularizer?: RegularizerIdentifier;
  biasRegularizer?: RegularizerIdentifier;
  activityRegularizer?: RegularizerIdentifier;
  kernelConstraint?: ConstraintIdentifier;
  biasConstraint?: ConstraintIdentifier;
}

/**
 * `activation(y + bias)` (bias along the last axis, when there is one): one fused kernel for float32
 * data and a linear/relu/sigmoid/tanh activation, else an add and the activation.
 */
export function addBiasAndActivate(y: tf.Tensor, bias: tf.Tensor | undefined, activation: Activation): tf.Tensor {
  const fused = fusableActivation(activation);
  if (bias && fused && y.dtype === "float32" && bias.dtype === "float32" && bias.shape.length === 1)
    return biasActivation(y, bias, fused);
  return activation.apply(bias ? tf.add(y, bias) : y);
}

/** `activation(x·kernel + bias)` over the last axis. */
export class Dense extends Layer {
  static className = "Dense";
  readonly units: number;
  readonly activation: Activation;
  readonly useBias: boolean;
  readonly kernelInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly kernelRegularizer: Regularizer | null;
  readonly biasRegularizer: Regularizer | null;
  readonly kernelConstraint: Constraint | null;
  readonly biasConstraint: Constraint | null;
  kernel?: LayerVariable;
  bias?: LayerVariable;

  constructor(args: DenseArgs) {
    super(args);
    this.units = positiveInt("dense: units", args?.units);
    this.activation = getActivation(args.activation);
    this.useBias = args.useBias ?? true;
    this.kernelInitializer = getInitializer(args.kernelInitializer, "glorotNormal");
    this.biasInitializer = getInitializer(args.biasInitializer, "zeros");
    this.kernelRegularizer = getRegularizer(args.kernelRegularizer);
    this.biasRegularizer = getRegularizer(args.biasRegularizer);
    this.activityRegularizer = getRegularizer(args.activityRegularizer);
    this.kernelConstraint = getConstraint(args.kernelConstraint);
    this.biasConstraint = getConstraint(args.biasConstraint);
    this.supportsMasking = true;
    this.inputSpec = [new InputSpec({ minNDim: 2 })];
  }
  override build(inputShape: Shape | Shape[]): void {
    const inDim = lastDim(this.name, oneShape(inputShape));
    this.kernel = this.addWeight(
      "kernel",
      [inDim, this.units],
      "float32",
      this.kernelInitializer,
      this.kernelRegularizer,
      true,
      this.kernelConstraint,
    );
    if (this.useBias)
      this.bias = this.addWeight(
        "bias",
        [this.units],
        "float32",
        this.biasInitializer,
        this.biasRegularizer,
        true,
        this.biasConstraint,
      );
    this.inputSpec = [new InputSpec({ minNDim: 2, axes: { [-1]: inDim } })];
    this.built = true;
  }
  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = oneShape(inputShape);
    return [...shape.slice(0, -1), this.units];
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = oneTensor(this.name, inputs);
    const inDim = this.kernel!.shape[0];
    if (x.shape[x.shape.length - 1] !== inDim) {
      throw new Error(`${this.name}: expected inputs with last dimension ${inDim}, got shape [${x.shape}]`);
    }
    return tf.tidy(() => {
      const y =
        x.shape.length === 2
          ? tf.matMul(x, this.kernel!.read())
          : tf.reshape(tf.matMul(tf.reshape(x, [-1, inDim]), this.kernel!.read()), [
              ...x.shape.slice(0, -1),
              this.units,
            ]);
      return addBiasAndActivate(y, this.bias?.read(), this.activation);
    });
  }
  override getConfig(): ConfigDict {
    return {
      ...super.getConfig(),
      units: this.units,
      activation: this.activation.name,
      useBias: this.useBias,
      kernelInitializer: serialize(this.kernelInitializer),
      biasInitializer: serialize(this.biasInitializer),
      kernelRegularizer: serialize(this.kernelRegularizer),
      biasRegularizer: serialize(this.biasRegularizer),
      activityRegularizer: serialize(this.activityRegularizer),
      kernelConstraint: serialize(this.kernelConstraint),
      biasConstraint: serialize(this.biasConstraint),
    };
  }
}
registerClass(Dense);

/** Collapses every axis but the batch into one (channels moved last first, for `channelsFirst`). */
export class Flatten extends Layer {
  static className = "Flatten";
  readonly dataFormat: DataFormat | null;
  constructor(args: LayerArgs & { dataFormat?: DataFormat } = {}) {
    super(args);
    this.dataFormat = args?.dataFormat == null ? null : dataFormat("flatten", args.dataFormat);
    this.inputSpec = [new InputSpec({ minNDim: 3 })];
  }
  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = oneShape(inputShape);
    const rest = shape.slice(1);
    return [shape[0], rest.some((d) => d === null) ? null : (rest as number[]).reduce((a, b) => a * b, 1)];
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    let x = oneTensor(this.name, inputs);
    return tf.tidy(() => {
      if (this.dataFormat === "channelsFirst" && x.rank > 2) {
        x = tf.transpose(x, [0, ...Array.from({ length: x.rank - 2 }, (_, i) => i + 2), 1]);
      }
      return tf.reshape(x, [x.shape[0], -1]);
    });
  }
  override getConfig(): ConfigDict {
    return this.dataFormat === null ? super.getConfig() : { ...super.getConfig(), dataFormat: this.dataFormat };
  }
}
registerClass(Flatten);

/** Reshapes each example to `targetShape` (one entry may be -1 or null: inferred). */
export class Reshape extends Layer {
  static className = "Reshape";
  readonly targetShape: (number | null)[];
  constructor(args: LayerArgs & { targetShape: (number | null)[] }) {
    super(args);
    if (!Array.isArray(args?.targetShape))
      throw new Error("reshape needs a targetShape, e.g. { targetShape: [28, 28, 1] }");
    this.targetShape = args.targetShape.map((d) => (d === null || d < 0 ? null : d));
    if (this.targetShape.filter((d) => d === null).length > 1)
      throw new Error(`${this.name}: targetShape can have only one unknown (-1) dimension, got [${args.targetShape}]`);
  }
  private resolve(example: Shape): number[] {
    const total = (example as number[]).reduce((a, b) => a * b, 1);
    const known = this.targetShape.reduce<number>((a, d) => a * (d ?? 1), 1);
    const out = this.targetShape.map((d) => (d === null ? total / known : d));
    if (!out.every(Number.isInteger) || out.reduce((a, b) => a * b, 1) !== total) {
      throw new Error(
        `${this.name}: cannot reshape examples of shape [${example}] to [${this.targetShape.map((d) => d ?? -1)}] (total size must be unchanged)`,
      );
    }
    return out;
  }
  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = oneShape(inputShape);
    const rest = shape.slice(1);
    if (rest.some((d) => d === null)) return [shape[0], ...this.targetShape];
    return [shape[0], ...this.resolve(rest)];
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = oneTensor(this.name, inputs);
    return tf.reshape(x, [x.shape[0], ...this.resolve(x.shape.slice(1))]);
  }
  override getConfig(): ConfigDict {
    return { ...super.getConfig(), targetShape: this.targetShape };
  }
}
registerClass(Reshape);

/** Reorders the non-batch axes: `dims` is a permutation of 1…rank−1 (1-based, as Keras). */
export class Permute extends Layer {
  static className = "Permute";
  readonly dims: number[];
  constructor(args: LayerArgs & { dims: number[] }) {
    super(args);
    const dims = args?.dims;
    if (!Array.isArray(dims)) throw new Error("permute needs { dims }, e.g. { dims: [2, 1] }");
    const sorted = dims.slice().sort((a, b) => a - b);
    if (!sorted.every((d, i) => d === i + 1))
      throw new Error(`permute: dims must be a permutation of 1…${dims.length}, got ${JSON.stringify(dims)}`);
    this.dims = dims.slice();
    this.inputSpec = [new InputSpec({ ndim: dims.length + 1 })];
  }
  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = oneShape(inputShape);
    return [shape[0], ...this.dims.map((d) => shape[d])];
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.transpose(oneTensor(this.name, inputs), [0, ...this.dims]);
  }
  override getConfig(): ConfigDict {
    return { ...super.getConfig(), dims: this.dims };
  }
}
registerClass(Permute);

/** Repeats a `[batch, features]` input `n` times: `[batch, n, features]`. */
export class RepeatVector extends Layer {
  static className = "RepeatVector";
  readonly n: number;
  constructor(args: LayerArgs & { n: number }) {
    super(args);
    this.n = positiveInt("repeatVector: n", args?.n);
    this.inputSpec = [new InputSpec({ ndim: 2 })];
  }
  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = oneShape(inputShape);
    return [shape[0], this.n, shape[1]];
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = oneTensor(this.name, inputs);
    return tf.tidy(() => tf.tile(tf.expandDims(x, 1), [1, this.n, 1]));
  }
  override getConfig(): ConfigDict {
    return { ...super.getConfig(), n: this.n };
  }
}
registerClass(RepeatVector);

/** Applies an activation function ('relu', 'softmax', …). */
export class ActivationLayer extends Layer {
  static className = "Activation";
  readonly activation: Activation;
  constructor(args: LayerArgs & { activation: ActivationIdentifier }) {
    super(args);
    if (!args?.activation) throw new Error("activation layer needs { activation }, e.g. 'relu'");
    this.activation = getActivation(args.activation);
    this.supportsMasking = true;
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return this.activation.apply(oneTensor(this.name, inputs));
  }
  override getConfig(): ConfigDict {
    return { ...super.getConfig(), activation: this.activation.name };
  }
}
registerClass(ActivationLayer);

/**
 * Marks time steps whose features all equal `maskValue` (default 0) as padding: their values become
 * 0 and the mask it passes on makes recurrent layers skip them.
 */
export class Masking extends Layer {
  static className = "Masking";
  readonly maskValue: number;
  constructor(args: LayerArgs & { maskValue?: number } = {}) {
    super(args);
    this.maskValue = args?.maskValue ?? 0;
    this.supportsMasking = true;
  }
  override computeMask(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.any(tf.notEqual(oneTensor(this.name, inputs), this.maskValue), -1);
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = oneTensor(this.name, inputs);
    return tf.tidy(() => tf.mul(x, tf.cast(tf.any(tf.notEqual(x, this.maskValue), -1, true), x.dtype)));
  }
  override getConfig(): ConfigDict {
    return { ...super.getConfig(), maskValue: this.maskValue };
  }
}
registerClass(Masking);

export interface DropoutArgs extends LayerArgs {
  /** Fraction of the inputs to drop, in [0, 1]. */
  rate: number;
  /** Shape of the keep/drop mask (null entries: the input's size); size-1 axes share one draw. */
  noiseShape?: (number | null)[] | null;
  seed?: number | null;
}

/** During training, zeroes each value with probability `rate` and scales the rest by 1/(1−rate). */
export class Dropout extends Layer {
  static className = "Dropout";
  readonly rate: number;
  readonly noiseShape: (number | null)[] | null;
  readonly seed: number | null;
  constructor(args: DropoutArgs) {
    super(args);
    if (typeof args?.rate !== "number" || Number.isNaN(args.rate))
      throw new Error(`dropout: rate must be a number in [0, 1), got ${args?.rate}`);
    this.rate = Math.max(0, Math.min(1, args.rate));
    this.noiseShape = args.noiseShape ?? null;
    this.seed = args.seed ?? null;
    this.supportsMasking = true;
  }
  /** The mask shape for input `x` (the whole input by default). */
  protected noiseShapeFor(x: tf.Tensor): number[] {
    if (!this.noiseShape) return x.shape;
    return this.noiseShape.map((d, i) => (d === null || d < 0 ? x.shape[i] : d));
  }
  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: CallArgs): tf.Tensor {
    const x = oneTensor(this.name, inputs);
    if (!kwargs.training || !(this.rate > 0 && this.rate < 1)) return x;
    const shape = this.noiseShapeFor(x);
    const rng = randomFrom(this.seed === null ? undefined : this.seed);
    const n = shape.reduce((a, b) => a * b, 1);
    const mask = new Float32Array(n);
    const scale = 1 / (1 - this.rate);
    for (let i = 0; i < n; i++) mask[i] = rng.uniform() >= this.rate ? scale : 0;
    return tf.tidy(() => tf.mul(x, tf.tensor(mask, shape, "float32")));
  }
  override getConfig(): ConfigDict {
    return { ...super.getConfig(), rate: this.rate, noiseShape: this.noiseShape, seed: this.seed };
  }
}
registerClass(Dropout);

/** Dropout of whole feature channels of a sequence `[batch, steps, channels]` (same for every step). */
export class SpatialDropout1D extends Dropout {
  static override className = "SpatialDropout1D";
  constructor(args: DropoutArgs) {
    super(args);
    this.inputSpec = [new InputSpec({ ndim: 3 })];
  }
  protected override noiseShapeFor(x: tf.Tensor): number[] {
    return [x.shape[0], 1, x.shape[2]];
  }
}
registerClass(SpatialDropout1D);
