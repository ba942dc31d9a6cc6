/**
 * Automatic differentiation, reverse mode.
 *
 * While `f` runs inside `tf.grads` & co., the engine appends every op to a *tape*: its input and
 * output tensor ids, private views of those tensors, and the op's gradient function (written next
 * to the op in src/runtime/ops). Afterwards we walk the tape backwards from the result `y`:
 * starting with dy/dy = 1 (or the `dy` given), each op turns the gradient of its output into
 * gradients of its inputs (the chain rule), which are summed when a tensor feeds several ops.
 * Only ops on a path from some `x` to `y` are visited. Gradient functions are ordinary ops, so
 * this works on every backend; gradients of broadcasting ops are summed back to their inputs' shapes.
 */
import { getEngine, type TapeNode } from "./engine.js";
import { Tensor, Variable, type TensorLike } from "./tensor.js";
import { add } from "./ops/arithmetic.js";
import { convert } from "./ops/convert.js";
import { clone, onesLike } from "./ops/creation.js";
import { cast } from "./ops/shape.js";
import { shapeStr } from "./ops/util.js";

/** The ids of tape outputs that depend on `sources` and that `target` depends on. */
export function pathOutputs(
  nodes: { inputIds: number[]; outputIds: number[] }[],
  sources: Set<number>,
  target: number,
): Set<number> {
  const reach = new Set(sources);
  for (const n of nodes) if (n.inputIds.some((id) => reach.has(id))) for (const id of n.outputIds) reach.add(id);
  const needed = new Set([target]);
  const onPath = new Set<number>();
  for (let i = nodes.length - 1; i >= 0; i--) {
    const n = nodes[i];
    let used = false;
    for (const id of n.outputIds) {
      if (!needed.has(id) || !reach.has(id)) continue;
      onPath.add(id);
      used = true;
    }
    if (used) for (const id of n.inputIds) needed.add(id);
  }
  return onPath;
}

function backprop(tape: TapeNode[], y: Tensor, xs: Tensor[], dy: Tensor): Map<number, Tensor> {
  const sources = new Set(xs.map((x) => x.id));
  const onPath = pathOutputs(tape, sources, y.id);
  const grads = new Map<number, Tensor>([[y.id, dy]]);
  for (let i = tape.length - 1; i >= 0; i--) {
    const node = tape[i];
    let inputGrads: (Tensor | null)[];
    const needed = () =>
      node.inputIds.map((id, k) => node.saved[k].dtype === "float32" && (sources.has(id) || onPath.has(id)));
    let want: boolean[];
    if (node.grad) {
      const id = node.outputIds[0];
      if (!onPath.has(id)) continue;
      const g = grads.get(id);
      if (!g) continue;
      want = needed();
      inputGrads = node.grad(g, node.saved, node.savedOutput!, want);
    } else {
      const dys = node.outputIds.map((id) => (onPath.has(id) ? (grads.get(id) ?? null) : null));
      if (dys.every((g) => g === null)) continue;
      want = needed();
      inputGrads = node.multiGrad!(dys, node.saved, want);
    }
    node.inputIds.forEach((id, k) => {
      const gi = inputGrads[k];
      if (!gi || !want[k]) return;
      const x = node.saved[k];
      if (gi.shape.length !== x.shape.length || gi.shape.some((d, j) => d !== x.shape[j])) {
        throw new Error(
          `gradient of ${node.name}: produced shape ${shapeStr(gi.shape)} for an input of shape ${shapeStr(x.shape)}`,
        );
      }
      const prev = grads.get(id);
      grads.set(id, prev ? add(prev, gi) : gi);
    });
  }
  return grads;
}

/**
 * Runs `f` recording a tape, then computes the gradients of its result with respect to `xs`.
 * The building block of `grad`, `grads`, `valueAndGrads` and `variableGrads`.
 */
