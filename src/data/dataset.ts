/**
 * `tf.data.Dataset`: a recipe for a stream of elements. Each `iterator()` call starts a fresh,
 * lazy pass over the data, so a dataset can be iterated (trained on) any number of times.
 * The transformations (`map`, `batch`, `shuffle` …) return new datasets and read nothing until
 * iterated. Element sizes (`size`) follow TF.js: a number, `Infinity`, or null when unknown.
 */
import type { Tensor, TensorContainer } from "../runtime/index.js";
import { generatorFor, Prng } from "../runtime/random.js";
import { BatchIterator, ChainIterator, ShuffleIterator, ZipIterator } from "./buffered.js";
import { isNested } from "./container.js";
import {
  ArrayIterator,
  FilterIterator,
  type LazyIterator,
  MapIterator,
  PrefetchIterator,
  SkipIterator,
  TakeIterator,
} from "./lazy-iterator.js";
import { UnbatchIterator } from "./unbatch.js";

/** What `batch` makes of an element type: numbers, arrays of numbers and tensors become tensors. */
export type Batched<T> = T extends Tensor | number | boolean | Float32Array | Int32Array | Uint8Array
  ? Tensor
  : T extends readonly (infer E)[]
    ? E extends Tensor | TensorContainer[] | { [key: string]: TensorContainer }
      ? { [K in keyof T]: Batched<T[K]> }
      : Tensor
    : T extends { [key: string]: TensorContainer }
      ? { [K in keyof T]: Batched<T[K]> }
      : TensorContainer;

function checkCount(method: string, count: number | undefined): void {
  if (count !== undefined && count !== null && !(typeof count === "number" && !Number.isNaN(count)))
    throw new Error(`Dataset.${method}: count must be a number, got ${String(count)}`);
}

