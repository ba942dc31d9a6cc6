/**
 * Merge layers: elementwise Add / Subtract / Multiply / Average / Maximum / Minimum (inputs of
 * different rank are broadcast, the lower-rank ones expanded after the batch axis), Concatenate,
 * and Dot (batched dot products).
 */
import * as tf from "../core.js";
import { Layer, type LayerArgs, type Shape, isShapeList } from "../topology.js";
import { registerClass, type ConfigDict } from "../registry.js";

function checkShapes(layer: string, inputShape: Shape | Shape[], exactly?: number): Shape[] {
  if (!isShapeList(inputShape) || inputShape.length < 2 || (exactly !== undefined && inputShape.length !== exactly))
    throw new Error(
      `${layer} must be called on a list of ${exactly === undefined ? "at least 2" : `exactly ${exactly}`} inputs, e.g. layer.apply([a, b])`,
    );
  return inputShape;
}

function checkInputs(layer: string, inputs: tf.Tensor | tf.Tensor[], exactly?: number): tf.Tensor[] {
  if (!Array.isArray(inputs) || inputs.length < 2 || (exactly !== undefined && inputs.length !== exactly))
    throw new Error(
      `${layer} must be called on a list of ${exactly === undefined ? "at least 2" : `exactly ${exactly}`} tensors`,
    );
  return inputs;
}

/** Broadcast shape of two example shapes (batch axis excluded), aligned at the last axis. */
function broadcastExampleShapes(layer: string, a: Shape, b: Shape): Shape {
  if (a.length < b.length) return broadcastExampleShapes(layer, b, a);
  const out = a.slice(0, a.length - b.length);
  b.forEach((j, k) => {
    const i = a[a.length - b.length + k];
    if (i === null || j === null) out.push(null);
    else if (i === 1) out.push(j);
    else if (j === 1 || i === j) out.push(i);
    else throw new Error(`${layer}: inputs of shapes [${a}] and [${b}] cannot be broadcast together`);
  });
  return out;
}

/** The common base of the elementwise merges. */
abstract class ElementwiseMerge extends Layer {
  constructor(args: LayerArgs = {}) {
    super(args);
    this.supportsMasking = true;
  }

  /** Combines inputs of one rank. */
  protected abstract merge(inputs: tf.Tensor[]): tf.Tensor;

  override build(inputShape: Shape | Shape[]): void {
    const shapes = checkShapes(this.name, inputShape);
    const batches = new Set(shapes.map((s) => s[0]).filter((d) => d !== null));
    if (batches.size > 1)
      throw new Error(`${this.name}: cannot merge tensors with different batch sizes: ${JSON.stringify(shapes)}`);
    this.computeOutputShape(shapes);
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shapes = checkShapes(this.name, inputShape);
    let example = shapes[0].slice(1);
    for (const s of shapes.slice(1)) example = broadcastExampleShapes(this.name, example, s.slice(1));
    const batches = [...new Set(shapes.map((s) => s[0]).filter((d) => d !== null))];
    return [batches.length === 1 ? batches[0] : null, ...example];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const list = checkInputs(this.name, inputs);
    return tf.tidy(() => {
      const rank = Math.max(...list.map((t) => t.rank));
      const same = list.map((t) => {
        let x = t;
        while (x.rank < rank) x = tf.expandDims(x, 1);
        return x;
      });
      return this.merge(same);
    });
  }

  override computeMask(
    _inputs: tf.Tensor | tf.Tensor[],
    mask?: tf.Tensor | (tf.Tensor | null)[] | null,
  ): tf.Tensor | null {
    if (mask == null) return null;
    const masks = (Array.isArray(mask) ? mask : [mask]).filter((m): m is tf.Tensor => m != null);
    if (masks.length === 0) return null;
    return masks.slice(1).reduce((a, m) => tf.logicalAnd(a, m), masks[0]);
  }
}

/** `op(op(op(x0, x1), x2), …)` over a merge layer's inputs. */
function foldInputs(inputs: tf.Tensor[], op: (a: tf.Tensor, b: tf.Tensor) => tf.Tensor): tf.Tensor {
  return inputs.slice(1).reduce((a, b) => op(a, b), inputs[0]);
}