export function gradients(
  f: () => Tensor,
  xs: Tensor[],
  dy?: TensorLike,
  allowNoGradient = false,
): { value: Tensor; grads: (Tensor | null)[] } {
  const e = getEngine();
  const tape: TapeNode[] = [];
  // Inside another gradient computation, the ops of `f` and of this backward pass are recorded on
  // the enclosing tapes too, so the outer one can differentiate this gradient (higher order).
  const outer = e.tape;
  if (outer) e.outerTapes.push(outer);
  e.tape = tape;
  // A gradient asked for inside code that is not taped (a customGrad body) still records its own ops.
  const paused = e.tapePaused;
  e.tapePaused = 0;
  const restore = () => {
    e.tape = outer;
    if (outer) e.outerTapes.pop();
    e.tapePaused = paused;
  };
  let value: Tensor;
  try {
    value = e.tidy(f);
  } catch (err) {
    restore();
    dropTape(tape, !outer);
    throw err;
  }
  restore();
  try {
    if (!(value instanceof Tensor)) throw new Error("gradients: the function must return a Tensor");
    const grads = e.tidy(() => {
      const seed = dy === undefined ? onesLike(value) : convert(dy, "dy", "gradients");
      if (seed.shape.length !== value.shape.length || seed.shape.some((d, i) => d !== value.shape[i])) {
        throw new Error(
          `gradients: dy shape ${shapeStr(seed.shape)} differs from the result's shape ${shapeStr(value.shape)}`,
        );
      }
      const all = backprop(tape, value, xs, seed.dtype === "float32" ? seed : cast(seed, "float32"));
      const handedOut = new Set<Tensor>();
      return xs.map((x) => {
        let g = all.get(x.id);
        if (!g) {
          if (allowNoGradient) return null;
          throw new Error(
            `Cannot compute the gradient of y = f(x) with respect to x (tensor ${x.id}, shape ${shapeStr(x.shape)}): ` +
              "make sure f uses x in differentiable float32 ops on the way to its result.",
          );
        }
        // The same tensor may be dy itself or the gradient of two inputs: each result gets its own.
        if (g === seed || handedOut.has(g)) g = clone(g);
        handedOut.add(g);
        return g;
      });
    });
    return { value, grads };
  } finally {
    dropTape(tape, !outer);
  }
}

/** Empties `tape`, disposing the copies its nodes saved when it owns them (an enclosing tape holds the same nodes). */
function dropTape(tape: TapeNode[], owner: boolean): void {
  for (const n of tape) {
    if (!owner || !n.ownsSaved) continue;
    for (const t of n.saved) t.dispose();
    n.savedOutput?.dispose();
  }
  tape.length = 0;
}

function toTensor(x: TensorLike, name: string, op: string): Tensor {
  return convert(x, name, op);
}

/**
 * `tf.grad(f)` is the function x ↦ df/dx (for a non-scalar result: of sum(f), or weighted by `dy`).
 * Example: `tf.grad((x) => x.square())(tf.tensor([1, 2]))` → [2, 4].
 */
export function grad(f: (x: Tensor) => Tensor): (x: TensorLike, dy?: TensorLike) => Tensor {
  return (x, dy) => {
    const t = toTensor(x, "x", "grad");
    const { value, grads } = gradients(() => f(t), [t], dy);
    if (value !== t) value.dispose();
    return grads[0]!;
  };
}

/** `tf.grads(f)` gives the gradients with respect to every argument. Example: `tf.grads((a, b) => a.mul(b))([a, b])`. */
export function grads(f: (...args: Tensor[]) => Tensor): (args: TensorLike[], dy?: TensorLike) => Tensor[] {
  return (args, dy) => {
    if (!Array.isArray(args)) throw new Error("grads: the returned function takes an array of arguments");
    const ts = args.map((a, i) => toTensor(a, `args[${i}]`, "grads"));
    const { value, grads } = gradients(() => f(...ts), ts, dy);
    if (!ts.includes(value)) value.dispose();
    return grads as Tensor[];
  };
}

/** Like `grad`, also returning f(x). Example: `const { value, grad } = tf.valueAndGrad(f)(x)`. */
export function valueAndGrad(
  f: (x: Tensor) => Tensor,
): (x: TensorLike, dy?: TensorLike) => { value: Tensor; grad: Tensor } {
  return (x, dy) => {
    const t = toTensor(x, "x", "valueAndGrad");
    const { value, grads } = gradients(() => f(t), [t], dy);
    return { value, grad: grads[0]! };
  };
}

