/**
 * Weight initializers (`tf.initializers.*`), all seeded: pass `seed` for a fixed draw, or leave
 * it out to draw from the stream that `tf.setRandomSeed` controls.
 */
import * as tf from "./core.js";
import { lookupByName } from "./naming.js";
import { randomFrom, type Random } from "./random.js";

export type FanMode = "fanIn" | "fanOut" | "fanAvg";
export type Distribution = "normal" | "uniform" | "truncatedNormal";

/** How a layer fills a new weight tensor: `tf.initializers.*` make them; `apply(shape)` draws one. */
export abstract class Initializer {
  /** A new tensor of `shape` with this initializer's values. */
  abstract apply(shape: number[], dtype?: "float32" | "int32"): tf.Tensor;
  abstract getClassName(): string;
  getConfig(): Record<string, unknown> {
    return {};
  }
}

function size(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function fill(shape: number[], dtype: "float32" | "int32" | undefined, draw: (i: number) => number): tf.Tensor {
  const n = size(shape);
  const values = new Float32Array(n);
  for (let i = 0; i < n; i++) values[i] = draw(i);
  const t = tf.tensor(values, shape, "float32");
  if (dtype === "int32") {
    const c = tf.cast(t, "int32");
    t.dispose();
    return c;
  }
  return t;
}

/** Fan-in and fan-out of a weight of `shape` ([in, out] dense, [...kernel, in, out] convolution). */
export function computeFans(shape: number[]): { fanIn: number; fanOut: number } {
  if (shape.length === 0) return { fanIn: 1, fanOut: 1 };
  if (shape.length === 1) return { fanIn: shape[0], fanOut: shape[0] };
  if (shape.length === 2) return { fanIn: shape[0], fanOut: shape[1] };
  const receptive = size(shape.slice(0, -2));
  return { fanIn: shape[shape.length - 2] * receptive, fanOut: shape[shape.length - 1] * receptive };
}

export class Zeros extends Initializer {
  apply(shape: number[], dtype?: "float32" | "int32"): tf.Tensor {
    return fill(shape, dtype, () => 0);
  }
  getClassName(): string {
    return "Zeros";
  }
}

export class Ones extends Initializer {
  apply(shape: number[], dtype?: "float32" | "int32"): tf.Tensor {
    return fill(shape, dtype, () => 1);
  }
  getClassName(): string {
    return "Ones";
  }
}

export class Constant extends Initializer {
  readonly value: number;
  constructor(args: { value: number }) {
    super();
    this.value = args.value;
  }
  apply(shape: number[], dtype?: "float32" | "int32"): tf.Tensor {
    return fill(shape, dtype, () => this.value);
  }
  getClassName(): string {
    return "Constant";
  }
  override getConfig(): Record<string, unknown> {
    return { value: this.value };
  }
}

abstract class SeededInitializer extends Initializer {
  readonly seed: number | undefined;
  constructor(seed?: number | null) {
    super();
    this.seed = seed ?? undefined;
  }
  protected rng(): Random {
    return randomFrom(this.seed);
  }
}

/** A seeded initializer drawing around `mean` with spread `stddev` (defaults 0 and 0.05, as TF.js). */
abstract class MeanStddevInitializer extends SeededInitializer {
  readonly mean: number;
  readonly stddev: number;
  constructor(args: { mean?: number; stddev?: number; seed?: number | null } = {}) {
    super(args.seed);
    this.mean = args.mean ?? 0;
    this.stddev = args.stddev ?? 0.05;
  }
  override getConfig(): Record<string, unknown> {
    return { mean: this.mean, stddev: this.stddev, seed: this.seed ?? null };
  }
}

export class RandomNormal extends MeanStddevInitializer {
  apply(shape: number[], dtype?: "float32" | "int32"): tf.Tensor {
    const r = this.rng();
    return fill(shape, dtype, () => this.mean + this.stddev * r.normal());
  }
  getClassName(): string {
    return "RandomNormal";
  }
}

export class RandomUniform extends SeededInitializer {
  readonly minval: number;
  readonly maxval: number;
  constructor(args: { minval?: number; maxval?: number; seed?: number | null } = {}) {
    super(args.seed);
    this.minval = args.minval ?? -0.05;
    this.maxval = args.maxval ?? 0.05;
  }
  apply(shape: number[], dtype?: "float32" | "int32"): tf.Tensor {
    const r = this.rng();
    return fill(shape, dtype, () => this.minval + (this.maxval - this.minval) * r.uniform());
  }
  getClassName(): string {
    return "RandomUniform";
  }
  override getConfig(): Record<string, unknown> {
    return { minval: this.minval, maxval: this.maxval, seed: this.seed ?? null };
  }
}

/** Normal values redrawn when more than two standard deviations from the mean. */
export class TruncatedNormal extends MeanStddevInitializer {
  apply(shape: number[], dtype?: "float32" | "int32"): tf.Tensor {
    const r = this.rng();
    return fill(shape, dtype, () => this.mean + this.stddev * r.truncatedNormal());
  }
  getClassName(): string {
    return "TruncatedNormal";
  }
}

// Standard deviation of a unit normal truncated to [-2, 2]: dividing by it restores unit variance.
const TRUNCATED_NORMAL_STDDEV = 0.8796256610342398;

/**
 * Values with variance `scale / n`, where n is the fan-in, fan-out or their average.
 * The base of the Glorot, He and LeCun initializers.
 */
export class VarianceScaling extends SeededInitializer {
  readonly scale: number;
  readonly mode: FanMode;
  readonly distribution: Distribution;
  constructor(
    args: { scale?: number; mode?: FanMode | string; distribution?: Distribution | string; seed?: number | null } = {},
  ) {
    super(args.seed);
    this.scale = args.scale ?? 1;
    if (!(this.scale > 0)) throw new Error(`VarianceScaling: scale must be positive, got ${this.scale}`);
    this.mode = lookupByName("fan mode", args.mode ?? "fanIn", {
      fanIn: "fanIn",
      fanOut: "fanOut",
      fanAvg: "fanAvg",
    } as const);
    this.distribution = lookupByName("distribution", args.distribution ?? "truncatedNormal", {
      normal: "normal",
      uniform: "uniform",
      truncatedNormal: "truncatedNormal",
    } as const);
  }
  apply(shape: number[], dtype?: "float32" | "int32"): tf.Tensor {
    const { fanIn, fanOut } = computeFans(shape);
    const n = this.mode === "fanIn" ? fanIn : this.mode === "fanOut" ? fanOut : (fanIn + fanOut) / 2;
    const variance = this.scale / Math.max(1, n);
    const r = this.rng();
    if (this.distribution === "uniform") {
      const limit = Math.sqrt(3 * variance);
      return fill(shape, dtype, () => (2 * r.uniform() - 1) * limit);
    }
    if (this.distribution === "normal") {
      const std = Math.sqrt(variance);
      return fill(shape, dtype, () => std * r.normal());
    }
    const std = Math.sqrt(variance) / TRUNCATED_NORMAL_STDDEV;
    return fill(shape, dtype, () => std * r.truncatedNormal());
  }
  getClassName(): string {
    return "VarianceScaling";
  }
  override getConfig(): Record<string, unknown> {
    const mode = { fanIn: "fan_in", fanOut: "fan_out", fanAvg: "fan_avg" }[this.mode];
    const distribution = this.distribution === "truncatedNormal" ? "truncated_normal" : this.distribution;
    return { scale: this.scale, mode, distribution, seed: this.seed ?? null };
  }
}

/**
 * A VarianceScaling with fixed settings, saved under its own class name (as TF.js does), so only
 * the seed is configurable.
 */
type VarianceScalingPreset = new (args?: { seed?: number | null }) => VarianceScaling;

function varianceScalingPreset(
  className: string,
  scale: number,
  mode: FanMode,
  distribution: Distribution,
): VarianceScalingPreset {
  return class extends VarianceScaling {
    constructor(args: { seed?: number | null } = {}) {
      super({ scale, mode, distribution, seed: args.seed });
    }
    override getClassName(): string {
      return className;
    }
    override getConfig(): Record<string, unknown> {
      return { seed: this.seed ?? null };
    }
  };
}

export const GlorotUniform = varianceScalingPreset("GlorotUniform", 1, "fanAvg", "uniform");
export const GlorotNormal = varianceScalingPreset("GlorotNormal", 1, "fanAvg", "truncatedNormal");
export const HeNormal = varianceScalingPreset("HeNormal", 2, "fanIn", "truncatedNormal");
export const HeUniform = varianceScalingPreset("HeUniform", 2, "fanIn", "uniform");
export const LeCunNormal = varianceScalingPreset("LeCunNormal", 1, "fanIn", "truncatedNormal");
export const LeCunUniform = varianceScalingPreset("LeCunUniform", 1, "fanIn", "uniform");

/** A (semi-)orthogonal matrix times `gain`, from the QR decomposition of a normal draw. */
export class Orthogonal extends SeededInitializer {
  readonly gain: number;
  constructor(args: { gain?: number; seed?: number | null } = {}) {
    super(args.seed);
    this.gain = args.gain ?? 1;
  }
  apply(shape: number[], dtype?: "float32" | "int32"): tf.Tensor {
    if (shape.length < 2) throw new Error(`Orthogonal initializer needs a shape of rank ≥ 2, got [${shape}]`);
    const rows = size(shape.slice(0, -1));
    const cols = shape[shape.length - 1];
    const tall = Math.max(rows, cols);
    const wide = Math.min(rows, cols);
    const r = this.rng();
    // Columns of a tall×wide normal matrix, orthonormalised by modified Gram–Schmidt.
    const q: Float64Array[] = [];
    for (let j = 0; j < wide; j++) {
      const v = new Float64Array(tall);
      for (let i = 0; i < tall; i++) v[i] = r.normal();
      for (const u of q) {
        let dot = 0;
        for (let i = 0; i < tall; i++) dot += u[i] * v[i];
        for (let i = 0; i < tall; i++) v[i] -= dot * u[i];
      }
      let norm = 0;
      for (let i = 0; i < tall; i++) norm += v[i] * v[i];
      norm = Math.sqrt(norm) || 1;
      for (let i = 0; i < tall; i++) v[i] /= norm;
      q.push(v);
    }
    // rows ≥ cols: entry (i, j) = q[j][i]; otherwise the transpose.
    return fill(shape, dtype, (k) => {
      const i = Math.floor(k / cols);
      const j = k % cols;
      return this.gain * (rows >= cols ? q[j][i] : q[i][j]);
    });
  }
  getClassName(): string {
    return "Orthogonal";
  }
  override getConfig(): Record<string, unknown> {
    return { gain: this.gain, seed: this.seed ?? null };
  }
}

/** `gain` times the identity matrix (square 2-D weights only, e.g. a recurrent kernel). */
export class Identity extends Initializer {
  readonly gain: number;
  constructor(args: { gain?: number } = {}) {
    super();
    this.gain = args.gain ?? 1;
  }
  apply(shape: number[], dtype?: "float32" | "int32"): tf.Tensor {
    if (shape.length !== 2 || shape[0] !== shape[1]) {
      throw new Error(`Identity initializer needs a square 2-D shape, got [${shape}]`);
    }
    return fill(shape, dtype, (k) => (Math.floor(k / shape[1]) === k % shape[1] ? this.gain : 0));
  }
  getClassName(): string {
    return "Identity";
  }
  override getConfig(): Record<string, unknown> {
    return { gain: this.gain };
  }
}

// biome-ignore lint/suspicious/noExplicitAny: each class takes its own option bag
type InitializerClass = new (args?: any) => Initializer;

const CLASSES: Record<string, InitializerClass> = {
  zeros: Zeros,
  ones: Ones,
  constant: Constant,
  randomNormal: RandomNormal,
  randomUniform: RandomUniform,
  truncatedNormal: TruncatedNormal,
  varianceScaling: VarianceScaling,
  glorotUniform: GlorotUniform,
  glorotNormal: GlorotNormal,
  heNormal: HeNormal,
  heUniform: HeUniform,
  lecunNormal: LeCunNormal,
  lecunUniform: LeCunUniform,
  orthogonal: Orthogonal,
  identity: Identity,
};

export type InitializerIdentifier =
  | string
  | Initializer
  | { className?: string; class_name?: string; config?: Record<string, unknown> };

/** Resolves 'glorotUniform' / 'glorot_uniform' / an Initializer / a Keras `{class_name, config}`. */
export function getInitializer(id: InitializerIdentifier | null | undefined, fallback: string): Initializer {
  if (id == null) id = fallback;
  if (id instanceof Initializer) return id;
  if (typeof id === "string") return new (lookupByName("initializer", id, CLASSES))();
  const name = id.className ?? id.class_name;
  if (!name) throw new Error(`initializer object needs a className: ${JSON.stringify(id)}`);
  return new (lookupByName("initializer", name, CLASSES))(id.config ?? {});
}

/**
 * `tf.initializers.*` factories.
 *
 * ```ts
 * tf.layers.dense({ units: 4, kernelInitializer: tf.initializers.heNormal({ seed: 1 }) });
 * ```
 */
export const initializers = {
  /** Starts every weight at 0 (the usual bias initializer). Example: `tf.layers.dense({ units: 4, kernelInitializer: tf.initializers.zeros() })`. */
  zeros: () => new Zeros(),
  /** Starts every weight at 1. Example: `tf.initializers.ones()`. */
  ones: () => new Ones(),
  /** Starts every weight at `value`. Example: `tf.initializers.constant({ value: 0.1 })`. */
  constant: (args: { value: number }) => new Constant(args),
  /** Normal samples with `mean` (default 0) and `stddev` (default 0.05). Example: `tf.initializers.randomNormal({ stddev: 0.01 })`. */
  randomNormal: (args: { mean?: number; stddev?: number; seed?: number } = {}) => new RandomNormal(args),
  /** Uniform samples in `[minval, maxval)` (default ±0.05). Example: `tf.initializers.randomUniform({ minval: -0.1, maxval: 0.1 })`. */
  randomUniform: (args: { minval?: number; maxval?: number; seed?: number } = {}) => new RandomUniform(args),
  /** Normal samples, redrawn beyond two standard deviations. Example: `tf.initializers.truncatedNormal({ stddev: 0.1 })`. */
  truncatedNormal: (args: { mean?: number; stddev?: number; seed?: number } = {}) => new TruncatedNormal(args),
  /** Samples scaled to the layer's fan-in, fan-out or their average (`mode`), from a normal, truncated normal or uniform `distribution`. Example: `tf.initializers.varianceScaling({ scale: 2, mode: "fanIn" })`. */
  varianceScaling: (args: { scale?: number; mode?: FanMode; distribution?: Distribution; seed?: number } = {}) =>
    new VarianceScaling(args),
  /** Glorot (Xavier) uniform: keeps activations' variance across layers; the default for dense and convolution kernels. Example: `tf.initializers.glorotUniform({ seed: 1 })`. */
  glorotUniform: (args: { seed?: number } = {}) => new GlorotUniform(args),
  /** Glorot (Xavier) truncated normal with variance `2 / (fanIn + fanOut)`. Example: `tf.initializers.glorotNormal()`. */
  glorotNormal: (args: { seed?: number } = {}) => new GlorotNormal(args),
  /** He truncated normal with variance `2 / fanIn`, suited to ReLU layers. Example: `tf.initializers.heNormal()`. */
  heNormal: (args: { seed?: number } = {}) => new HeNormal(args),
  /** He uniform with variance `2 / fanIn`, suited to ReLU layers. Example: `tf.initializers.heUniform()`. */
  heUniform: (args: { seed?: number } = {}) => new HeUniform(args),
  /** LeCun truncated normal with variance `1 / fanIn` (for SELU networks). Example: `tf.initializers.leCunNormal()`. */
  leCunNormal: (args: { seed?: number } = {}) => new LeCunNormal(args),
  /** LeCun uniform with variance `1 / fanIn`. Example: `tf.initializers.leCunUniform()`. */
  leCunUniform: (args: { seed?: number } = {}) => new LeCunUniform(args),
  /** Same as `leCunNormal` (Keras spelling). */
  lecunNormal: (args: { seed?: number } = {}) => new LeCunNormal(args),
  /** Same as `leCunUniform` (Keras spelling). */
  lecunUniform: (args: { seed?: number } = {}) => new LeCunUniform(args),
  /** A random orthogonal matrix (times `gain`), often used for recurrent kernels. Example: `tf.initializers.orthogonal({ gain: 1 })`. */
  orthogonal: (args: { gain?: number; seed?: number } = {}) => new Orthogonal(args),
  /** `gain` (default 1) times the identity matrix, for square 2-D weights. */
  identity: (args: { gain?: number } = {}) => new Identity(args),
};
