/**
 * Layer weights: `LayerVariable` (a `tf.Variable` with the name it is saved under, its regularizer
 * and constraint) and the name scopes that give saved names their `outer/inner/kernel` paths.
 */
import * as tf from "./core.js";
import { getEngine } from "../runtime/engine.js";
import type { Regularizer } from "./regularizers.js";
import type { Constraint } from "./constraints.js";

export type DType = "float32" | "int32" | "bool";

/** A weight of a layer: a `tf.Variable` plus the layer-relative name used when saving. */
export class LayerVariable {
  constructor(
    /** The runtime variable (its `name` is unique in the process). */
    readonly val: tf.Variable,
    /** The saved name, e.g. 'dense_1/kernel' or 'bidirectional/forward_lstm/kernel'. */
    readonly originalName: string,
    readonly regularizer: Regularizer | null,
    /** Applied to the value after every optimizer step and `write`. */
    readonly constraint: Constraint | null = null,
  ) {}
  get name(): string {
    return this.val.name;
  }
  get shape(): number[] {
    return this.val.shape;
  }
  get dtype(): DType {
    return this.val.dtype as DType;
  }
  get trainable(): boolean {
    return this.val.trainable;
  }
  set trainable(t: boolean) {
    this.val.trainable = t;
  }
  get isDisposed(): boolean {
    return this.val.isDisposed;
  }
  /** The variable itself (not a copy): use it in computations. */
  read(): tf.Variable {
    return this.val;
  }
  /** Replaces the value (then applies the constraint, if any). */
  write(value: tf.Tensor): void {
    this.val.assign(value.dtype === this.val.dtype ? value : tf.tidy(() => tf.cast(value, this.val.dtype)));
    this.applyConstraint();
  }
  /** Projects the value with the constraint (after an optimizer step). */
  applyConstraint(): void {
    if (!this.constraint) return;
    const projected = tf.tidy(() => this.constraint!.apply(this.val));
    this.val.assign(projected);
    projected.dispose();
  }
  dispose(): void {
    this.val.dispose();
  }
}

/** A variable name not yet taken in the engine: `name`, else `name_1`, `name_2` … */
export function uniqueVariableName(name: string): string {
  const taken = getEngine().registeredVariables;
  if (!taken.has(name)) return name;
  for (let k = 1; ; k++) if (!taken.has(`${name}_${k}`)) return `${name}_${k}`;
}

let scopes: string[] = [];

/** Runs `fn` with `name` pushed on the weight-name scope (a null name clears the scope for `fn`). */
export function withNameScope<T>(name: string | null, fn: () => T): T {
  const saved = scopes;
  scopes = name === null ? [] : [...scopes, name];
  try {
    return fn();
  } finally {
    scopes = saved;
  }
}

/** `outer/inner/weight` for the current scope; `fallbackPrefix/weight` outside any scope. */
export function scopedWeightName(weight: string, fallbackPrefix: string): string {
  return scopes.length > 0 ? `${scopes.join("/")}/${weight}` : `${fallbackPrefix}/${weight}`;
}