/** Elementwise sum of its inputs. */
export class Add extends ElementwiseMerge {
  static className = "Add";
  protected merge(inputs: tf.Tensor[]): tf.Tensor {
    return foldInputs(inputs, tf.add);
  }
}
registerClass(Add);

/** The first input minus the second (Keras's `Subtract`). */
export class Subtract extends ElementwiseMerge {
  static className = "Subtract";
  override build(inputShape: Shape | Shape[]): void {
    checkShapes(this.name, inputShape, 2);
    super.build(inputShape);
  }
  protected merge(inputs: tf.Tensor[]): tf.Tensor {
    if (inputs.length !== 2) throw new Error(`${this.name}: subtract needs exactly 2 inputs, got ${inputs.length}`);
    return tf.sub(inputs[0], inputs[1]);
  }
}
registerClass(Subtract);

/** Elementwise product of its inputs. */
export class Multiply extends ElementwiseMerge {
  static className = "Multiply";
  protected merge(inputs: tf.Tensor[]): tf.Tensor {
    return foldInputs(inputs, tf.mul);
  }
}
registerClass(Multiply);

/** Elementwise mean of its inputs. */
export class Average extends ElementwiseMerge {
  static className = "Average";
  protected merge(inputs: tf.Tensor[]): tf.Tensor {
    return tf.mul(foldInputs(inputs, tf.add), 1 / inputs.length);
  }
}
registerClass(Average);

/** Elementwise maximum of its inputs. */
export class Maximum extends ElementwiseMerge {
  static className = "Maximum";
  protected merge(inputs: tf.Tensor[]): tf.Tensor {
    return foldInputs(inputs, tf.maximum);
  }
}
registerClass(Maximum);

/** Elementwise minimum of its inputs. */
export class Minimum extends ElementwiseMerge {
  static className = "Minimum";
  protected merge(inputs: tf.Tensor[]): tf.Tensor {
    return foldInputs(inputs, tf.minimum);
  }
}
registerClass(Minimum);

/** Joins its inputs along `axis` (default the last). */
export class Concatenate extends Layer {
  static className = "Concatenate";
  readonly axis: number;
  constructor(args: LayerArgs & { axis?: number } = {}) {
    super(args);
    this.axis = args?.axis ?? -1;
    this.supportsMasking = true;
  }
  private axisFor(rank: number): number {
    return this.axis < 0 ? rank + this.axis : this.axis;
  }
  override build(inputShape: Shape | Shape[]): void {
    this.computeOutputShape(inputShape);
    this.built = true;
  }
  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shapes = checkShapes(this.name, inputShape);
    const rank = shapes[0].length;
    const axis = this.axisFor(rank);
    for (const s of shapes) {
      const mismatch =
        s.length !== rank || s.some((d, i) => i !== axis && d !== null && shapes[0][i] !== null && d !== shapes[0][i]);
      if (mismatch)
        throw new Error(
          `${this.name}: concatenate needs inputs with matching shapes except along axis ${this.axis}, got ${JSON.stringify(shapes)}`,
        );
    }
    const out = shapes[0].slice();
    out[axis] = shapes.some((s) => s[axis] === null) ? null : shapes.reduce((a, s) => a + (s[axis] as number), 0);
    return out;
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const list = checkInputs(this.name, inputs);
    return tf.concat(list, this.axisFor(list[0].rank));
  }
  override computeMask(
    inputs: tf.Tensor | tf.Tensor[],
    mask?: tf.Tensor | (tf.Tensor | null)[] | null,
  ): tf.Tensor | null {
    if (mask == null || !Array.isArray(mask) || !Array.isArray(inputs) || mask.every((m) => m == null)) return null;
    // Per input a boolean mask of the input's rank (all true where none was given), joined like the
    // inputs; a position is kept when all its features are.
    const full = inputs.map((x, i) => {
      const m = mask[i];
      if (m == null) return tf.cast(tf.onesLike(x), "bool");
      return m.rank < x.rank ? tf.expandDims(m, -1) : m;
    });
    return tf.all(tf.concat(full, this.axisFor(inputs[0].rank)), -1);
  }
  override getConfig(): ConfigDict {
    return { ...super.getConfig(), axis: this.axis };
  }
}
registerClass(Concatenate);

