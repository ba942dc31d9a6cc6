/**
 * The layer classes (for code that needs the types, e.g. `instanceof tf.layers.Layer` checks go
 * through the factories' module) and the `tf.layers` namespace of factories.
 */
import * as layers from "./factories.js";

export { layers };
export {
  Dense,
  Flatten,
  Reshape,
  Permute,
  RepeatVector,
  ActivationLayer,
  Masking,
  Dropout,
  SpatialDropout1D,
} from "./core.js";
export type { DenseArgs, DropoutArgs, ActivationIdentifier } from "./core.js";
export { Add, Subtract, Multiply, Average, Maximum, Minimum, Concatenate, Dot } from "./merge.js";
export { ReLU, LeakyReLU, PReLU, ELU, ThresholdedReLU, Softmax } from "./activation-layers.js";
export { Conv1D, Conv2D, Conv3D, Conv2DTranspose, Conv3DTranspose, DepthwiseConv2D, SeparableConv2D } from "./conv.js";
export type { ConvArgs, DepthwiseConv2DArgs, SeparableConvArgs } from "./conv.js";
export {
  MaxPooling1D,
  MaxPooling2D,
  MaxPooling3D,
  AveragePooling1D,
  AveragePooling2D,
  AveragePooling3D,
  GlobalAveragePooling1D,
  GlobalAveragePooling2D,
  GlobalMaxPooling1D,
  GlobalMaxPooling2D,
} from "./pooling.js";
export type { PoolArgs } from "./pooling.js";
export { ZeroPadding2D, Cropping2D, UpSampling2D } from "./reshaping.js";
export { BatchNormalization, LayerNormalization } from "./normalization.js";
export type { BatchNormalizationArgs, LayerNormalizationArgs } from "./normalization.js";
export { GaussianNoise, GaussianDropout, AlphaDropout } from "./noise.js";
export { Embedding } from "./embedding.js";
export type { EmbeddingArgs } from "./embedding.js";
export { RNNCell, SimpleRNNCell, LSTMCell, GRUCell, StackedRNNCells } from "./rnn-cells.js";
export { RNN, SimpleRNN, LSTM, GRU } from "./recurrent.js";
export type { RNNArgs, SimpleRNNArgs, LSTMArgs, GRUArgs } from "./recurrent.js";
export { ConvLSTM2D, ConvLSTM2DCell } from "./conv-lstm.js";
export { TimeDistributed, Bidirectional } from "./wrappers.js";
export { Rescaling, CenterCrop, Resizing, CategoryEncoding, RandomWidth } from "./preprocessing.js";
