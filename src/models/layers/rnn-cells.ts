/**
 * Recurrent cells — one time step each: `call([input, ...states]) → [output, ...newStates]`.
 * `RNNCell` is the base for custom cells (`tf.layers.rnn({ cell })`); SimpleRNNCell, LSTMCell and
 * GRUCell use Keras's weight layout (kernel `[features, gates·units]`, recurrent_kernel
 * `[units, gates·units]`, bias `[gates·units]`; LSTM gates i, f, c, o; GRU gates z, r, h with the
 * reset applied before the recurrent product), so weights move between deepts, TF.js and Keras.
 */
import * as tf from "../core.js";
import { Layer, type LayerArgs, type Shape, type CallArgs, type LayerVariable } from "../topology.js";
import { getActivation, type Activation } from "../activations.js";
import { getInitializer, Initializer, type InitializerIdentifier } from "../initializers.js";
import { getRegularizer, type Regularizer, type RegularizerIdentifier } from "../regularizers.js";
import { getConstraint, type Constraint, type ConstraintIdentifier } from "../constraints.js";
import { deserialize, registerClass, type ClassConfig, type ConfigDict } from "../registry.js";
import { withNameScope } from "../variables.js";
import { randomFrom } from "../random.js";
import type { ActivationIdentifier } from "./core.js";
import { lastDim, oneShape, positiveInt, serialize } from "./common.js";

/**
 * The base of recurrent cells. A cell declares `stateSize` (one number per state tensor, the first
 * being the output width) and computes one step in `call([input, ...states], kwargs)`.
 *
 * ```ts
 * class MinimalCell extends tf.layers.RNNCell {
 *   static className = "MinimalCell";
 *   stateSize = 4;
 *   kernel!: tf.LayerVariable;
 *   build(inputShape) { this.kernel = this.addWeight("kernel", [inputShape[inputShape.length - 1], 4], "float32", tf.initializers.glorotUniform({})); }
 *   call([x, h]) { const out = tf.tanh(tf.add(tf.matMul(x, this.kernel.read()), h)); return [out, out]; }
 * }
 * const rnn = tf.layers.rnn({ cell: new MinimalCell({}) });
 * ```
 */
export abstract class RNNCell extends Layer {
  /** Size of each state (a number for one state); the first is the output width. */
  abstract stateSize: number | number[];
  /** Drops per-call state such as dropout masks (the RNN layer calls this before each sequence). */
  resetDropoutMasks(): void {}
}

/** `stateSize` as a list. */
export function stateSizes(cell: RNNCell): number[] {
  return Array.isArray(cell.stateSize) ? cell.stateSize : [cell.stateSize];
}

export interface SimpleRNNCellArgs extends LayerArgs {
  /** Width of the state and output. */
  units: number;
  activation?: ActivationIdentifier;
  useBias?: boolean;
  kernelInitializer?: InitializerIdentifier;
  recurrentInitializer?: InitializerIdentifier;
  biasInitializer?: InitializerIdentifier;
  kernelRegularizer?: RegularizerIdentifier;
  recurrentRegularizer?: RegularizerIdentifier;
  biasRegularizer?: RegularizerIdentifier;
  kernelConstraint?: ConstraintIdentifier;
  recurrentConstraint?: ConstraintIdentifier;
  biasConstraint?: ConstraintIdentifier;
  /** Fraction of the inputs dropped in training (one mask per sequence). */
  dropout?: number;
  /** Fraction of the previous state dropped in training (one mask per sequence). */
  recurrentDropout?: number;
}

export interface LSTMCellArgs extends SimpleRNNCellArgs {
  /** Gate activation (default 'hardSigmoid', as TF.js). */
  recurrentActivation?: ActivationIdentifier;
  /** Start the forget-gate bias at 1 (default false, as TF.js). */
  unitForgetBias?: boolean;
  /** Kept for configs from Keras; both implementations compute the same. */
  implementation?: number;
}

export interface GRUCellArgs extends SimpleRNNCellArgs {
  /** Gate activation (default 'hardSigmoid', as TF.js). */
  recurrentActivation?: ActivationIdentifier;
  /** Only false (TF.js's and Keras 1's layout) is supported. */
  resetAfter?: boolean;
  implementation?: number;
}

/** Starts the forget-gate quarter of an LSTM bias at 1, the rest with `base`. */
class ForgetBiasInitializer extends Initializer {
  constructor(
    private readonly base: Initializer,
    private readonly units: number,
  ) {
    super();
  }
  apply(shape: number[]): tf.Tensor {
    return tf.tidy(() => {
      const b = this.base.apply(shape);
      const u = this.units;
      return tf.concat([tf.slice(b, [0], [u]), tf.ones([u]), tf.slice(b, [2 * u], [2 * u])], 0);
    });
  }
  getClassName(): string {
    return this.base.getClassName();
  }
  override getConfig(): ConfigDict {
    return this.base.getConfig() as ConfigDict;
  }
}

