/** BatchNormalization over the last axis. */
import * as tf from "../core.js";
import { Layer, type LayerArgs, type Shape, type CallArgs, type LayerVariable } from "../topology.js";
import { getInitializer, type InitializerIdentifier, type Initializer } from "../initializers.js";
import { getRegularizer, type Regularizer, type RegularizerIdentifier } from "../regularizers.js";
import { registerLayerClass } from "../registry.js";
import { serialize } from "./core.js";
import { lastDim } from "./common.js";

export interface BatchNormalizationArgs extends LayerArgs {
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
}

/**
 * Normalises each channel: in training with the batch's mean and variance (and updates the moving
 * averages `moving = moving·momentum + batch·(1−momentum)`); in inference with the moving averages.
 */
export class BatchNormalization extends Layer {
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
  gamma?: LayerVariable;
  beta?: LayerVariable;
  movingMean?: LayerVariable;
  movingVariance?: LayerVariable;

  constructor(args: BatchNormalizationArgs = {}) {
    super(args);
    this.axis = args.axis ?? -1;
    this.momentum = args.momentum ?? 0.99;
    this.epsilon = args.epsilon ?? 1e-3;
    this.center = args.center ?? true;
    this.scale = args.scale ?? true;
    this.betaInitializer = getInitializer(args.betaInitializer, "zeros");
    this.gammaInitializer = getInitializer(args.gammaInitializer, "ones");
    this.movingMeanInitializer = getInitializer(args.movingMeanInitializer, "zeros");
    this.movingVarianceInitializer = getInitializer(args.movingVarianceInitializer, "ones");
    this.betaRegularizer = getRegularizer(args.betaRegularizer);
    this.gammaRegularizer = getRegularizer(args.gammaRegularizer);
  }
  getClassName(): string {
    return "BatchNormalization";
  }
  override build(inputShape: Shape): void {
    if (this.axis !== -1 && this.axis !== inputShape.length - 1)
      throw new Error(`${this.name}: only the last axis (axis -1) is supported`);
    const c = lastDim(this.name, inputShape);
    if (this.scale)
      this.gamma = this.addWeight("gamma", [c], this.gammaInitializer, { regularizer: this.gammaRegularizer });
    if (this.center)
      this.beta = this.addWeight("beta", [c], this.betaInitializer, { regularizer: this.betaRegularizer });
    this.movingMean = this.addWeight("moving_mean", [c], this.movingMeanInitializer, { trainable: false });
    this.movingVariance = this.addWeight("moving_variance", [c], this.movingVarianceInitializer, { trainable: false });
    this.built = true;
  }
  call(inputs: tf.Tensor | tf.Tensor[], kwargs: CallArgs): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    const axes = x.shape.map((_, i) => i).slice(0, -1);
    const normalize = (mean: tf.Tensor, variance: tf.Tensor) => {
      let y = tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, this.epsilon)));
      if (this.gamma) y = tf.mul(y, this.gamma.read());
      if (this.beta) y = tf.add(y, this.beta.read());
      return y;
    };
    if (!kwargs.training) return tf.tidy(() => normalize(this.movingMean!.read(), this.movingVariance!.read()));
    return tf.tidy(() => {
      const { mean, variance } = tf.moments(x, axes);
      const m = this.momentum;
      tf.tidy(() => {
        const stop = (t: tf.Tensor) => tf.stopGradient(t);
        this.movingMean!.write(tf.add(tf.mul(this.movingMean!.read(), m), tf.mul(stop(mean), 1 - m)));
        this.movingVariance!.write(tf.add(tf.mul(this.movingVariance!.read(), m), tf.mul(stop(variance), 1 - m)));
      });
      return normalize(mean, variance);
    });
  }
  override getConfig(): Record<string, unknown> {
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
    };
  }
}

registerLayerClass("BatchNormalization", (c) => new BatchNormalization(c));
