/**
 * `Tensor`: an immutable n-dimensional array whose values live in a backend.
 *
 * A tensor is a small JS object (id, shape, dtype) pointing at a `DataHandle` the engine manages;
 * values only come to JS when asked for (`data()`, `dataSync()`, `array()`, `print()`). Every op is
 * also a method (`a.add(b)`, `x.reshape([2, 3])`): those are attached in `chain.ts`.
 */
import type { Backend, DataArray, DataId, DType } from "./backend.js";
import { formatTensor } from "./format.js";

/** The engine's record of one buffer of backend data, shared (refcounted) by tensors that view it. */
export interface DataHandle {
  backend: Backend;
  /** The backend's own id for the buffer (replaced when the data moves to another backend). */
  id: DataId;
  refCount: number;
  bytes: number;
}

/** What a tensor needs from the engine (kept as an interface so tensor.ts does not import engine.ts). */
export interface TensorOwner {
  readSync(t: Tensor): DataArray;
  read(t: Tensor): Promise<DataArray>;
  disposeTensor(t: Tensor): void;
}

let owner: TensorOwner | undefined;

/** Called once by the engine at start. */
export function setTensorOwner(o: TensorOwner): void {
  owner = o;
}

function engineOf(): TensorOwner {
  if (!owner) throw new Error("deepts: the engine is not initialised");
  return owner;
}

/** Nested arrays of numbers (or booleans), as returned by `array()`. */
export type NestedArray = number | NestedArray[];
export type TypedArray = Float32Array | Int32Array | Uint8Array;
/** Anything an op accepts where a tensor is expected. */
export type TensorLike = Tensor | number | boolean | TypedArray | ReadonlyArray<unknown>;
/**
 * Rank tags for TF.js-style annotations: `tf.Tensor<tf.Rank.R2>` (= `tf.Tensor2D`), whose
 * `arraySync()` is `number[][]`. Ranks are checked at run time; a tensor whose rank the types do
 * not know (what ops return) fits any annotation, as TF.js's generic ops do.
 */
export enum Rank {
  R0 = "R0",
  R1 = "R1",
  R2 = "R2",
  R3 = "R3",
  R4 = "R4",
  R5 = "R5",
  R6 = "R6",
}

/** What `array()`/`arraySync()` give for each rank (as in TF.js). */
export interface ArrayMap {
  R0: number;
  R1: number[];
  R2: number[][];
  R3: number[][][];
  R4: number[][][][];
  R5: number[][][][][];
  R6: number[][][][][][];
}

/** The shape of each rank as a tuple (as in TF.js; `Tensor.shape` itself is `number[]`). */
export interface ShapeMap {
  R0: number[];
  R1: [number];
  R2: [number, number];
  R3: [number, number, number];
  R4: [number, number, number, number];
  R5: [number, number, number, number, number];
  R6: [number, number, number, number, number, number];
}

/** The typed array `data()`/`dataSync()` give for each dtype. */
export interface DataTypeMap {
  float32: Float32Array;
  int32: Int32Array;
  bool: Uint8Array;
}

/**
 * An n-dimensional array of numbers. `R` is its rank when the types know it (`tf.Tensor2D` is
 * `Tensor<Rank.R2>`); the default, what ops return, fits every rank.
 *
 * ```ts
 * const t: tf.Tensor2D = tf.tensor2d([[1, 2], [3, 4]]);
 * t.shape;        // [2, 2]
 * t.arraySync();  // [[1, 2], [3, 4]] as number[][]
 * ```
 */
// biome-ignore lint/suspicious/noExplicitAny: an unknown rank must fit TF.js-style rank annotations, as TF.js's generic ops do
export class Tensor<R extends Rank = any> {
  /** Unique, increasing id (shown by `tf.trace`). */
  readonly id: number;
  /** Length of each axis. Example: `tf.zeros([2, 3]).shape` → `[2, 3]`; a scalar's is `[]`. */
  readonly shape: number[];
  /** Element type: `"float32"` (the default), `"int32"` or `"bool"`. */
  readonly dtype: DType;
  /** Number of elements (the product of the shape). */
  readonly size: number;
  /** @internal The data this tensor views, boxed so a Variable can swap it on `assign`. */
  readonly ref: { h: DataHandle };
  /** @internal Set by `tf.keep`: no enclosing `tidy` disposes this tensor. */
  kept = false;
  /** @internal */
  disposedFlag = false;
  /**
   * @internal In the engine's FinalizationRegistry (freed when garbage-collected). Tensors a tidy
   * scope owns join it only if they outlive the scope; tape copies never do (always disposed).
   */
  registered = false;

  /** @internal Tensors are made by ops and `tf.tensor`, never with `new`. */
  constructor(id: number, shape: number[], dtype: DType, handle: DataHandle) {
    this.id = id;
    this.shape = shape;
    this.dtype = dtype;
    this.ref = { h: handle };
    let n = 1;
    for (const d of shape) n *= d;
    this.size = n;
  }

  /** Number of axes: 0 for a scalar. */
  get rank(): number {
    return this.shape.length;
  }

  /** @internal */
  get handle(): DataHandle {
    return this.ref.h;
  }

