/**
 * Recurrent layers over `[batch, steps, features]`: `RNN` (any cell, `tf.layers.rnn`) and SimpleRNN,
 * LSTM and GRU. Options as TF.js: `returnSequences`, `returnState`, `goBackwards`, `stateful`
 * (+ `resetStates`), initial states (`apply([x, h, c])` or `{ initialState }`), dropout masks, and
 * masks from `masking` / `embedding({ maskZero })` (masked steps keep the previous state).
 */
import * as tf from "../core.js";
import {
  InputSpec,
  Layer,
  isSymbolic,
  type LayerArgs,
  type Shape,
  type CallArgs,
  type SymbolicTensor,
  isShapeList,
} from "../topology.js";
import { getActivation, type Activation } from "../activations.js";
import type { Initializer } from "../initializers.js";
import type { Regularizer } from "../regularizers.js";
import { getRegularizer, type RegularizerIdentifier } from "../regularizers.js";
import type { Constraint } from "../constraints.js";
import {
  deserialize,
  registerClass,
  type ClassConfig,
  type SerializableConstructor,
  type ConfigDict,
} from "../registry.js";
import { rnnForward } from "../../runtime/ops/rnn.js";
import { serialize } from "./common.js";
import {
  GatedCell,
  GRUCell,
  LSTMCell,
  RNNCell,
  SimpleRNNCell,
  StackedRNNCells,
  stateSizes,
  type GRUCellArgs,
  type LSTMCellArgs,
  type SimpleRNNCellArgs,
} from "./rnn-cells.js";

export interface BaseRNNArgs extends LayerArgs {
  /** Output the whole sequence `[batch, steps, units]` instead of the last step. */
  returnSequences?: boolean;
  /** Also output the final state(s): `[output, h]` (LSTM: `[output, h, c]`). */
  returnState?: boolean;
  /** Process the sequence from the end. */
  goBackwards?: boolean;
  /** Keep the final states as the next batch's initial states (needs a fixed batch size). */
  stateful?: boolean;
  /** Accepted for compatibility; the loop is never unrolled. */
  unroll?: boolean;
  /** Fixed sequence length, for a first layer: same as `inputShape: [inputLength, inputDim]`. */
  inputLength?: number | null;
  activityRegularizer?: RegularizerIdentifier;
}

export interface RNNArgs extends BaseRNNArgs {
  /** The step: a cell, or a list of cells (stacked). */
  cell: RNNCell | RNNCell[];
}

/** Activations whose gradient the fused RnnForward kernel computes from the output. */
const FUSABLE = ["tanh", "relu", "sigmoid"] as const;

/** A recurrent layer running `cell` over the steps of its input. */
export class RNN extends Layer {
  static className = "RNN";
  readonly cell: RNNCell;
  readonly returnSequences: boolean;
  readonly returnState: boolean;
  readonly goBackwards: boolean;
  readonly unroll: boolean;
  /** States carried between calls of a stateful layer. */
  private states_: tf.Tensor[] | null = null;
  /** The input shape a stateful layer was built for (its batch size fixes the states' shapes). */
  private statefulShape: Shape | null = null;
  /** Rank of the inputs: 3 (`[batch, steps, features]`), 5 for convolutional recurrences. */
  protected readonly inputRank: number = 3;

  constructor(args: RNNArgs) {
    const given = { ...(args ?? {}) } as RNNArgs;
    if (!given.batchInputShape && !given.inputShape && (given.inputDim != null || given.inputLength != null)) {
      given.batchInputShape = [given.batchSize ?? null, given.inputLength ?? null, given.inputDim ?? null];
      delete given.inputDim;
    }
    super(given);
    if (args?.cell == null) throw new Error("rnn needs a { cell } (a tf.layers.RNNCell or a list of them)");
    this.cell = Array.isArray(args.cell) ? new StackedRNNCells({ cells: args.cell }) : args.cell;
    if (this.cell.stateSize == null)
      throw new Error("the RNN cell needs a stateSize: one number per state tensor (the first is the output width)");
    this.returnSequences = args.returnSequences ?? false;
    this.returnState = args.returnState ?? false;
    this.goBackwards = args.goBackwards ?? false;
    this._stateful = args.stateful ?? false;
    this.unroll = args.unroll ?? false;
    this.activityRegularizer = getRegularizer(args.activityRegularizer);
    this.supportsMasking = true;
    this.inputSpec = [new InputSpec({ ndim: 3 })];
  }

