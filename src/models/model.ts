/**
 * `LayersModel`: a graph of layers from inputs to outputs (the functional API, `tf.model`), the base
 * of `Sequential`, and — subclassed with its own `call` — of custom models (`tf.Model`). It carries
 * training: `compile`, `fit`, `evaluate`, `predict`, `trainOnBatch`, plus `summary` and `save`.
 */
import type { ConfigDict } from "./registry.js";
import * as tf from "./core.js";
import {
  Layer,
  InputLayer,
  SymbolicTensor,
  type Node,
  collectLayerLosses,
  type CallArgs,
  type Shape,
  type LayerVariable,
} from "./topology.js";
import type { SummarizableModel } from "./model-types.js";
import { getLoss, type LossFn } from "./losses.js";
import { getMetric, type MetricFn } from "./metrics.js";
import { getOptimizer, optimizerFromConfig, type Optimizer } from "./optimizers.js";
import type { CallbackLike, CustomCallbackArgs, FitParams, History } from "./callbacks.js";
import { configureCallbacks, Yielder, type YieldEveryOptions } from "./callback-list.js";
import { runEpochs, type TrainingBatch } from "./training-loop.js";
import {
  type DatasetModel,
  evaluateDatasetToNumbers,
  fitDataset,
  type ModelEvaluateDatasetArgs,
  type ModelFitDatasetArgs,
} from "./fit-dataset.js";
import type { Dataset, LazyIterator } from "../data/index.js";
import { batchIndices, takeRows, RowSource } from "./datasets/batching.js";
import { randomFrom } from "./random.js";
import { printSummary } from "./summary.js";
import { assignNamedWeights, modelTopology, saveModel, type SaveConfig, type SaveTarget } from "./io.js";
import type { SaveResult, TrainingConfig } from "./artifacts.js";
import { configFromJson } from "./naming.js";

export interface CompileArgs {
  optimizer: string | Optimizer;
  /**
   * A loss name ('sparse_categorical_crossentropy', 'meanSquaredError' …) or function; with several
   * outputs one per output, as a list in output order or an object keyed by output layer name.
   */
  loss: string | LossFn | (string | LossFn)[] | Record<string, string | LossFn>;
  /**
   * Metric names ('accuracy', 'mse', 'precision' …) or functions, for every output; or an object
   * keyed by output layer name giving each output its own.
   */
  metrics?: (string | MetricFn)[] | string | MetricFn | Record<string, string | MetricFn | (string | MetricFn)[]>;
}

export interface FitArgs {
  epochs?: number;
  batchSize?: number;
  /** Reshuffle the training examples every epoch (default true). */
  shuffle?: boolean;
  /** Fraction of the examples (taken from the end, before shuffling) held out for validation. */
  validationSplit?: number;
  validationData?: [tf.Tensor | tf.Tensor[], tf.Tensor | tf.Tensor[]];
  initialEpoch?: number;
  /** Weight of each class in the loss, by label. */
  classWeight?: Record<number, number>;
  /** 0: silent; 1 (default): one line per epoch, or the kernel's live panel. */
  verbose?: number;
  /** Callback objects (`{ onEpochEnd }`, `tf.Callback`s, `tf.CustomCallback`s), one or an array; null for none. */
  callbacks?: CallbackLike | CallbackLike[] | CustomCallbackArgs | CustomCallbackArgs[] | null;
  /** When to let the event loop run: 'auto' (default), 'batch', 'epoch', 'never', or milliseconds. */
  yieldEvery?: YieldEveryOptions;
  /** Seed for the shuffling order. */
  seed?: number;
}

export interface ModelArgs {
  inputs?: SymbolicTensor | SymbolicTensor[];
  outputs?: SymbolicTensor | SymbolicTensor[];
  name?: string;
}

function asList<T>(x: T | T[]): T[] {
  return Array.isArray(x) ? x : [x];
}

/** Whether compile's loss or metrics came as an object keyed by output layer name. */
function isByName<T>(x: T | T[] | Record<string, T> | undefined): x is Record<string, T> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

const namesOnly = (specs: (string | MetricFn)[]): string[] => specs.filter((m): m is string => typeof m === "string");

/** Inputs or targets: a tensor, an array of tensors, or an object of tensors keyed by layer name. */
export type NamedTensors = tf.Tensor | tf.Tensor[] | { [name: string]: tf.Tensor };

interface CompiledMetric {
  name: string;
  output: number;
  fn: MetricFn;
}

/**
 * A trainable network of layers: made by `tf.model({ inputs, outputs })` (functional) or
 * `tf.sequential()`, or — subclassed with its own `call` — a custom model. Train it with `compile`
 * then `fit`, use it with `predict`, store it with `save`.
 *
 * ```ts
 * const input = tf.input({ shape: [4] });
 * const output = tf.layers.dense({ units: 2, activation: "softmax" }).apply(input) as tf.SymbolicTensor;
 * const model = tf.model({ inputs: input, outputs: output });
 * ```
 */
