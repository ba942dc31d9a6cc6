/** `tf.util` helpers on shapes, axes, strides and flat ↔ nested positions. */
import { isInt } from "./arrays.js";

/**
 * Asserts `expr`, throwing an Error with `msg` (a string or a function making it) otherwise.
 *
 * ```ts
 * tf.util.assert(x.rank === 2, () => `expected a matrix, got rank ${x.rank}`);
 * ```
 */
export function assert(expr: boolean, msg: string | (() => string)): asserts expr {
  if (!expr) throw new Error(typeof msg === "string" ? msg : msg());
}

/** Asserts that two shapes are equal. */
export function assertShapesMatch(shapeA: number[], shapeB: number[], errorMessagePrefix = ""): void {
  const same = shapeA.length === shapeB.length && shapeA.every((d, i) => d === shapeB[i]);
  assert(same, () => `${errorMessagePrefix} Shapes ${shapeA} and ${shapeB} must match`);
}

/** Asserts that a tensor constructor's input is not null or undefined. */
export function assertNonNull(a: unknown): void {
  assert(a !== null && a !== undefined, () => "The input to the tensor constructor must be a non-null value.");
}

/** Asserts that every dimension is a non-negative integer. */
export function assertNonNegativeIntegerDimensions(shape: number[]): void {
  for (const d of shape)
    assert(
      Number.isInteger(d) && d >= 0,
      () => `Tensor must have a shape comprised of positive integers but got shape [${shape}].`,
    );
}

/**
 * Number of elements of a shape (1 for a scalar).
 *
 * ```ts
 * tf.util.sizeFromShape([2, 3]); // 6
 * ```
 */
export function sizeFromShape(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Whether the shape is a scalar's (`[]`). */
export function isScalarShape(shape: readonly number[]): boolean {
  return shape.length === 0;
}

/** A `[width, height]` about as square as possible holding `size` elements. */
export function sizeToSquarishShape(size: number): [number, number] {
  const width = Math.ceil(Math.sqrt(size));
  return [width, Math.ceil(size / width)];
}

/**
 * `shape` with its one `-1` replaced by what makes `size` elements.
 *
 * ```ts
 * tf.util.inferFromImplicitShape([2, -1], 8); // [2, 4]
 * ```
 */
export function inferFromImplicitShape(shape: number[], size: number): number[] {
  let known = 1;
  let implicit = -1;
  shape.forEach((d, i) => {
    if (d === -1) {
      if (implicit !== -1)
        throw new Error(`Shapes can only have 1 implicit size. Found -1 at dim ${implicit} and dim ${i}`);
      implicit = i;
    } else if (d < 0) throw new Error(`Shapes can not be < 0. Found ${d} at dim ${i}`);
    else known *= d;
  });
  if (implicit === -1) {
    if (size > 0 && size !== known) throw new Error(`Size(${size}) must match the product of shape ${shape}`);
    return shape;
  }
  if (known === 0) throw new Error(`Cannot infer the missing size in [${shape}] when there are 0 elements`);
  if (size % known !== 0) throw new Error(`The implicit shape can't be a fractional number. Got ${size} / ${known}`);
  const out = shape.slice();
  out[implicit] = size / known;
  return out;
}

/**
 * Axes as a list of non-negative integers (all axes when `axis` is null or undefined).
 *
 * ```ts
 * tf.util.parseAxisParam(-1, [2, 3]); // [1]
 * ```
 */
export function parseAxisParam(axis: number | number[] | null | undefined, shape: number[]): number[] {
  const rank = shape.length;
  const axes = axis === null || axis === undefined ? shape.map((_, i) => i) : ([] as number[]).concat(axis);
  assert(
    axes.every((a) => a >= -rank && a < rank),
    () => `All values in axis param must be in range [-${rank}, ${rank}) but got axis ${axes}`,
  );
  assert(
    axes.every((a) => isInt(a)),
    () => `All values in axis param must be integers but got axis ${axes}`,
  );
  return axes.map((a) => (a < 0 ? rank + a : a));
}

/**
 * The shape without its size-1 axes (only those in `axis` when given), and the axes kept.
 *
 * ```ts
 * tf.util.squeezeShape([1, 3, 1]); // { newShape: [3], keptDims: [1] }
 * ```
 */
export function squeezeShape(shape: number[], axis?: number[]): { newShape: number[]; keptDims: number[] } {
  const chosen =
    axis === undefined || axis === null || (Array.isArray(axis) && axis.length === 0)
      ? undefined
      : new Set(parseAxisParam(axis, shape));
  const newShape: number[] = [];
  const keptDims: number[] = [];
  shape.forEach((d, i) => {
    if (chosen?.has(i) && d !== 1) throw new Error(`Can't squeeze axis ${i} since its dim '${d}' is not 1`);
    const dropped = d === 1 && (chosen === undefined || chosen.has(i));
    if (!dropped) {
      newShape.push(d);
      keptDims.push(i);
    }
  });
  return { newShape, keptDims };
}

/**
 * Row-major strides of a shape, without the last (always 1): `[3, 4, 5]` → `[20, 5]`.
 */
export function computeStrides(shape: number[]): number[] {
  const strides: number[] = [];
  let step = 1;
  for (let i = shape.length - 1; i > 0; i--) {
    step *= shape[i];
    strides.unshift(step);
  }
  return strides;
}

/** The flat index of a position, given `computeStrides` of the shape. */
export function locToIndex(locs: number[], rank: number, strides: number[]): number {
  if (rank === 0) return 0;
  if (rank === 1) return locs[0];
  let index = locs[locs.length - 1];
  for (let i = 0; i < locs.length - 1; i++) index += strides[i] * locs[i];
  return index;
}

/** The position of a flat index, given `computeStrides` of the shape. */
export function indexToLoc(index: number, rank: number, strides: number[]): number[] {
  if (rank === 0) return [];
  if (rank === 1) return [index];
  const locs = new Array<number>(rank);
  let rest = index;
  for (let i = 0; i < rank - 1; i++) {
    locs[i] = Math.floor(rest / strides[i]);
    rest -= locs[i] * strides[i];
  }
  locs[rank - 1] = rest;
  return locs;
}

/**
 * Flat values as nested arrays of the shape (the first value for a scalar shape).
 *
 * ```ts
 * tf.util.toNestedArray([2, 2], new Float32Array([1, 2, 3, 4])); // [[1, 2], [3, 4]]
 * ```
 */
export function toNestedArray(shape: number[], a: ArrayLike<unknown>, isComplex = false): unknown {
  if (shape.length === 0) return a[0];
  const per = isComplex ? 2 : 1;
  const size = sizeFromShape(shape) * per;
  if (size === 0) return [];
  if (size !== a.length)
    throw new Error(`[${shape}] does not match the input size ${a.length}${isComplex ? " for a complex tensor" : ""}.`);
  const build = (offset: number, dims: number[]): unknown[] => {
    if (dims.length === 1) return Array.from({ length: dims[0] * per }, (_, i) => a[offset + i]);
    const inner = sizeFromShape(dims.slice(1)) * per;
    return Array.from({ length: dims[0] }, (_, i) => build(offset + i * inner, dims.slice(1)));
  };
  return build(0, shape);
}