/** A [batch, size] keep-mask scaled by 1/(1−rate), or null outside training. */
function dropoutMask(batch: number, size: number, rate: number, training: boolean | undefined): tf.Tensor | null {
  if (!training || !(rate > 0 && rate < 1)) return null;
  const rng = randomFrom(undefined);
  const values = new Float32Array(batch * size);
  const scale = 1 / (1 - rate);
  for (let i = 0; i < values.length; i++) values[i] = rng.uniform() >= rate ? scale : 0;
  return tf.tensor(values, [batch, size], "float32");
}

/**
 * The built-in cells: weights `kernel`, `recurrent_kernel`, `bias` with `gates` blocks. Their step
 * is split so that the RNN layer can project all time steps' inputs in one product
 * (`projectInputs`) and then run only the recurrent part per step (`stepProjected`).
 */
export abstract class GatedCell extends RNNCell {
  readonly units: number;
  readonly activation: Activation;
  readonly useBias: boolean;
  readonly kernelInitializer: Initializer;
  readonly recurrentInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly kernelRegularizer: Regularizer | null;
  readonly recurrentRegularizer: Regularizer | null;
  readonly biasRegularizer: Regularizer | null;
  readonly kernelConstraint: Constraint | null;
  readonly recurrentConstraint: Constraint | null;
  readonly biasConstraint: Constraint | null;
  readonly dropout: number;
  readonly recurrentDropout: number;
  kernel?: LayerVariable;
  recurrentKernel?: LayerVariable;
  bias?: LayerVariable;
  /** Masks of the current sequence (made on its first step, cleared by `resetDropoutMasks`). */
  private inputMask: tf.Tensor | null | undefined;
  private stateMask: tf.Tensor | null | undefined;

  /** Gate blocks per weight (1, 4 or 3). */
  protected abstract readonly gates: number;

  constructor(args: SimpleRNNCellArgs) {
    super(args);
    const what = this.getClassName();
    this.units = positiveInt(`${what}: units`, args?.units);
    this.activation = getActivation(args.activation === undefined ? "tanh" : args.activation);
    this.useBias = args.useBias ?? true;
    this.kernelInitializer = getInitializer(args.kernelInitializer, "glorotNormal");
    this.recurrentInitializer = getInitializer(args.recurrentInitializer, "orthogonal");
    this.biasInitializer = getInitializer(args.biasInitializer, "zeros");
    this.kernelRegularizer = getRegularizer(args.kernelRegularizer);
    this.recurrentRegularizer = getRegularizer(args.recurrentRegularizer);
    this.biasRegularizer = getRegularizer(args.biasRegularizer);
    this.kernelConstraint = getConstraint(args.kernelConstraint);
    this.recurrentConstraint = getConstraint(args.recurrentConstraint);
    this.biasConstraint = getConstraint(args.biasConstraint);
    this.dropout = Math.min(1, Math.max(0, args.dropout ?? 0));
    this.recurrentDropout = Math.min(1, Math.max(0, args.recurrentDropout ?? 0));
  }

  protected biasInit(): Initializer {
    return this.biasInitializer;
  }

  override build(inputShape: Shape | Shape[]): void {
    const features = lastDim(this.name, oneShape(inputShape));
    const width = this.gates * this.units;
    this.addCellWeights([features, width], [this.units, width], width);
  }

  /** The cell's kernel, recurrent kernel and (with `useBias`) bias, with their options; marks it built. */
  protected addCellWeights(kernelShape: number[], recurrentShape: number[], biasWidth: number): void {
    this.kernel = this.addWeight(
      "kernel",
      kernelShape,
      "float32",
      this.kernelInitializer,
      this.kernelRegularizer,
      true,
      this.kernelConstraint,
    );
    this.recurrentKernel = this.addWeight(
      "recurrent_kernel",
      recurrentShape,
      "float32",
      this.recurrentInitializer,
      this.recurrentRegularizer,
      true,
      this.recurrentConstraint,
    );
    if (this.useBias)
      this.bias = this.addWeight(
        "bias",
        [biasWidth],
        "float32",
        this.biasInit(),
        this.biasRegularizer,
        true,
        this.biasConstraint,
      );
    this.built = true;
  }

  override resetDropoutMasks(): void {
    tf.dispose([this.inputMask, this.stateMask].filter((m): m is tf.Tensor => m != null));
    this.inputMask = undefined;
    this.stateMask = undefined;
  }

  /** This sequence's input dropout mask `[batch, features]` (null when inactive). */
  inputDropoutMask(batch: number, features: number, training: boolean | undefined): tf.Tensor | null {
    if (this.inputMask === undefined) {
      const m = dropoutMask(batch, features, this.dropout, training);
      this.inputMask = m ? tf.keep(m) : null;
    }
    return this.inputMask;
  }