export class LayersModel extends Layer implements SummarizableModel {
  static className = "Model";
  /** Its symbolic inputs (from `tf.input`, or the first layer's input shape). */
  inputs: SymbolicTensor[] = [];
  /** Its symbolic outputs. Example: `model.outputs[0].shape` → `[null, 10]`. */
  outputs: SymbolicTensor[] = [];
  /** Set by a callback to end `fit` after the current batch. */
  stopTraining = false;
  /** The optimizer `compile` set (its learning rate can be changed between epochs). */
  optimizer?: Optimizer;
  /** The `loss` given to `compile`, as given (TF.js's field). Example: `model.loss` → "meanSquaredError". */
  loss: CompileArgs["loss"] | undefined;
  /** The `metrics` given to `compile`, as given (TF.js's field). */
  metrics: CompileArgs["metrics"];
  /** Loss functions, one per output (after `compile`). */
  lossFunctions: LossFn[] = [];
  /** Log names of the compiled metrics. */
  metricsNames: string[] = [];
  /** The History of the last `fit`. */
  history?: History;
  private nodesInOrder: Node[] = [];
  private graphLayers: Layer[] = [];
  private lossNames: string[] = [];
  /** Metrics for every output. */
  private metricSpecs: (string | MetricFn)[] = [];
  /** Each output's own metrics, when `compile` got an object keyed by output name. */
  private metricSpecsByOutput: (string | MetricFn)[][] | undefined;
  private compiledMetrics: CompiledMetric[] | undefined;
  /**
   * The weights training updates, fixed by `compile` as in TF.js: freezing a model after compiling
   * it (the ACGAN's discriminator inside its combined model) leaves its own training unchanged.
   * Taken at the first training step when the model had no weights yet at `compile`.
   */
  private collectedTrainableWeights: LayerVariable[] | undefined;
  private training = false;
  /** `tf.engine().forcedStops` when the running fit started. */
  private trainingSince = 0;

  constructor(args: ModelArgs = {}) {
    super({ name: args.name });
    if (args.inputs !== undefined || args.outputs !== undefined) {
      if (args.inputs === undefined || args.outputs === undefined)
        throw new Error("tf.model needs both `inputs` and `outputs`");
      this.setGraph(asList(args.inputs), asList(args.outputs));
    }
  }

  /** Whether this model is a graph of layers (functional or sequential) rather than a custom `call`. */
  get isGraph(): boolean {
    return this.outputs.length > 0;
  }

  protected setGraph(inputs: SymbolicTensor[], outputs: SymbolicTensor[]): void {
    for (const x of inputs) {
      if (!(x instanceof SymbolicTensor) || !(x.sourceLayer instanceof InputLayer)) {
        throw new Error("model inputs must be symbolic tensors made by tf.input()");
      }
    }
    for (const y of outputs)
      if (!(y instanceof SymbolicTensor))
        throw new Error("model outputs must be symbolic tensors (results of layer.apply on a tf.input)");
    const nodes: Node[] = [];
    const seen = new Set<Node>();
    const visit = (t: SymbolicTensor) => {
      const node = t.sourceLayer.inboundNodes[t.nodeIndex];
      if (seen.has(node)) return;
      seen.add(node);
      for (const i of node.inputTensors) visit(i);
      nodes.push(node);
    };
    outputs.forEach(visit);
    for (const x of inputs) {
      if (!seen.has(x.sourceLayer.inboundNodes[0]))
        throw new Error(`model input ${x.name} is not connected to the outputs`);
    }
    for (const n of nodes) {
      if (n.outboundLayer instanceof InputLayer && !inputs.some((x) => x.sourceLayer === n.outboundLayer)) {
        throw new Error(`the outputs depend on input ${n.outboundLayer.name}, which is not among the model inputs`);
      }
    }
    this.inputs = inputs;
    this.outputs = outputs;
    this.nodesInOrder = nodes;
    this.graphLayers = [...new Set(nodes.map((n) => n.outboundLayer))];
    this.built = true;
  }

  /** The layers, in execution order (functional models include their InputLayers, as in TF.js). */
  get layers(): Layer[] {
    if (this.isGraph) return this.graphLayers.slice();
    const found: Layer[] = [];
    for (const value of Object.values(this)) {
      for (const item of Array.isArray(value) ? value : [value])
        if (item instanceof Layer && (item as unknown) !== this && !found.includes(item)) found.push(item);
    }
    return found;
  }

  /**
   * A layer by name, or by position in `layers` (`getLayer(2)` or TF.js's `getLayer(undefined, 2)`).
   *
   * ```ts
   * const hidden = model.getLayer("dense_1");
   * const features = tf.model({ inputs: model.inputs, outputs: hidden.output as tf.SymbolicTensor });
   * ```
   */
  getLayer(nameOrIndex?: string | number, index?: number): Layer {
    const layers = this.layers;
    const key = nameOrIndex ?? index;
    if (key === undefined) throw new Error("getLayer needs a layer name or an index");
    const layer = typeof key === "number" ? layers[key] : layers.find((l) => l.name === key);
    if (!layer) {
      const known = layers.map((l) => l.name).join(", ");
      throw new Error(
        `No layer ${typeof key === "number" ? `at index ${key} (the model has ${layers.length})` : `named '${key}'`} in model ${this.name} (layers: ${known})`,
      );
    }
    return layer;
  }

  protected override trackedLayers(): Layer[] {
    return this.layers;
  }
  protected override buildScope(): string | null {
    return null;
  }

  /** The weights `fit` updates: those of its trainable layers. */
  override get trainableWeights(): LayerVariable[] {
    if (!this.trainable) return [];
    return [...new Set(this.layers.flatMap((l) => l.trainableWeights))];
  }
  /** The weights `fit` leaves alone (frozen layers', batch normalisation's moving statistics). */
  override get nonTrainableWeights(): LayerVariable[] {
    const all = [...new Set(this.layers.flatMap((l) => l.weights))];
    const trainable = new Set(this.trainableWeights);
    return all.filter((w) => !trainable.has(w));
  }

  /** Whether some layer keeps state between calls (stateful recurrent layers). */
  override get stateful(): boolean {
    return this.layers.some((l) => l.stateful);
  }

  /** Resets the states of the model's stateful layers (see `tf.layers.lstm({ stateful: true })`). */
  override resetStates(): void {
    for (const layer of this.layers) if (layer.stateful) layer.resetStates();
  }

  /** Whether `node` is a call inside this model's graph (for the summary's "Connected to"). */
  ownsNode(node: { readonly inboundLayers: unknown[] }): boolean {
    return this.nodesInOrder.includes(node as Node);
  }

