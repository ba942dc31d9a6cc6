/**
 * Datasets from JavaScript functions: `tf.data.generator` (a generator function, sync or async,
 * called afresh for every iteration) and `tf.data.func` (a function called once per element).
 * `tf.data.microphone` and `tf.data.webcam` need a browser and fail with an error saying so.
 */
import type { TensorContainer } from "../runtime/index.js";
import { type Dataset, datasetFromIteratorFn } from "./dataset.js";
import { FunctionIterator } from "./lazy-iterator.js";

type AnyIterator<T> = Iterator<T> | AsyncIterator<T>;

/**
 * A dataset of what a generator function yields; every iteration of the dataset calls the
 * function again, so it can be trained on for several epochs.
 *
 * ```ts
 * function* points() {
 *   for (let i = 0; i < 100; i++) yield { xs: tf.tensor1d([i / 100]), ys: tf.tensor1d([2 * i / 100]) };
 * }
 * const ds = tf.data.generator(points).batch(10);
 * ```
 */
export function generator<T extends TensorContainer>(
  generator: () => AnyIterator<T> | Promise<AnyIterator<T>>,
): Dataset<T> {
  if (typeof generator !== "function")
    throw new Error(
      "tf.data.generator takes a function that returns an iterator (e.g. a function* generator), called anew for each pass; got " +
        (generator === null ? "null" : typeof generator),
    );
  return datasetFromIteratorFn(async () => {
    const it = await generator();
    if (!it || typeof (it as AnyIterator<T>).next !== "function")
      throw new Error("tf.data.generator: the function must return an iterator (an object with next())");
    return new FunctionIterator<T>(
      () => it.next() as IteratorResult<T> | Promise<IteratorResult<T>>,
      () => it.return?.(),
    );
  });
}

/**
 * A dataset whose elements come from calling `f` until it returns `{ done: true }`. The function
 * is shared by every iteration (keep its state outside to restart it).
 *
 * ```ts
 * let i = -1;
 * const ds = tf.data.func(() => (++i < 5 ? { value: i, done: false } : { value: null, done: true }));
 * ```
 */
export function func<T extends TensorContainer>(f: () => IteratorResult<T> | Promise<IteratorResult<T>>): Dataset<T> {
  if (typeof f !== "function") throw new Error("tf.data.func: expected a function returning { value, done }");
  const it = new FunctionIterator<T>(f);
  return datasetFromIteratorFn(async () => it);
}

function browserOnly(name: string): never {
  throw new Error(
    `tf.data.${name} needs a browser (${name === "webcam" ? "a video element and camera" : "Web Audio and a microphone"}); deepts runs in Node, where it is not available.`,
  );
}

/** Browser only in TF.js: fails in deepts with an error saying so. */
export async function webcam(..._args: unknown[]): Promise<never> {
  return browserOnly("webcam");
}

/** Browser only in TF.js: fails in deepts with an error saying so. */
export async function microphone(..._args: unknown[]): Promise<never> {
  return browserOnly("microphone");
}
