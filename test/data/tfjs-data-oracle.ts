/**
 * The real `@tensorflow/tfjs-data` 4.22 (with tfjs-core's cpu backend and tfjs-layers) as the
 * reference for tf.data behaviour, and helpers to read a dataset's elements as plain values.
 */
import { tfc, tfl, oracleReady } from "../models/tfjs-oracle.js";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const tfd: any = require("@tensorflow/tfjs-data");
export { tfc, tfl, oracleReady };

interface TensorLikeValue {
  shape: number[];
  dtype: string;
  dataSync(): ArrayLike<number>;
}

function isTensor(v: unknown): v is TensorLikeValue {
  return v !== null && typeof v === "object" && typeof (v as TensorLikeValue).dataSync === "function";
}

/** A dataset element as plain data: tensors become `{ shape, dtype, values }`. */
export function plain(value: unknown): unknown {
  if (isTensor(value))
    return { shape: [...value.shape], dtype: value.dtype, values: Array.from(value.dataSync(), Number) };
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  return value;
}

/** Every element of a dataset (deepts's or TF.js's) as plain data. */
export async function elements(ds: { toArray(): Promise<unknown[]> }): Promise<unknown[]> {
  return (await ds.toArray()).map(plain);
}
