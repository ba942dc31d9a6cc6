/**
 * ConvLSTM2D: an LSTM whose products are 2-D convolutions, over sequences of images
 * `[batch, steps, h, w, channels]`; states are feature maps `[batch, h', w', filters]`.
 */
import * as tf from "../core.js";
import { InputSpec, type Shape, type CallArgs } from "../topology.js";
import { registerClass, type ConfigDict } from "../registry.js";
import { randomFrom } from "../random.js";
import { convLength, dataFormat, oneShape, padding, positiveInt, tuple, type DataFormat } from "./common.js";
import { RNN, type BaseRNNArgs } from "./recurrent.js";
import { LSTMCell, type LSTMCellArgs } from "./rnn-cells.js";

export interface ConvLSTM2DCellArgs extends Omit<LSTMCellArgs, "units"> {
  /** Number of feature maps of the state and output. */
  filters: number;
  kernelSize: number | number[];
  strides?: number | number[];
  padding?: "valid" | "same";
  dataFormat?: DataFormat;
  dilationRate?: number | number[];
}

/**
 * One step of a ConvLSTM: an LSTM cell (as TF.js, its options and config) whose input and recurrent
 * products are convolutions (gates i, f, c, o); kernels `[kh, kw, channels, 4·filters]`.
 */
export class ConvLSTM2DCell extends LSTMCell {
  static override className = "ConvLSTM2DCell";
  readonly filters: number;
  readonly kernelSize: number[];
  readonly strides: number[];
  readonly padding: "valid" | "same";
  readonly dataFormat: DataFormat;
  readonly dilationRate: number[];
  /** Per-gate dropout masks of the current sequence (undefined until its first step). */
  private gateInputMasks: tf.Tensor[] | null | undefined;
  private gateStateMasks: tf.Tensor[] | null | undefined;

  constructor(args: ConvLSTM2DCellArgs) {
    super({ ...args, units: positiveInt("convLstm2d: filters", args?.filters) });
    this.filters = args.filters;
    this.kernelSize = tuple("convLstm2d: kernelSize", args.kernelSize, 2, []);
    if (this.kernelSize.length !== 2) throw new Error("convLstm2d: kernelSize is required");
    this.strides = tuple("convLstm2d: strides", args.strides, 2, [1, 1]);
    this.dilationRate = tuple("convLstm2d: dilationRate", args.dilationRate, 2, [1, 1]);
    this.padding = padding("convLstm2d", args.padding) as "valid" | "same";
    this.dataFormat = dataFormat("convLstm2d", args.dataFormat);
    if (this.dataFormat !== "channelsLast") throw new Error("convLstm2d: only dataFormat 'channelsLast' is supported");
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
    this.addCellWeights([...this.kernelSize, c, 4 * f], [...this.kernelSize, f, 4 * f], 4 * f);
  }

  override resetDropoutMasks(): void {
    for (const masks of [this.gateInputMasks, this.gateStateMasks]) if (masks) tf.dispose(masks);
    this.gateInputMasks = undefined;
    this.gateStateMasks = undefined;
  }

  /** Four keep-masks shaped like `like` (one per gate), or null outside training. */
  private gateMasks(like: tf.Tensor, rate: number, training: boolean | undefined): tf.Tensor[] | null {
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
    if (this.gateInputMasks === undefined) this.gateInputMasks = this.gateMasks(x, this.dropout, kwargs.training);
    if (this.gateStateMasks === undefined)
      this.gateStateMasks = this.gateMasks(h, this.recurrentDropout, kwargs.training);
    return tf.tidy(() => {
      const kernels = tf.split(this.kernel!.read(), 4, 3);
      const recurrent = tf.split(this.recurrentKernel!.read(), 4, 3);
      const biases = this.bias ? tf.split(this.bias.read(), 4, 0) : [];
      const gate = (g: number) => {
        const xg = this.gateInputMasks ? tf.mul(x, this.gateInputMasks[g]) : x;
        const hg = this.gateStateMasks ? tf.mul(h, this.gateStateMasks[g]) : h;
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
    const { units: _, ...config } = super.getConfig();
    return {
      ...config,
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
