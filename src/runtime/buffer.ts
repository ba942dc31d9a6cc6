/**
 * `TensorBuffer`: a mutable host-side array with a shape, for building tensors element by element.
 * Example: `const b = tf.buffer([2, 2]); b.set(5, 0, 1); b.toTensor()` → [[0, 5], [0, 0]].
 */
import { typedArrayFor, type DataArray, type DType } from "./backend.js";
import { getEngine } from "./engine.js";
import type { Rank, Tensor } from "./tensor.js";

/**
 * A mutable array with a shape; `R` is its rank as TF.js types it (`tf.buffer<tf.Rank.R3>(…)`).
 * Example: `const b = tf.buffer([2, 2]); b.set(5, 0, 1); b.toTensor()` → [[0, 5], [0, 0]].
 */
// biome-ignore lint/suspicious/noExplicitAny: an unknown rank fits every annotation (see Tensor)
export class TensorBuffer<R extends Rank = any, D extends DType = DType> {
  readonly shape: number[];
  readonly dtype: D;
  readonly values: DataArray;
  readonly size: number;
  private readonly strides: number[];

  constructor(shape: number[], dtype: D = "float32" as D, values?: DataArray) {
    this.shape = shape.slice();
    this.dtype = dtype;
    this.size = shape.reduce((a, b) => a * b, 1);
    if (values && values.length !== this.size) {
      throw new Error(`buffer: ${values.length} values given for shape [${shape}] (${this.size} elements)`);
    }
    this.values = values ?? typedArrayFor(dtype, this.size);
    this.strides = [];
    let s = 1;
    for (let i = shape.length - 1; i >= 0; i--) {
      this.strides[i] = s;
      s *= shape[i];
    }
  }

  /** Flat index of a location. */
  locToIndex(locs: number[]): number {
    if (locs.length !== this.shape.length)
      throw new Error(`buffer: expected ${this.shape.length} indices, got ${locs.length}`);
    let index = 0;
    locs.forEach((l, i) => {
      if (!Number.isInteger(l) || l < 0 || l >= this.shape[i]) {
        throw new Error(`buffer: index [${locs}] is out of bounds for shape [${this.shape}]`);
      }
      index += l * this.strides[i];
    });
    return index;
  }

  /** The location (one index per axis) of a flat index. Example: `tf.buffer([2, 3]).indexToLoc(4)` → [1, 1]. */
  indexToLoc(index: number): number[] {
    if (!Number.isInteger(index) || index < 0 || index >= Math.max(this.size, 1)) {
      throw new Error(`buffer: flat index ${index} is out of bounds for shape [${this.shape}]`);
    }
    return this.strides.map((s, i) => Math.floor(index / s) % this.shape[i]);
  }

  /** The number of axes. */
  get rank(): number {
    return this.shape.length;
  }

  /** The value at a location. Example: `b.get(0, 1)`. */
  get(...locs: number[]): number {
    return this.values[this.locToIndex(locs)];
  }

  /** Writes `value` at a location. Example: `b.set(5, 0, 1)`. */
  set(value: number | boolean, ...locs: number[]): void {
    this.values[this.locToIndex(locs)] = typeof value === "boolean" ? (value ? 1 : 0) : value;
  }

  /** A tensor with a copy of the values. */
  toTensor(): Tensor<R> {
    return getEngine().makeTensor(this.values.slice(), this.shape.slice(), this.dtype);
  }
}

/**
 * A zero-filled `TensorBuffer` (or one over `values`), to build a tensor element by element.
 * Example: `const b = tf.buffer<tf.Rank.R2>([2, 2]); b.set(1, 0, 0); const t: tf.Tensor2D = b.toTensor();`
 */
// biome-ignore lint/suspicious/noExplicitAny: see TensorBuffer
export function buffer<R extends Rank = any, D extends DType = "float32">(
  shape: number[],
  dtype?: D,
  values?: DataArray,
): TensorBuffer<R, D> {
  return new TensorBuffer<R, D>(shape, dtype ?? ("float32" as D), values);
}
