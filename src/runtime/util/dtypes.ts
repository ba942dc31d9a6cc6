/**
 * `tf.util` helpers on data types and typed arrays. deepts tensors are `float32`, `int32` or
 * `bool`; the TF.js names `string` and `complex64` are understood where a helper only reasons
 * about names or sizes.
 */
import type { DType } from "../backend.js";
import { flatten, isBoolean, isNumber, isString } from "./arrays.js";
import { toNestedArray } from "./shapes.js";

/** A TF.js data type name (deepts makes tensors of the first three). */
export type DataTypeName = DType | "string" | "complex64";
type NumericArray = Float32Array | Int32Array | Uint8Array;

function unknown(dtype: unknown): never {
  throw new Error(`Unknown data type ${dtype}`);
}

/**
 * A zero-filled array for `dtype`: Float32Array, Int32Array, Uint8Array (bool), or an Array (string).
 *
 * ```ts
 * tf.util.getArrayFromDType("int32", 3); // Int32Array [0, 0, 0]
 * ```
 */
export function getArrayFromDType(dtype: DataTypeName, size: number): NumericArray | string[] {
  if (dtype === undefined || dtype === null || dtype === "float32") return new Float32Array(size);
  if (dtype === "int32") return new Int32Array(size);
  if (dtype === "bool") return new Uint8Array(size);
  if (dtype === "string") return new Array<string>(size);
  return unknown(dtype);
}

/** Like `getArrayFromDType`, for numeric types. */
export function getTypedArrayFromDType(dtype: DType, size: number): NumericArray {
  return getArrayFromDType(dtype, size) as NumericArray;
}

/** A zero-filled typed array. */
export function makeZerosTypedArray(size: number, dtype: DType): NumericArray {
  return getTypedArrayFromDType(dtype, size);
}

/** A typed array of ones. */
export function makeOnesTypedArray(size: number, dtype: DType): NumericArray {
  return makeZerosTypedArray(size, dtype).fill(1);
}

/** Nested arrays of zeros in `shape`. */
export function makeZerosNestedTypedArray(shape: number[], dtype: DType): unknown {
  const size = shape.reduce((a, b) => a * b, 1);
  return toNestedArray(shape, makeZerosTypedArray(size, dtype));
}

/** Throws when a value is NaN or infinite (TF.js's debug-mode upload check). */
export function checkConversionForErrors(vals: ArrayLike<number>, dtype: DataTypeName): void {
  for (let i = 0; i < vals.length; i++) {
    const v = vals[i];
    if (Number.isNaN(v) || !Number.isFinite(v))
      throw new Error(`A tensor of type ${dtype} being uploaded contains ${v}.`);
  }
}

/** Whether `dtype` is a TF.js data type name. */
export function isValidDtype(dtype: string): boolean {
  return ["bool", "complex64", "float32", "int32", "string"].includes(dtype);
}

/** Whether converting `oldType` values to `newType` can lose information. */
export function hasEncodingLoss(oldType: DataTypeName, newType: DataTypeName): boolean {
  if (newType === "complex64") return false;
  if (newType === "float32") return oldType === "complex64";
  if (newType === "int32") return oldType === "float32" || oldType === "complex64";
  if (newType === "bool") return oldType !== "bool";
  return true;
}

/** Bytes per element: 4 (float32, int32), 8 (complex64), 1 (bool). */
export function bytesPerElement(dtype: DataTypeName): number {
  if (dtype === "float32" || dtype === "int32") return 4;
  if (dtype === "complex64") return 8;
  if (dtype === "bool") return 1;
  throw new Error(`Unknown dtype ${dtype}`);
}

/** Total bytes of encoded strings. */
export function bytesFromStringArray(arr: Uint8Array[] | null | undefined): number {
  return (arr ?? []).reduce((n, bytes) => n + bytes.length, 0);
}

/**
 * The data type TF.js infers for values: Float32Array and numbers → float32, Int32Array /
 * Uint8Array → int32, booleans → bool, strings → string (nested arrays by their first leaf).
 */
export function inferDtype(values: unknown): DataTypeName {
  let v = values;
  while (Array.isArray(v)) v = v[0];
  if (v instanceof Float32Array) return "float32";
  if (v instanceof Int32Array || v instanceof Uint8Array || v instanceof Uint8ClampedArray) return "int32";
  if (isNumber(v)) return "float32";
  if (isString(v)) return "string";
  if (isBoolean(v)) return "bool";
  return "float32";
}

/**
 * Values (nested arrays flattened) as the typed array of `dtype`; bool rounds to 0/1.
 *
 * ```ts
 * tf.util.toTypedArray([[1, 2], [3, 4]], "int32"); // Int32Array [1, 2, 3, 4]
 * ```
 */
export function toTypedArray(a: unknown, dtype: DataTypeName): NumericArray {
  if (dtype === "string") throw new Error("Cannot convert a string[] to a TypedArray");
  const values = (Array.isArray(a) ? flatten<number>(a) : a) as ArrayLike<number>;
  if (dtype === undefined || dtype === null || dtype === "float32" || dtype === "complex64")
    return values instanceof Float32Array ? values : Float32Array.from(values);
  if (dtype === "int32") return values instanceof Int32Array ? values : Int32Array.from(values);
  if (dtype === "bool") return Uint8Array.from(values, (x) => (Math.round(x) !== 0 ? 1 : 0));
  return unknown(dtype);
}

/** A one-element array for a scalar of `dtype` (a string is encoded as UTF-8 bytes). */
export function createScalarValue(value: unknown, dtype: DataTypeName): NumericArray | Uint8Array {
  if (dtype === "string") return new TextEncoder().encode(String(value));
  return toTypedArray([value], dtype);
}

/** Backend values or an ArrayBuffer as the typed array of `dtype` (arrays pass through). */
export function convertBackendValuesAndArrayBuffer(
  data: ArrayBuffer | NumericArray | unknown[],
  dtype: DataTypeName,
): NumericArray | unknown[] {
  if (Array.isArray(data)) return data;
  if (dtype === "float32") return data instanceof Float32Array ? data : new Float32Array(data as ArrayBuffer);
  if (dtype === "int32") return data instanceof Int32Array ? data : new Int32Array(data as ArrayBuffer);
  if (dtype === "bool" || dtype === "string") return Uint8Array.from(new Int32Array(data as ArrayBuffer));
  throw new Error(`Unknown dtype ${dtype}`);
}

/**
 * A string as bytes (UTF-8 by default).
 *
 * ```ts
 * tf.util.decodeString(tf.util.encodeString("héllo")); // "héllo"
 * ```
 */
export function encodeString(s: string, encoding = "utf-8"): Uint8Array {
  const enc = (encoding || "utf-8").toLowerCase();
  if (enc === "utf-8" || enc === "utf8") return new TextEncoder().encode(s);
  return new Uint8Array(Buffer.from(s, enc as BufferEncoding));
}

/** Bytes decoded as a string (UTF-8 by default, or any encoding `TextDecoder` knows). */
export function decodeString(bytes: Uint8Array, encoding = "utf-8"): string {
  return new TextDecoder(encoding || "utf-8").decode(bytes);
}
