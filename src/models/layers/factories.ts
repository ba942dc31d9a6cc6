/**
 * `tf.layers`: one factory per TF.js layer (TF.js 4.22's names and aliases, plus Keras's
 * `subtract`), and the base classes `Layer`, `RNN`, `RNNCell` to extend.
 *
 * ```ts
 * const model = tf.sequential();
 * model.add(tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 32, kernelSize: 3, activation: "relu" }));
 * model.add(tf.layers.flatten());
 * model.add(tf.layers.dense({ units: 10, activation: "softmax" }));
 * ```
 */
import { InputLayer, type InputLayerArgs, type LayerArgs, input as makeInput } from "../topology.js";
import {
  ActivationLayer,
  Dense,
  Dropout,
  Flatten,
  Masking,
  Permute,
  RepeatVector,
  Reshape,
  SpatialDropout1D,
  type ActivationIdentifier,
  type DenseArgs,
  type DropoutArgs,
} from "./core.js";
import { Add, Average, Concatenate, Dot, Maximum, Minimum, Multiply, Subtract } from "./merge.js";
import { ELU, LeakyReLU, PReLU, ReLU, Softmax, ThresholdedReLU, type PReLUArgs } from "./activation-layers.js";
import {
  Conv1D,
  Conv2D,
  Conv2DTranspose,
  Conv3D,
  Conv3DTranspose,
  DepthwiseConv2D,
  SeparableConv2D,
  type ConvArgs,
  type DepthwiseConv2DArgs,
  type SeparableConvArgs,
} from "./conv.js";
import {
  AveragePooling1D,
  AveragePooling2D,
  AveragePooling3D,
  GlobalAveragePooling1D,
  GlobalAveragePooling2D,
  GlobalMaxPooling1D,
  GlobalMaxPooling2D,
  MaxPooling1D,
  MaxPooling2D,
  MaxPooling3D,
  type PoolArgs,
} from "./pooling.js";
import { Cropping2D, UpSampling2D, ZeroPadding2D } from "./reshaping.js";
import {
  BatchNormalization,
  LayerNormalization,
  type BatchNormalizationArgs,
  type LayerNormalizationArgs,
} from "./normalization.js";
import { AlphaDropout, GaussianDropout, GaussianNoise } from "./noise.js";
import { Embedding, type EmbeddingArgs } from "./embedding.js";
import {
  GRUCell,
  LSTMCell,
  SimpleRNNCell,
  StackedRNNCells,
  type GRUCellArgs,
  type LSTMCellArgs,
  type RNNCell,
  type SimpleRNNCellArgs,
} from "./rnn-cells.js";
import {
  GRU,
  LSTM,
  RNN,
  SimpleRNN,
  type GRUArgs,
  type LSTMArgs,
  type RNNArgs,
  type SimpleRNNArgs,
} from "./recurrent.js";
import { ConvLSTM2D, ConvLSTM2DCell, type ConvLSTM2DArgs, type ConvLSTM2DCellArgs } from "./conv-lstm.js";
import { Bidirectional, TimeDistributed, type BidirectionalArgs, type WrapperArgs } from "./wrappers.js";
import { CategoryEncoding, CenterCrop, RandomWidth, Rescaling, Resizing } from "./preprocessing.js";
import type { DataFormat } from "./common.js";

export { Layer } from "../topology.js";
export { RNN } from "./recurrent.js";
export { RNNCell } from "./rnn-cells.js";

// ---------------------------------------------------------------- inputs

/** A symbolic input for the functional API (same as `tf.input`). Example: `tf.layers.input({ shape: [784] })`. */
export const input = makeInput;

/** An explicit input layer (first layer of a sequential model). Example: `tf.layers.inputLayer({ inputShape: [4] })`. */
export function inputLayer(args: InputLayerArgs): InputLayer {
  return new InputLayer(args);
}

// ---------------------------------------------------------------- core

/**
 * A fully connected layer: `activation(x·kernel + bias)`.
 *
 * ```ts
 * tf.layers.dense({ units: 10, activation: "softmax", inputShape: [784] });
 * ```
 */
export function dense(args: DenseArgs): Dense {
  return new Dense(args);
}

