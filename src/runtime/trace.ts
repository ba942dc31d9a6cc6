/**
 * `tf.trace`: lists the ops a function runs, for teaching and for "backprop made visible" diagrams.
 */
import { getEngine, type TraceEntry } from "./engine.js";
import { Tensor } from "./tensor.js";
import { pathOutputs } from "./tape.js";

export type { TraceEntry, TracedTensor } from "./engine.js";

export interface Trace<T> {
  /** What `fn` returned. */
  result: T;
  /** Every op `fn` ran, in order (kernel names, tensor ids and shapes). */
  ops: TraceEntry[];
}

/**
 * Runs `fn` and returns its result with the list of ops it executed. With `sources`, each op is
 * marked `onGradientPath` when it lies between a source and the (tensor) result, i.e. when
 * backpropagation from the result to the sources passes through it.
 * Example:
 * ```ts
 * const w = tf.variable(tf.ones([2, 1]));
 * const { ops } = tf.trace(() => x.matMul(w).relu().sum(), { sources: [w] });
 * ops.map((o) => `${o.op}${o.onGradientPath ? " *" : ""}`);
 * ```
 */
export function trace<T>(fn: () => T, options: { sources?: Tensor[] } = {}): Trace<T> {
  const e = getEngine();
  const ops = e.startTrace();
  let result: T;
  try {
    result = fn();
  } finally {
    e.endTrace(ops);
  }
  if (options.sources && result instanceof Tensor) {
    const onPath = pathOutputs(
      ops.map((o) => ({ inputIds: o.inputs.map((i) => i.id), outputIds: [o.output.id] })),
      new Set(options.sources.map((s) => s.id)),
      result.id,
    );
    for (const o of ops) o.onGradientPath = onPath.has(o.output.id);
  }
  return { result, ops };
}
