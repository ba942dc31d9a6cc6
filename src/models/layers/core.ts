/** Dense, Flatten, Reshape, Dropout, Activation, and the merge layers Concatenate / Add. */
import * as tf from "../core.js";
import { Layer, type LayerArgs, type Shape, type CallArgs, type LayerVariable } from "../topology.js";
import { fusableActivation, getActivation, type Activation } from "../activations.js";
import { biasActivation } from "../../runtime/ops/bias-activation.js";
import { getInitializer, type InitializerIdentifier, type Initializer } from "../initializers.js";
import { getRegularizer, type Regularizer, type RegularizerIdentifier } from "../regularizers.js";
import { registerLayerClass } from "../registry.js";
import { randomFrom } from "../random.js";
import { lastDim, positiveInt } from "./common.js";

export type ActivationIdentifier = string | Activation | ((x: tf.Tensor) => tf.Tensor);

export interface DenseArgs extends LayerArgs {
  units: number;
  activation?: ActivationIdentifier;
  useBias?: boolean;
  kernelInitializer?: InitializerIdentifier;
  biasInitializer?: InitializerIdentifier;
  kernelRegularizer?: RegularizerIdentifier;
  biasRegularizer?: RegularizerIdentifier;
  activityRegularizer?: RegularizerIdentifier;
}

/** Serialises an initializer/regularizer as Keras `{className, config}`. */
export function serialize(x: Initializer | Regularizer | null): Record<string, unknown> | null {
  return x ? { className: x.getClassName(), config: x.getConfig() } : null;
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
  readonly units: number;
  readonly activation: Activation;
  readonly useBias: boolean;
  readonly kernelInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly kernelRegularizer: Regularizer | null;
  readonly biasRegularizer: Regularizer | null;
  kernel?: LayerVariable;
  bias?: LayerVariable;

  constructor(args: DenseArgs) {
    super(args);
    this.units = positiveInt("dense: units", args?.units);
    this.activation = getActivation(args.activation);
    this.useBias = args.useBias ?? true;
    this.kernelInitializer = getInitializer(args.kernelInitializer, "glorotUniform");
    this.biasInitializer = getInitializer(args.biasInitializer, "zeros");
    this.kernelRegularizer = getRegularizer(args.kernelRegularizer);
    this.biasRegularizer = getRegularizer(args.biasRegularizer);
    this.activityRegularizer = getRegularizer(args.activityRegularizer);
  }
  getClassName(): string {
    return "Dense";
  }
  override build(inputShape: Shape): void {
    const inDim = lastDim(this.name, inputShape);
    this.kernel = this.addWeight("kernel", [inDim, this.units], this.kernelInitializer, {
      regularizer: this.kernelRegularizer,
    });
    if (this.useBias)
      this.bias = this.addWeight("bias", [this.units], this.biasInitializer, { regularizer: this.biasRegularizer });
    this.built = true;
  }
  override computeOutputShape(inputShape: Shape): Shape {
    return [...inputShape.slice(0, -1), this.units];
  }
  call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
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
  override getConfig(): Record<string, unknown> {
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
    };
  }
}

/** Collapses every axis but the batch into one. */
export class Flatten extends Layer {
  getClassName(): string {
    return "Flatten";
  }
  override computeOutputShape(inputShape: Shape): Shape {
    const rest = inputShape.slice(1);
    return [inputShape[0], rest.some((d) => d === null) ? null : (rest as number[]).reduce((a, b) => a * b, 1)];
  }
  call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    return tf.reshape(x, [x.shape[0], -1]);
  }
}

/** Reshapes each example to `targetShape` (one entry may be -1). */
export class Reshape extends Layer {
  readonly targetShape: number[];
  constructor(args: LayerArgs & { targetShape: number[] }) {
    super(args);
    if (!Array.isArray(args?.targetShape))
      throw new Error("reshape needs a targetShape, e.g. { targetShape: [28, 28, 1] }");
    this.targetShape = args.targetShape.map((d) => (d === null ? -1 : d));
  }
  getClassName(): string {
    return "Reshape";
  }
  private resolve(inputShape: Shape): Shape {
    const rest = inputShape.slice(1);
    if (rest.some((d) => d === null)) return [inputShape[0], ...this.targetShape.map((d) => (d === -1 ? null : d))];
    const total = (rest as number[]).reduce((a, b) => a * b, 1);
    const known = this.targetShape.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
    const out = this.targetShape.map((d) => (d === -1 ? total / known : d));
    if (out.reduce((a, b) => a * b, 1) !== total || !out.every(Number.isInteger)) {
      throw new Error(`${this.name}: cannot reshape examples of shape [${rest}] to [${this.targetShape}]`);
    }
    return [inputShape[0], ...out];
  }
  override computeOutputShape(inputShape: Shape): Shape {
    return this.resolve(inputShape);
  }
  call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    return tf.reshape(x, this.resolve(x.shape) as number[]);
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), targetShape: this.targetShape };
  }
}