  protected override trackedLayers(): Layer[] {
    return [this.cell];
  }

  /** The shape of state `index` (of `size`) for inputs of `inputShape` (`[batch, size]` for dense cells). */
  protected stateShape(inputShape: Shape, size: number, _index: number): Shape {
    return [inputShape[0], size];
  }

  /** The shape of one step's input for the cell. */
  protected stepShape(inputShape: Shape): Shape {
    return [inputShape[0], ...inputShape.slice(2)];
  }

  /** The current states of a stateful layer (null entries before the first call). */
  get states(): (tf.Tensor | null)[] {
    return this.states_ ?? stateSizes(this.cell).map(() => null);
  }

  /**
   * Applies the layer. Initial states may come as extra inputs (`apply([x, h, c])`) or as
   * `{ initialState: [h, c] }`; symbolic initial states become inputs of the graph node.
   */
  protected override standardizeCall(
    inputs: tf.Tensor | tf.Tensor[] | SymbolicTensor | SymbolicTensor[],
    kwargs: CallArgs,
  ): [tf.Tensor | tf.Tensor[] | SymbolicTensor | SymbolicTensor[], CallArgs] {
    const { initialState, ...rest } = kwargs;
    if (!initialState || initialState.length === 0) return [inputs, rest];
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    if (isSymbolic(initialState)) return [[x, ...initialState] as SymbolicTensor[], rest];
    return [x as tf.Tensor, { ...rest, initialState }];
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = isShapeList(inputShape) ? inputShape[0] : (inputShape as Shape);
    if (shape.length !== this.inputRank)
      throw new Error(
        `${this.name} expects sequences [batch, steps, …] of rank ${this.inputRank}, got shape [${shape.map((d) => d ?? "null")}]`,
      );
    if (!this.cell.built) {
      this.cell.build(this.stepShape(shape));
      this.cell.built = true;
    }
    if (this.stateful) {
      this.statefulShape = shape;
      this.resetStates();
    }
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    const shape = isShapeList(inputShape) ? inputShape[0] : (inputShape as Shape);
    const sizes = stateSizes(this.cell);
    const states = sizes.map((d, i) => this.stateShape(shape, d, i));
    const out: Shape = this.returnSequences ? [shape[0], shape[1], ...states[0].slice(1)] : states[0];
    if (!this.returnState) return out;
    return [out, ...states];
  }

  override computeMask(
    _inputs: tf.Tensor | tf.Tensor[],
    mask?: tf.Tensor | (tf.Tensor | null)[] | null,
  ): tf.Tensor | (tf.Tensor | null)[] | null {
    const m = Array.isArray(mask) ? mask[0] : mask;
    const outMask = this.returnSequences ? (m ?? null) : null;
    return this.returnState ? [outMask, ...stateSizes(this.cell).map(() => null)] : outMask;
  }