/** Like `grads`, also returning the value. */
export function valueAndGrads(
  f: (...args: Tensor[]) => Tensor,
): (args: TensorLike[], dy?: TensorLike) => { value: Tensor; grads: Tensor[] } {
  return (args, dy) => {
    const ts = args.map((a, i) => toTensor(a, `args[${i}]`, "valueAndGrads"));
    const { value, grads } = gradients(() => f(...ts), ts, dy);
    return { value, grads: grads as Tensor[] };
  };
}

/**
 * Gradients of the scalar `f()` with respect to the variables it uses (default: all trainable
 * variables), by variable name. Example:
 * `const { value, grads } = tf.variableGrads(() => loss(model(x), y)); optimizer.applyGradients(grads)`.
 */
export function variableGrads(f: () => Tensor, varList?: Variable[]): { value: Tensor; grads: Record<string, Tensor> } {
  const e = getEngine();
  const vars = varList ?? [...e.registeredVariables.values()].filter((v) => v.trainable);
  for (const v of vars) if (!(v instanceof Variable)) throw new Error("variableGrads: varList must contain Variables");
  const { value, grads } = gradients(
    () => {
      const y = f();
      if (!(y instanceof Tensor) || y.rank !== 0) {
        throw new Error(
          `variableGrads: f must return a scalar tensor, got ${y instanceof Tensor ? `shape ${shapeStr(y.shape)}` : typeof y}`,
        );
      }
      return y;
    },
    vars,
    undefined,
    true,
  );
  const out: Record<string, Tensor> = {};
  vars.forEach((v, i) => {
    if (grads[i]) out[v.name] = grads[i]!;
  });
  if (vars.length > 0 && Object.keys(out).length === 0) {
    throw new Error(
      "variableGrads: none of the variables was used on the way to f's result (nothing to differentiate)",
    );
  }
  return { value, grads: out };
}

/** The last argument `customGrad` passes to `f`: call it with the tensors `gradFunc` needs. */
export type GradSaveFunc = (tensors: Tensor[]) => void;

/** What a `customGrad` function returns: its value and the gradient of its inputs given `dy`. */
export interface CustomGradResult {
  value: Tensor;
  gradFunc: (dy: Tensor, saved: Tensor[]) => Tensor | Tensor[];
}

/**
 * Defines a function with a hand-written gradient (the ops inside `f` are not taped).
 * Example:
 * ```ts
 * const clipGrad = tf.customGrad((x: tf.Tensor, save: tf.GradSaveFunc) => {
 *   save([x]);
 *   return { value: x.square(), gradFunc: (dy, [x]) => dy.mul(x).mul(2).clipByValue(-1, 1) };
 * });
 * ```
 */
export function customGrad(f: (...args: never[]) => CustomGradResult): (...args: TensorLike[]) => Tensor {
  return (...args) => {
    const e = getEngine();
    const inputs = args.map((a, i) => convert(a, `args[${i}]`, "customGrad"));
    let saved: Tensor[] = [];
    const save: GradSaveFunc = (ts) => {
      saved = ts.slice();
    };
    e.tapePaused++;
    let result: CustomGradResult;
    try {
      result = (f as (...a: unknown[]) => CustomGradResult)(...inputs, save);
    } finally {
      e.tapePaused--;
    }
    if (!result || !(result.value instanceof Tensor) || typeof result.gradFunc !== "function") {
      throw new Error("customGrad: f must return { value: Tensor, gradFunc: (dy, saved) => Tensor | Tensor[] }");
    }
    const n = inputs.length;
    const y = e.view(result.value);
    e.record("CustomGrad", [...inputs, ...saved], y, (dy, all) => {
      const g = result.gradFunc(dy, all.slice(n));
      const list = Array.isArray(g) ? g : [g];
      if (list.length !== n) throw new Error(`customGrad: gradFunc returned ${list.length} gradients for ${n} inputs`);
      return [...list, ...new Array<null>(all.length - n).fill(null)];
    });
    return y;
  };
}
