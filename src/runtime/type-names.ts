/**
 * Type names TF.js programs annotate with, for the types deepts already has under its own names,
 * so that `const dt: tf.DataType = "float32"` or `function f(m: tf.NamedTensorMap)` type-checks.
 */
import type { DType } from "./backend.js";
import type { DataTypeMap, Tensor, TypedArray } from "./tensor.js";

/** A tensor's element type: `"float32"`, `"int32"` or `"bool"` (TF.js's name for `DType`). */
export type DataType = DType;
/** The numeric element types. */
export type NumericDataType = DType;
/** The typed arrays `data()` can give. */
export type DataValues = DataTypeMap[DType];
/** Arrays nested to any depth (as `tf.tensor` takes them). */
export interface RecursiveArray<T> {
  [index: number]: T | RecursiveArray<T>;
}
/** A value `tf.scalar` takes. */
export type ScalarLike = number | boolean | TypedArray;
/** Tensors by name, e.g. the gradients `tf.variableGrads` returns. */
export type NamedTensorMap = { [name: string]: Tensor };