/** `x / ‖x‖` along `axis` (the norm at least √1e-7). */
function l2Normalize(x: tf.Tensor, axis: number): tf.Tensor {
  return tf.div(x, tf.sqrt(tf.maximum(tf.sum(tf.square(x), axis, true), 1e-7)));
}

/** Batched dot product of `x` and `y` contracting axis `ax` of x with axis `ay` of y (axis 0 is the batch). */
export function batchDot(x: tf.Tensor, y: tf.Tensor, ax: number, ay: number): tf.Tensor {
  const moveLast = (t: tf.Tensor, axis: number) => [...t.shape.keys()].filter((a) => a !== axis && a !== 0);
  const xRest = moveLast(x, ax);
  const yRest = moveLast(y, ay);
  const batch = x.shape[0];
  const k = x.shape[ax];
  const xm = tf.reshape(tf.transpose(x, [0, ...xRest, ax]), [batch, -1, k]);
  const ym = tf.reshape(tf.transpose(y, [0, ay, ...yRest]), [batch, k, -1]);
  const out = tf.reshape(tf.matMul(xm, ym), [batch, ...xRest.map((a) => x.shape[a]), ...yRest.map((a) => y.shape[a])]);
  return out.rank === 1 ? tf.expandDims(out, 1) : out;
}

/**
 * Dot product of two inputs per example along `axes` (one axis for both, or `[axisOfA, axisOfB]`);
 * with `normalize`, the cosine similarity.
 */
export class Dot extends Layer {
  static className = "Dot";
  readonly axes: number | [number, number];
  readonly normalize: boolean;
  constructor(args: LayerArgs & { axes: number | [number, number]; normalize?: boolean }) {
    super(args);
    if (args?.axes == null) throw new Error("dot needs { axes }, e.g. { axes: -1 } or { axes: [1, 2] }");
    const ok = (a: unknown) => typeof a === "number" && Number.isInteger(a);
    if (!(ok(args.axes) || (Array.isArray(args.axes) && args.axes.length === 2 && args.axes.every(ok))))
      throw new Error(`dot: axes must be an integer or two integers, got ${JSON.stringify(args.axes)}`);
    this.axes = Array.isArray(args.axes) ? [args.axes[0], args.axes[1]] : args.axes;
    this.normalize = args.normalize ?? false;
    this.supportsMasking = true;
  }
  private axesFor(rankA: number, rankB: number): [number, number] {
    const fix = (a: number, rank: number) => (a < 0 ? ((a % rank) + rank) % rank : a);
    return Array.isArray(this.axes)
      ? [fix(this.axes[0], rankA), fix(this.axes[1], rankB)]
      : [fix(this.axes, rankA), fix(this.axes, rankB)];
  }
  override build(inputShape: Shape | Shape[]): void {
    this.computeOutputShape(inputShape);
    this.built = true;
  }
  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const [a, b] = checkShapes(this.name, inputShape, 2);
    const [ax, ay] = this.axesFor(a.length, b.length);
    if (ax === 0 || ay === 0) throw new Error(`${this.name}: dot cannot contract the batch axis`);
    if (a[ax] !== null && b[ay] !== null && a[ax] !== b[ay])
      throw new Error(`${this.name}: dimensions differ along the dot axes: ${a[ax]} vs ${b[ay]}`);
    const out = [a[0], ...a.filter((_, i) => i !== 0 && i !== ax), ...b.filter((_, i) => i !== 0 && i !== ay)];
    return out.length === 1 ? [...out, 1] : out;
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const [x, y] = checkInputs(this.name, inputs, 2);
    const [ax, ay] = this.axesFor(x.rank, y.rank);
    return tf.tidy(() =>
      this.normalize ? batchDot(l2Normalize(x, ax), l2Normalize(y, ay), ax, ay) : batchDot(x, y, ax, ay),
    );
  }
  override computeMask(): null {
    return null;
  }
  override getConfig(): ConfigDict {
    return { ...super.getConfig(), axes: this.axes, normalize: this.normalize };
  }
}
registerClass(Dot);
