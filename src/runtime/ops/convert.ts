/** Turning user values (numbers, nested arrays, typed arrays, tensors) into tensors. */
import { typedArrayFor, type DataArray, type DType } from "../backend.js";
import { getEngine } from "../engine.js";
import { Tensor, type Rank, type TensorLike } from "../tensor.js";

const DTYPES: readonly DType[] = ["float32", "int32", "bool"];

export function checkDtype(op: string, dtype: unknown): DType {
  if (!DTYPES.includes(dtype as DType)) {
    throw new Error(`${op}: unknown dtype '${String(dtype)}' (use 'float32', 'int32' or 'bool')`);
  }
  return dtype as DType;
}

function isTypedArray(v: unknown): v is Float32Array | Int32Array | Uint8Array | Float64Array {
  return ArrayBuffer.isView(v) && !(v instanceof DataView);
}

/** The shape of nested arrays, checking that they are rectangular. */
export function inferShape(op: string, value: unknown): number[] {
  if (isTypedArray(value)) return [value.length];
  if (!Array.isArray(value)) return [];
  const shape: number[] = [];
  let v: unknown = value;
  while (Array.isArray(v) || isTypedArray(v)) {
    shape.push((v as ArrayLike<unknown>).length);
    if (isTypedArray(v)) break;
    v = (v as unknown[])[0];
  }
  const check = (x: unknown, axis: number): void => {
    if (axis === shape.length) {
      if (Array.isArray(x) || isTypedArray(x))
        throw new Error(`${op}: ragged nested array (expected shape [${shape}])`);
      return;
    }
    if (!(Array.isArray(x) || isTypedArray(x)) || (x as ArrayLike<unknown>).length !== shape[axis]) {
      throw new Error(`${op}: ragged nested array: expected length ${shape[axis]} at depth ${axis} (shape [${shape}])`);
    }
    if (isTypedArray(x)) return;
    for (const e of x as unknown[]) check(e, axis + 1);
  };
  check(value, 0);
  return shape;
}

function flatValues(value: unknown, out: unknown[]): void {
  if (Array.isArray(value)) for (const v of value) flatValues(v, out);
  else if (isTypedArray(value)) for (let i = 0; i < value.length; i++) out.push(value[i]);
  else out.push(value);
}

function inferDtype(value: unknown): DType {
  if (value instanceof Int32Array) return "int32";
  if (value instanceof Uint8Array) return "bool";
  if (isTypedArray(value)) return "float32";
  let v: unknown = value;
  while (Array.isArray(v)) v = v[0];
  return typeof v === "boolean" ? "bool" : "float32";
}

/**
 * A typed array's values copied once into a new array of `dtype` (never shared: the caller may
 * mutate its array afterwards). `.set` converts like element assignment (int32 truncates).
 */
function copyTypedArray(
  value: ArrayLike<number>,
  dtype: DType,
  out: DataArray = typedArrayFor(dtype, value.length),
): DataArray {
  if (dtype !== "bool") {
    out.set(value);
    return out;
  }
  for (let i = 0; i < value.length; i++) out[i] = value[i] !== 0 ? 1 : 0;
  return out;
}

/** A flat array's numbers/booleans, or undefined when it holds something else (nested arrays…). */
function copyFlatArray(op: string, value: readonly unknown[], dtype: DType): DataArray | undefined {
  const out = typedArrayFor(dtype, value.length);
  const bool = dtype === "bool";
  for (let i = 0; i < value.length; i++) {
    const v = value[i];
    if (typeof v === "number") out[i] = bool ? (v !== 0 ? 1 : 0) : v;
    else if (typeof v === "boolean") out[i] = v ? 1 : 0;
    else if (Array.isArray(v) || isTypedArray(v)) return undefined;
    else throw new Error(`${op}: expected numbers or booleans, got ${v === null ? "null" : typeof v}`);
  }
  return out;
}

