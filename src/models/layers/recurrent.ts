/**
 * Recurrent layers: SimpleRNN, LSTM, GRU over `[batch, steps, features]`, with Keras's weight
 * layout (kernel `[features, gates·units]`, recurrent_kernel `[units, gates·units]`, bias
 * `[gates·units]`; LSTM gates i, f, c, o; GRU gates z, r, h with reset applied before the
 * recurrent product) so weights move between deepts, TF.js and Keras.
 */
import * as tf from "../core.js";
import { Layer, type LayerArgs, type Shape, type CallArgs, type LayerVariable } from "../topology.js";
import { getActivation, type Activation } from "../activations.js";
import { getInitializer, Initializer, type InitializerIdentifier } from "../initializers.js";
import { getRegularizer, type Regularizer, type RegularizerIdentifier } from "../regularizers.js";
import { registerLayerClass } from "../registry.js";
import { serialize, type ActivationIdentifier } from "./core.js";
import { positiveInt, lastDim, expectRank } from "./common.js";
import { rnnForward } from "../../runtime/ops/rnn.js";

export interface RNNArgs extends LayerArgs {
  units: number;
  activation?: ActivationIdentifier;
  /** Gate activation of LSTM/GRU (default 'hardSigmoid', as TF.js). */
  recurrentActivation?: ActivationIdentifier;
  useBias?: boolean;
  kernelInitializer?: InitializerIdentifier;
  recurrentInitializer?: InitializerIdentifier;
  biasInitializer?: InitializerIdentifier;
  kernelRegularizer?: RegularizerIdentifier;
  recurrentRegularizer?: RegularizerIdentifier;
  biasRegularizer?: RegularizerIdentifier;
  activityRegularizer?: RegularizerIdentifier;
  /** Output the whole sequence `[batch, steps, units]` instead of the last step. */
  returnSequences?: boolean;
  /** Also output the final state(s): `[output, h]` (LSTM: `[output, h, c]`). */
  returnState?: boolean;
  goBackwards?: boolean;
  /** LSTM only: start the forget-gate bias at 1 (default true). */
  unitForgetBias?: boolean;
  dropout?: number;
  recurrentDropout?: number;
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
  override getConfig(): Record<string, unknown> {
    return this.base.getConfig();
  }
}

abstract class RNN extends Layer {
  readonly units: number;
  readonly activation: Activation;
  readonly recurrentActivation: Activation;
  readonly useBias: boolean;
  readonly returnSequences: boolean;
  readonly returnState: boolean;
  readonly goBackwards: boolean;
  readonly kernelInitializer: Initializer;
  readonly recurrentInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly kernelRegularizer: Regularizer | null;
  readonly recurrentRegularizer: Regularizer | null;
  readonly biasRegularizer: Regularizer | null;
  kernel?: LayerVariable;
  recurrentKernel?: LayerVariable;
  bias?: LayerVariable;

  /** Gate blocks per weight (1, 4 or 3) and number of state tensors (1, or 2 for LSTM). */
  protected abstract readonly gates: number;
  protected abstract readonly stateCount: number;

  constructor(args: RNNArgs) {
    super(args);
    const what = this.getClassName();
    this.units = positiveInt(`${what}: units`, args?.units);
    this.activation = getActivation(args.activation ?? "tanh");
    this.recurrentActivation = getActivation(args.recurrentActivation ?? "hardSigmoid");
    this.useBias = args.useBias ?? true;
    this.returnSequences = args.returnSequences ?? false;
    this.returnState = args.returnState ?? false;
    this.goBackwards = args.goBackwards ?? false;
    this.kernelInitializer = getInitializer(args.kernelInitializer, "glorotUniform");
    this.recurrentInitializer = getInitializer(args.recurrentInitializer, "orthogonal");
    this.biasInitializer = getInitializer(args.biasInitializer, "zeros");
    this.kernelRegularizer = getRegularizer(args.kernelRegularizer);
    this.recurrentRegularizer = getRegularizer(args.recurrentRegularizer);
    this.biasRegularizer = getRegularizer(args.biasRegularizer);
    this.activityRegularizer = getRegularizer(args.activityRegularizer);
    if ((args.dropout ?? 0) !== 0 || (args.recurrentDropout ?? 0) !== 0) {
      throw new Error(
        `${what}: dropout/recurrentDropout inside the recurrence is not supported; add a tf.layers.dropout after the layer`,
      );
    }
  }

