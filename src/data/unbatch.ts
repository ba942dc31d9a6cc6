/** `Dataset.unbatch`: each element split along its first axis into single examples. */
import * as tf from "../runtime/index.js";
import { Tensor, type TensorContainer } from "../runtime/index.js";
import { disposeAll, isNested } from "./container.js";
import { DONE, type LazyIterator, Stage } from "./lazy-iterator.js";

/** The first-axis length of every leaf of an element (tensors of rank ≥ 1 and arrays). */
function leadingSize(value: unknown, path: string, sizes: Set<number>): void {
  if (value instanceof Tensor) {
    if (value.rank === 0) throw new Error(`unbatch: the scalar tensor at '${path || "element"}' has no axis to split`);
    sizes.add(value.shape[0]);
  } else if (Array.isArray(value) && !value.some((v) => v instanceof Tensor || isNested(v))) {
    sizes.add(value.length);
  } else if (isNested(value)) {
    for (const [k, v] of Object.entries(value)) leadingSize(v, path ? `${path}.${k}` : k, sizes);
  } else {
    throw new Error(`unbatch: '${path || "element"}' is ${typeof value}, not a tensor or an array to split`);
  }
}

function row(value: unknown, parts: Map<Tensor, Tensor[]>, i: number): TensorContainer {
  if (value instanceof Tensor) return parts.get(value)![i];
  if (Array.isArray(value) && !value.some((v) => v instanceof Tensor || isNested(v))) return value[i];
  if (Array.isArray(value)) return value.map((v) => row(v, parts, i));
  const out: Record<string, TensorContainer> = {};
  for (const [k, v] of Object.entries(value as object)) out[k] = row(v, parts, i);
  return out;
}

function tensorsOf(value: unknown, out: Tensor[] = []): Tensor[] {
  if (value instanceof Tensor) out.push(value);
  else if (isNested(value)) for (const v of Object.values(value)) tensorsOf(v, out);
  return out;
}

export class UnbatchIterator<T> extends Stage<T, TensorContainer> {
  private pending: TensorContainer[] = [];
  constructor(upstream: LazyIterator<T>) {
    super(upstream);
  }
  protected async pull(): Promise<IteratorResult<TensorContainer>> {
    while (this.pending.length === 0) {
      const r = await this.upstream.next();
      if (r.done) return DONE;
      try {
        const sizes = new Set<number>();
        leadingSize(r.value, "", sizes);
        if (sizes.size > 1)
          throw new Error(`unbatch: the parts of an element have different first sizes (${[...sizes].join(", ")})`);
        const n = sizes.size === 0 ? 0 : [...sizes][0];
        const parts = new Map(tensorsOf(r.value).map((t) => [t, tf.unstack(t)]));
        for (let i = 0; i < n; i++) this.pending.push(row(r.value, parts, i));
      } finally {
        disposeAll(r.value);
      }
    }
    return { value: this.pending.shift()!, done: false };
  }
  protected override async release(): Promise<void> {
    disposeAll(this.pending.splice(0));
    await super.release();
  }
}
