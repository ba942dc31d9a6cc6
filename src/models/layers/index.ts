/**
 * `tf.layers.*`: layer factories with TF.js names and options.
 *
 * ```ts
 * const model = tf.sequential();
 * model.add(tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 32, kernelSize: 3, activation: "relu" }));
 * model.add(tf.layers.flatten());
 * model.add(tf.layers.dense({ units: 10, activation: "softmax" }));
 * ```
 */
import type { LayerArgs, Shape, DType } from "../topology.js";
import { InputLayer } from "../topology.js";
import {
  Dense,
  Flatten,
  Reshape,
  Dropout,
  ActivationLayer,
  Concatenate,
  Add,
  type DenseArgs,
  type ActivationIdentifier,
} from "./core.js";
import {
  Conv2D,
  Conv1D,
  MaxPooling2D,
  AveragePooling2D,
  MaxPooling1D,
  AveragePooling1D,
  GlobalAveragePooling2D,
  GlobalMaxPooling2D,
  GlobalAveragePooling1D,
  type ConvArgs,
  type PoolArgs,
} from "./conv.js";
import { BatchNormalization, type BatchNormalizationArgs } from "./normalization.js";
import { Embedding, type EmbeddingArgs } from "./embedding.js";
import { SimpleRNN, LSTM, GRU, type RNNArgs } from "./recurrent.js";

export {
  Dense,
  Flatten,
  Reshape,
  Dropout,
  ActivationLayer,
  Concatenate,
  Add,
  Conv2D,
  Conv1D,
  MaxPooling2D,
  AveragePooling2D,
  MaxPooling1D,
  AveragePooling1D,
  GlobalAveragePooling2D,
  GlobalMaxPooling2D,
  GlobalAveragePooling1D,
  BatchNormalization,
  Embedding,
  SimpleRNN,
  LSTM,
  GRU,
};
export type { DenseArgs, ConvArgs, PoolArgs, BatchNormalizationArgs, EmbeddingArgs, RNNArgs, ActivationIdentifier };

/** `tf.layers`: factories of layers, with TF.js names and options. */
export const layers = {
  /**
   * A fully connected layer: `activation(input · kernel + bias)` with `units` outputs.
   *
   * ```ts
   * model.add(tf.layers.dense({ units: 10, activation: "softmax", inputShape: [784] }));
   * ```
   */
  dense: (args: DenseArgs) => new Dense(args),
  /** Flattens each example to one axis (`[batch, a, b, c]` → `[batch, a·b·c]`), e.g. between convolutions and dense layers. Example: `tf.layers.flatten()`. */
  flatten: (args: LayerArgs = {}) => new Flatten(args),
  /** Reshapes each example to `targetShape` (the batch axis is kept). Example: `tf.layers.reshape({ targetShape: [28, 28, 1] })`. */
  reshape: (args: LayerArgs & { targetShape: number[] }) => new Reshape(args),
  /** During training, zeroes a random fraction `rate` of its inputs (and scales up the rest); does nothing when predicting. Example: `tf.layers.dropout({ rate: 0.25 })`. */
  dropout: (args: LayerArgs & { rate: number; noiseShape?: number[]; seed?: number }) => new Dropout(args),
  /** Applies an activation function to its input. Example: `tf.layers.activation({ activation: "relu" })`. */
  activation: (args: LayerArgs & { activation: ActivationIdentifier }) => new ActivationLayer(args),
  /** Joins its inputs along `axis` (default: the last). Example: `tf.layers.concatenate().apply([a, b])`. */
  concatenate: (args: LayerArgs & { axis?: number } = {}) => new Concatenate(args),
  /** Adds its inputs element by element (all of one shape). Example: `tf.layers.add().apply([a, b])`. */
  add: (args: LayerArgs = {}) => new Add(args),
  /**
   * A 2-D convolution over images `[batch, height, width, channels]` with `filters` kernels of `kernelSize`.
   *
   * ```ts
   * tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 32, kernelSize: 3, activation: "relu" })
   * ```
   */
  conv2d: (args: ConvArgs) => new Conv2D(args),
  /** A 1-D convolution over sequences `[batch, steps, channels]`. Example: `tf.layers.conv1d({ filters: 16, kernelSize: 5, activation: "relu" })`. */
  conv1d: (args: ConvArgs) => new Conv1D(args),
  /** Keeps the largest value of each `poolSize` window of an image (downsampling). Example: `tf.layers.maxPooling2d({ poolSize: 2 })`. */
  maxPooling2d: (args: PoolArgs = {}) => new MaxPooling2D(args),
  /** Averages each `poolSize` window of an image (downsampling). Example: `tf.layers.averagePooling2d({ poolSize: 2 })`. */
  averagePooling2d: (args: PoolArgs = {}) => new AveragePooling2D(args),
  /** Keeps the largest value of each `poolSize` window of a sequence. Example: `tf.layers.maxPooling1d({ poolSize: 2 })`. */
  maxPooling1d: (args: PoolArgs = {}) => new MaxPooling1D(args),
  /** Averages each `poolSize` window of a sequence. Example: `tf.layers.averagePooling1d({ poolSize: 2 })`. */
  averagePooling1d: (args: PoolArgs = {}) => new AveragePooling1D(args),
  /** Averages each channel over the whole image: `[batch, h, w, c]` → `[batch, c]`. Example: `tf.layers.globalAveragePooling2d()`. */
  globalAveragePooling2d: (args: LayerArgs = {}) => new GlobalAveragePooling2D(args),
  /** The largest value of each channel over the whole image: `[batch, h, w, c]` → `[batch, c]`. */
  globalMaxPooling2d: (args: LayerArgs = {}) => new GlobalMaxPooling2D(args),
  /** Averages each channel over the sequence: `[batch, steps, c]` → `[batch, c]`. */
  globalAveragePooling1d: (args: LayerArgs = {}) => new GlobalAveragePooling1D(args),
  /** Normalises its input per channel with batch statistics while training (moving averages when predicting), then scales and shifts. Example: `tf.layers.batchNormalization()`. */
  batchNormalization: (args: BatchNormalizationArgs = {}) => new BatchNormalization(args),
  /** Maps integer ids `[batch, steps]` to learned vectors `[batch, steps, outputDim]`. Example: `tf.layers.embedding({ inputDim: 10000, outputDim: 32 })`. */
  embedding: (args: EmbeddingArgs) => new Embedding(args),
  /** A fully connected recurrent layer with `units` outputs (the last step, or all with `returnSequences`). Example: `tf.layers.simpleRNN({ units: 16 })`. */
  simpleRNN: (args: RNNArgs) => new SimpleRNN(args),
  /** A long short-term memory layer with `units` outputs; `returnSequences` gives every step. Example: `tf.layers.lstm({ units: 32, inputShape: [10, 8] })`. */
  lstm: (args: RNNArgs) => new LSTM(args),
  /** A gated recurrent unit layer with `units` outputs. Example: `tf.layers.gru({ units: 32, returnSequences: true })`. */
  gru: (args: RNNArgs & { resetAfter?: boolean }) => new GRU(args),
  /** An explicit input layer giving the model its input shape. Example: `tf.layers.inputLayer({ inputShape: [4] })`. */
  inputLayer: (args: { inputShape?: Shape; batchInputShape?: Shape; dtype?: DType; name?: string }) =>
    new InputLayer(args),
};
