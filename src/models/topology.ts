/**
 * The graph layer of models: `Layer` (weights + a forward `call`), `SymbolicTensor` (a placeholder
 * flowing through layers when a model is defined), `Node` (one application of a layer, linking
 * its input and output symbolic tensors), `InputSpec`, and `InputLayer` / `input()`.
 *
 * The API follows TF.js's `tf.layers.Layer`, so custom layers written for TF.js (extending
 * `tf.layers.Layer` with `build`, `call`, `computeOutputShape`, `getConfig`, `addWeight`) run here.
 */
import * as tf from "./core.js";
import { getInitializer, type Initializer, type InitializerIdentifier } from "./initializers.js";
import { getRegularizer, type Regularizer, type RegularizerIdentifier } from "./regularizers.js";
import { getConstraint, type Constraint, type ConstraintIdentifier } from "./constraints.js";
import { toSnake } from "./naming.js";
import { Serializable, registerClass, type ConfigDict } from "./registry.js";
import { LayerVariable, type DType, scopedWeightName, uniqueVariableName, withNameScope } from "./variables.js";

export { LayerVariable };
export type { DType };

/** A shape with `null` for sizes unknown until data arrives (usually the batch). */
export type Shape = (number | null)[];

/** Options every layer accepts. */
export interface LayerArgs {
  name?: string;
  /** Shape of one example (without the batch axis); makes this layer a model's first layer. */
  inputShape?: Shape;
  /** Shape including the batch axis. */
  batchInputShape?: Shape;
  batchSize?: number;
  /** For 2D inputs, same as `inputShape: [inputDim]`. */
  inputDim?: number;
  dtype?: DType;
  /** Whether `fit` updates this layer's weights (default true). */
  trainable?: boolean;
  /** Initial weight values, in the order of `layer.weights`. */
  weights?: tf.Tensor[];
  /** Old name of `dtype`. */
  inputDType?: DType;
}

/** Keyword arguments of a call: `training` switches dropout and batch normalisation; `mask` skips steps. */
export interface CallArgs {
  training?: boolean;
  mask?: tf.Tensor | (tf.Tensor | null)[] | null;
  initialState?: tf.Tensor[] | SymbolicTensor[];
  // biome-ignore lint/suspicious/noExplicitAny: layers take their own keyword arguments
  [key: string]: any;
}

/** A function called with a layer's inputs every time `call` runs `invokeCallHook`. */
export type CallHook = (inputs: tf.Tensor | tf.Tensor[], kwargs: CallArgs) => void;

/** The fields of an `InputSpec`, as its constructor takes them. */
export type InputSpecArgs = Pick<InputSpec, "dtype" | "shape" | "ndim" | "maxNDim" | "minNDim" | "axes">;

/** What a layer accepts as input: rank, shape, or sizes of particular axes (checked in `apply`). */
export class InputSpec {
  dtype?: DType;
  shape?: Shape;
  ndim?: number;
  maxNDim?: number;
  minNDim?: number;
  /** Axis → required size. */
  axes?: Record<number, number>;
  constructor(args: InputSpecArgs) {
    this.dtype = args.dtype;
    this.shape = args.shape;
    this.ndim = args.shape ? args.shape.length : args.ndim;
    this.maxNDim = args.maxNDim;
    this.minNDim = args.minNDim;
    this.axes = args.axes ?? {};
  }
}

let nextSymbolicId = 0;
let nextLayerId = 0;

/** A placeholder for the tensor a layer will output, used to define models. */
export class SymbolicTensor {
  readonly id = nextSymbolicId++;
  readonly rank: number;
  readonly originalName: string;
  nodeIndex = 0;
  constructor(
    readonly dtype: DType,
    readonly shape: Shape,
    readonly sourceLayer: Layer,
    readonly inputs: SymbolicTensor[],
    readonly callArgs: CallArgs,
    readonly name: string,
    readonly outputTensorIndex = 0,
  ) {
    this.rank = shape.length;
    this.originalName = name;
  }
  get tensorIndex(): number {
    return this.outputTensorIndex;
  }
}

