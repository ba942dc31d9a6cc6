/**
 * The graph layer of models: `Layer` (weights + a forward `call`), `SymbolicTensor` (a placeholder
 * flowing through layers when a model is defined), `Node` (one application of a layer, linking
 * its input and output symbolic tensors), and `InputLayer` / `input()`.
 *
 * Layer names and the `inboundNodes[i].inboundLayers` links follow TF.js, so diagrams and
 * serialization can walk a model the same way.
 */
import * as tf from "./core.js";
import { getEngine } from "../runtime/engine.js";
import { getInitializer, type Initializer, type InitializerIdentifier } from "./initializers.js";
import type { Regularizer } from "./regularizers.js";
import { toSnake } from "./naming.js";

/** A shape with `null` for sizes unknown until data arrives (usually the batch). */
export type Shape = (number | null)[];

export type DType = "float32" | "int32" | "bool";

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
  trainable?: boolean;
  /** Initial weight values, in the order of `layer.weights`. */
  weights?: tf.Tensor[];
}

/** Keyword arguments of a call: `training` switches dropout and batch normalisation. */
export interface CallArgs {
  training?: boolean;
  initialState?: tf.Tensor[];
  [key: string]: unknown;
}

let nextSymbolicId = 0;

/** A placeholder for the tensor a layer will output, used to define models. */
export class SymbolicTensor {
  readonly id = nextSymbolicId++;
  readonly rank: number;
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

/** A weight of a layer: a `tf.Variable` plus the layer-relative name used when saving. */
export class LayerVariable {
  constructor(
    /** The runtime variable (its `name` is unique in the process). */
    readonly val: tf.Variable,
    /** `layerName/weightName`, e.g. 'dense_1/kernel'. */
    readonly originalName: string,
    readonly regularizer: Regularizer | null,
  ) {}
  get name(): string {
    return this.val.name;
  }
  get shape(): number[] {
    return this.val.shape;
  }
  get dtype(): DType {
    return this.val.dtype as DType;
  }
  get trainable(): boolean {
    return this.val.trainable;
  }
  set trainable(t: boolean) {
    this.val.trainable = t;
  }
  read(): tf.Variable {
    return this.val;
  }
  write(value: tf.Tensor): void {
    this.val.assign(value);
  }
  dispose(): void {
    this.val.dispose();
  }
}

const nameCounts = new Map<string, number>();

/** 'dense', 'dense_1', 'dense_2' … unique per process. */
export function uniqueLayerName(prefix: string): string {
  const n = nameCounts.get(prefix) ?? 0;
  nameCounts.set(prefix, n + 1);
  return n === 0 ? prefix : `${prefix}_${n}`;
}

function uniqueVariableName(name: string): string {
  const taken = getEngine().registeredVariables;
  if (!taken.has(name)) return name;
  for (let k = 1; ; k++) if (!taken.has(`${name}_${k}`)) return `${name}_${k}`;
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

function shapesEqual(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** The base of all layers. Subclasses implement `build`, `call`, `computeOutputShape`, `getConfig`. */
export abstract class Layer {
  /** Unique name (given, or made from the class name: `dense_Dense1`); `model.getLayer(name)` finds it. */
  name: string;
  /** The calls of this layer on symbolic tensors that feed it (one node per call). */
  readonly inboundNodes: Node[] = [];
  /** The nodes of the layers that consume this layer's outputs. */
  readonly outboundNodes: Node[] = [];
  /** True once its weights exist (after the first call, or `build`). */
  built = false;
  /** Shape of the batch this layer expects, when it is a model's first layer. */
  batchInputShape?: Shape;
  /** Element type of its weights and outputs (`"float32"` by default). */
  dtype: DType;
  /** Optional penalty on this layer's output, added to the training loss. */
  activityRegularizer: Regularizer | null = null;
  protected readonly layerWeights: LayerVariable[] = [];
  private trainableFlag: boolean;
  private initialWeights: tf.Tensor[] | undefined;

  constructor(args: LayerArgs = {}) {
    this.name = args.name ?? uniqueLayerName(toSnake(this.getClassName()).replace(/(\d)_d$/, "$1d"));
    this.trainableFlag = args.trainable ?? true;
    this.dtype = args.dtype ?? "float32";
    if (args.batchInputShape) this.batchInputShape = args.batchInputShape.slice();
    else if (args.inputShape) this.batchInputShape = [args.batchSize ?? null, ...args.inputShape];
    else if (args.inputDim !== undefined) this.batchInputShape = [args.batchSize ?? null, args.inputDim];
    this.initialWeights = args.weights;
  }

  /** The Keras class name, e.g. 'Dense'. */
  abstract getClassName(): string;

  /** Creates the weights for inputs of `inputShape`. */
  build(_inputShape: Shape | Shape[]): void {
    this.built = true;
  }

  /** The forward computation on concrete tensors. */
  abstract call(inputs: tf.Tensor | tf.Tensor[], kwargs: CallArgs): tf.Tensor | tf.Tensor[];

  /** Output shape(s) for inputs of `inputShape`. */
  computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    return inputShape;
  }

  /** The constructor options that recreate this layer (camelCase; saved as Keras snake_case). */
  getConfig(): Record<string, unknown> {
    const config: Record<string, unknown> = { name: this.name, trainable: this.trainable };
    if (this.batchInputShape) config.batchInputShape = this.batchInputShape;
    if (this.dtype !== "float32" || this.batchInputShape) config.dtype = this.dtype;
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
    for (const w of this.layerWeights) w.trainable = t;
  }

  /** All weights: trainable first, then non-trainable (TF.js order). */
  get weights(): LayerVariable[] {
    return [...this.trainableWeights, ...this.nonTrainableWeights];
  }
  /** The weights training updates (none when `trainable` is false). */
  get trainableWeights(): LayerVariable[] {
    return this.trainable ? this.layerWeights.filter((w) => w.trainable) : [];
  }
  /** The weights training leaves alone (e.g. batch normalisation's moving statistics, frozen layers'). */
  get nonTrainableWeights(): LayerVariable[] {
    return this.trainable ? this.layerWeights.filter((w) => !w.trainable) : this.layerWeights.slice();
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
      w.write(values[i].dtype === w.dtype ? values[i] : tf.cast(values[i], w.dtype));
    });
  }

