/** Activation layers with parameters: ReLU, LeakyReLU, PReLU (learned slopes), ELU, ThresholdedReLU, Softmax. */
import * as tf from "../core.js";
import { InputSpec, Layer, type LayerArgs, type Shape, type CallArgs, type LayerVariable } from "../topology.js";
import { getInitializer, type InitializerIdentifier, type Initializer } from "../initializers.js";
import { getRegularizer, type Regularizer, type RegularizerIdentifier } from "../regularizers.js";
import { getConstraint, type Constraint, type ConstraintIdentifier } from "../constraints.js";
import { registerClass, type ConfigDict } from "../registry.js";
import { oneShape, oneTensor, serialize } from "./common.js";

/** `max(x, 0)`, capped at `maxValue` when given. */
export class ReLU extends Layer {
  static className = "ReLU";
  readonly maxValue: number | null;
  constructor(args: LayerArgs & { maxValue?: number | null } = {}) {
    super(args);
    this.maxValue = args?.maxValue ?? null;
    this.supportsMasking = true;
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = oneTensor(this.name, inputs);
    return tf.tidy(() => (this.maxValue === null ? tf.relu(x) : tf.clipByValue(tf.relu(x), 0, this.maxValue)));
  }
  override getConfig(): ConfigDict {
    return { ...super.getConfig(), maxValue: this.maxValue };
  }
}
registerClass(ReLU);

/** `x` where positive, `alpha·x` elsewhere (alpha default 0.3). */
export class LeakyReLU extends Layer {
  static className = "LeakyReLU";
  readonly alpha: number;
  constructor(args: LayerArgs & { alpha?: number } = {}) {
    super(args);
    this.alpha = args?.alpha ?? 0.3;
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.leakyRelu(oneTensor(this.name, inputs), this.alpha);
  }
  override getConfig(): ConfigDict {
    return { ...super.getConfig(), alpha: this.alpha };
  }
}
registerClass(LeakyReLU);

export interface PReLUArgs extends LayerArgs {
  /** Initial slopes (default zeros). */
  alphaInitializer?: InitializerIdentifier;
  alphaRegularizer?: RegularizerIdentifier;
  alphaConstraint?: ConstraintIdentifier;
  /** Axes (1-based, batch excluded) along which one slope is shared, e.g. [1, 2] for images: one per channel. */
  sharedAxes?: number | number[] | null;
}

/** Parametric ReLU: `x` where positive, `alpha·x` elsewhere, with `alpha` learned per position. */
export class PReLU extends Layer {
  static className = "PReLU";
  readonly alphaInitializer: Initializer;
  readonly alphaRegularizer: Regularizer | null;
  readonly alphaConstraint: Constraint | null;
  readonly sharedAxes: number[] | null;
  alpha?: LayerVariable;
  constructor(args: PReLUArgs = {}) {
    super(args);
    this.alphaInitializer = getInitializer(args?.alphaInitializer, "zeros");
    this.alphaRegularizer = getRegularizer(args?.alphaRegularizer);
    this.alphaConstraint = getConstraint(args?.alphaConstraint);
    const shared = args?.sharedAxes;
    if (shared != null && typeof shared !== "number" && !Array.isArray(shared))
      throw new Error(`prelu: sharedAxes must be a number or an array of numbers, got ${JSON.stringify(shared)}`);
    this.sharedAxes = shared == null ? null : typeof shared === "number" ? [shared] : shared.slice();
    this.supportsMasking = true;
  }
  override build(inputShape: Shape | Shape[]): void {
    const shape = oneShape(inputShape);
    const paramShape = shape.slice(1);
    for (const a of this.sharedAxes ?? []) paramShape[a - 1] = 1;
    if (paramShape.some((d) => d === null))
      throw new Error(`${this.name}: the input shape [${shape}] must be known except the batch (or use sharedAxes)`);
    this.alpha = this.addWeight(
      "alpha",
      paramShape as number[],
      "float32",
      this.alphaInitializer,
      this.alphaRegularizer,
      true,
      this.alphaConstraint,
    );
    const axes: Record<number, number> = {};
    if (this.sharedAxes) shape.forEach((d, i) => i > 0 && d !== null && (axes[i] = d));
    this.inputSpec = [new InputSpec({ ndim: shape.length, axes })];
    this.built = true;
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.prelu(oneTensor(this.name, inputs), this.alpha!.read());
  }
  override getConfig(): ConfigDict {
    return {
      ...super.getConfig(),
      alphaInitializer: serialize(this.alphaInitializer),
      alphaRegularizer: serialize(this.alphaRegularizer),
      alphaConstraint: serialize(this.alphaConstraint),
      sharedAxes: this.sharedAxes,
    };
  }
}
registerClass(PReLU);

/** `x` where positive, `alpha·(e^x − 1)` elsewhere (alpha default 1). */
export class ELU extends Layer {
  static className = "ELU";
  readonly alpha: number;
  constructor(args: LayerArgs & { alpha?: number } = {}) {
    super(args);
    this.alpha = args?.alpha ?? 1;
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = oneTensor(this.name, inputs);
    if (this.alpha === 1) return tf.elu(x);
    return tf.tidy(() => tf.where(tf.greater(x, 0), x, tf.mul(this.alpha, tf.expm1(tf.minimum(x, 0)))));
  }
  override getConfig(): ConfigDict {
    return { ...super.getConfig(), alpha: this.alpha };
  }
}
registerClass(ELU);

/** `x` where `x > theta` (default 1), else 0. */
export class ThresholdedReLU extends Layer {
  static className = "ThresholdedReLU";
  readonly theta: number;
  constructor(args: LayerArgs & { theta?: number } = {}) {
    super(args);
    this.theta = args?.theta ?? 1;
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = oneTensor(this.name, inputs);
    return tf.tidy(() => tf.mul(x, tf.cast(tf.greater(x, this.theta), "float32")));
  }
  override getConfig(): ConfigDict {
    return { ...super.getConfig(), theta: this.theta };
  }
}
registerClass(ThresholdedReLU);

/** Softmax along `axis` (TF.js's default: axis 1); masked positions (mask 0) get probability ≈ 0. */
export class Softmax extends Layer {
  static className = "Softmax";
  readonly axis: number | number[];
  constructor(args: LayerArgs & { axis?: number | number[] } = {}) {
    super(args);
    this.axis = args?.axis ?? 1;
  }
  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: CallArgs): tf.Tensor {
    let x = oneTensor(this.name, inputs);
    const mask = kwargs?.mask;
    return tf.tidy(() => {
      if (mask != null && !Array.isArray(mask)) x = tf.add(x, tf.mul(tf.sub(1, tf.cast(mask, x.dtype)), -1e9));
      if (Array.isArray(this.axis) && this.axis.length > 1) return tf.exp(tf.sub(x, tf.logSumExp(x, this.axis, true)));
      return tf.softmax(x, Array.isArray(this.axis) ? this.axis[0] : this.axis);
    });
  }
  override getConfig(): ConfigDict {
    return { ...super.getConfig(), axis: this.axis };
  }
}
registerClass(Softmax);