/** One call of `outboundLayer` on tensors produced by `inboundLayers`. */
export class Node {
  readonly inboundLayers: Layer[];
  readonly nodeIndices: number[];
  readonly tensorIndices: number[];
  readonly inputShapes: Shape[];
  readonly outputShapes: Shape[];
  constructor(
    readonly outboundLayer: Layer,
    readonly inputTensors: SymbolicTensor[],
    readonly outputTensors: SymbolicTensor[],
    readonly callArgs: CallArgs,
  ) {
    this.inboundLayers = inputTensors.map((t) => t.sourceLayer);
    this.nodeIndices = inputTensors.map((t) => t.nodeIndex);
    this.tensorIndices = inputTensors.map((t) => t.tensorIndex);
    this.inputShapes = inputTensors.map((t) => t.shape);
    this.outputShapes = outputTensors.map((t) => t.shape);
    for (const layer of this.inboundLayers) layer.outboundNodes.push(this);
    outboundLayer.inboundNodes.push(this);
  }
}

const nameCounts = new Map<string, number>();

/** 'dense', 'dense_1', 'dense_2' … unique per process. */
export function uniqueLayerName(prefix: string): string {
  const n = nameCounts.get(prefix) ?? 0;
  nameCounts.set(prefix, n + 1);
  return n === 0 ? prefix : `${prefix}_${n}`;
}

// Activity-regularisation penalties of layers called during a training step.
let lossCollector: tf.Tensor[] | undefined;

/** Runs `fn` and returns, with its result, the extra losses layers added while it ran. */
export function collectLayerLosses<T>(fn: () => T): { result: T; losses: tf.Tensor[] } {
  const previous = lossCollector;
  const losses: tf.Tensor[] = [];
  lossCollector = losses;
  try {
    return { result: fn(), losses };
  } finally {
    lossCollector = previous;
  }
}

export function isSymbolic(x: unknown): x is SymbolicTensor | SymbolicTensor[] {
  return (
    x instanceof SymbolicTensor || (Array.isArray(x) && x.length > 0 && x.every((t) => t instanceof SymbolicTensor))
  );
}

/** Whether `shape` is a list of shapes (several inputs or outputs). */
export function isShapeList(shape: Shape | Shape[]): shape is Shape[] {
  return Array.isArray(shape) && shape.length > 0 && Array.isArray(shape[0]);
}