  /** Creates a weight named `layerName/name`, initialised by `initializer`. */
  addWeight(
    name: string,
    shape: number[],
    initializer: Initializer | InitializerIdentifier | undefined,
    options: { dtype?: DType; regularizer?: Regularizer | null; trainable?: boolean } = {},
  ): LayerVariable {
    const init = getInitializer(initializer, "glorotUniform");
    const value = init.apply(shape, options.dtype === "int32" ? "int32" : "float32");
    const originalName = `${this.name}/${name}`;
    const v = tf.variable(value, (options.trainable ?? true) && this.trainable, uniqueVariableName(originalName));
    value.dispose();
    const lv = new LayerVariable(v, originalName, options.regularizer ?? null);
    this.layerWeights.push(lv);
    return lv;
  }

  /** Regularisation penalties of this layer's weights (scalars, to be added to the loss). */
  regularizationLosses(): tf.Tensor[] {
    return this.layerWeights.filter((w) => w.regularizer && w.trainable).map((w) => w.regularizer!.apply(w.read()));
  }

  /** Input/output shapes of the first call (TF.js's `layer.inputShape` / `outputShape`). */
  get inputShape(): Shape | Shape[] {
    const node = this.firstNode("inputShape");
    return node.inputShapes.length === 1 ? node.inputShapes[0] : node.inputShapes;
  }
  /** The shape of its output at its first call (`null` for the batch axis). Example: `[null, 10]`. */
  get outputShape(): Shape | Shape[] {
    const node = this.firstNode("outputShape");
    return node.outputShapes.length === 1 ? node.outputShapes[0] : node.outputShapes;
  }
  /** The symbolic input/output of the first call. */
  get input(): SymbolicTensor | SymbolicTensor[] {
    const node = this.firstNode("input");
    return node.inputTensors.length === 1 ? node.inputTensors[0] : node.inputTensors;
  }
  /** The symbolic output of its first call: what `tf.model({ outputs })` takes. */
  get output(): SymbolicTensor | SymbolicTensor[] {
    const node = this.firstNode("output");
    return node.outputTensors.length === 1 ? node.outputTensors[0] : node.outputTensors;
  }
  private firstNode(what: string): Node {
    if (this.inboundNodes.length === 0) {
      throw new Error(
        `Layer ${this.name} has not been connected yet: ${what} is defined once it is applied to a symbolic input`,
      );
    }
    return this.inboundNodes[0];
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
    if (isSymbolic(inputs)) return this.applySymbolic(inputs, kwargs);
    const list = Array.isArray(inputs) ? inputs : [inputs];
    if (list.length === 0 || !list.every((t) => t instanceof tf.Tensor)) {
      throw new Error(`Layer ${this.name}: apply() needs tensors or symbolic tensors (all of one kind)`);
    }
    return this.applyConcrete(inputs as tf.Tensor | tf.Tensor[], kwargs);
  }

