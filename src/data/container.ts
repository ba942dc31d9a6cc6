/**
 * Dataset elements are nested structures (`tf.TensorContainer`): tensors, numbers, strings, typed
 * arrays, and plain arrays and objects of them. These helpers walk them: find the tensors in one
 * (to dispose what a stage dropped), clone the tensors in one, and stack rows into a batch.
 */
import * as tf from "../runtime/index.js";
import { Tensor, type TensorContainer } from "../runtime/index.js";

type Nested = TensorContainer[] | { [key: string]: TensorContainer };

/** A plain array or a plain object: a structure to walk into (not a tensor, typed array or class instance). */
export function isNested(value: unknown): value is Nested {
  if (Array.isArray(value)) return true;
  if (value === null || typeof value !== "object") return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Every tensor inside `value`, at any depth. */
export function tensorsIn(value: unknown, out: Set<Tensor> = new Set()): Set<Tensor> {
  if (value instanceof Tensor) out.add(value);
  else if (isNested(value)) for (const v of Object.values(value)) tensorsIn(v, out);
  return out;
}

/** Disposes the tensors of `input` that do not appear in `output` (a stage consumed them). */
export function disposeConsumed(input: unknown, output: unknown): void {
  const kept = tensorsIn(output);
  for (const t of tensorsIn(input)) if (!kept.has(t) && !t.isDisposed) t.dispose();
}

/** Disposes every tensor inside `value`. */
export function disposeAll(value: unknown): void {
  for (const t of tensorsIn(value)) if (!t.isDisposed) t.dispose();
}

/** A copy of the structure whose tensors are clones (sharing data), so a consumer may dispose them. */
export function cloneTensors<T>(value: T): T {
  if (value instanceof Tensor) return tf.clone(value) as T;
  if (Array.isArray(value)) return value.map((v) => cloneTensors(v)) as T;
  if (isNested(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = cloneTensors(v);
    return out as T;
  }
  return value;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (value instanceof Tensor) return `a tensor of shape [${value.shape}]`;
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `${typeof value} ${JSON.stringify(value)}`;
}

function at(path: string): string {
  return path === "" ? "" : ` at '${path}'`;
}

function containsTensor(value: unknown): boolean {
  return tensorsIn(value).size > 0;
}

type TypedRow = Float32Array | Int32Array | Uint8Array;

function isTypedRow(value: unknown): value is TypedRow {
  return value instanceof Float32Array || value instanceof Int32Array || value instanceof Uint8Array;
}

function stackTensors(rows: unknown[], path: string): Tensor {
  const first = rows[0] as Tensor;
  rows.forEach((r, i) => {
    if (!(r instanceof Tensor))
      throw new Error(`batch: element 0 has a tensor${at(path)} but element ${i} has ${describe(r)}`);
    if (r.shape.length !== first.shape.length || r.shape.some((d, k) => d !== first.shape[k]))
      throw new Error(
        `batch: elements must have the same shape to be stacked${at(path)}: element 0 is [${first.shape}], element ${i} is [${r.shape}]`,
      );
  });
  return tf.stack(rows as Tensor[]);
}

function tensorFromTypedRows(rows: unknown[], path: string): Tensor {
  const first = rows[0] as TypedRow;
  const data = new (first.constructor as new (n: number) => TypedRow)(rows.length * first.length);
  rows.forEach((r, i) => {
    if (!isTypedRow(r) || r.length !== first.length)
      throw new Error(`batch: element ${i}${at(path)} is ${describe(r)}, not a typed array of length ${first.length}`);
    data.set(r, i * first.length);
  });
  const dtype = first instanceof Int32Array ? "int32" : first instanceof Uint8Array ? "bool" : "float32";
  return tf.tensor(data, [rows.length, first.length], dtype);
}

function tensorFromValues(rows: unknown[], path: string): Tensor {
  rows.forEach((r, i) => {
    if (typeof r === "string")
      throw new Error(
        `batch: element ${i} has the string ${JSON.stringify(r)}${at(path)}; deepts tensors hold numbers and booleans only: map strings to numbers before batching`,
      );
    if (r === null || r === undefined)
      throw new Error(
        `batch: element ${i} has no value${at(path)} (${r}); for CSV data give the column a default in columnConfigs`,
      );
  });
  try {
    return tf.tensor(rows as tf.TensorLike);
  } catch (e) {
    throw new Error(`batch: cannot make a tensor of the values${at(path)}: ${(e as Error).message}`);
  }
}

/** An array holding tensors (and numbers) as one tensor: its entries stacked, recursively (call inside `tf.tidy`). */
function arrayToTensor(value: unknown, path: string, row: number): Tensor {
  if (value instanceof Tensor) return value;
  if (typeof value === "number" || typeof value === "boolean") return tf.scalar(value);
  if (Array.isArray(value) && value.length > 0) return tf.stack(value.map((v) => arrayToTensor(v, path, row)));
  throw new Error(`batch: element ${row}${at(path)} holds ${describe(value)}, which cannot be part of a tensor`);
}

/**
 * One batch from `rows` (elements of the same structure): tensors are stacked along a new first
 * axis; numbers, booleans, typed arrays and arrays (of numbers, or of tensors, stacked) become
 * one tensor; objects are batched entry by entry. `rows` themselves are left alone.
 *
 * ```ts
 * batchRows([{ x: tf.tensor([1, 2]), y: 0 }, { x: tf.tensor([3, 4]), y: 1 }]); // { x: [2, 2] tensor, y: [2] tensor }
 * ```
 */
export function batchRows(rows: unknown[], path = ""): TensorContainer {
  if (rows.length === 0) throw new Error("batch: cannot make a batch of zero elements");
  const first = rows[0];
  if (first instanceof Tensor) return stackTensors(rows, path);
  if (isTypedRow(first)) return tensorFromTypedRows(rows, path);
  if (Array.isArray(first) && containsTensor(first))
    return tf.tidy(() => tf.stack(rows.map((r, i) => arrayToTensor(r, path, i))));
  if (isNested(first) && !Array.isArray(first)) {
    const out: Record<string, TensorContainer> = {};
    for (const key of Object.keys(first)) {
      const sub = path === "" ? key : `${path}.${key}`;
      out[key] = batchRows(
        rows.map((r, i) => {
          if (!isNested(r) || Array.isArray(r) || !(key in r))
            throw new Error(`batch: element ${i} has no '${sub}' (element 0 has it)`);
          return (r as Record<string, unknown>)[key];
        }),
        sub,
      );
    }
    return out;
  }
  return tensorFromValues(rows, path);
}
