/**
 * The engine's variables by name, held weakly: a variable no code can reach any more (a model built
 * in an earlier cell under a re-used name) is collected with its data instead of being kept alive
 * by this index. Live variables are found by name as before (`variableGrads`, `applyGradients`).
 */
import type { Variable } from "./tensor.js";

export class VariableRegistry {
  private readonly refs = new Map<string, WeakRef<Variable>>();
  private readonly forget = new FinalizationRegistry<{ name: string; ref: WeakRef<Variable> }>(({ name, ref }) => {
    if (this.refs.get(name) === ref) this.refs.delete(name);
  });

  get(name: string): Variable | undefined {
    return this.refs.get(name)?.deref();
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  set(name: string, v: Variable): this {
    const ref = new WeakRef(v);
    this.refs.set(name, ref);
    this.forget.register(v, { name, ref }, ref);
    return this;
  }

  delete(name: string): boolean {
    const ref = this.refs.get(name);
    if (!ref) return false;
    this.forget.unregister(ref);
    this.refs.delete(name);
    return true;
  }

  /** Live variables, in the order they were registered. */
  *values(): IterableIterator<Variable> {
    for (const ref of this.refs.values()) {
      const v = ref.deref();
      if (v) yield v;
    }
  }

  *keys(): IterableIterator<string> {
    for (const [name, ref] of this.refs) if (ref.deref()) yield name;
  }

  *entries(): IterableIterator<[string, Variable]> {
    for (const [name, ref] of this.refs) {
      const v = ref.deref();
      if (v) yield [name, v];
    }
  }

  [Symbol.iterator](): IterableIterator<[string, Variable]> {
    return this.entries();
  }

  /** How many live variables are registered. */
  get size(): number {
    let n = 0;
    for (const _ of this.values()) n++;
    return n;
  }
}
