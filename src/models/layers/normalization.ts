/** BatchNormalization (per channel, any axis) and LayerNormalization (per example). */
import * as tf from "../core.js";
import { InputSpec, Layer, type LayerArgs, type Shape, type CallArgs, type LayerVariable } from "../topology.js";
import { getInitializer, type InitializerIdentifier, type Initializer } from "../initializers.js";
import { getRegularizer, type Regularizer, type RegularizerIdentifier } from "../regularizers.js";
import { getConstraint, type Constraint, type ConstraintIdentifier } from "../constraints.js";
import { registerClass, type ConfigDict } from "../registry.js";
import { oneShape, oneTensor, serialize } from "./common.js";

export interface BatchNormalizationArgs extends LayerArgs {
  /** The channel axis (default -1: the last). */
  axis?: number;
  momentum?: number;
  epsilon?: number;
  center?: boolean;
  scale?: boolean;
  betaInitializer?: InitializerIdentifier;
  gammaInitializer?: InitializerIdentifier;
  movingMeanInitializer?: InitializerIdentifier;
  movingVarianceInitializer?: InitializerIdentifier;
  betaRegularizer?: RegularizerIdentifier;
  gammaRegularizer?: RegularizerIdentifier;
  betaConstraint?: ConstraintIdentifier;
  gammaConstraint?: ConstraintIdentifier;
}

/** `(x − mean)/sqrt(variance + ε)·gamma + beta` with statistics of shape `broadcast` (or 1-D along the last axis). */
function normalize(
  x: tf.Tensor,
  mean: tf.Tensor,
  variance: tf.Tensor,
  gamma: tf.Tensor | undefined,
  beta: tf.Tensor | undefined,
  epsilon: number,
  broadcast: number[],
): tf.Tensor {
  const shaped = (t: tf.Tensor) => (t.rank === broadcast.length ? t : tf.reshape(t, broadcast));
  let y = tf.div(tf.sub(x, shaped(mean)), tf.sqrt(tf.add(shaped(variance), epsilon)));
  if (gamma) y = tf.mul(y, shaped(gamma));
  if (beta) y = tf.add(y, shaped(beta));
  return y;
}

/**
 * Normalises each channel: in training with the batch's mean and variance (and updates the moving
 * averages `moving = moving·momentum + batch·(1−momentum)`); in inference with the moving averages.
 */
export class BatchNormalization extends Layer {
  static className = "BatchNormalization";
  readonly axis: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  readonly betaInitializer: Initializer;
  readonly gammaInitializer: Initializer;
  readonly movingMeanInitializer: Initializer;
  readonly movingVarianceInitializer: Initializer;
  readonly betaRegularizer: Regularizer | null;
  readonly gammaRegularizer: Regularizer | null;
  readonly betaConstraint: Constraint | null;
  readonly gammaConstraint: Constraint | null;
  gamma?: LayerVariable;
  beta?: LayerVariable;
  movingMean?: LayerVariable;
  movingVariance?: LayerVariable;

  constructor(args: BatchNormalizationArgs = {}) {
    super(args);
    this.axis = args?.axis ?? -1;
    this.momentum = args?.momentum ?? 0.99;
    this.epsilon = args?.epsilon ?? 1e-3;
    this.center = args?.center ?? true;
    this.scale = args?.scale ?? true;
    this.betaInitializer = getInitializer(args?.betaInitializer, "zeros");
    this.gammaInitializer = getInitializer(args?.gammaInitializer, "ones");
    this.movingMeanInitializer = getInitializer(args?.movingMeanInitializer, "zeros");
    this.movingVarianceInitializer = getInitializer(args?.movingVarianceInitializer, "ones");
    this.betaRegularizer = getRegularizer(args?.betaRegularizer);
    this.gammaRegularizer = getRegularizer(args?.gammaRegularizer);
    this.betaConstraint = getConstraint(args?.betaConstraint);
    this.gammaConstraint = getConstraint(args?.gammaConstraint);
    this.supportsMasking = true;
  }
  private resolvedAxis(rank: number): number {
    const axis = this.axis < 0 ? rank + this.axis : this.axis;
    if (axis < 0 || axis >= rank) throw new Error(`${this.name}: axis ${this.axis} is out of range for rank ${rank}`);
    return axis;
  }
  override build(inputShape: Shape | Shape[]): void {
    const shape = oneShape(inputShape);
    const axis = this.resolvedAxis(shape.length);
    const c = shape[axis];
    if (c === null) throw new Error(`${this.name}: the size of axis ${this.axis} must be known, got shape [${shape}]`);
    this.inputSpec = [new InputSpec({ ndim: shape.length, axes: { [axis]: c } })];
    if (this.scale)
      this.gamma = this.addWeight(
        "gamma",
        [c],
        "float32",
        this.gammaInitializer,
        this.gammaRegularizer,
        true,
        this.gammaConstraint,
      );
    if (this.center)
      this.beta = this.addWeight(
        "beta",
        [c],
        "float32",
        this.betaInitializer,
        this.betaRegularizer,
        true,
        this.betaConstraint,
      );
    this.movingMean = this.addWeight("moving_mean", [c], "float32", this.movingMeanInitializer, null, false);
    this.movingVariance = this.addWeight(
      "moving_variance",
      [c],
      "float32",
      this.movingVarianceInitializer,
      null,
      false,
    );
    this.built = true;
  }
  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: CallArgs): tf.Tensor {
    const x = oneTensor(this.name, inputs);
    const axis = this.resolvedAxis(x.rank);
    const broadcast = x.shape.map((d, i) => (i === axis ? d : 1));
    const reduce = x.shape.map((_, i) => i).filter((i) => i !== axis);
    const gamma = this.gamma?.read();
    const beta = this.beta?.read();
    if (!kwargs?.training)
      return tf.tidy(() =>
        normalize(x, this.movingMean!.read(), this.movingVariance!.read(), gamma, beta, this.epsilon, broadcast),
      );
    return tf.tidy(() => {
      const { mean, variance } = tf.moments(x, reduce);
      const m = this.momentum;
      tf.tidy(() => {
        const stop = (t: tf.Tensor) => tf.stopGradient(t);
        this.movingMean!.write(tf.add(tf.mul(this.movingMean!.read(), m), tf.mul(stop(mean), 1 - m)));
        this.movingVariance!.write(tf.add(tf.mul(this.movingVariance!.read(), m), tf.mul(stop(variance), 1 - m)));
      });
      return normalize(x, mean, variance, gamma, beta, this.epsilon, broadcast);
    });
  }
  override getConfig(): ConfigDict {
    return {
      ...super.getConfig(),
      axis: this.axis,
      momentum: this.momentum,
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      betaInitializer: serialize(this.betaInitializer),
      gammaInitializer: serialize(this.gammaInitializer),
      movingMeanInitializer: serialize(this.movingMeanInitializer),
      movingVarianceInitializer: serialize(this.movingVarianceInitializer),
      betaRegularizer: serialize(this.betaRegularizer),
      gammaRegularizer: serialize(this.gammaRegularizer),
      betaConstraint: serialize(this.betaConstraint),
      gammaConstraint: serialize(this.gammaConstraint),
    };
  }
}
registerClass(BatchNormalization);