/** During training, zeroes each value with probability `rate` and scales the rest by 1/(1−rate). */
export class Dropout extends Layer {
  readonly rate: number;
  readonly noiseShape: number[] | null;
  readonly seed: number | null;
  constructor(args: LayerArgs & { rate: number; noiseShape?: number[] | null; seed?: number | null }) {
    super(args);
    if (!(typeof args?.rate === "number" && args.rate >= 0 && args.rate < 1))
      throw new Error(`dropout: rate must be in [0, 1), got ${args?.rate}`);
    this.rate = args.rate;
    this.noiseShape = args.noiseShape ?? null;
    this.seed = args.seed ?? null;
  }
  getClassName(): string {
    return "Dropout";
  }
  call(inputs: tf.Tensor | tf.Tensor[], kwargs: CallArgs): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    if (!kwargs.training || this.rate === 0) return x;
    const shape = this.noiseShape ? this.noiseShape.map((d, i) => (d === null || d < 0 ? x.shape[i] : d)) : x.shape;
    const rng = randomFrom(this.seed === null ? undefined : this.seed);
    const n = shape.reduce((a, b) => a * b, 1);
    const mask = new Float32Array(n);
    const scale = 1 / (1 - this.rate);
    for (let i = 0; i < n; i++) mask[i] = rng.uniform() >= this.rate ? scale : 0;
    return tf.tidy(() => tf.mul(x, tf.tensor(mask, shape, "float32")));
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rate: this.rate, noiseShape: this.noiseShape, seed: this.seed };
  }
}

/** Applies an activation function. */
export class ActivationLayer extends Layer {
  readonly activation: Activation;
  constructor(args: LayerArgs & { activation: ActivationIdentifier }) {
    super(args);
    if (!args?.activation) throw new Error("activation layer needs { activation }, e.g. 'relu'");
    this.activation = getActivation(args.activation);
  }
  getClassName(): string {
    return "Activation";
  }
  call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return this.activation.apply(Array.isArray(inputs) ? inputs[0] : inputs);
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), activation: this.activation.name };
  }
}

/** Joins its inputs along `axis` (default the last). */
export class Concatenate extends Layer {
  readonly axis: number;
  constructor(args: LayerArgs & { axis?: number } = {}) {
    super(args);
    this.axis = args.axis ?? -1;
  }
  getClassName(): string {
    return "Concatenate";
  }
  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shapes = inputShape as Shape[];
    if (!Array.isArray(shapes[0]) || shapes.length < 2)
      throw new Error(`${this.name}: concatenate needs a list of at least two inputs`);
    const rank = shapes[0].length;
    const axis = this.axis < 0 ? rank + this.axis : this.axis;
    const out = shapes[0].slice();
    out[axis] = shapes.some((s) => s[axis] === null) ? null : shapes.reduce((a, s) => a + (s[axis] as number), 0);
    return out;
  }
  call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    if (!Array.isArray(inputs)) throw new Error(`${this.name}: concatenate needs a list of inputs`);
    const axis = this.axis < 0 ? inputs[0].shape.length + this.axis : this.axis;
    return tf.concat(inputs, axis);
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axis: this.axis };
  }
}

/** Elementwise sum of its inputs (all of one shape). */
export class Add extends Layer {
  getClassName(): string {
    return "Add";
  }
  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shapes = inputShape as Shape[];
    if (!Array.isArray(shapes[0]) || shapes.length < 2)
      throw new Error(`${this.name}: add needs a list of at least two inputs`);
    return shapes[0];
  }
  call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    if (!Array.isArray(inputs)) throw new Error(`${this.name}: add needs a list of inputs`);
    return tf.tidy(() => inputs.slice(1).reduce((a, b) => tf.add(a, b), inputs[0]));
  }
}

registerLayerClass("Dense", (c) => new Dense(c as unknown as DenseArgs));
registerLayerClass("Flatten", (c) => new Flatten(c));
registerLayerClass("Reshape", (c) => new Reshape(c as unknown as LayerArgs & { targetShape: number[] }));
registerLayerClass("Dropout", (c) => new Dropout(c as unknown as LayerArgs & { rate: number }));
registerLayerClass("Activation", (c) => new ActivationLayer(c as unknown as LayerArgs & { activation: string }));
registerLayerClass("Concatenate", (c) => new Concatenate(c));
registerLayerClass("Add", (c) => new Add(c));