/** A numeric seed from a number or a string (TF.js takes string seeds). */
function seedNumber(seed: number | string): number {
  if (typeof seed === "number") {
    if (!Number.isFinite(seed)) throw new Error(`Dataset.shuffle: seed must be a finite number, got ${seed}`);
    return Math.floor(seed) >>> 0;
  }
  let h = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export abstract class Dataset<out T extends TensorContainer> {
  /** The most elements `shuffle` should buffer, as a guide (TF.js's constant). */
  static readonly MAX_BUFFER_SIZE = 10000;

  /** Number of elements: a count, `Infinity`, or null when it cannot be known without iterating. */
  readonly size: number = null as unknown as number;

  /**
   * A fresh lazy iterator over the elements: `await (await ds.iterator()).next()` gives `{ value, done }`.
   *
   * ```ts
   * const it = await tf.data.array([1, 2, 3]).iterator();
   * for await (const x of it) console.log(x);
   * ```
   */
  abstract iterator(): Promise<LazyIterator<T>>;

  /**
   * Groups consecutive elements into batches of `batchSize`: tensors are stacked along a new
   * first axis, numbers and arrays of numbers become tensors, objects and arrays are batched
   * entry by entry. The last, smaller batch is kept unless `smallLastBatch` is false.
   *
   * ```ts
   * const ds = tf.data.array([{ x: [1, 2], y: 0 }, { x: [3, 4], y: 1 }, { x: [5, 6], y: 0 }]).batch(2);
   * // { x: Tensor [2, 2], y: Tensor [2] }, then { x: [1, 2], y: [1] }
   * ```
   */
  batch(batchSize: number, smallLastBatch = true): Dataset<Batched<T> & TensorContainer> {
    if (!(Number.isInteger(batchSize) && batchSize > 0))
      throw new Error(`Dataset.batch: batchSize must be a positive integer, got ${batchSize}`);
    const size =
      this.size === null || this.size === Infinity
        ? this.size
        : smallLastBatch
          ? Math.ceil(this.size / batchSize)
          : Math.floor(this.size / batchSize);
    return datasetFromIteratorFn(
      async () => new BatchIterator(await this.iterator(), batchSize, smallLastBatch),
      size,
    ) as Dataset<Batched<T> & TensorContainer>;
  }

  /**
   * The elements of this dataset followed by those of `dataset`.
   *
   * ```ts
   * tf.data.array([1, 2]).concatenate(tf.data.array([3])); // 1, 2, 3
   * ```
   */
  concatenate(dataset: Dataset<T>): Dataset<T> {
    if (!(dataset instanceof Dataset)) throw new Error("Dataset.concatenate: expected a Dataset");
    const size =
      this.size === Infinity || dataset.size === Infinity
        ? Infinity
        : this.size !== null && dataset.size !== null
          ? this.size + dataset.size
          : null;
    return datasetFromIteratorFn(async () => {
      const parts: Dataset<T>[] = [this, dataset];
      return new ChainIterator(async () => parts.shift()?.iterator());
    }, size);
  }

  /**
   * The elements for which `predicate` returns true (others are disposed).
   *
   * ```ts
   * tf.data.array([1, 2, 3, 4]).filter((x) => x % 2 === 0); // 2, 4
   * ```
   */
  filter(predicate: (value: T) => boolean): Dataset<T> {
    if (typeof predicate !== "function") throw new Error("Dataset.filter: expected a predicate function");
    return datasetFromIteratorFn(
      async () => new FilterIterator(await this.iterator(), predicate),
      this.size === Infinity ? Infinity : null,
    );
  }

  /**
   * Calls `f` on each element in order (awaiting it when it returns a promise); the element's
   * tensors are disposed afterwards.
   *
   * ```ts
   * await tf.data.array([1, 2, 3]).forEachAsync((x) => console.log(x));
   * ```
   */
  async forEachAsync(f: (input: T) => void | Promise<void>): Promise<void> {
    return (await this.iterator()).forEachAsync(f);
  }

  /**
   * Each element passed through `transform`, which runs inside `tf.tidy`; tensors of the input
   * element not returned by the transform are disposed.
   *
   * ```ts
   * tf.data.array([1, 2, 3]).map((x) => x * 10); // 10, 20, 30
   * ```
   */
  map<O extends TensorContainer>(transform: (value: T) => O): Dataset<O> {
    if (typeof transform !== "function") throw new Error("Dataset.map: expected a transform function");
    return datasetFromIteratorFn(async () => new MapIterator(await this.iterator(), transform, false), this.size);
  }

  /**
   * Like `map`, for an asynchronous transform (it is awaited; no `tf.tidy` around it).
   *
   * ```ts
   * ds.mapAsync(async (t: tf.Tensor) => (await t.data())[0]);
   * ```
   */
  mapAsync<O extends TensorContainer>(transform: (value: T) => Promise<O>): Dataset<O> {
    if (typeof transform !== "function") throw new Error("Dataset.mapAsync: expected a transform function");
    return datasetFromIteratorFn(async () => new MapIterator(await this.iterator(), transform, true), this.size);
  }

  /**
   * Requests up to `bufferSize` elements ahead of the consumer.
   *
   * ```ts
   * ds.batch(32).prefetch(2);
   * ```
   */
  prefetch(bufferSize: number): Dataset<T> {
    if (bufferSize === undefined || bufferSize === null)
      throw new RangeError("`Dataset.prefetch()` requires bufferSize to be specified.");
    return datasetFromIteratorFn(async () => new PrefetchIterator(await this.iterator(), bufferSize), this.size);
  }

  /**
   * The dataset `count` times over (each pass a fresh iteration); forever when `count` is
   * omitted or negative.
   *
   * ```ts
   * tf.data.array([1, 2]).repeat(2); // 1, 2, 1, 2
   * ```
   */
  repeat(count?: number): Dataset<T> {
    checkCount("repeat", count);
    const forever = count === undefined || count === null || count < 0;
    const size =
      count === 0 ? 0 : this.size === null ? null : forever ? (this.size === 0 ? 0 : Infinity) : this.size * count!;
    return datasetFromIteratorFn(async () => {
      let passes = 0;
      return new ChainIterator(async () => (forever || passes++ < count! ? this.iterator() : undefined), true);
    }, size);
  }

  /**
   * All but the first `count` elements.
   *
   * ```ts
   * tf.data.array([1, 2, 3]).skip(1); // 2, 3
   * ```
   */
  skip(count: number): Dataset<T> {
    checkCount("skip", count);
    const n = count === undefined || count === null || count < 0 ? 0 : count;
    const size = this.size === null ? null : this.size === Infinity ? Infinity : Math.max(0, this.size - n);
    return datasetFromIteratorFn(async () => new SkipIterator(await this.iterator(), n), size);
  }

  /**
   * The elements in random order: a window of `bufferSize` elements is kept and a random one
   * emitted each time (a buffer as large as the dataset gives a full shuffle). `seed` (a number
   * or string) fixes the order; without it the order follows `tf.setSeed`. Each iteration
   * reshuffles unless `reshuffleEachIteration` is false.
   *
   * ```ts
   * tf.data.array([1, 2, 3, 4, 5]).shuffle(5, "seed");
   * ```
   */
  shuffle(bufferSize: number, seed?: number | string, reshuffleEachIteration = true): Dataset<T> {
    if (bufferSize === undefined || bufferSize === null || bufferSize < 0) {
      throw new RangeError(
        "`Dataset.shuffle()` requires bufferSize to be specified." +
          (this.size === null || this.size === Infinity
            ? ""
            : `  If your data fits in memory, consider setting bufferSize to the dataset size (${this.size} elements)`),
      );
    }
    const base = seed === undefined || seed === null ? generatorFor(undefined).nextUint32() : seedNumber(seed);
    const seeds = new Prng(base);
    return datasetFromIteratorFn(async () => {
      const random = new Prng(reshuffleEachIteration ? seeds.nextUint32() : base);
      return new ShuffleIterator(await this.iterator(), bufferSize, random);
    }, this.size);
  }

  /**
   * The first `count` elements (all of them when `count` is negative).
   *
   * ```ts
   * tf.data.array([1, 2, 3]).take(2); // 1, 2
   * ```
   */
  take(count: number): Dataset<T> {
    checkCount("take", count);
    if (count === undefined || count === null || count < 0)
      return datasetFromIteratorFn(() => this.iterator(), this.size);
    const size = this.size === null ? (count === 0 ? 0 : null) : Math.min(this.size, count);
    return datasetFromIteratorFn(async () => new TakeIterator(await this.iterator(), count), size);
  }

  /**
   * Splits each element along its first axis into single examples (the inverse of `batch`; not
   * in TF.js, as in Python's `tf.data`). Every tensor in an element must share that first size.
   *
   * ```ts
   * tf.data.array([tf.tensor([[1, 2], [3, 4]])]).unbatch(); // [1, 2], then [3, 4]
   * ```
   */
  unbatch(): Dataset<TensorContainer> {
    return datasetFromIteratorFn(async () => new UnbatchIterator(await this.iterator()), null);
  }

  /**
   * Every element, in an array (the dataset must be finite).
   *
   * ```ts
   * await tf.data.array([1, 2, 3]).map((x) => x * 2).toArray(); // [2, 4, 6]
   * ```
   */
  async toArray(): Promise<T[]> {
    if (this.size === Infinity) throw new Error("Can not convert infinite data stream to array.");
    return (await this.iterator()).toArray();
  }

  /** `toArray` reading through a prefetch buffer (TF.js's test helper). */
  async toArrayForTest(): Promise<T[]> {
    if (this.size === Infinity) throw new Error("Can not convert infinite data stream to array.");
    return (await this.iterator()).toArrayForTest();
  }
}

/**
 * A dataset whose every iteration calls `iteratorFn` for a fresh iterator.
 *
 * ```ts
 * const ds = tf.data.datasetFromIteratorFn(async () => await tf.data.array([1, 2]).iterator(), 2);
 * ```
 */
export function datasetFromIteratorFn<T extends TensorContainer>(
  iteratorFn: () => Promise<LazyIterator<T>>,
  size: number | null = null,
): Dataset<T> {
  return new (class extends Dataset<T> {
    override readonly size = size as number;
    iterator(): Promise<LazyIterator<T>> {
      return iteratorFn();
    }
  })();
}

/**
 * A dataset of the items of an array, in order (tensors in it are cloned per iteration, so the
 * array's own tensors stay valid).
 *
 * ```ts
 * const ds = tf.data.array([{ x: 1, y: 2 }, { x: 3, y: 4 }]);
 * ```
 */
export function array<T extends TensorContainer>(items: T[]): Dataset<T> {
  if (!Array.isArray(items)) throw new Error("tf.data.array: expected an array of elements");
  return datasetFromIteratorFn(async () => new ArrayIterator(items), items.length);
}

/** A structure (array or object, possibly nested) of datasets, as `zip` takes. */
export type DatasetContainer =
  | Dataset<TensorContainer>
  | DatasetContainer[]
  | { [key: string]: Dataset<TensorContainer> | DatasetContainer };

/** The element type `zip` makes of a structure of datasets. */
export type Zipped<C> =
  C extends Dataset<infer E>
    ? E
    : C extends readonly unknown[]
      ? TensorContainer[] & { [K in keyof C]: Zipped<C[K]> }
      : { [K in keyof C]: Zipped<C[K]> } & { [key: string]: TensorContainer };

function datasetLeaves(tree: unknown, out: Dataset<TensorContainer>[] = []): Dataset<TensorContainer>[] {
  if (tree instanceof Dataset) out.push(tree);
  else if (isNested(tree)) for (const v of Object.values(tree)) datasetLeaves(v, out);
  else throw new Error("Leaves of the structure passed to zip() must be Datasets, not primitives.");
  return out;
}

/** The size of a zip: the smallest size, or null when an unknown size could be the smallest. */
function shortestSize(sizes: (number | null)[]): number | null {
  const known = sizes.filter((s): s is number => s !== null);
  const smallest = known.length > 0 ? Math.min(...known) : sizes.length === 0 ? 0 : Infinity;
  if (smallest === 0 || known.length === sizes.length) return smallest;
  return null;
}

async function iteratorTree(tree: unknown): Promise<unknown> {
  if (tree instanceof Dataset) return tree.iterator();
  if (Array.isArray(tree)) return Promise.all(tree.map(iteratorTree));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(tree as object)) out[k] = await iteratorTree(v);
  return out;
}

/**
 * A dataset whose elements combine the elements of several datasets, in the same structure
 * (array or object, nested); it ends with the shortest.
 *
 * ```ts
 * const xs = tf.data.array([[1, 2], [3, 4]]);
 * const ys = tf.data.array([0, 1]);
 * const ds = tf.data.zip({ xs, ys }); // { xs: [1, 2], ys: 0 }, { xs: [3, 4], ys: 1 }
 * ```
 */
export function zip<C>(datasets: C & DatasetContainer): Dataset<Zipped<C>>;
export function zip<O extends TensorContainer>(datasets: DatasetContainer): Dataset<O>;
export function zip(datasets: DatasetContainer): Dataset<TensorContainer> {
  if (datasets instanceof Dataset || !isNested(datasets))
    throw new Error("The argument to zip() must be an object or array.");
  const size = shortestSize(datasetLeaves(datasets).map((d) => d.size));
  return datasetFromIteratorFn(async () => {
    const tree = await iteratorTree(datasets);
    return new ZipIterator(tree as ConstructorParameters<typeof ZipIterator>[0]);
  }, size);
}