/** Applies an activation function ('relu', 'softmax', 'tanh' …). Example: `tf.layers.activation({ activation: "relu" })`. */
export function activation(args: LayerArgs & { activation: ActivationIdentifier }): ActivationLayer {
  return new ActivationLayer(args);
}

/** Flattens each example to one axis: `[batch, h, w, c]` → `[batch, h·w·c]`. */
export function flatten(args: LayerArgs & { dataFormat?: DataFormat } = {}): Flatten {
  return new Flatten(args);
}

/** Reshapes each example to `targetShape` (one entry may be -1). Example: `tf.layers.reshape({ targetShape: [28, 28, 1] })`. */
export function reshape(args: LayerArgs & { targetShape: (number | null)[] }): Reshape {
  return new Reshape(args);
}

/** Reorders the non-batch axes (1-based). Example: `tf.layers.permute({ dims: [2, 1] })` swaps steps and features. */
export function permute(args: LayerArgs & { dims: number[] }): Permute {
  return new Permute(args);
}

/** Repeats a vector `n` times: `[batch, f]` → `[batch, n, f]`. Example: `tf.layers.repeatVector({ n: 5 })`. */
export function repeatVector(args: LayerArgs & { n: number }): RepeatVector {
  return new RepeatVector(args);
}

/** Marks steps whose features all equal `maskValue` (default 0) so recurrent layers skip them. */
export function masking(args: LayerArgs & { maskValue?: number } = {}): Masking {
  return new Masking(args);
}

/** Drops a fraction `rate` of the inputs in training (scaling the rest). Example: `tf.layers.dropout({ rate: 0.5 })`. */
export function dropout(args: DropoutArgs): Dropout {
  return new Dropout(args);
}

/** Drops whole feature channels of `[batch, steps, channels]` sequences in training. */
export function spatialDropout1d(args: DropoutArgs): SpatialDropout1D {
  return new SpatialDropout1D(args);
}

/** Integer ids → learned vectors. Example: `tf.layers.embedding({ inputDim: 1000, outputDim: 16, maskZero: true })`. */
export function embedding(args: EmbeddingArgs): Embedding {
  return new Embedding(args);
}

// ---------------------------------------------------------------- merging

/** Elementwise sum of a list of inputs. Example: `tf.layers.add().apply([a, b])`. */
export function add(args: LayerArgs = {}): Add {
  return new Add(args);
}

/** The first input minus the second (Keras's Subtract). Example: `tf.layers.subtract().apply([a, b])`. */
export function subtract(args: LayerArgs = {}): Subtract {
  return new Subtract(args);
}

/** Elementwise product of a list of inputs. */
export function multiply(args: LayerArgs = {}): Multiply {
  return new Multiply(args);
}

/** Elementwise mean of a list of inputs. */
export function average(args: LayerArgs = {}): Average {
  return new Average(args);
}

/** Elementwise maximum of a list of inputs. */
export function maximum(args: LayerArgs = {}): Maximum {
  return new Maximum(args);
}

/** Elementwise minimum of a list of inputs. */
export function minimum(args: LayerArgs = {}): Minimum {
  return new Minimum(args);
}

/** Joins a list of inputs along `axis` (default -1). Example: `tf.layers.concatenate().apply([a, b])`. */
export function concatenate(args: LayerArgs & { axis?: number } = {}): Concatenate {
  return new Concatenate(args);
}

/** Per-example dot product of two inputs along `axes`; `normalize` for cosine similarity. Example: `tf.layers.dot({ axes: -1 })`. */
export function dot(args: LayerArgs & { axes: number | [number, number]; normalize?: boolean }): Dot {
  return new Dot(args);
}

// ---------------------------------------------------------------- activations

/** `max(x, 0)`, optionally capped. Example: `tf.layers.reLU({ maxValue: 6 })`. */
export function reLU(args: LayerArgs & { maxValue?: number } = {}): ReLU {
  return new ReLU(args);
}

/** `x` where positive, `alpha·x` elsewhere (alpha default 0.3). */
export function leakyReLU(args: LayerArgs & { alpha?: number } = {}): LeakyReLU {
  return new LeakyReLU(args);
}

