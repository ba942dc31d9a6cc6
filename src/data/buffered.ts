/**
 * Stages that hold several elements or several iterators: batching, window shuffling, chaining
 * (concatenate, repeat) and zipping.
 */
import * as tf from "../runtime/index.js";
import type { Prng } from "../runtime/random.js";
import type { TensorContainer } from "../runtime/index.js";
import { batchRows, disposeAll, isNested } from "./container.js";
import { DONE, LazyIterator, Stage } from "./lazy-iterator.js";

/** Groups `size` consecutive elements into one batch (see `batchRows`); the rows are disposed. */
export class BatchIterator<T> extends Stage<T, TensorContainer> {
  constructor(
    upstream: LazyIterator<T>,
    private readonly size: number,
    private readonly smallLastBatch: boolean,
  ) {
    super(upstream);
  }
  protected async pull(): Promise<IteratorResult<TensorContainer>> {
    const rows: T[] = [];
    while (rows.length < this.size) {
      const r = await this.upstream.next();
      if (r.done) break;
      rows.push(r.value);
    }
    if (rows.length === 0) return DONE;
    try {
      if (rows.length < this.size && !this.smallLastBatch) return DONE;
      return { value: batchRows(rows), done: false };
    } finally {
      disposeAll(rows);
    }
  }
}

/**
 * Shuffles within a window: keeps `windowSize` elements and emits a random one of them each time,
 * refilling from upstream, so the order is random across windows of that size.
 */
export class ShuffleIterator<T> extends Stage<T, T> {
  private readonly window: T[] = [];
  private exhausted = false;
  constructor(
    upstream: LazyIterator<T>,
    private readonly windowSize: number,
    private readonly random: Prng,
  ) {
    super(upstream);
  }
  protected async pull(): Promise<IteratorResult<T>> {
    while (!this.exhausted && this.window.length < Math.max(1, this.windowSize)) {
      const r = await this.upstream.next();
      if (r.done) this.exhausted = true;
      else this.window.push(r.value);
    }
    if (this.window.length === 0) return DONE;
    const i = Math.floor(this.random.next() * this.window.length);
    const chosen = this.window[i];
    this.window[i] = this.window[this.window.length - 1];
    this.window.pop();
    return { value: chosen, done: false };
  }
  protected override async release(): Promise<void> {
    disposeAll(this.window.splice(0));
    await super.release();
  }
}

/**
 * The elements of a sequence of iterators, one after another. `nextIterator` gives the next one,
 * or undefined when there are no more. A pass that yields nothing ends the chain when
 * `stopOnEmptyPass` is set, so repeating an empty dataset forever ends instead of spinning.
 */
export class ChainIterator<T> extends LazyIterator<T> {
  private current: LazyIterator<T> | undefined;
  private finished = false;
  private yieldedThisPass = 0;
  constructor(
    private readonly nextIterator: () => Promise<LazyIterator<T> | undefined>,
    private readonly stopOnEmptyPass = false,
  ) {
    super();
  }
  protected async pull(): Promise<IteratorResult<T>> {
    while (!this.finished) {
      if (!this.current) {
        this.current = await this.nextIterator();
        this.yieldedThisPass = 0;
        if (!this.current) {
          this.finished = true;
          break;
        }
      }
      const r = await this.current.next();
      if (!r.done) {
        this.yieldedThisPass++;
        return r;
      }
      this.current = undefined;
      if (this.stopOnEmptyPass && this.yieldedThisPass === 0) this.finished = true;
      tf.checkInterrupt();
    }
    return DONE;
  }
  protected override async release(): Promise<void> {
    await this.current?.return();
    this.finished = true;
  }
}

type IteratorTree = LazyIterator<unknown> | IteratorTree[] | { [key: string]: IteratorTree };

function leaves(tree: IteratorTree, out: LazyIterator<unknown>[] = []): LazyIterator<unknown>[] {
  if (tree instanceof LazyIterator) out.push(tree);
  else for (const v of Object.values(tree)) leaves(v as IteratorTree, out);
  return out;
}

function fill(tree: IteratorTree, values: Map<LazyIterator<unknown>, unknown>): TensorContainer {
  if (tree instanceof LazyIterator) return values.get(tree) as TensorContainer;
  if (Array.isArray(tree)) return tree.map((t) => fill(t, values));
  const out: Record<string, TensorContainer> = {};
  for (const [k, v] of Object.entries(tree)) out[k] = fill(v, values);
  return out;
}

/** Elements made of one element of each iterator, in the same structure; ends with the shortest. */
export class ZipIterator extends LazyIterator<TensorContainer> {
  private readonly iterators: LazyIterator<unknown>[];
  constructor(private readonly tree: IteratorTree) {
    super();
    if (!(tree instanceof LazyIterator) && !isNested(tree))
      throw new Error("zip: expected an array or object of datasets");
    this.iterators = leaves(tree);
  }
  protected async pull(): Promise<IteratorResult<TensorContainer>> {
    const results = await Promise.all(this.iterators.map((it) => it.next()));
    if (results.length === 0 || results.some((r) => r.done)) {
      for (const r of results) if (!r.done) disposeAll(r.value);
      return DONE;
    }
    const values = new Map(this.iterators.map((it, i) => [it, results[i].value]));
    return { value: fill(this.tree, values), done: false };
  }
  protected override async release(): Promise<void> {
    await Promise.all(this.iterators.map((it) => it.return()));
  }
}
