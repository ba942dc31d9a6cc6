/**
 * `TensorBuffer`: a mutable host-side array with a shape, for building tensors element by element.
 * Example: `const b = tf.buffer([2, 2]); b.set(5, 0, 1); b.toTensor()` → [[0, 5], [0, 0]].
 */
import { typedArrayFor, type DataArray, type DType } from "./backend.js";
import { getEngine } from "./engine.js";
import type { Tensor } from "./tensor.js";

export class TensorBuffer {
  readonly shape: number[];
  readonly dtype: DType;
  readonly values: DataArray;
  readonly size: number;
  private readonly strides: number[];

  constructor(shape: number[], dtype: DType = "float32", values?: DataArray) {
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

  get(...locs: number[]): number {
    return this.values[this.locToIndex(locs)];
  }

  set(value: number | boolean, ...locs: number[]): void {
    this.values[this.locToIndex(locs)] = typeof value === "boolean" ? (value ? 1 : 0) : value;
  }

  /** A tensor with a copy of the values. */
  toTensor(): Tensor {
    return getEngine().makeTensor(this.values.slice(), this.shape.slice(), this.dtype);
  }
}

/** A zero-filled `TensorBuffer` (or one over `values`). */
export function buffer(shape: number[], dtype: DType = "float32", values?: DataArray): TensorBuffer {
  return new TensorBuffer(shape, dtype, values);
}