function shapesEqual(a: readonly (number | null)[], b: readonly (number | null)[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

function shapeText(shape: readonly (number | null)[]): string {
  return `[${shape.map((d) => d ?? "null").join(",")}]`;
}

/**
 * The base of all layers (`tf.layers.Layer`). Subclass it for custom layers: create weights in
 * `build(inputShape)` with `addWeight`, compute in `call(inputs, kwargs)`, describe the output in
 * `computeOutputShape`, and return constructor options from `getConfig` (for saving).
 *
 * ```ts
 * class Scale extends tf.layers.Layer {
 *   static className = "Scale";
 *   scale!: tf.LayerVariable;
 *   build(inputShape) { this.scale = this.addWeight("scale", [inputShape[inputShape.length - 1]], "float32", tf.initializers.ones()); }
 *   call(inputs) { return tf.mul(Array.isArray(inputs) ? inputs[0] : inputs, this.scale.read()); }
 * }
 * tf.serialization.registerClass(Scale);
 * ```
 */
export abstract class Layer extends Serializable {
  /** Unique name (given, or made from the class name); `model.getLayer(name)` finds it. */
  name: string;
  /** Unique id of this layer object. */
  readonly id = nextLayerId++;
  /** The calls of this layer on symbolic tensors that feed it (one node per call). */
  readonly inboundNodes: Node[] = [];
  /**
   * Input/output shapes (batch axis null) of the first call on concrete tensors: what a layer that
   * was never connected symbolically (inside a subclassed model's `call`) reports as its shapes.
   */
  private calledShapes: { input: Shape[]; output: Shape[] } | undefined;
  /** The nodes of the layers that consume this layer's outputs. */
  readonly outboundNodes: Node[] = [];
  /** Whether `build` has run (weights exist). */
  built = false;
  /** Shape of the batch this layer expects, when it is a model's first layer. */
  batchInputShape?: Shape;
  /** Element type of its weights and outputs (`"float32"` by default). */
  dtype: DType;
  /** Optional penalty on this layer's output, added to the training loss. */
  activityRegularizer: Regularizer | null = null;
  /** Whether the layer passes a mask on (`computeMask`) instead of dropping it. */
  supportsMasking = false;
  /** Checked against the inputs on every `apply` (rank, sizes). */
  inputSpec: InputSpec[] | null = null;
  /** Set by stateful layers (RNNs with `stateful: true`). */
  protected _stateful = false;
  private readonly ownTrainable: LayerVariable[] = [];
  private readonly ownNonTrainable: LayerVariable[] = [];
  private readonly lossFns: (() => tf.Tensor)[] = [];
  private trainableFlag: boolean;
  private readonly dtypeGiven: boolean;
  private initialWeights: tf.Tensor[] | undefined;
  private callHook: CallHook | null = null;

  constructor(args: LayerArgs = {}) {
    super();
    args = args ?? {};
    this.name = args.name ?? uniqueLayerName(toSnake(this.getClassName()));
    this.trainableFlag = args.trainable ?? true;
    this.dtype = args.dtype ?? args.inputDType ?? "float32";
    if (args.batchInputShape) this.batchInputShape = args.batchInputShape.slice();
    else if (args.inputShape) this.batchInputShape = [args.batchSize ?? null, ...args.inputShape];
    else if (args.inputDim != null) this.batchInputShape = [args.batchSize ?? null, args.inputDim];
    this.dtypeGiven = args.dtype != null || args.inputDType != null || this.batchInputShape !== undefined;
    this.initialWeights = args.weights;
  }

  /** Creates the weights for inputs of `inputShape` (called once, by the first `apply`). */
  build(_inputShape: Shape | Shape[]): void {
    this.built = true;
  }

  /** The forward computation on concrete tensors (the default passes the inputs through). */
  call(inputs: tf.Tensor | tf.Tensor[], _kwargs: CallArgs): tf.Tensor | tf.Tensor[] {
    return inputs;
  }

  /** Output shape(s) for inputs of `inputShape` (the default: unchanged). */
  computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    return inputShape;
  }

  /**
   * The mask of the output for `mask` on the inputs: layers that support masking pass it on
   * unchanged by default; others drop it.
   */
  computeMask(
    _inputs: tf.Tensor | tf.Tensor[],
    mask?: tf.Tensor | (tf.Tensor | null)[] | null,
  ): tf.Tensor | (tf.Tensor | null)[] | null {
    if (!this.supportsMasking) {
      const masks = Array.isArray(mask) ? mask : [mask];
      if (masks.some((m) => m != null))
        throw new Error(`Layer ${this.name} does not support masking, but was passed an input mask`);
      return null;
    }
    return mask ?? null;
  }

  /** The constructor options that recreate this layer (camelCase; saved as Keras snake_case). */
  getConfig(): ConfigDict {
    const config: ConfigDict = { name: this.name, trainable: this.trainable };
    if (this.batchInputShape) config.batchInputShape = this.batchInputShape;
    if (this.dtypeGiven) config.dtype = this.dtype;
    return config;
  }

  /**
   * Whether training updates its weights. Set it to `false` to freeze a layer (or a whole
   * sub-model) before `compile`, e.g. for transfer learning: `base.layers[0].trainable = false`.
   */
  get trainable(): boolean {
    return this.trainableFlag;
  }
  set trainable(t: boolean) {
    this.trainableFlag = t;
    for (const w of this.ownTrainable) w.trainable = t;
  }

  get stateful(): boolean {
    return this._stateful;
  }

  /** Resets the state of a stateful layer (RNNs with `stateful: true`). */
  resetStates(): void {
    if (!this.stateful) throw new Error(`Cannot call resetStates() on layer ${this.name}: it is not stateful`);
  }

  /** Layers whose weights count as this layer's (a wrapper's inner layer, an RNN's cell). */
  protected trackedLayers(): Layer[] {
    return [];
  }

  /** All weights: trainable first, then non-trainable (TF.js order). */
  get weights(): LayerVariable[] {
    return [...this.trainableWeights, ...this.nonTrainableWeights];
  }
  /** The weights training updates (none when `trainable` is false). */
  get trainableWeights(): LayerVariable[] {
    if (!this.trainable) return [];
    return [
      ...this.ownTrainable.filter((w) => w.trainable),
      ...this.trackedLayers().flatMap((l) => l.trainableWeights),
    ];
  }
  set trainableWeights(weights: LayerVariable[]) {
    this.ownTrainable.splice(0, this.ownTrainable.length, ...weights);
  }
  /** The weights training leaves alone (e.g. batch normalisation's moving statistics, frozen layers'). */
  get nonTrainableWeights(): LayerVariable[] {
    if (!this.trainable) {
      return [...this.ownTrainable, ...this.ownNonTrainable, ...this.trackedLayers().flatMap((l) => l.weights)];
    }
    return [
      ...this.ownTrainable.filter((w) => !w.trainable),
      ...this.ownNonTrainable,
      ...this.trackedLayers().flatMap((l) => l.nonTrainableWeights),
    ];
  }
  set nonTrainableWeights(weights: LayerVariable[]) {
    this.ownNonTrainable.splice(0, this.ownNonTrainable.length, ...weights);
  }

  /** Number of weight values. Throws before the layer is built. */
  countParams(): number {
    if (!this.built)
      throw new Error(`Layer ${this.name} is not built yet: call it on data (or give inputShape) before countParams()`);
    return this.weights.reduce((n, w) => n + w.shape.reduce((a, b) => a * b, 1), 0);
  }

  /** Copies of the weight values, in `weights` order. */
  getWeights(trainableOnly = false): tf.Tensor[] {
    return (trainableOnly ? this.trainableWeights : this.weights).map((w) => tf.clone(w.read()));
  }

  /** Replaces the weight values (same order and shapes as `getWeights()`). */
  setWeights(values: tf.Tensor[]): void {
    const ws = this.weights;
    if (values.length !== ws.length) {
      throw new Error(`Layer ${this.name}: setWeights got ${values.length} tensors for ${ws.length} weights`);
    }
    ws.forEach((w, i) => {
      if (!shapesEqual(w.shape, values[i].shape)) {
        throw new Error(
          `Layer ${this.name}: weight ${w.originalName} has shape [${w.shape}], got [${values[i].shape}]`,
        );
      }
    });
    ws.forEach((w, i) => w.write(values[i]));
  }

  /**
   * Creates a weight, named `<layer>/<name>` when saved. Call it from `build`.
   *
   * ```ts
   * this.kernel = this.addWeight("kernel", [inDim, units], "float32", tf.initializers.glorotNormal({}));
   * ```
   */
  addWeight(
    name: string,
    shape: number[],
    dtype?: DType | null,
    initializer?: Initializer | InitializerIdentifier | null,
    regularizer?: Regularizer | RegularizerIdentifier | null,
    trainable?: boolean | null,
    constraint?: Constraint | ConstraintIdentifier | null,
  ): LayerVariable {
    if ([...this.ownTrainable, ...this.ownNonTrainable].some((w) => w.originalName.endsWith(`/${name}`))) {
      throw new Error(`Layer ${this.name}: duplicate weight name '${name}'`);
    }
    if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < 0)) {
      throw new Error(
        `Layer ${this.name}: addWeight('${name}') needs a shape of non-negative integers, got ${JSON.stringify(shape)}`,
      );
    }
    const init = getInitializer(initializer ?? undefined, "glorotUniform");
    const type = dtype ?? "float32";
    const value = init.apply(shape, type === "int32" ? "int32" : "float32");
    const isTrainable = (trainable ?? true) && this.trainable;
    const originalName = scopedWeightName(name, this.name);
    const v = tf.variable(value, isTrainable, uniqueVariableName(originalName));
    value.dispose();
    const reg = getRegularizer(regularizer ?? null);
    const lv = new LayerVariable(v, originalName, reg, getConstraint(constraint ?? null));
    if (trainable ?? true) this.ownTrainable.push(lv);
    else this.ownNonTrainable.push(lv);
    if (reg) this.addLoss(() => reg.apply(lv.read()));
    return lv;
  }

  /** Adds a penalty function (a scalar) to the losses this layer contributes to training. */
  addLoss(losses: (() => tf.Tensor) | (() => tf.Tensor)[]): void {
    this.lossFns.push(...(Array.isArray(losses) ? losses : [losses]));
  }

  /** The penalty functions added by `addLoss` (weight regularizers among them). */
  get losses(): (() => tf.Tensor)[] {
    return [...this.lossFns, ...this.trackedLayers().flatMap((l) => l.losses)];
  }

  /** Updates run by the layer's calls (TF.js keeps this list empty; batch norm updates its statistics in `call`). */
  get updates(): tf.Tensor[] {
    return [];
  }

  /** The current values of `losses` (scalars, to be added to the training loss). */
  calculateLosses(): tf.Tensor[] {
    return this.losses.map((f) => f());
  }

  /** Calls the hook set by `setCallHook` (custom layers call this at the start of `call`). */
  protected invokeCallHook(inputs: tf.Tensor | tf.Tensor[], kwargs: CallArgs): void {
    if (this.callHook) this.callHook(inputs, kwargs);
  }
  /** Sets a function that `invokeCallHook` calls with the inputs of each call. */
  setCallHook(hook: CallHook): void {
    this.callHook = hook;
  }
  /** Removes the hook `setCallHook` set. */
  clearCallHook(): void {
    this.callHook = null;
  }

  /**
   * Input/output shapes of the first call (TF.js's `layer.inputShape` / `outputShape`); a layer
   * only ever called on concrete tensors reports those of its first call, with the batch axis null.
   */
  get inputShape(): Shape | Shape[] {
    return this.firstCallShapes("input");
  }
  /** The shape of its output at its first call (`null` for the batch axis). Example: `[null, 10]`. */
  get outputShape(): Shape | Shape[] {
    return this.firstCallShapes("output");
  }
  private firstCallShapes(side: "input" | "output"): Shape | Shape[] {
    const shapes =
      this.inboundNodes.length === 0 && this.calledShapes
        ? this.calledShapes[side]
        : this.nodeAt(0, `${side}Shape`)[`${side}Shapes`];
    return shapes.length === 1 ? shapes[0] : shapes;
  }
  /** The symbolic input/output of the first call. */
  get input(): SymbolicTensor | SymbolicTensor[] {
    return this.getInputAt(0);
  }
  /** The symbolic output of its first call: what `tf.model({ outputs })` takes. */
  get output(): SymbolicTensor | SymbolicTensor[] {
    return this.getOutputAt(0);
  }
  /** The symbolic input(s) of the `nodeIndex`-th call. */
  getInputAt(nodeIndex: number): SymbolicTensor | SymbolicTensor[] {
    const node = this.nodeAt(nodeIndex, "input");
    return node.inputTensors.length === 1 ? node.inputTensors[0] : node.inputTensors;
  }
  /** The symbolic output(s) of the `nodeIndex`-th call. */
  getOutputAt(nodeIndex: number): SymbolicTensor | SymbolicTensor[] {
    const node = this.nodeAt(nodeIndex, "output");
    return node.outputTensors.length === 1 ? node.outputTensors[0] : node.outputTensors;
  }
  private nodeAt(index: number, what: string): Node {
    if (this.inboundNodes.length === 0) {
      throw new Error(
        `Layer ${this.name} has not been connected yet: ${what} is defined once it is applied to a symbolic input`,
      );
    }
    const node = this.inboundNodes[index];
    if (!node) throw new Error(`Layer ${this.name} has ${this.inboundNodes.length} call(s); there is no call ${index}`);
    return node;
  }

  /**
   * Applies the layer: on symbolic tensors it records a graph node and returns symbolic outputs;
   * on concrete tensors it computes (building the weights on first use).
   *
   * ```ts
   * const x = tf.input({ shape: [4] });
   * const y = tf.layers.dense({ units: 2 }).apply(x); // SymbolicTensor [null, 2]
   * ```
   */
  apply(
    inputs: tf.Tensor | tf.Tensor[] | SymbolicTensor | SymbolicTensor[],
    kwargs: CallArgs = {},
  ): tf.Tensor | tf.Tensor[] | SymbolicTensor | SymbolicTensor[] {
    [inputs, kwargs] = this.standardizeCall(inputs, kwargs ?? {});
    if (isSymbolic(inputs)) return this.applySymbolic(inputs, kwargs);
    const list = Array.isArray(inputs) ? inputs : [inputs];
    if (list.length === 0 || !list.every((t) => t instanceof tf.Tensor)) {
      throw new Error(
        `Layer ${this.name}: apply() needs a tensor, a symbolic tensor (tf.input), or a list of one kind, got ${describe(inputs)}`,
      );
    }
    return this.applyConcrete(inputs as tf.Tensor | tf.Tensor[], kwargs);
  }

  /**
   * Rearranges the arguments of `apply` before it runs (recurrent layers move symbolic initial
   * states from `kwargs.initialState` into the inputs, so they become inputs of the graph node).
   */
  protected standardizeCall(
    inputs: tf.Tensor | tf.Tensor[] | SymbolicTensor | SymbolicTensor[],
    kwargs: CallArgs,
  ): [tf.Tensor | tf.Tensor[] | SymbolicTensor | SymbolicTensor[], CallArgs] {
    return [inputs, kwargs];
  }

  /** Computes on concrete tensors, building first if needed, and records activity penalties. */
  applyConcrete(inputs: tf.Tensor | tf.Tensor[], kwargs: CallArgs = {}): tf.Tensor | tf.Tensor[] {
    const shapes = Array.isArray(inputs) ? inputs.map((t) => t.shape) : inputs.shape;
    this.checkInputSpec(shapes);
    if (!this.built) this.buildAndSetWeights(shapes);
    const out = this.call(inputs, kwargs);
    if (!this.calledShapes) {
      const unbatched = (t: tf.Tensor): Shape => [null, ...t.shape.slice(1)];
      this.calledShapes = {
        input: (Array.isArray(inputs) ? inputs : [inputs]).map(unbatched),
        output: (Array.isArray(out) ? out : [out]).map(unbatched),
      };
    }
    if (this.activityRegularizer && lossCollector) {
      for (const o of Array.isArray(out) ? out : [out]) {
        lossCollector.push(tf.div(this.activityRegularizer.apply(o), o.shape[0] ?? 1));
      }
    }
    return out;
  }

  private applySymbolic(
    inputs: SymbolicTensor | SymbolicTensor[],
    kwargs: CallArgs,
  ): SymbolicTensor | SymbolicTensor[] {
    const list = Array.isArray(inputs) ? inputs : [inputs];
    const inShape = list.length === 1 ? list[0].shape : list.map((t) => t.shape);
    this.checkInputSpec(inShape);
    if (!this.built) this.buildAndSetWeights(inShape);
    const outShape = this.computeOutputShape(inShape);
    const multi = isShapeList(outShape);
    const shapes = (multi ? outShape : [outShape]) as Shape[];
    const outDtype = this.outputDtype(list[0].dtype);
    const outputs = shapes.map(
      (s, i) =>
        new SymbolicTensor(
          outDtype,
          s.slice(),
          this,
          list,
          kwargs,
          `${this.name}/output${shapes.length > 1 ? `_${i}` : ""}`,
          i,
        ),
    );
    new Node(this, list, outputs, kwargs);
    for (const o of outputs) o.nodeIndex = this.inboundNodes.length - 1;
    return multi ? outputs : outputs[0];
  }

  /** Checks the input shape(s) against `inputSpec`, with a message naming the layer. */
  protected checkInputSpec(shape: Shape | Shape[]): void {
    if (!this.inputSpec || this.inputSpec.length === 0) return;
    const shapes = isShapeList(shape) ? shape : [shape as Shape];
    this.inputSpec.forEach((spec, i) => {
      const s = shapes[i];
      if (!s) return;
      const rank = s.length;
      if (spec.ndim !== undefined && rank !== spec.ndim)
        throw new Error(`Input ${i} of layer ${this.name} must have rank ${spec.ndim}, got shape ${shapeText(s)}`);
      if (spec.maxNDim !== undefined && rank > spec.maxNDim)
        throw new Error(`Input ${i} of layer ${this.name} must have rank ≤ ${spec.maxNDim}, got shape ${shapeText(s)}`);
      if (spec.minNDim !== undefined && rank < spec.minNDim)
        throw new Error(`Input ${i} of layer ${this.name} must have rank ≥ ${spec.minNDim}, got shape ${shapeText(s)}`);
      for (const [axisText, size] of Object.entries(spec.axes ?? {})) {
        const axis = Number(axisText) < 0 ? rank + Number(axisText) : Number(axisText);
        const actual = s[axis];
        if (size != null && actual != null && actual !== size) {
          const where = axis === rank - 1 ? "last dimension" : `size on axis ${axisText}:`;
          throw new Error(`Input ${i} of layer ${this.name} must have ${where} ${size}, got shape ${shapeText(s)}`);
        }
      }
      if (spec.shape) {
        spec.shape.forEach((d, k) => {
          if (d != null && s[k] != null && s[k] !== d)
            throw new Error(
              `Input ${i} of layer ${this.name} must have shape ${shapeText(spec.shape!)}, got ${shapeText(s)}`,
            );
        });
      }
    });
  }

  /** dtype of the outputs for an input of `inputDtype`. */
  protected outputDtype(_inputDtype: DType): DType {
    return "float32";
  }

  /** The weight-name scope the layer builds in (its name); models build their layers unscoped. */
  protected buildScope(): string | null {
    return this.name;
  }

  private buildAndSetWeights(shape: Shape | Shape[]): void {
    withNameScope(this.buildScope(), () => this.build(shape));
    this.built = true;
    if (this.initialWeights) {
      this.setWeights(this.initialWeights);
      this.initialWeights = undefined;
    }
  }

  /** Frees the weights. */
  dispose(): { refCountAfterDispose: number; numDisposedVariables: number } {
    const weights = [...this.ownTrainable, ...this.ownNonTrainable].filter((w) => !w.isDisposed);
    for (const w of weights) w.dispose();
    let numDisposedVariables = weights.length;
    for (const l of this.trackedLayers()) numDisposedVariables += l.dispose().numDisposedVariables;
    return { refCountAfterDispose: 0, numDisposedVariables };
  }
}

