/**
 * ConvLSTM2D: an LSTM whose products are 2-D convolutions, over sequences of images
 * `[batch, steps, h, w, channels]`; states are feature maps `[batch, h', w', filters]`.
 */
import * as tf from "../core.js";
import { InputSpec, type Shape, type CallArgs, type LayerVariable } from "../topology.js";
import { getActivation, type Activation } from "../activations.js";
import { getInitializer, type Initializer } from "../initializers.js";
import { getRegularizer, type Regularizer } from "../regularizers.js";
import { getConstraint, type Constraint } from "../constraints.js";
import { registerClass, type ConfigDict } from "../registry.js";
import { randomFrom } from "../random.js";
import { convLength, dataFormat, oneShape, padding, positiveInt, serialize, tuple, type DataFormat } from "./common.js";
import { RNN, type BaseRNNArgs } from "./recurrent.js";
import { RNNCell, type LSTMCellArgs } from "./rnn-cells.js";

export interface ConvLSTM2DCellArgs extends Omit<LSTMCellArgs, "units"> {
  /** Number of feature maps of the state and output. */
  filters: number;
  kernelSize: number | number[];
  strides?: number | number[];
  padding?: "valid" | "same";
  dataFormat?: DataFormat;
  dilationRate?: number | number[];
}

/** One step of a ConvLSTM: input and recurrent products are convolutions (gates i, f, c, o). */
export class ConvLSTM2DCell extends RNNCell {
  static className = "ConvLSTM2DCell";
  readonly filters: number;
  readonly kernelSize: number[];
  readonly strides: number[];
  readonly padding: "valid" | "same";
  readonly dataFormat: DataFormat;
  readonly dilationRate: number[];
  readonly activation: Activation;
  readonly recurrentActivation: Activation;
  readonly useBias: boolean;
  readonly unitForgetBias: boolean;
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
  /** Kept for configs from Keras; there is one implementation. */
  readonly implementation: number | null;
  stateSize: number[];
  kernel?: LayerVariable;
  recurrentKernel?: LayerVariable;
  bias?: LayerVariable;
  private inputMasks: tf.Tensor[] | null | undefined;
  private stateMasks: tf.Tensor[] | null | undefined;

  constructor(args: ConvLSTM2DCellArgs) {
    super(args);
    this.filters = positiveInt("convLstm2d: filters", args?.filters);
    this.kernelSize = tuple("convLstm2d: kernelSize", args.kernelSize, 2, []);
    if (this.kernelSize.length !== 2) throw new Error("convLstm2d: kernelSize is required");
    this.strides = tuple("convLstm2d: strides", args.strides, 2, [1, 1]);
    this.dilationRate = tuple("convLstm2d: dilationRate", args.dilationRate, 2, [1, 1]);
    this.padding = padding("convLstm2d", args.padding) as "valid" | "same";
    this.dataFormat = dataFormat("convLstm2d", args.dataFormat);
    if (this.dataFormat !== "channelsLast") throw new Error("convLstm2d: only dataFormat 'channelsLast' is supported");
    this.activation = getActivation(args.activation === undefined ? "tanh" : args.activation);
    this.recurrentActivation = getActivation(
      args.recurrentActivation === undefined ? "hardSigmoid" : args.recurrentActivation,
    );
    this.useBias = args.useBias ?? true;
    this.unitForgetBias = args.unitForgetBias ?? false;
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
    this.implementation = args.implementation ?? null;
    this.stateSize = [this.filters, this.filters];
  }

  /** The state's `[h', w']` for an image of `[h, w]`. */
  outputSize(h: number | null, w: number | null): [number | null, number | null] {
    return [
      convLength(h, this.kernelSize[0], this.padding, this.strides[0], this.dilationRate[0]),
      convLength(w, this.kernelSize[1], this.padding, this.strides[1], this.dilationRate[1]),
    ];
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = oneShape(inputShape);
    const c = shape[shape.length - 1];
    if (c === null) throw new Error(`${this.name}: the channel dimension of the input must be known`);
    const f = this.filters;
    this.kernel = this.addWeight(
      "kernel",
      [...this.kernelSize, c, 4 * f],
      "float32",
      this.kernelInitializer,
      this.kernelRegularizer,
      true,
      this.kernelConstraint,
    );
    this.recurrentKernel = this.addWeight(
      "recurrent_kernel",
      [...this.kernelSize, f, 4 * f],
      "float32",
      this.recurrentInitializer,
      this.recurrentRegularizer,
      true,
      this.recurrentConstraint,
    );
    if (this.useBias) {
      const bias = this.addWeight(
        "bias",
        [4 * f],
        "float32",
        this.biasInitializer,
        this.biasRegularizer,
        true,
        this.biasConstraint,
      );
      if (this.unitForgetBias)
        bias.write(
          tf.tidy(() =>
            tf.concat([tf.slice(bias.read(), [0], [f]), tf.ones([f]), tf.slice(bias.read(), [2 * f], [2 * f])], 0),
          ),
        );
      this.bias = bias;
    }
    this.built = true;
  }