/** Flat typed array of `dtype` from nested values (numbers or booleans). */
export function toTypedArray(op: string, value: unknown, dtype: DType): DataArray {
  if (isTypedArray(value)) return copyTypedArray(value, dtype);
  if (Array.isArray(value)) {
    const fast = copyFlatArray(op, value, dtype);
    if (fast) return fast;
  }
  const flat: unknown[] = [];
  flatValues(value, flat);
  const out = typedArrayFor(dtype, flat.length);
  for (let i = 0; i < flat.length; i++) {
    const v = flat[i];
    if (typeof v === "number") out[i] = dtype === "bool" ? (v !== 0 ? 1 : 0) : v;
    else if (typeof v === "boolean") out[i] = v ? 1 : 0;
    else throw new Error(`${op}: expected numbers or booleans, got ${v === null ? "null" : typeof v}`);
  }
  return out;
}

export function checkShape(op: string, shape: unknown): number[] {
  if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new Error(`${op}: shape must be an array of non-negative integers, got ${JSON.stringify(shape)}`);
  }
  return shape as number[];
}

/**
 * Makes a tensor from nested arrays, a typed array or a number.
 * Example: `tf.tensor([[1, 2], [3, 4]])`, `tf.tensor([1, 2, 3, 4], [2, 2], "int32")`.
 */
// biome-ignore lint/suspicious/noExplicitAny: an unknown rank (see Tensor)
export function tensor<R extends Rank = any>(values: TensorLike, shape?: number[], dtype?: DType): Tensor<R> {
  if (values instanceof Tensor) {
    if (shape) throw new Error("tensor: cannot give a shape when values is already a tensor");
    return dtype && dtype !== values.dtype ? castLazy(values, dtype) : values;
  }
  const dt = dtype === undefined ? inferDtype(values) : checkDtype("tensor", dtype);
  const inferred = inferShape("tensor", values);
  // A typed array is copied into a buffer the backend may recycle (a tensor made per training step).
  let data = isTypedArray(values)
    ? copyTypedArray(values, dt, getEngine().newData(dt, values.length, false))
    : toTypedArray("tensor", values, dt);
  let finalShape = inferred;
  if (shape !== undefined) {
    checkShape("tensor", shape);
    const n = shape.reduce((a, b) => a * b, 1);
    if (inferred.length === 0 && n !== 1) {
      // A single number fills the whole shape.
      const filled = typedArrayFor(dt, n);
      filled.fill(data[0]);
      data = filled;
    } else if (n !== data.length) {
      throw new Error(`tensor: shape [${shape}] has ${n} elements but ${data.length} values were given`);
    }
    finalShape = shape.slice();
  }
  return getEngine().makeTensor(data, finalShape, dt);
}

let castImpl: ((x: Tensor, dtype: DType) => Tensor) | undefined;
/** @internal shape.ts installs `cast` here (avoids an import cycle). */
export function setCastImpl(fn: (x: Tensor, dtype: DType) => Tensor): void {
  castImpl = fn;
}
function castLazy(x: Tensor, dtype: DType): Tensor {
  return castImpl!(x, dtype);
}

/**
 * The tensor for an op argument. Numbers and arrays become tensors of `dtypeHint` when given
 * (so `x.add(1)` keeps an int32 `x` int32 when the literal is integral).
 */
export function convert(value: TensorLike, name: string, op: string, dtypeHint?: DType): Tensor {
  if (value instanceof Tensor) {
    value.throwIfDisposed();
    return value;
  }
  if (value === null || value === undefined)
    throw new Error(`${op}: argument '${name}' is ${value}; expected a tensor`);
  if (typeof value !== "number" && typeof value !== "boolean" && !Array.isArray(value) && !isTypedArray(value)) {
    throw new Error(`${op}: argument '${name}' must be a Tensor, number, boolean or array, got ${typeof value}`);
  }
  let dtype = inferDtype(value);
  if (dtypeHint && dtypeHint !== dtype && !isTypedArray(value)) {
    if (dtypeHint === "float32") dtype = "float32";
    else if (dtypeHint === "int32" && dtype === "float32") {
      const flat: unknown[] = [];
      flatValues(value, flat);
      if (flat.every((v) => typeof v === "number" && Number.isInteger(v))) dtype = "int32";
    }
  }
  try {
    return tensor(value, undefined, dtype);
  } catch (e) {
    throw new Error(`${op}: argument '${name}': ${(e as Error).message}`);
  }
}