  /** The model's input(s), as TF.js's `model.input`. */
  override get input(): SymbolicTensor | SymbolicTensor[] {
    if (!this.isGraph) return super.input;
    return this.inputs.length === 1 ? this.inputs[0] : this.inputs;
  }
  /** The model's output(s), as TF.js's `model.output`. */
  override get output(): SymbolicTensor | SymbolicTensor[] {
    if (!this.isGraph) return super.output;
    return this.outputs.length === 1 ? this.outputs[0] : this.outputs;
  }
  override get inputShape(): Shape | Shape[] {
    if (!this.isGraph) return super.inputShape;
    return this.inputs.length === 1 ? this.inputs[0].shape : this.inputs.map((t) => t.shape);
  }
  override get outputShape(): Shape | Shape[] {
    if (!this.isGraph) return super.outputShape;
    return this.outputs.length === 1 ? this.outputs[0].shape : this.outputs.map((t) => t.shape);
  }
  /** The trainable weights as `tf.Variable`s, for `tf.variableGrads` / `optimizer.minimize` (Keras's `trainable_variables`). */
  get trainableVariables(): tf.Variable[] {
    return this.trainableWeights.map((w) => w.read());
  }
  override set trainable(t: boolean) {
    super.trainable = t;
  }
  /** Whether `fit` trains it; `false` freezes every layer (e.g. a sub-model used as a feature extractor). */
  override get trainable(): boolean {
    return super.trainable;
  }

  override countParams(): number {
    return this.weights.reduce((n, w) => n + w.shape.reduce((a, b) => a * b, 1), 0);
  }

  override get losses(): (() => tf.Tensor)[] {
    return [...new Set(this.layers.flatMap((l) => l.losses))];
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    if (!this.isGraph)
      throw new Error(`model ${this.name} has no graph: call it on tensors instead of symbolic inputs`);
    void inputShape;
    return this.outputs.length === 1 ? this.outputs[0].shape : this.outputs.map((o) => o.shape);
  }