function describe(x: unknown): string {
  if (Array.isArray(x)) return `[${x.map(describe).join(", ")}]`;
  if (x === null || x === undefined) return String(x);
  if (typeof x === "object") return (x as object).constructor?.name ?? "object";
  return typeof x;
}

/** Options of `tf.layers.inputLayer` / `tf.input`. */
export interface InputLayerArgs {
  /** Shape of one example (without the batch axis). */
  inputShape?: Shape;
  /** Same as `inputShape`. */
  shape?: Shape;
  /** Shape including the batch axis. */
  batchInputShape?: Shape;
  /** Same as `batchInputShape`. */
  batchShape?: Shape;
  batchSize?: number;
  dtype?: DType;
  name?: string;
  sparse?: boolean;
}

/** The entry point of a model: passes its input through. Made by `tf.input`. */
export class InputLayer extends Layer {
  static className = "InputLayer";
  readonly sparse: boolean;
  constructor(args: InputLayerArgs) {
    const given = args?.batchShape ?? args?.batchInputShape;
    const example = args?.shape ?? args?.inputShape;
    if (!given && !example) {
      throw new Error("tf.input needs a `shape` (one example's shape, e.g. [28, 28, 1]) or a `batchShape`");
    }
    if (given && example) throw new Error("tf.input takes `shape` or `batchShape`, not both");
    // A plain number is one axis: TF.js concatenates `shape` onto the batch axis, so `{ shape: 256 }`
    // works there, and real programs (tfjs-examples' translation) pass one.
    const exampleShape = typeof (example as unknown) === "number" ? [example as unknown as number] : example!;
    const batchInputShape = given ? given.slice() : [args.batchSize ?? null, ...exampleShape];
    super({ name: args.name ?? uniqueLayerName("input"), batchInputShape, dtype: args.dtype ?? "float32" });
    this.sparse = args.sparse ?? false;
    this.built = true;
    const out = new SymbolicTensor(this.dtype, batchInputShape, this, [], {}, this.name);
    new Node(this, [], [out], {});
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor | tf.Tensor[] {
    return inputs;
  }
  override getConfig(): ConfigDict {
    return { batchInputShape: this.batchInputShape ?? null, dtype: this.dtype, sparse: this.sparse, name: this.name };
  }
  protected override outputDtype(): DType {
    return this.dtype;
  }
}
registerClass(InputLayer);

/**
 * A symbolic input for the functional API.
 *
 * ```ts
 * const x = tf.input({ shape: [784] });
 * const y = tf.layers.dense({ units: 10, activation: "softmax" }).apply(x) as tf.SymbolicTensor;
 * const model = tf.model({ inputs: x, outputs: y });
 * ```
 */
export function input(args: {
  shape?: Shape;
  batchShape?: Shape;
  name?: string;
  dtype?: DType;
  sparse?: boolean;
}): SymbolicTensor {
  if (args == null || typeof args !== "object") throw new Error("tf.input needs { shape } or { batchShape }");
  return new InputLayer(args).output as SymbolicTensor;
}