  /**
   * Sets the states of a stateful layer: to zeros, or to `states` (one `[batch, size]` tensor each).
   */
  override resetStates(states?: tf.Tensor | tf.Tensor[]): void {
    if (!this.stateful) throw new Error(`Cannot call resetStates() on RNN layer ${this.name}: it is not stateful`);
    const shape = this.statefulShape;
    if (shape == null || shape[0] == null)
      throw new Error(
        `${this.name} is stateful, so it needs to know its batch size: give the first layer a batchInputShape (or tf.input a batchShape)`,
      );
    const sizes = stateSizes(this.cell);
    const given = states === undefined ? undefined : Array.isArray(states) ? states : [states];
    if (given && given.length !== sizes.length)
      throw new Error(`${this.name} has ${sizes.length} state(s), got ${given.length}`);
    const next = sizes.map((size, i) => {
      const expected = this.stateShape(shape, size, i) as number[];
      const g = given?.[i];
      if (!g) return tf.keep(tf.zeros(expected));
      if (g.shape.length !== expected.length || g.shape.some((d, k) => d !== expected[k]))
        throw new Error(`${this.name}: state ${i} must have shape [${expected}], got [${g.shape}]`);
      return tf.keep(tf.clone(g));
    });
    if (this.states_) tf.dispose(this.states_);
    this.states_ = next;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: CallArgs = {}): tf.Tensor | tf.Tensor[] {
    const list = Array.isArray(inputs) ? inputs : [inputs];
    const x = list[0];
    if (x.rank !== this.inputRank)
      throw new Error(
        `${this.name}: expected sequences [batch, steps, …] of rank ${this.inputRank}, got shape [${x.shape}]`,
      );
    const sizes = stateSizes(this.cell);
    const given = list.length > 1 ? list.slice(1) : (kwargs.initialState as tf.Tensor[] | undefined);
    const mask = Array.isArray(kwargs.mask) ? kwargs.mask[0] : kwargs.mask;
    this.cell.resetDropoutMasks();
    try {
      const result = tf.tidy(() => {
        const shapes = sizes.map((size, i) => this.stateShape(x.shape, size, i) as number[]);
        const initial = given ?? (this.stateful && this.states_ ? this.states_ : shapes.map((s) => tf.zeros(s)));
        if (initial.length !== sizes.length)
          throw new Error(`${this.name} has ${sizes.length} state(s) but got ${initial.length} initial state(s)`);
        initial.forEach((s, i) => {
          if (s.rank !== shapes[i].length || s.shape.some((d, k) => d !== shapes[i][k]))
            throw new Error(`${this.name}: initial state ${i} must have shape [${shapes[i]}], got [${s.shape}]`);
        });
        const { output, states } = this.run(x, initial, mask ?? null, kwargs.training);
        if (this.stateful) this.resetStates(states.map((s) => tf.stopGradient(s)));
        return this.returnState ? [output, ...states] : output;
      });
      return result;
    } finally {
      this.cell.resetDropoutMasks();
    }
  }