  /** The backend's id for this tensor's data (for kernels and backends). */
  get dataId(): DataId {
    return this.ref.h.id;
  }

  /** True after `dispose()` (or after a `tf.tidy` freed it): its values are gone. */
  get isDisposed(): boolean {
    return this.disposedFlag;
  }

  /** @internal */
  throwIfDisposed(): void {
    if (this.disposedFlag) throw new Error(`Tensor ${this.id} (shape [${this.shape}]) is disposed.`);
  }

  /**
   * Values as a flat typed array (Float32Array, Int32Array, or Uint8Array for bool), copied.
   * Example: `const [first] = await t.data();` or `await t.data<"int32">()` for an Int32Array.
   */
  async data<D extends DType = DType>(): Promise<DataTypeMap[D]> {
    this.throwIfDisposed();
    return (await engineOf().read(this)) as DataTypeMap[D];
  }

  /** Synchronous `data()`. Example: `tf.tensor([1, 2]).dataSync()` → Float32Array [1, 2]. */
  dataSync<D extends DType = DType>(): DataTypeMap[D] {
    this.throwIfDisposed();
    return engineOf().readSync(this) as DataTypeMap[D];
  }

  /** Values as nested JS arrays (a number for a scalar). Example: `await tf.tensor1d([1, 2]).array()` → `[1, 2]`. */
  async array(): Promise<ArrayMap[R]> {
    return toNested(this.shape, await this.data()) as ArrayMap[R];
  }

  /** Example: `tf.tensor([[1, 2], [3, 4]]).arraySync()` → `[[1, 2], [3, 4]]`; a scalar's is a number. */
  arraySync(): ArrayMap[R] {
    return toNested(this.shape, this.dataSync()) as ArrayMap[R];
  }

  /** Writes `toString(verbose)` to the console. */
  print(verbose = false): void {
    console.log(this.toString(verbose));
  }

  /** NumPy-like text: `Tensor\n    [[1, 2],\n     [3, 4]]`; `verbose` adds dtype, rank and shape. */
  toString(verbose = false): string {
    if (this.disposedFlag) return `Tensor (disposed) shape [${this.shape}] ${this.dtype}`;
    return formatTensor(this.dataSync(), this.shape, this.dtype, verbose);
  }

  /** Frees the data now (a no-op the second time). */
  dispose(): void {
    if (this.disposedFlag) return;
    engineOf().disposeTensor(this);
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }
}

/** Tensors of a known rank, as TF.js names them (ranks are checked at run time). */
export type Scalar = Tensor<Rank.R0>;
export type Tensor1D = Tensor<Rank.R1>;
export type Tensor2D = Tensor<Rank.R2>;
export type Tensor3D = Tensor<Rank.R3>;
export type Tensor4D = Tensor<Rank.R4>;
export type Tensor5D = Tensor<Rank.R5>;
export type Tensor6D = Tensor<Rank.R6>;

/**
 * A mutable tensor: model weights. `assign` replaces its values; its id and shape stay.
 * Tidy never disposes variables. Example: `const w = tf.variable(tf.zeros([2])); w.assign(tf.ones([2]));`
 */
// biome-ignore lint/suspicious/noExplicitAny: see Tensor
export class Variable<R extends Rank = any> extends Tensor<R> {
  /** Whether optimizers and `tf.variableGrads` update it (default true). */
  trainable: boolean;
  /** Unique name; `tf.variableGrads` returns gradients keyed by it. */
  readonly name: string;

  /** @internal Made by `tf.variable`. */
  constructor(initial: Tensor, trainable: boolean, name: string, id: number) {
    super(id, initial.shape.slice(), initial.dtype, initial.handle);
    this.trainable = trainable;
    this.name = name;
  }

  /** Replaces the values (shape and dtype must match). Example: `v.assign(tf.zeros([2]))`. */
  assign(newValue: Tensor<R>): void {
    this.throwIfDisposed();
    newValue.throwIfDisposed();
    if (newValue.dtype !== this.dtype) {
      throw new Error(
        `Variable.assign: dtype ${newValue.dtype} differs from the variable's ${this.dtype} (${this.name})`,
      );
    }
    if (newValue.shape.length !== this.shape.length || newValue.shape.some((d, i) => d !== this.shape[i])) {
      throw new Error(
        `Variable.assign: shape [${newValue.shape}] differs from the variable's [${this.shape}] (${this.name})`,
      );
    }
    assignHook!(this, newValue);
  }
}

let assignHook: ((v: Variable, t: Tensor) => void) | undefined;
/** @internal The engine installs how a variable takes over another tensor's data. */
export function setAssignHook(fn: (v: Variable, t: Tensor) => void): void {
  assignHook = fn;
}

function toNested(shape: readonly number[], values: TypedArray): NestedArray {
  if (shape.length === 0) return values[0];
  const build = (axis: number, offset: number, stride: number): NestedArray[] => {
    const n = shape[axis];
    const inner = stride / (n || 1);
    const out: NestedArray[] = [];
    for (let i = 0; i < n; i++) {
      out.push(axis === shape.length - 1 ? values[offset + i] : build(axis + 1, offset + i * inner, inner));
    }
    return out;
  };
  let size = 1;
  for (const d of shape) size *= d;
  return build(0, 0, size);
}