  protected biasInit(): Initializer {
    return this.biasInitializer;
  }

  override build(inputShape: Shape): void {
    expectRank(this.name, inputShape, 3, "sequences [batch, steps, features]");
    const features = lastDim(this.name, inputShape);
    const width = this.gates * this.units;
    this.kernel = this.addWeight("kernel", [features, width], this.kernelInitializer, {
      regularizer: this.kernelRegularizer,
    });
    this.recurrentKernel = this.addWeight("recurrent_kernel", [this.units, width], this.recurrentInitializer, {
      regularizer: this.recurrentRegularizer,
    });
    if (this.useBias)
      this.bias = this.addWeight("bias", [width], this.biasInit(), { regularizer: this.biasRegularizer });
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape): Shape | Shape[] {
    const [batch, steps] = inputShape;
    const out: Shape = this.returnSequences ? [batch, steps, this.units] : [batch, this.units];
    if (!this.returnState) return out;
    return [out, ...new Array(this.stateCount).fill(0).map((): Shape => [batch, this.units])];
  }

  /** One time step: the projected input `xw` `[batch, gates·units]` and the previous states → new states (h first). */
  protected abstract step(xw: tf.Tensor, states: tf.Tensor[], recurrent: tf.Tensor): tf.Tensor[];

  /**
   * The whole recurrence as one differentiable op, when the layer has one (`xw`: the projected
   * inputs time-major `[steps·batch, gates·units]`); undefined to run `step` op by op.
   */
  protected fusedSequence(_xw: tf.Tensor, _steps: number, _states: tf.Tensor[]): tf.Tensor | undefined {
    return undefined;
  }

  call(inputs: tf.Tensor | tf.Tensor[], kwargs: CallArgs): tf.Tensor | tf.Tensor[] {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    if (x.shape.length !== 3)
      throw new Error(`${this.name}: expected sequences [batch, steps, features], got shape [${x.shape}]`);
    const [batch, steps, features] = x.shape;
    return tf.tidy(() => {
      // Time-major rows [steps·batch, features]: each step's projected input is then a contiguous
      // block of rows, split off without a reshape per step.
      const rows = tf.reshape(tf.transpose(x, [1, 0, 2]), [steps * batch, features]);
      let xw = tf.matMul(rows, this.kernel!.read());
      if (this.bias) xw = tf.add(xw, this.bias.read());
      let states = kwargs.initialState ?? new Array(this.stateCount).fill(0).map(() => tf.zeros([batch, this.units]));
      if (states.length !== this.stateCount)
        throw new Error(`${this.name}: initialState needs ${this.stateCount} tensor(s)`);
      const fused = this.fusedSequence(xw, steps, states);
      if (fused) return fused;
      const perStep = steps === 1 ? [xw] : tf.split(xw, steps, 0);
      if (this.goBackwards) perStep.reverse();
      const outputs: tf.Tensor[] = [];
      for (const xt of perStep) {
        states = this.step(xt, states, this.recurrentKernel!.read());
        if (this.returnSequences) outputs.push(states[0]);
      }
      const output = this.returnSequences ? tf.stack(outputs, 1) : states[0];
      return this.returnState ? [output, ...states] : output;
    });
  }

  override getConfig(): Record<string, unknown> {
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
      dropout: 0,
      recurrentDropout: 0,
      returnSequences: this.returnSequences,
      returnState: this.returnState,
      goBackwards: this.goBackwards,
      stateful: false,
      unroll: false,
    };
  }
}

/** `h = activation(x·W + h·U + b)`. */
export class SimpleRNN extends RNN {
  protected readonly gates = 1;
  protected readonly stateCount = 1;
  getClassName(): string {
    return "SimpleRNN";
  }
  protected step(xw: tf.Tensor, [h]: tf.Tensor[], u: tf.Tensor): tf.Tensor[] {
    return [this.activation.apply(tf.add(xw, tf.matMul(h, u)))];
  }