/** ReLU with a learned negative slope per position (or shared along `sharedAxes`). */
export function prelu(args: PReLUArgs = {}): PReLU {
  return new PReLU(args);
}

/** Exponential linear unit: `alpha·(e^x − 1)` for negative inputs. */
export function elu(args: LayerArgs & { alpha?: number } = {}): ELU {
  return new ELU(args);
}

/** `x` where `x > theta` (default 1), else 0. */
export function thresholdedReLU(args: LayerArgs & { theta?: number } = {}): ThresholdedReLU {
  return new ThresholdedReLU(args);
}

/** Softmax along `axis` (TF.js default: 1). */
export function softmax(args: LayerArgs & { axis?: number | number[] } = {}): Softmax {
  return new Softmax(args);
}

// ---------------------------------------------------------------- convolution

/** 1-D convolution over sequences `[batch, steps, channels]`. Example: `tf.layers.conv1d({ filters: 16, kernelSize: 3 })`. */
export function conv1d(args: ConvArgs): Conv1D {
  return new Conv1D(args);
}

/** 2-D convolution over images `[batch, h, w, c]`. Example: `tf.layers.conv2d({ filters: 32, kernelSize: 3, activation: "relu" })`. */
export function conv2d(args: ConvArgs): Conv2D {
  return new Conv2D(args);
}

/** 3-D convolution over volumes `[batch, d, h, w, c]`. */
export function conv3d(args: ConvArgs): Conv3D {
  return new Conv3D(args);
}

/** Transposed 2-D convolution (learned upsampling). Example: `tf.layers.conv2dTranspose({ filters: 8, kernelSize: 3, strides: 2, padding: "same" })`. */
export function conv2dTranspose(args: ConvArgs): Conv2DTranspose {
  return new Conv2DTranspose(args);
}

/** Transposed 3-D convolution (learned volume upsampling). */
export function conv3dTranspose(args: ConvArgs): Conv3DTranspose {
  return new Conv3DTranspose(args);
}

/** Depthwise 2-D convolution: each channel filtered separately (`depthMultiplier` filters each). */
export function depthwiseConv2d(args: DepthwiseConv2DArgs): DepthwiseConv2D {
  return new DepthwiseConv2D(args);
}

/** Depthwise then pointwise (1×1) convolution. Example: `tf.layers.separableConv2d({ filters: 16, kernelSize: 3 })`. */
export function separableConv2d(args: SeparableConvArgs): SeparableConv2D {
  return new SeparableConv2D(args);
}

/** Removes border rows/columns: `n`, `[rows, cols]` or `[[top, bottom], [left, right]]`. */
export function cropping2D(
  args: LayerArgs & {
    cropping: number | [number, number] | [[number, number], [number, number]];
    dataFormat?: DataFormat;
  },
): Cropping2D {
  return new Cropping2D(args);
}

/** Pads images with zeros (default one row/column on each side). */
export function zeroPadding2d(
  args: LayerArgs & {
    padding?: number | [number, number] | [[number, number], [number, number]];
    dataFormat?: DataFormat;
  } = {},
): ZeroPadding2D {
  return new ZeroPadding2D(args);
}

/** Enlarges images `size` times (default [2, 2]) by repeating pixels or bilinear interpolation. */
export function upSampling2d(
  args: LayerArgs & { size?: number | number[]; dataFormat?: DataFormat; interpolation?: "nearest" | "bilinear" } = {},
): UpSampling2D {
  return new UpSampling2D(args);
}

// ---------------------------------------------------------------- pooling

