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

export const layers = {
  dense: (args: DenseArgs) => new Dense(args),
  flatten: (args: LayerArgs = {}) => new Flatten(args),
  reshape: (args: LayerArgs & { targetShape: number[] }) => new Reshape(args),
  dropout: (args: LayerArgs & { rate: number; noiseShape?: number[]; seed?: number }) => new Dropout(args),
  activation: (args: LayerArgs & { activation: ActivationIdentifier }) => new ActivationLayer(args),
  concatenate: (args: LayerArgs & { axis?: number } = {}) => new Concatenate(args),
  add: (args: LayerArgs = {}) => new Add(args),
  conv2d: (args: ConvArgs) => new Conv2D(args),
  conv1d: (args: ConvArgs) => new Conv1D(args),
  maxPooling2d: (args: PoolArgs = {}) => new MaxPooling2D(args),
  averagePooling2d: (args: PoolArgs = {}) => new AveragePooling2D(args),
  maxPooling1d: (args: PoolArgs = {}) => new MaxPooling1D(args),
  averagePooling1d: (args: PoolArgs = {}) => new AveragePooling1D(args),
  globalAveragePooling2d: (args: LayerArgs = {}) => new GlobalAveragePooling2D(args),
  globalMaxPooling2d: (args: LayerArgs = {}) => new GlobalMaxPooling2D(args),
  globalAveragePooling1d: (args: LayerArgs = {}) => new GlobalAveragePooling1D(args),
  batchNormalization: (args: BatchNormalizationArgs = {}) => new BatchNormalization(args),
  embedding: (args: EmbeddingArgs) => new Embedding(args),
  simpleRNN: (args: RNNArgs) => new SimpleRNN(args),
  lstm: (args: RNNArgs) => new LSTM(args),
  gru: (args: RNNArgs & { resetAfter?: boolean }) => new GRU(args),
  inputLayer: (args: { inputShape?: Shape; batchInputShape?: Shape; dtype?: DType; name?: string }) =>
    new InputLayer(args),
};