  /** The recurrence: the output (last or all steps) and the final states. */
  private run(
    x: tf.Tensor,
    initial: tf.Tensor[],
    mask: tf.Tensor | null,
    training: boolean | undefined,
  ): { output: tf.Tensor; states: tf.Tensor[] } {
    const [batch, steps] = x.shape;
    const features = x.shape[x.rank - 1];
    const cell = this.cell;
    // Time-major, step by step (reversed when going backwards).
    const stepMasks = mask ? this.timeMajor(tf.cast(tf.cast(mask, "bool"), "float32")) : null;
    if (steps === 0) throw new Error(`${this.name}: the input has no time steps`);
    let perStep: tf.Tensor[];
    let step: (xt: tf.Tensor, states: tf.Tensor[]) => tf.Tensor[];
    if (cell instanceof GatedCell && x.rank === 3) {
      // Project every step's input in one product, then run only the recurrent part per step.
      const inMask = cell.inputDropoutMask(batch, features, training);
      const stateMask = cell.stateDropoutMask(batch, training);
      let rows = tf.reshape(tf.transpose(x, [1, 0, 2]), [steps * batch, features]);
      if (inMask) rows = tf.mul(rows, tf.tile(inMask, [steps, 1]));
      const xw = cell.projectInputs(rows);
      const fused = !stateMask && !stepMasks ? this.fusedSimpleRNN(xw, steps, initial) : undefined;
      if (fused) return fused;
      perStep = steps === 1 ? [xw] : tf.split(xw, steps, 0);
      step = (xt, states) => {
        const next = cell.stepProjected(xt, states, stateMask);
        return [next[0], ...next];
      };
    } else {
      perStep = tf.unstack(x, 1);
      step = (xt, states) => cell.call([xt, ...states], { training }) as tf.Tensor[];
    }
    const maskSteps = stepMasks ? tf.unstack(stepMasks, 0) : null;
    if (this.goBackwards) {
      perStep.reverse();
      maskSteps?.reverse();
    }
    let states = initial;
    let last: tf.Tensor | undefined;
    const outputs: tf.Tensor[] = [];
    perStep.forEach((xt, t) => {
      const [out, ...next] = step(xt, states);
      if (maskSteps) {
        // Masked steps keep the previous output and states.
        const pick = (a: tf.Tensor, b: tf.Tensor) => {
          const keep = tf.reshape(maskSteps[t], [batch, ...a.shape.slice(1).map(() => 1)]);
          return tf.add(tf.mul(a, keep), tf.mul(b, tf.sub(1, keep)));
        };
        last = pick(out, last ?? states[0]);
        states = next.map((s, i) => pick(s, states[i]));
      } else {
        last = out;
        states = next;
      }
      if (this.returnSequences) outputs.push(last);
    });
    return { output: this.returnSequences ? tf.stack(outputs, 1) : last!, states };
  }

  /** `[batch, steps]` → `[steps, batch, 1]`. */
  private timeMajor(mask: tf.Tensor): tf.Tensor {
    return tf.expandDims(tf.transpose(mask, [1, 0]), -1);
  }

  /**
   * A SimpleRNN with a relu/sigmoid/tanh activation runs as one RnnForward kernel (all states at
   * once) whose gradient is one RnnBackward kernel walking back through time.
   */
  private fusedSimpleRNN(
    xw: tf.Tensor,
    steps: number,
    [h0]: tf.Tensor[],
  ): { output: tf.Tensor; states: tf.Tensor[] } | undefined {
    const cell = this.cell;
    if (!(cell instanceof SimpleRNNCell) || xw.dtype !== "float32") return undefined;
    const activation = FUSABLE.find((name) => getActivation(name).apply === cell.activation.apply);
    if (!activation) return undefined;
    const [batch, units] = h0.shape;
    let blocks = tf.reshape(xw, [steps, batch, units]);
    // Step t reads block T − 1 − t when going backwards.
    if (this.goBackwards && steps > 1) blocks = tf.reverse(blocks, 0);
    const hs = rnnForward(blocks, h0, cell.recurrentKernel!.read(), activation);
    const last = tf.reshape(tf.slice(hs, [steps - 1, 0, 0], [1, batch, units]), [batch, units]);
    return { output: this.returnSequences ? tf.transpose(hs, [1, 0, 2]) : last, states: [last] };
  }

  override getConfig(): ConfigDict {
    const config: ConfigDict = {
      ...this.cell.getConfig(),
      ...super.getConfig(),
      returnSequences: this.returnSequences,
      returnState: this.returnState,
      goBackwards: this.goBackwards,
      stateful: this.stateful,
      unroll: this.unroll,
    };
    if (this.getClassName() === "RNN")
      config.cell = { className: this.cell.getClassName(), config: this.cell.getConfig() };
    return config;
  }

  static override fromConfig<T>(cls: SerializableConstructor<T>, config: Record<string, unknown>): T {
    const spec = config.cell as ClassConfig | ClassConfig[] | undefined;
    if (!spec) return new cls(config);
    const cell = Array.isArray(spec) ? spec.map((c) => deserialize<RNNCell>(c)) : deserialize<RNNCell>(spec);
    return new cls({ ...config, cell });
  }
}
registerClass(RNN);