  override resetDropoutMasks(): void {
    for (const masks of [this.inputMasks, this.stateMasks]) if (masks) tf.dispose(masks);
    this.inputMasks = undefined;
    this.stateMasks = undefined;
  }

  /** Four keep-masks shaped like `like` (one per gate), or null outside training. */
  private masks(like: tf.Tensor, rate: number, training: boolean | undefined): tf.Tensor[] | null {
    if (!training || !(rate > 0 && rate < 1)) return null;
    const rng = randomFrom(undefined);
    return [0, 1, 2, 3].map(() => {
      const values = new Float32Array(like.size);
      for (let i = 0; i < values.length; i++) values[i] = rng.uniform() >= rate ? 1 / (1 - rate) : 0;
      return tf.keep(tf.tensor(values, like.shape, "float32"));
    });
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: CallArgs = {}): tf.Tensor[] {
    if (!Array.isArray(inputs) || inputs.length !== 3) throw new Error(`${this.name} is called with [input, h, c]`);
    const [x, h, c] = inputs;
    if (this.inputMasks === undefined) this.inputMasks = this.masks(x, this.dropout, kwargs.training);
    if (this.stateMasks === undefined) this.stateMasks = this.masks(h, this.recurrentDropout, kwargs.training);
    return tf.tidy(() => {
      const kernels = tf.split(this.kernel!.read(), 4, 3);
      const recurrent = tf.split(this.recurrentKernel!.read(), 4, 3);
      const biases = this.bias ? tf.split(this.bias.read(), 4, 0) : [];
      const gate = (g: number) => {
        const xg = this.inputMasks ? tf.mul(x, this.inputMasks[g]) : x;
        const hg = this.stateMasks ? tf.mul(h, this.stateMasks[g]) : h;
        let z = tf.conv2d(
          xg,
          kernels[g],
          this.strides as [number, number],
          this.padding,
          "NHWC",
          this.dilationRate as [number, number],
        );
        if (biases[g]) z = tf.add(z, biases[g]);
        return tf.add(z, tf.conv2d(hg, recurrent[g], 1, "same"));
      };
      const i = this.recurrentActivation.apply(gate(0));
      const f = this.recurrentActivation.apply(gate(1));
      const cNext = tf.add(tf.mul(f, c), tf.mul(i, this.activation.apply(gate(2))));
      const hNext = tf.mul(this.recurrentActivation.apply(gate(3)), this.activation.apply(cNext));
      return [hNext, hNext, cNext];
    });
  }

  override getConfig(): ConfigDict {
    return {
      ...super.getConfig(),
      activation: this.activation.name,
      recurrentActivation: this.recurrentActivation.name,
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
      unitForgetBias: this.unitForgetBias,
      implementation: this.implementation,
      filters: this.filters,
      kernelSize: this.kernelSize,
      padding: this.padding,
      dataFormat: this.dataFormat,
      dilationRate: this.dilationRate,
      strides: this.strides,
    };
  }
}
registerClass(ConvLSTM2DCell);

export type ConvLSTM2DArgs = BaseRNNArgs & ConvLSTM2DCellArgs;

/**
 * A convolutional LSTM over image sequences `[batch, steps, h, w, channels]`.
 *
 * ```ts
 * tf.layers.convLstm2d({ filters: 8, kernelSize: 3, padding: "same", inputShape: [10, 16, 16, 1] }); // → [batch, 16, 16, 8]
 * ```
 */
export class ConvLSTM2D extends RNN {
  static override className = "ConvLSTM2D";
  protected override readonly inputRank = 5;
  constructor(args: ConvLSTM2DArgs) {
    if (args?.unroll) throw new Error("convLstm2d: unroll is not supported");
    const {
      name: _n,
      inputShape: _i,
      batchInputShape: _b,
      batchSize: _s,
      weights: _w,
      ...cellArgs
    } = args ?? ({} as ConvLSTM2DArgs);
    super({ ...args, cell: new ConvLSTM2DCell(cellArgs) });
    this.inputSpec = [new InputSpec({ ndim: 5 })];
  }
  private get convCell(): ConvLSTM2DCell {
    return this.cell as ConvLSTM2DCell;
  }
  protected override stateShape(inputShape: Shape): Shape {
    const [oh, ow] = this.convCell.outputSize(inputShape[2], inputShape[3]);
    return [inputShape[0], oh, ow, this.convCell.filters];
  }
  override getConfig(): ConfigDict {
    const { cell: _, ...config } = super.getConfig();
    return config;
  }
}
registerClass(ConvLSTM2D);