  /** This sequence's recurrent dropout mask `[batch, units]` (null when inactive). */
  stateDropoutMask(batch: number, training: boolean | undefined): tf.Tensor | null {
    if (this.stateMask === undefined) {
      const m = dropoutMask(batch, this.units, this.recurrentDropout, training);
      this.stateMask = m ? tf.keep(m) : null;
    }
    return this.stateMask;
  }

  /** `x·kernel + bias` for rows of inputs `[n, features]` → `[n, gates·units]`. */
  projectInputs(x: tf.Tensor): tf.Tensor {
    const xw = tf.matMul(x, this.kernel!.read());
    return this.bias ? tf.add(xw, this.bias.read()) : xw;
  }

  /** One step from the projected input `xw` `[batch, gates·units]`: the new states (output first). */
  abstract stepProjected(xw: tf.Tensor, states: tf.Tensor[], stateMask: tf.Tensor | null): tf.Tensor[];

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: CallArgs = {}): tf.Tensor[] {
    if (!Array.isArray(inputs) || inputs.length !== 1 + (Array.isArray(this.stateSize) ? this.stateSize.length : 1))
      throw new Error(`${this.name}: a cell is called with [input, ...states]`);
    const [x, ...states] = inputs;
    return tf.tidy(() => {
      const inMask = this.inputDropoutMask(x.shape[0], x.shape[1], kwargs.training);
      const stateMask = this.stateDropoutMask(x.shape[0], kwargs.training);
      const next = this.stepProjected(this.projectInputs(inMask ? tf.mul(x, inMask) : x), states, stateMask);
      return [next[0], ...next];
    });
  }

  override getConfig(): ConfigDict {
    return {
      ...super.getConfig(),
      units: this.units,
      activation: this.activation.name,
      useBias: this.useBias,
      kernelInitializer: serialize(this.kernelInitializer),
      recurrentInitializer: serialize(this.recurrentInitializer),
      biasInitializer: serialize(this.biasInitializer),
      kernelRegularizer: serialize(this.kernelRegularizer),
      recurrentRegularizer: serialize(this.recurrentRegularizer),
      biasRegularizer: serialize(this.biasRegularizer),
      activityRegularizer: serialize(this.activityRegularizer),
      kernelConstraint: serialize(this.kernelConstraint),
      recurrentConstraint: serialize(this.recurrentConstraint),
      biasConstraint: serialize(this.biasConstraint),
      dropout: this.dropout,
      recurrentDropout: this.recurrentDropout,
    };
  }
}

/** `h = activation(x·W + h·U + b)`. */
export class SimpleRNNCell extends GatedCell {
  static className = "SimpleRNNCell";
  protected readonly gates = 1;
  stateSize: number;
  constructor(args: SimpleRNNCellArgs) {
    super(args);
    this.stateSize = this.units;
  }
  stepProjected(xw: tf.Tensor, [h]: tf.Tensor[], stateMask: tf.Tensor | null): tf.Tensor[] {
    const prev = stateMask ? tf.mul(h, stateMask) : h;
    return [this.activation.apply(tf.add(xw, tf.matMul(prev, this.recurrentKernel!.read())))];
  }
}
registerClass(SimpleRNNCell);

/** Long short-term memory: gates i, f, o and cell candidate c; states `[h, c]`. */
export class LSTMCell extends GatedCell {
  static className = "LSTMCell";
  protected readonly gates = 4;
  stateSize: number[];
  readonly recurrentActivation: Activation;
  readonly unitForgetBias: boolean;
  readonly implementation: number | null;
  constructor(args: LSTMCellArgs) {
    super(args);
    this.recurrentActivation = getActivation(
      args.recurrentActivation === undefined ? "hardSigmoid" : args.recurrentActivation,
    );
    this.unitForgetBias = args.unitForgetBias ?? false;
    this.implementation = args.implementation ?? null;
    this.stateSize = [this.units, this.units];
  }
  protected override biasInit(): Initializer {
    return this.unitForgetBias ? new ForgetBiasInitializer(this.biasInitializer, this.units) : this.biasInitializer;
  }
  stepProjected(xw: tf.Tensor, [h, c]: tf.Tensor[], stateMask: tf.Tensor | null): tf.Tensor[] {
    const prev = stateMask ? tf.mul(h, stateMask) : h;
    const [zi, zf, zc, zo] = tf.split(tf.add(xw, tf.matMul(prev, this.recurrentKernel!.read())), 4, 1);
    const i = this.recurrentActivation.apply(zi);
    const f = this.recurrentActivation.apply(zf);
    const o = this.recurrentActivation.apply(zo);
    const cNext = tf.add(tf.mul(f, c), tf.mul(i, this.activation.apply(zc)));
    return [tf.mul(o, this.activation.apply(cNext)), cNext];
  }
  override getConfig(): ConfigDict {
    return {
      ...super.getConfig(),
      recurrentActivation: this.recurrentActivation.name,
      unitForgetBias: this.unitForgetBias,
      implementation: this.implementation,
    };
  }
}
registerClass(LSTMCell);

