/** Weight penalties (`tf.regularizers.*`) added to the training loss. */
import * as tf from "./core.js";
import { lookupByName } from "./naming.js";

/** A weight penalty added to the training loss: `tf.regularizers.l1`, `l2`, `l1l2` make them. */
export abstract class Regularizer {
  /** The penalty (a scalar) for weight `x`. */
  abstract apply(x: tf.Tensor): tf.Tensor;
  abstract getClassName(): string;
  abstract getConfig(): Record<string, unknown>;
}

/** `l1·Σ|x| + l2·Σx²`. */
export class L1L2 extends Regularizer {
  readonly l1: number;
  readonly l2: number;
  constructor(args: { l1?: number; l2?: number } = {}) {
    super();
    this.l1 = args.l1 ?? 0;
    this.l2 = args.l2 ?? 0;
    if (!(this.l1 >= 0 && this.l2 >= 0))
      throw new Error(`regularizer factors must be ≥ 0, got l1=${this.l1} l2=${this.l2}`);
  }
  apply(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      let penalty: tf.Tensor = tf.scalar(0);
      if (this.l1 > 0) penalty = tf.add(penalty, tf.mul(this.l1, tf.sum(tf.abs(x))));
      if (this.l2 > 0) penalty = tf.add(penalty, tf.mul(this.l2, tf.sum(tf.square(x))));
      return penalty;
    });
  }
  getClassName(): string {
    return "L1L2";
  }
  getConfig(): Record<string, unknown> {
    return { l1: this.l1, l2: this.l2 };
  }
}

/**
 * ```ts
 * tf.layers.dense({ units: 8, kernelRegularizer: tf.regularizers.l2({ l2: 1e-3 }) });
 * ```
 */
export const regularizers = {
  /** Adds `l1 · sum(|w|)` to the loss (default l1 0.01), pushing weights to exactly 0. Example: `tf.layers.dense({ units: 8, kernelRegularizer: tf.regularizers.l1({ l1: 1e-4 }) })`. */
  l1: (args: { l1?: number } = {}) => new L1L2({ l1: args.l1 ?? 0.01 }),
  /** Adds `l2 · sum(w²)` to the loss (default l2 0.01): weight decay. Example: `tf.regularizers.l2({ l2: 1e-3 })`. */
  l2: (args: { l2?: number } = {}) => new L1L2({ l2: args.l2 ?? 0.01 }),
  /** Adds both penalties: `l1 · sum(|w|) + l2 · sum(w²)`. Example: `tf.regularizers.l1l2({ l1: 1e-5, l2: 1e-4 })`. */
  l1l2: (args: { l1?: number; l2?: number } = {}) => new L1L2({ l1: args.l1 ?? 0.01, l2: args.l2 ?? 0.01 }),
};

export type RegularizerIdentifier =
  | string
  | Regularizer
  | { className?: string; class_name?: string; config?: Record<string, unknown> };

/** Resolves 'l2' / 'l1_l2' / a Regularizer / a Keras `{class_name: 'L1L2', config}`; null stays null. */
export function getRegularizer(id: RegularizerIdentifier | null | undefined): Regularizer | null {
  if (id == null) return null;
  if (id instanceof Regularizer) return id;
  if (typeof id === "string") {
    const factory = lookupByName("regularizer", id.replace(/_/g, ""), {
      l1: regularizers.l1,
      l2: regularizers.l2,
      l1l2: regularizers.l1l2,
    });
    return factory();
  }
  const name = id.className ?? id.class_name ?? "";
  if (name.toLowerCase() !== "l1l2") throw new Error(`Unknown regularizer class '${name}'`);
  return new L1L2(id.config as { l1?: number; l2?: number });
}