  /** Runs the graph (functional/sequential models). Custom models override this with their own forward pass. */
  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: CallArgs = {}): tf.Tensor | tf.Tensor[] {
    if (!this.isGraph)
      throw new Error(`model ${this.name} has no graph and no call(): subclasses of tf.Model must define call(inputs)`);
    const out = this.execute(asList(inputs), kwargs);
    return out.length === 1 ? out[0] : out;
  }

  private execute(xs: tf.Tensor[], kwargs: CallArgs): tf.Tensor[] {
    if (xs.length !== this.inputs.length)
      throw new Error(`model ${this.name} expects ${this.inputs.length} input(s), got ${xs.length}`);
    const values = new Map<number, tf.Tensor>();
    const masks = new Map<number, tf.Tensor>();
    this.inputs.forEach((s, i) => values.set(s.id, xs[i]));
    for (const node of this.nodesInOrder) {
      const layer = node.outboundLayer;
      if (layer instanceof InputLayer) continue;
      const ins = node.inputTensors.map((t) => values.get(t.id)!);
      const inMasks = node.inputTensors.map((t) => masks.get(t.id) ?? null);
      const { training, mask, ...rest } = node.callArgs;
      void training;
      const callArgs: CallArgs = { ...rest, ...kwargs };
      // As TF.js: a layer gets the mask of its first input; layers that support masking pass theirs on.
      const anyMask = inMasks.some((m) => m !== null);
      if (mask != null) callArgs.mask = mask;
      else if (anyMask) callArgs.mask = inMasks[0];
      const input = ins.length === 1 ? ins[0] : ins;
      const out = asList(layer.applyConcrete(input, callArgs));
      out.forEach((t, i) => values.set(node.outputTensors[i].id, t));
      if (layer.supportsMasking) {
        const outMask = layer.computeMask(input, ins.length === 1 ? inMasks[0] : inMasks);
        out.forEach((_, i) => {
          const m = Array.isArray(outMask) ? outMask[i] : outMask;
          if (m) masks.set(node.outputTensors[i].id, m);
        });
      }
    }
    return this.outputs.map((o) => values.get(o.id)!);
  }

  /**
   * Data given to predict/fit/evaluate must match the inputs' shapes. A model used as a layer
   * inside another is not checked, as in TF.js: its layers take what they can (a Dense layer takes
   * `[batch, 1, n]` as well as `[batch, n]`, as in tfjs-examples' ACGAN generator).
   */
  private checkInputShapes(xs: tf.Tensor[]): void {
    if (xs.length !== this.inputs.length)
      throw new Error(`model ${this.name} expects ${this.inputs.length} input(s), got ${xs.length}`);
    this.inputs.forEach((s, i) => {
      const x = xs[i];
      const expected = s.shape;
      const ok = x.shape.length === expected.length && expected.every((d, k) => d === null || d === x.shape[k]);
      if (!ok) {
        throw new Error(
          `model ${this.name}: input ${i} should have shape [${expected.map((d) => d ?? "null")}], got [${x.shape}]`,
        );
      }
    });
  }

  /** Hook for models whose graph is made on first use (Sequential without an input shape). */
  protected ensureGraph(_xs: tf.Tensor[]): void {}

  /** The forward pass on concrete inputs, as a list of outputs. */
  forward(xs: tf.Tensor[], kwargs: CallArgs = {}): tf.Tensor[] {
    this.ensureGraph(xs);
    if (this.isGraph) {
      this.checkInputShapes(xs);
      return this.execute(xs, kwargs);
    }
    const out = this.applyConcrete(xs.length === 1 ? xs[0] : xs, kwargs);
    return asList(out);
  }

  // ---------------------------------------------------------------- training

  /**
   * Chooses the optimizer, loss and metrics for `fit`/`evaluate`.
   *
   * ```ts
   * model.compile({ optimizer: "adam", loss: "sparseCategoricalCrossentropy", metrics: ["accuracy"] });
   * ```
   */
  compile(args: CompileArgs): void {
    if (!args || args.optimizer === undefined || args.loss === undefined)
      throw new Error("compile needs { optimizer, loss }");
    this.optimizer = getOptimizer(args.optimizer);
    this.loss = args.loss;
    this.metrics = args.metrics;
    const losses = this.perOutput("loss", args.loss).map((l) => getLoss(l));
    this.lossFunctions = losses.map((l) => l.fn);
    this.lossNames = losses.map((l) => l.name);
    this.metricSpecsByOutput = isByName(args.metrics)
      ? this.perOutput("metrics", args.metrics).map((m) => asList(m))
      : undefined;
    this.metricSpecs = args.metrics === undefined || isByName(args.metrics) ? [] : asList(args.metrics);
    this.compiledMetrics = undefined;
    this.metricsNames = ["loss"];
    this.collectedTrainableWeights = this.weights.length > 0 ? this.trainableWeights : undefined;
  }

  /** An object keyed by output layer name, as a list in output order (anything else as a list). */
  private perOutput<T>(what: string, given: T | T[] | Record<string, T>): T[] {
    if (!isByName(given)) return asList(given as T | T[]);
    const names = this.outputNames;
    const unknown = Object.keys(given).filter((k) => !names.includes(k));
    if (unknown.length > 0)
      throw new Error(
        `compile: unknown output ${unknown.map((k) => `"${k}"`).join(", ")} in the ${what} object; the outputs are ${names.map((n) => `"${n}"`).join(", ")}`,
      );
    const missing = names.filter((n) => given[n] === undefined);
    if (what === "loss" && missing.length > 0)
      throw new Error(
        `compile: the loss object has no entry for output ${missing.map((n) => `"${n}"`).join(", ")}; give every output a loss`,
      );
    return names.map((n) => given[n] ?? ([] as unknown as T));
  }

  private checkCompiled(): Optimizer {
    if (!this.optimizer || this.lossFunctions.length === 0)
      throw new Error(
        `model ${this.name} must be compiled before training or evaluating: call model.compile({ optimizer, loss })`,
      );
    return this.optimizer;
  }

  private lossFor(output: number): LossFn {
    if (this.lossFunctions.length === 1) return this.lossFunctions[0];
    if (output >= this.lossFunctions.length)
      throw new Error(`model has more outputs than losses (${this.lossFunctions.length}); give one loss per output`);
    return this.lossFunctions[output];
  }

  private metricsFor(outputs: tf.Tensor[], targets: tf.Tensor[]): CompiledMetric[] {
    if (this.compiledMetrics) return this.compiledMetrics;
    const multi = outputs.length > 1;
    const compiled: CompiledMetric[] = [];
    outputs.forEach((o, i) => {
      const lossName = this.lossNames[this.lossNames.length === 1 ? 0 : i] ?? "";
      for (const spec of this.metricSpecsByOutput?.[i] ?? this.metricSpecs) {
        const m = getMetric(spec, lossName, o.shape, targets[i]?.shape ?? o.shape);
        compiled.push({ name: multi ? `${this.outputNames[i]}_${m.name}` : m.name, output: i, fn: m.fn });
      }
    });
    this.compiledMetrics = compiled;
    // As in TF.js: with several outputs, each output's loss is logged too (`<output>_loss`).
    const outputLosses = multi ? this.outputNames.slice(0, outputs.length).map((n) => `${n}_loss`) : [];
    this.metricsNames = ["loss", ...outputLosses, ...compiled.map((m) => m.name)];
    return compiled;
  }

  /** Names of the output layers (used to label per-output metrics). */
  get outputNames(): string[] {
    return this.isGraph ? this.outputs.map((o) => o.sourceLayer.name) : ["output"];
  }

  /** Names of the input layers (keys of named inputs in `trainOnBatch`, `fitDataset`). */
  get inputNames(): string[] {
    return this.isGraph ? this.inputs.map((i) => i.sourceLayer.name) : [];
  }

  /** A list of tensors from a tensor, an array, or an object keyed by the layer names given. */
  private tensorList(value: NamedTensors, names: string[], which: string): tf.Tensor[] {
    if (value instanceof tf.Tensor) return [value];
    if (Array.isArray(value)) return value;
    if (value === null || typeof value !== "object")
      throw new Error(`model ${this.name}: ${which}s must be a tensor, an array of tensors, or an object of them`);
    if (names.length === 0)
      throw new Error(`model ${this.name} has no named ${which}s: give ${which}s as a tensor or an array of tensors`);
    return names.map((n) => {
      const t = value[n];
      if (!(t instanceof tf.Tensor))
        throw new Error(`model ${this.name}: no tensor for ${which} '${n}' (${which}s: ${names.join(", ")})`);
      return t;
    });
  }

  /** Loss (with regularisation) and metric values for one batch, as scalars. Runs inside the caller's tidy/gradient scope. */
  private lossAndMetrics(
    xs: tf.Tensor[],
    ys: tf.Tensor[],
    training: boolean,
    sampleWeight?: tf.Tensor,
  ): { loss: tf.Tensor; metrics: tf.Tensor[] } {
    const { result: outs, losses: activityLosses } = collectLayerLosses(() => this.forward(xs, { training }));
    if (ys.length !== outs.length)
      throw new Error(`model ${this.name} has ${outs.length} output(s) but got ${ys.length} target tensor(s)`);
    // Targets `[n]` for outputs `[n, 1]` (binary labels, regression) get the trailing axis, as in Keras.
    ys = ys.map((y, i) =>
      y.shape.length === outs[i].shape.length - 1 && outs[i].shape[outs[i].shape.length - 1] === 1
        ? tf.reshape(y, outs[i].shape)
        : y,
    );
    // Summed from the first term on (not from a zero scalar): one kernel and one gradient fewer per step.
    let loss: tf.Tensor | undefined;
    const addTerm = (term: tf.Tensor) => (loss = loss ? tf.add(loss, term) : term);
    const outputLosses = outs.map((out, i) => {
      let perExample = this.lossFor(i)(ys[i], out);
      if (sampleWeight && perExample.shape.length >= 1) {
        const w =
          perExample.shape.length === 1
            ? sampleWeight
            : tf.reshape(sampleWeight, [sampleWeight.shape[0], ...perExample.shape.slice(1).map(() => 1)]);
        perExample = tf.mul(perExample, w);
      }
      const term = tf.mean(perExample);
      addTerm(term);
      return term;
    });
    for (const penalty of [...this.calculateLosses(), ...activityLosses]) addTerm(penalty);
    const metrics = this.metricsFor(outs, ys).map((m) => tf.mean(m.fn(ys[m.output], outs[m.output])));
    return { loss: loss ?? tf.scalar(0), metrics: outs.length > 1 ? [...outputLosses, ...metrics] : metrics };
  }

  /** One optimizer step on a batch; returns [loss, ...metrics] as numbers. */
  private trainStep(xs: tf.Tensor[], ys: tf.Tensor[], sampleWeight?: tf.Tensor): number[] {
    const optimizer = this.checkCompiled();
    if (!this.isGraph && this.trainableWeights.length === 0) tf.tidy(() => void this.forward(xs, { training: false }));
    this.ensureGraph(xs);
    this.collectedTrainableWeights ??= this.trainableWeights;
    const vars = this.collectedTrainableWeights.map((w) => w.read());
    if (vars.length === 0)
      throw new Error(
        `model ${this.name} has no trainable weights${this.trainableWeights.length > 0 ? " when it was compiled (compile it again after changing trainable)" : ""}`,
      );
    let metricTensors: tf.Tensor[] = [];
    const { value, grads } = tf.variableGrads(() => {
      const { loss, metrics } = this.lossAndMetrics(xs, ys, true, sampleWeight);
      metricTensors = metrics.map((m) => tf.keep(m));
      return loss;
    }, vars);
    optimizer.applyGradients(grads, vars);
    for (const w of this.collectedTrainableWeights) w.applyConstraint();
    const result = [value, ...metricTensors].map((t) => t.dataSync()[0]);
    tf.dispose([value, ...metricTensors, ...Object.values(grads)]);
    return result;
  }

  /**
   * One training step on one batch. Resolves to the loss, or `[loss, ...metrics]` with metrics
   * (numbers, as in TF.js). Inputs and targets may be named by layer: `{ [inputName]: tensor }`.
   *
   * ```ts
   * const loss = await model.trainOnBatch(xs, ys);
   * ```
   */
  async trainOnBatch(x: NamedTensors, y: NamedTensors): Promise<number | number[]> {
    const values = this.trainStep(
      this.tensorList(x, this.inputNames, "input"),
      this.tensorList(y, this.outputNames, "output"),
    );
    return values.length === 1 ? values[0] : values;
  }

  /** One step on a batch, with per-example weights from `classWeight` when given. */
  private trainBatch(xs: tf.Tensor[], ys: tf.Tensor[], classWeight?: Record<number, number>): number[] {
    const sw = classWeight ? this.sampleWeights(ys[0], classWeight) : undefined;
    try {
      return this.trainStep(xs, ys, sw);
    } finally {
      sw?.dispose();
    }
  }

  /** Resolves the metric names with one tiny forward pass (on the first example), so a run's params list them all. */
  private resolveMetricNames(xs: tf.Tensor[], ys: tf.Tensor[]): string[] {
    tf.tidy(() => {
      const first = Int32Array.of(0);
      this.metricsFor(
        this.forward(
          xs.map((t) => takeRows(t, first)),
          { training: false },
        ),
        ys.map((t) => takeRows(t, first)),
      );
    });
    return this.metricsNames;
  }

  /** Runs a training loop, refusing a second one on the same model while it runs (as TF.js does). */
  private async exclusiveTraining<T>(run: () => Promise<T>): Promise<T> {
    // A fit cut short by a forced stop (see Engine.recoverFromForcedStop) never cleared the flag.
    const forcedStops = tf.engine().forcedStops;
    if (this.training && this.trainingSince === forcedStops)
      throw new Error("Cannot start training because another fit() call is ongoing.");
    this.training = true;
    this.trainingSince = forcedStops;
    try {
      return await run();
    } finally {
      this.training = false;
    }
  }

  private sampleWeights(y: tf.Tensor, classWeight: Record<number, number>): tf.Tensor {
    const data = y.dataSync();
    const n = y.shape[0];
    const width = y.shape.length > 1 ? y.size / n : 1;
    const w = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      let label: number;
      if (width === 1) label = Math.round(Number(data[i]));
      else {
        label = 0;
        for (let k = 1; k < width; k++) if (data[i * width + k] > data[i * width + label]) label = k;
      }
      w[i] = classWeight[label] ?? 1;
    }
    return tf.tensor(w, [n], "float32");
  }

  /**
   * Trains for `epochs` passes over the data, in batches; resolves to the History of per-epoch logs.
   *
   * ```ts
   * const h = await model.fit(xs, ys, { epochs: 5, batchSize: 32, validationSplit: 0.1 });
   * h.history.loss; // one mean loss per epoch
   * ```
   */
  async fit(x: tf.Tensor | tf.Tensor[], y: tf.Tensor | tf.Tensor[], args: FitArgs = {}): Promise<History> {
    this.checkCompiled();
    const { epochs = 1, batchSize = 32, shuffle = true, initialEpoch = 0, verbose = 1 } = args;
    if (!Number.isInteger(epochs) || epochs < 0)
      throw new Error(`fit: epochs must be a non-negative integer, got ${epochs}`);
    if (!Number.isInteger(batchSize) || batchSize <= 0)
      throw new Error(`fit: batchSize must be a positive integer, got ${batchSize}`);
    let xs = asList(x);
    let ys = asList(y);
    const n = xs[0].shape[0];
    for (const t of [...xs, ...ys]) {
      if (t.shape[0] !== n)
        throw new Error(
          `fit: all inputs and targets need the same number of examples (first axis): got ${[...xs, ...ys].map((u) => u.shape[0]).join(" vs ")}`,
        );
    }
    const owned: tf.Tensor[] = [];
    let valXs: tf.Tensor[] | undefined;
    let valYs: tf.Tensor[] | undefined;
    if (args.validationData) {
      valXs = asList(args.validationData[0]);
      valYs = asList(args.validationData[1]);
    } else if (args.validationSplit !== undefined && args.validationSplit > 0) {
      if (!(args.validationSplit < 1))
        throw new Error(`fit: validationSplit must be in [0, 1), got ${args.validationSplit}`);
      const split = Math.floor(n * (1 - args.validationSplit));
      if (split <= 0 || split >= n)
        throw new Error(
          `fit: validationSplit ${args.validationSplit} leaves no training or no validation examples (n=${n})`,
        );
      const head = (t: tf.Tensor) =>
        tf.slice(
          t,
          t.shape.map(() => 0),
          t.shape.map((d, i) => (i === 0 ? split : d)),
        );
      const tail = (t: tf.Tensor) =>
        tf.slice(
          t,
          t.shape.map((_, i) => (i === 0 ? split : 0)),
          t.shape.map((d, i) => (i === 0 ? n - split : d)),
        );
      valXs = xs.map(tail);
      valYs = ys.map(tail);
      xs = xs.map(head);
      ys = ys.map(head);
      owned.push(...valXs, ...valYs, ...xs, ...ys);
    }
    const samples = xs[0].shape[0];
    const steps = Math.ceil(samples / batchSize);
    const doValidation = valXs !== undefined;

    this.resolveMetricNames(xs, ys);
    const names = this.metricsNames;
    const params: FitParams = {
      epochs,
      initialEpoch,
      samples,
      steps,
      batchSize,
      verbose,
      doValidation,
      metrics: doValidation ? [...names, ...names.map((k) => `val_${k}`)] : names.slice(),
    };
    const { list, history } = configureCallbacks({ model: this, params, callbacks: args.callbacks, verbose });
    const yielder = new Yielder(args.yieldEvery ?? "auto", list);
    const xSources = xs.map((t) => new RowSource(t));
    const ySources = ys.map((t) => new RowSource(t));
    const rng = randomFrom(args.seed);
    const classWeight = args.classWeight;
    this.history = history;
    const self = this;
    function* epochBatches(): Generator<TrainingBatch> {
      for (const idx of batchIndices(samples, batchSize, shuffle ? rng : undefined)) {
        yield {
          size: idx.length,
          train: () => {
            const bx = xSources.map((s) => s.take(idx));
            const by = ySources.map((s) => s.take(idx));
            try {
              return self.trainBatch(bx, by, classWeight);
            } finally {
              tf.dispose([...bx, ...by]);
            }
          },
        };
      }
    }
    try {
      await this.exclusiveTraining(() =>
        runEpochs({
          model: this,
          epochs,
          initialEpoch,
          names,
          list,
          yielder,
          batches: epochBatches,
          validate: valXs && valYs ? () => this.evaluateToNumbers(valXs!, valYs!, batchSize) : undefined,
        }),
      );
    } finally {
      tf.dispose(owned);
    }
    return history;
  }

  /** Loss and metric values of one batch, in inference mode. */
  private evaluateBatch(xs: tf.Tensor[], ys: tf.Tensor[]): number[] {
    return tf.tidy(() => {
      const { loss, metrics } = this.lossAndMetrics(xs, ys, false);
      return [loss, ...metrics].map((t) => t.dataSync()[0]);
    });
  }

  private evaluateToNumbers(xs: tf.Tensor[], ys: tf.Tensor[], batchSize: number): number[] {
    this.checkCompiled();
    const n = xs[0].shape[0];
    let sums: number[] | undefined;
    for (const idx of batchIndices(n, batchSize)) {
      const values = tf.tidy(() =>
        this.evaluateBatch(
          xs.map((t) => takeRows(t, idx)),
          ys.map((t) => takeRows(t, idx)),
        ),
      );
      sums ??= new Array<number>(values.length).fill(0);
      values.forEach((v, i) => (sums![i] += v * idx.length));
    }
    return (sums ?? []).map((s) => s / n);
  }

  /**
   * Loss (and metrics) over a data set, batch by batch. Returns a scalar, or `[loss, ...metrics]`.
   *
   * ```ts
   * const [loss, acc] = model.evaluate(testXs, testYs) as tf.Scalar[];
   * ```
   */
  evaluate(
    x: tf.Tensor | tf.Tensor[],
    y: tf.Tensor | tf.Tensor[],
    args: { batchSize?: number; verbose?: number } = {},
  ): tf.Tensor | tf.Tensor[] {
    const values = this.evaluateToNumbers(asList(x), asList(y), args.batchSize ?? 32);
    const scalars = values.map((v) => tf.scalar(v));
    return scalars.length === 1 ? scalars[0] : scalars;
  }

  /**
   * Trains on a `tf.data` dataset of batches, each `{ xs, ys }` (or `[xs, ys]`), where `xs`/`ys` are
   * a tensor, an array of tensors, or an object keyed by input/output layer name. Each epoch is
   * one pass over the dataset, or `batchesPerEpoch` batches read on from one iterator. Resolves
   * to the History, as `fit` does, and shows the same live panel.
   *
   * ```ts
   * const ds = tf.data.zip({ xs: tf.data.array(xRows), ys: tf.data.array(yRows) }).shuffle(100).batch(32);
   * const h = await model.fitDataset(ds, { epochs: 5, validationData: valDs });
   * ```
   */
  async fitDataset<T>(dataset: Dataset<T & tf.TensorContainer>, args: ModelFitDatasetArgs<T>): Promise<History> {
    return this.exclusiveTraining(() => fitDataset(this.datasetModel(), dataset, args));
  }

  /**
   * Loss (and metrics) over a dataset of `{ xs, ys }` batches (all of it, or `batches` of them),
   * weighted by batch size. Resolves to a scalar, or `[loss, ...metrics]`.
   *
   * ```ts
   * const [loss, acc] = (await model.evaluateDataset(testDs)) as tf.Scalar[];
   * ```
   */
  async evaluateDataset(
    dataset: Dataset<tf.TensorContainer> | LazyIterator<unknown>,
    args: ModelEvaluateDatasetArgs = {},
  ): Promise<tf.Scalar | tf.Scalar[]> {
    const values = await evaluateDatasetToNumbers(this.datasetModel(), dataset, args?.batches);
    const scalars = values.map((v) => tf.scalar(v));
    return scalars.length === 1 ? scalars[0] : scalars;
  }

  /** This model as the dataset loops see it (its training steps, bound). */
  private datasetModel(): DatasetModel {
    const model = this;
    return {
      owner: this,
      get name() {
        return model.name;
      },
      get stopTraining() {
        return model.stopTraining;
      },
      set stopTraining(v: boolean) {
        model.stopTraining = v;
      },
      get metricsNames() {
        return model.metricsNames;
      },
      get inputNames() {
        return model.inputNames;
      },
      get outputNames() {
        return model.isGraph ? model.outputNames : [];
      },
      get inputCount() {
        return model.isGraph ? model.inputs.length : undefined;
      },
      get outputCount() {
        return model.isGraph ? model.outputs.length : undefined;
      },
      get inputRanks() {
        return model.isGraph ? model.inputs.map((i) => i.shape.length) : [];
      },
      checkCompiled: () => void this.checkCompiled(),
      resolveMetricNames: (xs, ys) => this.resolveMetricNames(xs, ys),
      trainBatch: (xs, ys, classWeight) => this.trainBatch(xs, ys, classWeight),
      evaluateBatch: (xs, ys) => this.evaluateBatch(xs, ys),
      evaluateTensors: (xs, ys, batchSize) => this.evaluateToNumbers(xs, ys, batchSize),
      setHistory: (h) => (this.history = h),
    };
  }

  /**
   * Outputs for the inputs, computed in batches (inference mode: no dropout, batch-norm moving averages).
   *
   * ```ts
   * const probs = model.predict(xs) as tf.Tensor; // [n, 10]
   * ```
   */
  predict(x: tf.Tensor | tf.Tensor[], args: { batchSize?: number; verbose?: number } = {}): tf.Tensor | tf.Tensor[] {
    const xs = asList(x);
    const batchSize = args.batchSize ?? 32;
    const n = xs[0].shape[0];
    const parts: tf.Tensor[][] = [];
    for (const idx of batchIndices(n, batchSize)) {
      parts.push(
        tf.tidy(() =>
          this.forward(
            xs.map((t) => takeRows(t, idx)),
            { training: false },
          ),
        ),
      );
    }
    const outs = parts[0].map((_, k) => {
      if (parts.length === 1) return parts[0][k];
      const joined = tf.concat(
        parts.map((p) => p[k]),
        0,
      );
      tf.dispose(parts.map((p) => p[k]));
      return joined;
    });
    return outs.length === 1 ? outs[0] : outs;
  }

  /** `predict` on one batch, without splitting. */
  predictOnBatch(x: tf.Tensor | tf.Tensor[]): tf.Tensor | tf.Tensor[] {
    const outs = tf.tidy(() => this.forward(asList(x), { training: false }));
    return outs.length === 1 ? outs[0] : outs;
  }

  // ---------------------------------------------------------------- inspection & persistence

  /**
   * Prints a table of layers (name, type, output shape, parameters) and the parameter totals.
   *
   * ```ts
   * model.summary();
   * ```
   */
  summary(lineLength?: number, positions?: number[], printFn?: (line: string) => void): void {
    void positions;
    printSummary(this, lineLength, printFn);
  }

  /**
   * Saves topology and weights: `await model.save("file://./my-model")` writes model.json +
   * group1-shard1of1.bin. With `{ includeOptimizer: true }` the compile options are saved too.
   */
  async save(target: SaveTarget, config: SaveConfig = {}): Promise<SaveResult> {
    return saveModel(this, target, config);
  }

  /** The compile options as TF.js saves them: `{ loss, metrics, optimizer_config: { class_name, config } }`. */
  getTrainingConfig(): Record<string, unknown> {
    const optimizer = this.checkCompiled();
    return {
      loss: this.lossNames.length === 1 ? this.lossNames[0] : this.lossNames.slice(),
      metrics: this.metricSpecsByOutput
        ? Object.fromEntries(this.outputNames.map((n, i) => [n, namesOnly(this.metricSpecsByOutput?.[i] ?? [])]))
        : namesOnly(this.metricSpecs),
      optimizer_config: { class_name: optimizer.getClassName(), config: optimizer.getConfig() },
    };
  }

  /** Compiles the model from a saved training config (as `tf.loadLayersModel` does when the file has one). */
  loadTrainingConfig(trainingConfig: TrainingConfig): void {
    const camel = configFromJson(trainingConfig) as {
      optimizerConfig?: { className?: string; config?: Record<string, unknown> };
    };
    if (!camel.optimizerConfig?.className)
      throw new Error("loadTrainingConfig: the training config has no optimizer_config");
    // Read as saved: an object of losses or metrics is keyed by output layer names, kept as they are.
    const loss = trainingConfig.loss as string | string[] | Record<string, string> | undefined;
    if (loss === undefined) throw new Error("loadTrainingConfig: the training config has no loss");
    const metrics = trainingConfig.metrics as string[] | Record<string, string | string[]> | undefined;
    this.compile({
      optimizer: optimizerFromConfig(camel.optimizerConfig.className, camel.optimizerConfig.config),
      loss,
      metrics,
    });
  }

  private userMetadata: Record<string, unknown> | undefined;

  /** Data saved with the model in model.json (`userDefinedMetadata`) and restored when it loads. */
  setUserDefinedMetadata(metadata: Record<string, unknown>): void {
    if (metadata === null || typeof metadata !== "object" || Array.isArray(metadata))
      throw new Error("setUserDefinedMetadata needs a plain object");
    JSON.stringify(metadata); // throws for values that cannot be saved
    this.userMetadata = metadata;
  }
  /** The metadata set by `setUserDefinedMetadata` (or loaded with the model). */
  getUserDefinedMetadata(): Record<string, unknown> | undefined {
    return this.userMetadata;
  }

  /**
   * The topology as model.json holds it (`{ class_name, config, keras_version, backend }`), as a
   * JSON string (default) or an object.
   */
  toJSON(_unused?: unknown, returnString = true): string | Record<string, unknown> {
    const topology = modelTopology(this);
    return returnString ? JSON.stringify(topology) : topology;
  }

  /** Sets weights from tensors named as saved (`dense_1/kernel`); strict: every name must match. */
  loadWeights(weights: Record<string, tf.Tensor>, strict = true): void {
    assignNamedWeights(this.weights, new Map(Object.entries(weights)), strict);
  }

  /** The input layers of a graph model. */
  get inputLayers(): Layer[] {
    return this.inputs.map((t) => t.sourceLayer);
  }
  /** The layers producing the outputs of a graph model. */
  get outputLayers(): Layer[] {
    return this.outputs.map((t) => t.sourceLayer);
  }
  /** The layer at `index` in `layers`. */
  findLayer(index: number): Layer {
    return this.getLayer(index);
  }

  override getConfig(): ConfigDict {
    if (!this.isGraph)
      throw new Error(
        `model ${this.name} is a custom (subclassed) model: its topology cannot be saved; save its weights with getWeights()`,
      );
    // Calls are numbered among those inside this model (a shared layer may have others), and from 1
    // for nested graph models, whose call 0 is their own graph in TF.js's files.
    const ownNodes = new Set(this.nodesInOrder);
    const callIndex = new Map<Node, number>();
    for (const layer of this.graphLayers) {
      const first = layer instanceof LayersModel && layer.isGraph ? 1 : 0;
      layer.inboundNodes.filter((n) => ownNodes.has(n)).forEach((n, i) => callIndex.set(n, first + i));
    }
    const ref = (t: SymbolicTensor) => {
      const node = t.sourceLayer.inboundNodes[t.nodeIndex];
      return [t.sourceLayer.name, callIndex.get(node) ?? t.nodeIndex, t.tensorIndex];
    };
    const layers = this.graphLayers.map((layer) => {
      const inbound = layer.inboundNodes
        .filter((node) => ownNodes.has(node) && node.inputTensors.length > 0)
        .map((node) => node.inputTensors.map((t) => [...ref(t), serializableKwargs(node.callArgs)]));
      return { name: layer.name, className: layer.getClassName(), config: layer.getConfig(), inboundNodes: inbound };
    });
    return {
      name: this.name,
      layers,
      inputLayers: this.inputs.map(ref),
      outputLayers: this.outputs.map(ref),
    };
  }

  override dispose(): { refCountAfterDispose: number; numDisposedVariables: number } {
    let numDisposedVariables = 0;
    for (const layer of this.layers) numDisposedVariables += layer.dispose().numDisposedVariables;
    this.optimizer?.dispose();
    return { refCountAfterDispose: 0, numDisposedVariables };
  }
}

