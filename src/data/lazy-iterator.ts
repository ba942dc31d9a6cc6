/**
 * `LazyIterator`: what `await dataset.iterator()` returns. Each `next()` resolves to
 * `{ value, done }`; calls are served one after another in order, even when a caller (prefetch)
 * does not await them. `return()` ends it early and disposes whatever tensors it holds buffered.
 * The one-element-in, one-element-out stages live here; buffering stages in `buffered.ts`.
 */
import * as tf from "../runtime/index.js";
import { cloneTensors, disposeAll, disposeConsumed } from "./container.js";

export const DONE: IteratorReturnResult<null> = Object.freeze({ value: null, done: true as const });

function ignore(): void {}

export abstract class LazyIterator<T> implements AsyncIterableIterator<T> {
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  /**
   * The next element as `{ value, done: false }`, or `{ value: null, done: true }` at the end.
   *
   * ```ts
   * const it = await tf.data.array([1, 2]).iterator();
   * await it.next(); // { value: 1, done: false }
   * ```
   */
  next(): Promise<IteratorResult<T>> {
    const result = this.queue.then(() => (this.closed ? DONE : this.pull()));
    this.queue = result.then(ignore, ignore);
    return result;
  }

  /** Produces the next element; only ever called after the previous call settled. */
  protected abstract pull(): Promise<IteratorResult<T>>;

  /** Stops early: disposes buffered tensors and stops the iterators this one reads. */
  async return(): Promise<IteratorResult<T>> {
    if (!this.closed) {
      this.closed = true;
      await this.queue;
      await this.release();
    }
    return DONE;
  }

  /** Frees what this stage holds (buffers, upstream iterators) once it is closed. */
  protected async release(): Promise<void> {}

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }

  /** Reads every remaining element into an array. */
  async toArray(): Promise<T[]> {
    const out: T[] = [];
    for (let r = await this.next(); !r.done; r = await this.next()) out.push(r.value);
    return out;
  }

  /** `toArray` reading through a prefetch buffer (TF.js's test helper). */
  async toArrayForTest(): Promise<T[]> {
    return new PrefetchIterator(this, 100).toArray();
  }

  /** Calls `f` on every remaining element (awaiting it), then disposes the element's tensors. */
  async forEachAsync(f: (value: T) => unknown): Promise<void> {
    for (let r = await this.next(); !r.done; r = await this.next()) {
      try {
        await f(r.value);
      } finally {
        disposeAll(r.value);
      }
    }
  }
}

/** A stage that reads one upstream iterator and stops it when closed. */
export abstract class Stage<I, O> extends LazyIterator<O> {
  constructor(protected readonly upstream: LazyIterator<I>) {
    super();
  }
  protected override async release(): Promise<void> {
    await this.upstream.return();
  }
}

/** The items of an array, in order; tensors are cloned so consumers may dispose them. */
export class ArrayIterator<T> extends LazyIterator<T> {
  private index = 0;
  constructor(private readonly items: readonly T[]) {
    super();
  }
  protected async pull(): Promise<IteratorResult<T>> {
    if (this.index >= this.items.length) return DONE;
    return { value: cloneTensors(this.items[this.index++]), done: false };
  }
}

/** Elements from a function returning `{ value, done }` (or a promise of one) per call. */
export class FunctionIterator<T> extends LazyIterator<T> {
  constructor(
    private readonly produce: () => IteratorResult<T> | Promise<IteratorResult<T>>,
    private readonly onReturn?: () => unknown,
  ) {
    super();
  }
  protected async pull(): Promise<IteratorResult<T>> {
    let r: IteratorResult<T>;
    try {
      r = await this.produce();
    } catch (e) {
      if (e instanceof Error) e.message = `Error thrown while iterating through a dataset: ${e.message}`;
      throw e;
    }
    if (r === null || typeof r !== "object" || !("done" in r || "value" in r))
      throw new Error(
        `a dataset's iterator must return { value, done } objects, got ${r === null ? "null" : typeof r}`,
      );
    return r.done ? DONE : { value: r.value, done: false };
  }
  protected override async release(): Promise<void> {
    await this.onReturn?.();
  }
}

/**
 * `transform` applied to each element. A synchronous transform runs inside `tf.tidy`; tensors of
 * the input that the output does not contain are disposed (as in TF.js).
 */
export class MapIterator<I, O> extends Stage<I, O> {
  constructor(
    upstream: LazyIterator<I>,
    private readonly transform: (value: I) => O | Promise<O>,
    private readonly async: boolean,
  ) {
    super(upstream);
  }
  protected async pull(): Promise<IteratorResult<O>> {
    const r = await this.upstream.next();
    if (r.done) return DONE;
    const out = this.async ? await this.transform(r.value) : tf.tidy(() => this.syncTransform(r.value));
    disposeConsumed(r.value, out);
    return { value: out, done: false };
  }
  private syncTransform(value: I): O {
    const out = this.transform(value);
    if (out instanceof Promise)
      throw new Error("Dataset.map: the transform returned a Promise; use mapAsync for asynchronous transforms");
    return out as O;
  }
}

/** The elements for which `predicate` is true (evaluated inside `tf.tidy`); others are disposed. */
export class FilterIterator<T> extends Stage<T, T> {
  constructor(
    upstream: LazyIterator<T>,
    private readonly predicate: (value: T) => boolean,
  ) {
    super(upstream);
  }
  protected async pull(): Promise<IteratorResult<T>> {
    for (;;) {
      const r = await this.upstream.next();
      if (r.done || tf.tidy(() => this.predicate(r.value))) return r;
      disposeAll(r.value);
      tf.checkInterrupt();
    }
  }
}

/** The first `count` elements; then stops the upstream iterator. */
export class TakeIterator<T> extends Stage<T, T> {
  private taken = 0;
  constructor(
    upstream: LazyIterator<T>,
    private readonly count: number,
  ) {
    super(upstream);
  }
  protected async pull(): Promise<IteratorResult<T>> {
    if (this.taken >= this.count) {
      await this.upstream.return();
      return DONE;
    }
    this.taken++;
    return this.upstream.next();
  }
}

/** All but the first `count` elements (the skipped ones are disposed). */
export class SkipIterator<T> extends Stage<T, T> {
  private skipped = 0;
  constructor(
    upstream: LazyIterator<T>,
    private readonly count: number,
  ) {
    super(upstream);
  }
  protected async pull(): Promise<IteratorResult<T>> {
    while (this.skipped < this.count) {
      this.skipped++;
      const r = await this.upstream.next();
      if (r.done) return DONE;
      disposeAll(r.value);
      tf.checkInterrupt();
    }
    return this.upstream.next();
  }
}

/** Keeps up to `size` upcoming elements requested ahead of the consumer. */
export class PrefetchIterator<T> extends Stage<T, T> {
  private readonly buffer: Promise<IteratorResult<T>>[] = [];
  constructor(
    upstream: LazyIterator<T>,
    private readonly size: number,
  ) {
    super(upstream);
  }
  protected async pull(): Promise<IteratorResult<T>> {
    while (this.buffer.length < Math.max(1, this.size)) this.buffer.push(this.upstream.next());
    return this.buffer.shift()!;
  }
  protected override async release(): Promise<void> {
    const pending = this.buffer.splice(0);
    for (const p of pending) {
      const r = await p.catch(() => DONE);
      if (!r.done) disposeAll(r.value);
    }
    await super.release();
  }
}