/** The options of the built-in cell, minus what the RNN layer takes. */
function cellArgs<T extends LayerArgs>(args: T): T {
  const {
    name: _n,
    inputShape: _i,
    batchInputShape: _b,
    batchSize: _s,
    inputDim: _d,
    weights: _w,
    ...rest
  } = args ?? ({} as T);
  return rest as T;
}

/** The built-in recurrent layers expose their cell's options as properties (`lstm.units` …). */
abstract class CellLayer<C extends GatedCell> extends RNN {
  protected get typedCell(): C {
    return this.cell as C;
  }
  get units(): number {
    return this.typedCell.units;
  }
  get activation(): Activation {
    return this.typedCell.activation;
  }
  get useBias(): boolean {
    return this.typedCell.useBias;
  }
  get kernelInitializer(): Initializer {
    return this.typedCell.kernelInitializer;
  }
  get recurrentInitializer(): Initializer {
    return this.typedCell.recurrentInitializer;
  }
  get biasInitializer(): Initializer {
    return this.typedCell.biasInitializer;
  }
  get kernelRegularizer(): Regularizer | null {
    return this.typedCell.kernelRegularizer;
  }
  get recurrentRegularizer(): Regularizer | null {
    return this.typedCell.recurrentRegularizer;
  }
  get biasRegularizer(): Regularizer | null {
    return this.typedCell.biasRegularizer;
  }
  get kernelConstraint(): Constraint | null {
    return this.typedCell.kernelConstraint;
  }
  get recurrentConstraint(): Constraint | null {
    return this.typedCell.recurrentConstraint;
  }
  get biasConstraint(): Constraint | null {
    return this.typedCell.biasConstraint;
  }
  get dropout(): number {
    return this.typedCell.dropout;
  }
  get recurrentDropout(): number {
    return this.typedCell.recurrentDropout;
  }
  /** The kernel variables (made when the layer is built). */
  get kernel() {
    return this.typedCell.kernel;
  }
  get recurrentKernel() {
    return this.typedCell.recurrentKernel;
  }
  get bias() {
    return this.typedCell.bias;
  }
  override getConfig(): ConfigDict {
    const { cell: _, ...config } = super.getConfig();
    return {
      ...config,
      activityRegularizer: serialize(this.activityRegularizer),
    };
  }
}

export type SimpleRNNArgs = BaseRNNArgs & SimpleRNNCellArgs;
export type LSTMArgs = BaseRNNArgs & LSTMCellArgs;
export type GRUArgs = BaseRNNArgs & GRUCellArgs;

/** A fully-connected recurrence: `h = activation(x·W + h·U + b)`. */
export class SimpleRNN extends CellLayer<SimpleRNNCell> {
  static override className = "SimpleRNN";
  constructor(args: SimpleRNNArgs) {
    super({ ...args, cell: new SimpleRNNCell(cellArgs(args)) });
  }
}
registerClass(SimpleRNN);

/** Long short-term memory; states `[h, c]`. */
export class LSTM extends CellLayer<LSTMCell> {
  static override className = "LSTM";
  constructor(args: LSTMArgs) {
    super({ ...args, cell: new LSTMCell(cellArgs(args)) });
  }
  get recurrentActivation(): Activation {
    return this.typedCell.recurrentActivation;
  }
  get unitForgetBias(): boolean {
    return this.typedCell.unitForgetBias;
  }
}
registerClass(LSTM);

/** Gated recurrent unit (TF.js's `resetAfter: false` layout). */
export class GRU extends CellLayer<GRUCell> {
  static override className = "GRU";
  constructor(args: GRUArgs) {
    super({ ...args, cell: new GRUCell(cellArgs(args)) });
  }
  get recurrentActivation(): Activation {
    return this.typedCell.recurrentActivation;
  }
}
registerClass(GRU);

export { RNNCell };
