/**
 * Weight constraints (`tf.constraints.*`): functions a layer applies to a weight after each
 * optimizer step (`kernelConstraint`, `biasConstraint`, `addWeight(…, constraint)`), with TF.js's
 * names, defaults and saved configs.
 */
import * as tf from "./core.js";
import { lookupByName } from "./naming.js";

/** Keras's fuzz factor: keeps the norm divisions finite for all-zero weights. */
const EPSILON = 1e-7;

/** The base class: `apply(w)` returns the constrained weight (a new tensor). */
export abstract class Constraint {
  /** The constrained value of weight `w`. */
  abstract apply(w: tf.Tensor): tf.Tensor;
  abstract getClassName(): string;
  getConfig(): Record<string, unknown> {
    return {};
  }
}

function norms(w: tf.Tensor, axis: number | number[]): tf.Tensor {
  return tf.sqrt(tf.sum(tf.square(w), axis, true));
}

/** Scales each slice along `axis` so its L2 norm is at most `maxValue`. Example: `new MaxNorm({ maxValue: 3 }).apply(w)`. */
export class MaxNorm extends Constraint {
  readonly maxValue: number;
  readonly axis: number | number[];
  constructor(args: { maxValue?: number; axis?: number | number[] } = {}) {
    super();
    this.maxValue = args.maxValue ?? 2;
    this.axis = args.axis ?? 0;
  }
  apply(w: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const n = norms(w, this.axis);
      const desired = tf.clipByValue(n, 0, this.maxValue);
      return tf.mul(w, tf.div(desired, tf.add(n, EPSILON)));
    });
  }
  getClassName(): string {
    return "MaxNorm";
  }
  override getConfig(): Record<string, unknown> {
    return { maxValue: this.maxValue, axis: this.axis };
  }
}

/** Scales each slice along `axis` to unit L2 norm. Example: `new UnitNorm({ axis: 0 }).apply(w)`. */
export class UnitNorm extends Constraint {
  readonly axis: number | number[];
  constructor(args: { axis?: number | number[] } = {}) {
    super();
    this.axis = args.axis ?? 0;
  }
  apply(w: tf.Tensor): tf.Tensor {
    return tf.tidy(() => tf.div(w, tf.add(norms(w, this.axis), EPSILON)));
  }
  getClassName(): string {
    return "UnitNorm";
  }
  override getConfig(): Record<string, unknown> {
    return { axis: this.axis };
  }
}

/** Sets negative weights to zero. Example: `new NonNeg().apply(w)`. */
export class NonNeg extends Constraint {
  apply(w: tf.Tensor): tf.Tensor {
    return tf.relu(w);
  }
  getClassName(): string {
    return "NonNeg";
  }
}

/**
 * Moves each slice's L2 norm into [minValue, maxValue]: the new norm is
 * `rate · clip(norm, minValue, maxValue) + (1 − rate) · norm`.
 */
export class MinMaxNorm extends Constraint {
  readonly minValue: number;
  readonly maxValue: number;
  readonly axis: number | number[];
  readonly rate: number;
  constructor(args: { minValue?: number; maxValue?: number; axis?: number | number[]; rate?: number } = {}) {
    super();
    this.minValue = args.minValue ?? 0;
    this.maxValue = args.maxValue ?? 1;
    this.axis = args.axis ?? 0;
    this.rate = args.rate ?? 1;
    if (this.minValue > this.maxValue) {
      throw new Error(`minMaxNorm: minValue (${this.minValue}) must not exceed maxValue (${this.maxValue})`);
    }
  }
  apply(w: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const n = norms(w, this.axis);
      const clipped = tf.clipByValue(n, this.minValue, this.maxValue);
      const desired = tf.add(tf.mul(this.rate, clipped), tf.mul(1 - this.rate, n));
      return tf.mul(w, tf.div(desired, tf.add(n, EPSILON)));
    });
  }
  getClassName(): string {
    return "MinMaxNorm";
  }
  override getConfig(): Record<string, unknown> {
    return { minValue: this.minValue, maxValue: this.maxValue, rate: this.rate, axis: this.axis };
  }
}

/**
 * `tf.constraints.*` factories.
 *
 * ```ts
 * tf.layers.dense({ units: 8, kernelConstraint: tf.constraints.maxNorm({ maxValue: 3 }) });
 * tf.constraints.unitNorm({ axis: 0 }).apply(tf.tensor2d([[3], [4]])); // [[0.6], [0.8]]
 * ```
 */
export const constraints = {
  /** Each slice along `axis` (default 0) gets L2 norm ≤ `maxValue` (default 2). */
  maxNorm: (args: { maxValue?: number; axis?: number | number[] } = {}) => new MaxNorm(args),
  /** Each slice along `axis` (default 0) gets L2 norm in [`minValue`, `maxValue`] (0, 1), moved by `rate` (1). */
  minMaxNorm: (args: { minValue?: number; maxValue?: number; axis?: number | number[]; rate?: number } = {}) =>
    new MinMaxNorm(args),
  /** Negative weights become 0. */
  nonNeg: () => new NonNeg(),
  /** Each slice along `axis` (default 0) gets unit L2 norm. */
  unitNorm: (args: { axis?: number | number[] } = {}) => new UnitNorm(args),
};

// biome-ignore lint/suspicious/noExplicitAny: each class takes its own option bag
const CLASSES: Record<string, new (args?: any) => Constraint> = {
  maxNorm: MaxNorm,
  minMaxNorm: MinMaxNorm,
  nonNeg: NonNeg,
  unitNorm: UnitNorm,
};

export type ConstraintIdentifier =
  | string
  | Constraint
  | { className?: string; class_name?: string; config?: Record<string, unknown> };

/**
 * Resolves 'maxNorm' / 'max_norm' / 'MaxNorm' / a Constraint / a saved `{className, config}`;
 * null stays null.
 */
export function getConstraint(id: ConstraintIdentifier | null | undefined): Constraint | null {
  if (id == null) return null;
  if (id instanceof Constraint) return id;
  if (typeof id === "string") return new (lookupByName("constraint", id, CLASSES))();
  const name = id.className ?? id.class_name;
  if (!name) throw new Error(`constraint object needs a className: ${JSON.stringify(id)}`);
  return new (lookupByName("constraint", name, CLASSES))(id.config ?? {});
}
