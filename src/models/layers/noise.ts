/**
 * Noise layers, active only in training (`fit`, or `apply(x, { training: true })`): GaussianNoise,
 * GaussianDropout and AlphaDropout. Draws come from `tf.setSeed`'s stream (or `seed`).
 */
import * as tf from "../core.js";
import { Layer, type LayerArgs, type CallArgs } from "../topology.js";
import { registerClass, type ConfigDict } from "../registry.js";
import { randomFrom, type Random } from "../random.js";
import { oneTensor, rate } from "./common.js";

function draw(shape: number[], rng: Random, sample: (r: Random) => number): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const values = new Float32Array(n);
  for (let i = 0; i < n; i++) values[i] = sample(rng);
  return tf.tensor(values, shape, "float32");
}

/** Adds zero-mean Gaussian noise of `stddev` in training (a regulariser; identity in inference). */
export class GaussianNoise extends Layer {
  static className = "GaussianNoise";
  readonly stddev: number;
  readonly seed: number | null;
  constructor(args: LayerArgs & { stddev: number; seed?: number | null }) {
    super(args);
    if (typeof args?.stddev !== "number" || !(args.stddev >= 0))
      throw new Error(`gaussianNoise: stddev must be a non-negative number, got ${args?.stddev}`);
    this.stddev = args.stddev;
    this.seed = args.seed ?? null;
    this.supportsMasking = true;
  }
  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: CallArgs): tf.Tensor {
    const x = oneTensor(this.name, inputs);
    if (!kwargs?.training) return x;
    const rng = randomFrom(this.seed);
    return tf.tidy(() =>
      tf.add(
        x,
        draw(x.shape, rng, (r) => this.stddev * r.normal()),
      ),
    );
  }
  override getConfig(): ConfigDict {
    return { ...super.getConfig(), stddev: this.stddev };
  }
}
registerClass(GaussianNoise);

/** Multiplies by Gaussian noise of mean 1 and stddev `sqrt(rate/(1−rate))` in training. */
export class GaussianDropout extends Layer {
  static className = "GaussianDropout";
  readonly rate: number;
  readonly seed: number | null;
  constructor(args: LayerArgs & { rate: number; seed?: number | null }) {
    super(args);
    this.rate = rate("gaussianDropout: rate", args?.rate);
    this.seed = args.seed ?? null;
    this.supportsMasking = true;
  }
  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: CallArgs): tf.Tensor {
    const x = oneTensor(this.name, inputs);
    if (!kwargs?.training || this.rate === 0) return x;
    const stddev = Math.sqrt(this.rate / (1 - this.rate));
    const rng = randomFrom(this.seed);
    return tf.tidy(() =>
      tf.mul(
        x,
        draw(x.shape, rng, (r) => 1 + stddev * r.normal()),
      ),
    );
  }
  override getConfig(): ConfigDict {
    return { ...super.getConfig(), rate: this.rate };
  }
}
registerClass(GaussianDropout);

const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;

/**
 * Dropout for self-normalising (selu) networks: dropped values are set to selu's negative
 * saturation, then an affine map keeps the mean and variance of the inputs.
 */
export class AlphaDropout extends Layer {
  static className = "AlphaDropout";
  readonly rate: number;
  readonly noiseShape: number[] | null;
  readonly seed: number | null;
  constructor(args: LayerArgs & { rate: number; noiseShape?: number[] | null; seed?: number | null }) {
    super(args);
    this.rate = rate("alphaDropout: rate", args?.rate);
    this.noiseShape = args.noiseShape ?? null;
    this.seed = args.seed ?? null;
    this.supportsMasking = true;
  }
  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: CallArgs): tf.Tensor {
    const x = oneTensor(this.name, inputs);
    if (!kwargs?.training || this.rate === 0) return x;
    const p = this.rate;
    const saturation = -SELU_ALPHA * SELU_SCALE;
    const a = ((1 - p) * (1 + p * saturation ** 2)) ** -0.5;
    const b = -a * saturation * p;
    const rng = randomFrom(this.seed);
    return tf.tidy(() => {
      const kept = draw(this.noiseShape ?? x.shape, rng, (r) => (r.uniform() >= p ? 1 : 0));
      const dropped = tf.add(tf.mul(x, kept), tf.mul(tf.sub(kept, 1), saturation));
      return tf.add(tf.mul(dropped, a), b);
    });
  }
  override getConfig(): ConfigDict {
    return { ...super.getConfig(), rate: this.rate };
  }
}
registerClass(AlphaDropout);
