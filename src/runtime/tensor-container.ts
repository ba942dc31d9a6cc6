/**
 * `tf.TensorContainer`: what `tf.tidy` may return and what a `tf.data` dataset element may be —
 * a tensor, a primitive, a typed array, or plain arrays and objects of them, nested.
 */
import type { Tensor } from "./tensor.js";

export type TensorContainer =
  // biome-ignore lint/suspicious/noConfusingVoidType: TF.js's type has void (a callback may return nothing).
  | void
  | Tensor
  | string
  | number
  | boolean
  | TensorContainerObject
  | TensorContainerArray
  | Float32Array
  | Int32Array
  | Uint8Array;

export interface TensorContainerObject {
  [x: string]: TensorContainer;
}

export interface TensorContainerArray extends Array<TensorContainer> {}