/** Max over windows of a sequence. Example: `tf.layers.maxPooling1d({ poolSize: 2 })`. */
export function maxPooling1d(args: PoolArgs = {}): MaxPooling1D {
  return new MaxPooling1D(args);
}
/** Max over windows of an image. Example: `tf.layers.maxPooling2d({ poolSize: 2 })`. */
export function maxPooling2d(args: PoolArgs = {}): MaxPooling2D {
  return new MaxPooling2D(args);
}
/** Max over windows of a volume `[batch, d, h, w, c]`. */
export function maxPooling3d(args: PoolArgs = {}): MaxPooling3D {
  return new MaxPooling3D(args);
}
/** Mean over windows of a sequence. */
export function averagePooling1d(args: PoolArgs = {}): AveragePooling1D {
  return new AveragePooling1D(args);
}
/** Mean over windows of an image. */
export function averagePooling2d(args: PoolArgs = {}): AveragePooling2D {
  return new AveragePooling2D(args);
}
/** Mean over windows of a volume. */
export function averagePooling3d(args: PoolArgs = {}): AveragePooling3D {
  return new AveragePooling3D(args);
}
/** Mean over all steps of a sequence: `[batch, steps, c]` → `[batch, c]`. */
export function globalAveragePooling1d(args: LayerArgs = {}): GlobalAveragePooling1D {
  return new GlobalAveragePooling1D(args);
}
/** Mean over all positions of an image: `[batch, h, w, c]` → `[batch, c]`. */
export function globalAveragePooling2d(args: LayerArgs & { dataFormat?: DataFormat } = {}): GlobalAveragePooling2D {
  return new GlobalAveragePooling2D(args);
}
/** Max over all steps of a sequence: `[batch, steps, c]` → `[batch, c]`. */
export function globalMaxPooling1d(args: LayerArgs = {}): GlobalMaxPooling1D {
  return new GlobalMaxPooling1D(args);
}
/** Max over all positions of an image: `[batch, h, w, c]` → `[batch, c]`. */
export function globalMaxPooling2d(args: LayerArgs & { dataFormat?: DataFormat } = {}): GlobalMaxPooling2D {
  return new GlobalMaxPooling2D(args);
}

/** Alias of `maxPooling1d`. */
export const maxPool1d = maxPooling1d;
/** Alias of `maxPooling2d`. */
export const maxPool2d = maxPooling2d;
/** Alias of `maxPooling3d`. */
export const maxPool3d = maxPooling3d;
/** Alias of `averagePooling1d`. */
export const avgPool1d = averagePooling1d;
/** Alias of `averagePooling1d`. */
export const avgPooling1d = averagePooling1d;
/** Alias of `averagePooling2d`. */
export const avgPool2d = averagePooling2d;
/** Alias of `averagePooling2d`. */
export const avgPooling2d = averagePooling2d;
/** Alias of `averagePooling3d`. */
export const avgPool3d = averagePooling3d;
/** Alias of `averagePooling3d`. */
export const avgPooling3d = averagePooling3d;
/** Alias of `globalMaxPooling1d`. */
export const globalMaxPool1d = globalMaxPooling1d;
/** Alias of `globalMaxPooling2d`. */
export const globalMaxPool2d = globalMaxPooling2d;
/** Alias of `globalAveragePooling1d`. */
export const globalAvgPool1d = globalAveragePooling1d;
/** Alias of `globalAveragePooling2d`. */
export const globalAvgPool2d = globalAveragePooling2d;

// ---------------------------------------------------------------- normalization and noise

/** Normalises each channel by batch statistics in training and moving averages in inference. */
export function batchNormalization(args: BatchNormalizationArgs = {}): BatchNormalization {
  return new BatchNormalization(args);
}

/** Normalises each example over its last axis (or `axis`), then scales and shifts. */
export function layerNormalization(args: LayerNormalizationArgs = {}): LayerNormalization {
  return new LayerNormalization(args);
}

/** Adds Gaussian noise of `stddev` in training. Example: `tf.layers.gaussianNoise({ stddev: 0.1 })`. */
export function gaussianNoise(args: LayerArgs & { stddev: number; seed?: number }): GaussianNoise {
  return new GaussianNoise(args);
}

/** Multiplies by Gaussian noise of mean 1 in training. Example: `tf.layers.gaussianDropout({ rate: 0.2 })`. */
export function gaussianDropout(args: LayerArgs & { rate: number; seed?: number }): GaussianDropout {
  return new GaussianDropout(args);
}

/** Dropout that keeps selu networks self-normalising. Example: `tf.layers.alphaDropout({ rate: 0.1 })`. */
export function alphaDropout(args: LayerArgs & { rate: number; noiseShape?: number[]; seed?: number }): AlphaDropout {
  return new AlphaDropout(args);
}