/** Gated recurrent unit (reset gate applied before the recurrent product, Keras's `resetAfter: false`). */
export class GRUCell extends GatedCell {
  static className = "GRUCell";
  protected readonly gates = 3;
  stateSize: number;
  readonly recurrentActivation: Activation;
  readonly implementation: number | null;
  constructor(args: GRUCellArgs) {
    super(args);
    if (args.resetAfter) throw new Error("GRU: resetAfter=true is not supported (TF.js's layout is resetAfter: false)");
    this.recurrentActivation = getActivation(
      args.recurrentActivation === undefined ? "hardSigmoid" : args.recurrentActivation,
    );
    this.implementation = args.implementation ?? null;
    this.stateSize = this.units;
  }
  stepProjected(xw: tf.Tensor, [h]: tf.Tensor[], stateMask: tf.Tensor | null): tf.Tensor[] {
    const n = this.units;
    const prev = stateMask ? tf.mul(h, stateMask) : h;
    const [xz, xr, xh] = tf.split(xw, 3, 1);
    const [uzr, uh] = tf.split(this.recurrentKernel!.read(), [2 * n, n], 1);
    const [hz, hr] = tf.split(tf.matMul(prev, uzr), 2, 1);
    const z = this.recurrentActivation.apply(tf.add(xz, hz));
    const r = this.recurrentActivation.apply(tf.add(xr, hr));
    const candidate = this.activation.apply(tf.add(xh, tf.matMul(tf.mul(r, prev), uh)));
    return [tf.add(tf.mul(z, h), tf.mul(tf.sub(1, z), candidate))];
  }
  override getConfig(): ConfigDict {
    return {
      ...super.getConfig(),
      recurrentActivation: this.recurrentActivation.name,
      resetAfter: false,
      implementation: this.implementation,
    };
  }
}
registerClass(GRUCell);

/**
 * Cells applied one after another within each time step (a deep RNN in one layer). States are
 * listed last cell first, as TF.js does.
 */
export class StackedRNNCells extends RNNCell {
  static className = "StackedRNNCells";
  readonly cells: RNNCell[];
  constructor(args: LayerArgs & { cells: RNNCell[] }) {
    super(args);
    if (!Array.isArray(args?.cells) || args.cells.length === 0)
      throw new Error("stackedRNNCells needs { cells: [cell, …] }");
    this.cells = args.cells;
  }
  get stateSize(): number[] {
    return this.cells
      .slice()
      .reverse()
      .flatMap((c) => stateSizes(c));
  }
  protected override trackedLayers(): Layer[] {
    return this.cells;
  }
  override resetDropoutMasks(): void {
    for (const c of this.cells) c.resetDropoutMasks();
  }
  override build(inputShape: Shape | Shape[]): void {
    let shape = oneShape(inputShape);
    this.cells.forEach((cell, i) => {
      withNameScope(`RNNCell_${i}`, () => {
        if (!cell.built) cell.build(shape);
        cell.built = true;
      });
      shape = [shape[0], stateSizes(cell)[0]];
    });
    this.built = true;
  }
  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: CallArgs = {}): tf.Tensor[] {
    if (!Array.isArray(inputs)) throw new Error(`${this.name}: a cell is called with [input, ...states]`);
    const [x, ...states] = inputs;
    // Split the flat state list (last cell first) per cell, in cell order.
    const perCell: tf.Tensor[][] = [];
    let offset = 0;
    for (const cell of this.cells.slice().reverse()) {
      const n = stateSizes(cell).length;
      perCell.unshift(states.slice(offset, offset + n));
      offset += n;
    }
    let out = x;
    const next: tf.Tensor[][] = [];
    this.cells.forEach((cell, i) => {
      const result = cell.call([out, ...perCell[i]], kwargs) as tf.Tensor[];
      out = result[0];
      next.push(result.slice(1));
    });
    return [out, ...next.reverse().flat()];
  }
  override getConfig(): ConfigDict {
    return {
      ...super.getConfig(),
      cells: this.cells.map((c) => ({ className: c.getClassName(), config: c.getConfig() })),
    };
  }
  static override fromConfig<T>(cls: new (config: Record<string, unknown>) => T, config: Record<string, unknown>): T {
    const cells = ((config.cells as ClassConfig[]) ?? []).map((c) => deserialize<RNNCell>(c));
    return new cls({ ...config, cells });
  }
}
registerClass(StackedRNNCells);