  /** Computes on concrete tensors, building first if needed, and records activity penalties. */
  applyConcrete(inputs: tf.Tensor | tf.Tensor[], kwargs: CallArgs = {}): tf.Tensor | tf.Tensor[] {
    if (!this.built) {
      const shapes = Array.isArray(inputs) ? inputs.map((t) => t.shape) : inputs.shape;
      this.buildAndSetWeights(shapes);
    }
    const out = this.call(inputs, kwargs);
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
    if (!this.built) this.buildAndSetWeights(inShape);
    const outShape = this.computeOutputShape(inShape);
    const multi = Array.isArray(outShape[0]);
    const shapes = (multi ? outShape : [outShape]) as Shape[];
    const outDtype = this.outputDtype(list[0].dtype);
    const outputs = shapes.map(
      (s, i) =>
        new SymbolicTensor(
          outDtype,
          s,
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

  /** dtype of the outputs for an input of `inputDtype`. */
  protected outputDtype(_inputDtype: DType): DType {
    return "float32";
  }

  private buildAndSetWeights(shape: Shape | Shape[]): void {
    this.build(shape);
    this.built = true;
    if (this.initialWeights) {
      this.setWeights(this.initialWeights);
      this.initialWeights = undefined;
    }
  }

  /** Frees the weights. */
  dispose(): void {
    for (const w of this.layerWeights) w.dispose();
  }
}

/** The entry point of a model: passes its input through. Made by `tf.input`. */
export class InputLayer extends Layer {
  constructor(args: {
    batchShape?: Shape;
    inputShape?: Shape;
    batchInputShape?: Shape;
    shape?: Shape;
    dtype?: DType;
    name?: string;
    sparse?: boolean;
  }) {
    const batchInputShape = args.batchShape ?? args.batchInputShape ?? [null, ...(args.shape ?? args.inputShape ?? [])];
    if (!args.batchShape && !args.batchInputShape && !args.shape && !args.inputShape) {
      throw new Error("tf.input needs a `shape` (one example's shape, e.g. [28, 28, 1]) or a `batchShape`");
    }
    super({ name: args.name ?? uniqueLayerName("input"), batchInputShape, dtype: args.dtype });
    this.built = true;
    const out = new SymbolicTensor(this.dtype, batchInputShape, this, [], {}, this.name);
    new Node(this, [], [out], {});
  }
  getClassName(): string {
    return "InputLayer";
  }
  call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor | tf.Tensor[] {
    return inputs;
  }
  override getConfig(): Record<string, unknown> {
    return { batchInputShape: this.batchInputShape, dtype: this.dtype, sparse: false, name: this.name };
  }
}

/**
 * A symbolic input for the functional API.
 *
 * ```ts
 * const x = tf.input({ shape: [784] });
 * const y = tf.layers.dense({ units: 10, activation: "softmax" }).apply(x) as tf.SymbolicTensor;
 * const model = tf.model({ inputs: x, outputs: y });
 * ```
 */
export function input(args: { shape?: Shape; batchShape?: Shape; name?: string; dtype?: DType }): SymbolicTensor {
  return new InputLayer(args).output as SymbolicTensor;
}