// ---------------------------------------------------------------- recurrent

/** A recurrent layer over any cell (or list of cells). Example: `tf.layers.rnn({ cell: tf.layers.lstmCell({ units: 8 }) })`. */
export function rnn(args: RNNArgs): RNN {
  return new RNN(args);
}

/** Fully connected recurrence. Example: `tf.layers.simpleRNN({ units: 16, returnSequences: true })`. */
export function simpleRNN(args: SimpleRNNArgs): SimpleRNN {
  return new SimpleRNN(args);
}

/** Long short-term memory. Example: `tf.layers.lstm({ units: 32, inputShape: [20, 8] })`. */
export function lstm(args: LSTMArgs): LSTM {
  return new LSTM(args);
}

/** Gated recurrent unit. Example: `tf.layers.gru({ units: 32, returnState: true })`. */
export function gru(args: GRUArgs): GRU {
  return new GRU(args);
}

/** One step of a SimpleRNN, for `tf.layers.rnn`. */
export function simpleRNNCell(args: SimpleRNNCellArgs): SimpleRNNCell {
  return new SimpleRNNCell(args);
}

/** One step of an LSTM, for `tf.layers.rnn`. */
export function lstmCell(args: LSTMCellArgs): LSTMCell {
  return new LSTMCell(args);
}

/** One step of a GRU, for `tf.layers.rnn`. */
export function gruCell(args: GRUCellArgs): GRUCell {
  return new GRUCell(args);
}

/** Cells run one after another in each step. Example: `tf.layers.rnn({ cell: tf.layers.stackedRNNCells({ cells: [a, b] }) })`. */
export function stackedRNNCells(args: LayerArgs & { cells: RNNCell[] }): StackedRNNCells {
  return new StackedRNNCells(args);
}

/** Convolutional LSTM over image sequences `[batch, steps, h, w, c]`. */
export function convLstm2d(args: ConvLSTM2DArgs): ConvLSTM2D {
  return new ConvLSTM2D(args);
}

/** One step of a ConvLSTM2D. */
export function convLstm2dCell(args: ConvLSTM2DCellArgs): ConvLSTM2DCell {
  return new ConvLSTM2DCell(args);
}

// ---------------------------------------------------------------- wrappers

/** Runs a recurrent layer both ways and merges the outputs. Example: `tf.layers.bidirectional({ layer: tf.layers.lstm({ units: 8 }) })`. */
export function bidirectional(args: BidirectionalArgs): Bidirectional {
  return new Bidirectional(args);
}

/** Applies a layer to every time step. Example: `tf.layers.timeDistributed({ layer: tf.layers.dense({ units: 4 }) })`. */
export function timeDistributed(args: WrapperArgs): TimeDistributed {
  return new TimeDistributed(args);
}

// ---------------------------------------------------------------- preprocessing

/** `x·scale + offset`. Example: `tf.layers.rescaling({ scale: 1 / 255 })`. */
export function rescaling(args: LayerArgs & { scale: number; offset?: number }): Rescaling {
  return new Rescaling(args);
}

/** Crops the central `height`×`width` of images. */
export function centerCrop(args: LayerArgs & { height: number; width: number }): CenterCrop {
  return new CenterCrop(args);
}

/** Resizes images to `height`×`width` ('bilinear' or 'nearest'). */
export function resizing(
  args: LayerArgs & {
    height: number;
    width: number;
    interpolation?: "bilinear" | "nearest";
    cropToAspectRatio?: boolean;
  },
): Resizing {
  return new Resizing(args);
}

/** Integer categories → one-hot, multi-hot or count vectors of `numTokens`. */
export function categoryEncoding(
  args: LayerArgs & { numTokens: number; outputMode?: "oneHot" | "multiHot" | "count" },
): CategoryEncoding {
  return new CategoryEncoding(args);
}

/** Random horizontal stretch of images in training (augmentation). Example: `tf.layers.randomWidth({ factor: 0.2 })`. */
export function randomWidth(
  args: LayerArgs & { factor: number | [number, number]; interpolation?: "bilinear" | "nearest"; seed?: number },
): RandomWidth {
  return new RandomWidth(args);
}