/**
 * The base for custom models: define layers as properties and a `call(inputs)`; train with
 * `compile`/`fit` or a custom loop.
 *
 * ```ts
 * class MyModel extends tf.Model {
 *   d1 = tf.layers.dense({ units: 64, activation: "relu" });
 *   d2 = tf.layers.dense({ units: 10 });
 *   call(x: tf.Tensor) { return this.d2.apply(this.d1.apply(x)) as tf.Tensor; }
 * }
 * ```
 */
export class Model extends LayersModel {
  constructor(args: { name?: string } = {}) {
    super({ name: args.name });
  }
}

/**
 * Builds a model from symbolic inputs to outputs (the functional API).
 *
 * ```ts
 * const inp = tf.input({ shape: [2] });
 * const out = tf.layers.dense({ units: 1 }).apply(inp) as tf.SymbolicTensor;
 * const m = tf.model({ inputs: inp, outputs: out });
 * ```
 */
export function model(args: {
  inputs: SymbolicTensor | SymbolicTensor[];
  outputs: SymbolicTensor | SymbolicTensor[];
  name?: string;
}): LayersModel {
  return new LayersModel(args);
}

/** The keyword arguments of a call that can be saved (plain values: `training`, flags …). */
function serializableKwargs(kwargs: CallArgs): ConfigDict {
  const out: ConfigDict = {};
  for (const [k, v] of Object.entries(kwargs ?? {})) {
    if (k === "mask" || k === "initialState") continue;
    if (v === null || ["number", "string", "boolean"].includes(typeof v)) out[k] = v;
  }
  return out;
}