export interface LayerNormalizationArgs extends LayerArgs {
  /** The axis or axes normalised over (default -1), per example. */
  axis?: number | number[];
  epsilon?: number;
  center?: boolean;
  scale?: boolean;
  betaInitializer?: InitializerIdentifier;
  gammaInitializer?: InitializerIdentifier;
  betaRegularizer?: RegularizerIdentifier;
  gammaRegularizer?: RegularizerIdentifier;
}

/** Normalises each example over `axis` (default the last) to zero mean and unit variance, then scales and shifts. */
export class LayerNormalization extends Layer {
  static className = "LayerNormalization";
  /** The axes as given; after `build`, resolved to a list of non-negative axes (as TF.js). */
  axis: number | number[];
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  readonly betaInitializer: Initializer;
  readonly gammaInitializer: Initializer;
  readonly betaRegularizer: Regularizer | null;
  readonly gammaRegularizer: Regularizer | null;
  gamma?: LayerVariable;
  beta?: LayerVariable;
  constructor(args: LayerNormalizationArgs = {}) {
    super(args);
    const axis = args?.axis ?? -1;
    const ints = Array.isArray(axis) ? axis : [axis];
    if (!ints.every((a) => Number.isInteger(a)))
      throw new Error(`layerNormalization: axis must be an integer or integers, got ${JSON.stringify(axis)}`);
    this.axis = Array.isArray(axis) ? axis.slice() : axis;
    this.epsilon = args?.epsilon ?? 1e-3;
    this.center = args?.center ?? true;
    this.scale = args?.scale ?? true;
    this.betaInitializer = getInitializer(args?.betaInitializer, "zeros");
    this.gammaInitializer = getInitializer(args?.gammaInitializer, "ones");
    this.betaRegularizer = getRegularizer(args?.betaRegularizer);
    this.gammaRegularizer = getRegularizer(args?.gammaRegularizer);
    this.supportsMasking = true;
  }
  private axes(rank: number): number[] {
    const axes = (Array.isArray(this.axis) ? this.axis : [this.axis]).map((a) => (a < 0 ? a + rank : a));
    if (axes.some((a) => a < 0 || a >= rank))
      throw new Error(`${this.name}: axis ${JSON.stringify(this.axis)} is out of range`);
    if (new Set(axes).size !== axes.length)
      throw new Error(`${this.name}: duplicate axes in ${JSON.stringify(this.axis)}`);
    return axes;
  }
  override build(inputShape: Shape | Shape[]): void {
    const shape = oneShape(inputShape);
    const axes = this.axes(shape.length);
    const paramShape = axes.map((a) => shape[a]);
    if (paramShape.some((d) => d === null))
      throw new Error(`${this.name}: the normalised axes must have known sizes, got shape [${shape}]`);
    if (this.scale)
      this.gamma = this.addWeight(
        "gamma",
        paramShape as number[],
        "float32",
        this.gammaInitializer,
        this.gammaRegularizer,
      );
    if (this.center)
      this.beta = this.addWeight("beta", paramShape as number[], "float32", this.betaInitializer, this.betaRegularizer);
    this.axis = axes;
    this.built = true;
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = oneTensor(this.name, inputs);
    const axes = this.axes(x.rank);
    return tf.tidy(() => {
      const { mean, variance } = tf.moments(x, axes, true);
      const broadcast = x.shape.map((d, i) => (axes.includes(i) ? d : 1));
      // Parameters are laid out over the axes as given (reshaped, as TF.js does).
      const params = (v: LayerVariable | undefined) => (v ? tf.reshape(v.read(), broadcast) : undefined);
      return normalize(x, mean, variance, params(this.gamma), params(this.beta), this.epsilon, broadcast);
    });
  }
  override getConfig(): ConfigDict {
    return {
      ...super.getConfig(),
      axis: this.axis,
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      betaInitializer: serialize(this.betaInitializer),
      gammaInitializer: serialize(this.gammaInitializer),
      betaRegularizer: serialize(this.betaRegularizer),
      gammaRegularizer: serialize(this.gammaRegularizer),
    };
  }
}
registerClass(LayerNormalization);