  /**
   * With a relu/sigmoid/tanh activation and no returned state, the recurrence is one RnnForward
   * kernel (all states at once) whose gradient is one RnnBackward kernel walking back through time
   * plus one product each for the first state's and the recurrent kernel's gradients.
   */
  protected override fusedSequence(xw: tf.Tensor, steps: number, [h0]: tf.Tensor[]): tf.Tensor | undefined {
    const activation = FUSABLE.find((name) => getActivation(name).apply === this.activation.apply);
    if (!activation || this.returnState || xw.dtype !== "float32") return undefined;
    const batch = h0.shape[0];
    let blocks = tf.reshape(xw, [steps, batch, this.units]);
    // Step t reads block T − 1 − t when going backwards.
    if (this.goBackwards && steps > 1) blocks = tf.reverse(blocks, 0);
    const hs = rnnForward(blocks, h0, this.recurrentKernel!.read(), activation);
    if (this.returnSequences) return tf.transpose(hs, [1, 0, 2]);
    return tf.reshape(tf.slice(hs, [steps - 1, 0, 0], [1, batch, this.units]), [batch, this.units]);
  }
}

/** Activations whose gradient the ActivationGrad kernel computes from the output. */
const FUSABLE = ["tanh", "relu", "sigmoid"] as const;

/** Long short-term memory: gates i, f, o and cell candidate c; states `[h, c]`. */
export class LSTM extends RNN {
  protected readonly gates = 4;
  protected readonly stateCount = 2;
  readonly unitForgetBias: boolean;
  constructor(args: RNNArgs) {
    super(args);
    this.unitForgetBias = args.unitForgetBias ?? true;
  }
  getClassName(): string {
    return "LSTM";
  }
  protected override biasInit(): Initializer {
    return this.unitForgetBias ? new ForgetBiasInitializer(this.biasInitializer, this.units) : this.biasInitializer;
  }
  protected step(xw: tf.Tensor, [h, c]: tf.Tensor[], u: tf.Tensor): tf.Tensor[] {
    const [zi, zf, zc, zo] = tf.split(tf.add(xw, tf.matMul(h, u)), 4, 1);
    const i = this.recurrentActivation.apply(zi);
    const f = this.recurrentActivation.apply(zf);
    const o = this.recurrentActivation.apply(zo);
    const cNext = tf.add(tf.mul(f, c), tf.mul(i, this.activation.apply(zc)));
    return [tf.mul(o, this.activation.apply(cNext)), cNext];
  }
  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      recurrentActivation: this.recurrentActivation.name,
      unitForgetBias: this.unitForgetBias,
      implementation: 1,
    };
  }
}

/** Gated recurrent unit (reset gate applied before the recurrent product, Keras's `reset_after: false`). */
export class GRU extends RNN {
  protected readonly gates = 3;
  protected readonly stateCount = 1;
  constructor(args: RNNArgs & { resetAfter?: boolean }) {
    super(args);
    if (args.resetAfter) throw new Error("GRU: resetAfter=true is not supported (TF.js's default is false)");
  }
  getClassName(): string {
    return "GRU";
  }
  protected step(xw: tf.Tensor, [h]: tf.Tensor[], u: tf.Tensor): tf.Tensor[] {
    const n = this.units;
    const [xz, xr, xh] = tf.split(xw, 3, 1);
    const [uzr, uh] = tf.split(u, [2 * n, n], 1);
    const [hz, hr] = tf.split(tf.matMul(h, uzr), 2, 1);
    const z = this.recurrentActivation.apply(tf.add(xz, hz));
    const r = this.recurrentActivation.apply(tf.add(xr, hr));
    const candidate = this.activation.apply(tf.add(xh, tf.matMul(tf.mul(r, h), uh)));
    return [tf.add(tf.mul(z, h), tf.mul(tf.sub(1, z), candidate))];
  }
  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      recurrentActivation: this.recurrentActivation.name,
      resetAfter: false,
      implementation: 1,
    };
  }
}

registerLayerClass("SimpleRNN", (c) => new SimpleRNN(c as unknown as RNNArgs));
registerLayerClass("LSTM", (c) => new LSTM(c as unknown as RNNArgs));
registerLayerClass("GRU", (c) => new GRU(c as unknown as RNNArgs));
