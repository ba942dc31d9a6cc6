/**
 * Every factory of TF.js 4.22's `tf.layers`, each with options and inputs that exercise it, for
 * tests that run the same layer in deepts and in TF.js (tfjs-layers) side by side.
 */
import * as tf from "../../src/runtime/index.js";
import type { Layer } from "../../src/models/index.js";
import { randomTensor } from "./helpers.js";

/** `tf.layers` of either implementation. */
export type LayersNs = Record<string, (args?: any) => any>;

export interface Case {
  /** A label for test names. */
  label: string;
  /** The `tf.layers` factory. */
  factory: string;
  /** Options, made per implementation (wrappers take that implementation's inner layers). */
  args?: (L: LayersNs) => Record<string, unknown>;
  /** Input shape(s), batch first; several for multi-input layers. */
  input: number[] | number[][];
  /** Integer inputs in [0, ints) instead of floats. */
  ints?: number;
  /** Sets some steps to zero (for masking). */
  zeroSteps?: boolean;
  /** Compare in training mode too (deterministic layers only). */
  training?: boolean;
  /** Relative tolerance for outputs (default 1e-5). */
  tol?: number;
  /** TF.js computes the outputs differently (documented): only the class and config are compared. */
  outputsDiffer?: string;
  /** The layer cannot be saved and reloaded by TF.js (deepts-only layers, TF.js bugs); the reason. */
  noTfjsSave?: string;
  /** TF.js cannot differentiate this layer (missing gradients); deepts's are checked by finite differences. */
  noTfjsGrad?: string;
  /** TF.js's symbolic output shape is less precise; the reason. */
  symbolicDiffers?: string;
}

const floats = (args: Record<string, unknown>) => () => args;

/** The catalog: one or more cases per factory. */
export const CASES: Case[] = [
  // core
  {
    label: "dense tanh",
    factory: "dense",
    args: floats({ units: 3, activation: "tanh" }),
    input: [2, 4],
    training: true,
  },
  { label: "dense rank 3, no bias", factory: "dense", args: floats({ units: 2, useBias: false }), input: [2, 3, 4] },
  { label: "activation softmax", factory: "activation", args: floats({ activation: "softmax" }), input: [2, 5] },
  { label: "flatten", factory: "flatten", input: [2, 3, 4] },
  {
    label: "flatten channelsFirst",
    factory: "flatten",
    args: floats({ dataFormat: "channelsFirst" }),
    input: [2, 3, 4, 2],
  },
  {
    label: "reshape with -1",
    factory: "reshape",
    args: floats({ targetShape: [3, -1] }),
    input: [2, 6],
    symbolicDiffers: "TF.js leaves the -1 axis unknown when the batch is unknown; deepts infers it (as Keras)",
  },
  { label: "permute", factory: "permute", args: floats({ dims: [2, 1] }), input: [2, 3, 4] },
  { label: "repeatVector", factory: "repeatVector", args: floats({ n: 3 }), input: [2, 4] },
  { label: "masking", factory: "masking", args: floats({ maskValue: 0 }), input: [2, 4, 3], zeroSteps: true },
  { label: "dropout (inference)", factory: "dropout", args: floats({ rate: 0.5 }), input: [2, 4] },
  { label: "spatialDropout1d (inference)", factory: "spatialDropout1d", args: floats({ rate: 0.5 }), input: [2, 3, 4] },
  { label: "embedding", factory: "embedding", args: floats({ inputDim: 10, outputDim: 3 }), input: [2, 5], ints: 10 },
  {
    label: "embedding maskZero, inputLength",
    factory: "embedding",
    args: floats({ inputDim: 6, outputDim: 2, maskZero: true, inputLength: 4 }),
    input: [3, 4],
    ints: 6,
  },
  // merging
  {
    label: "add",
    factory: "add",
    input: [
      [2, 3],
      [2, 3],
      [2, 3],
    ],
  },
  {
    label: "add broadcast ranks",
    factory: "add",
    input: [
      [2, 3, 4],
      [2, 4],
    ],
  },
  {
    label: "average",
    factory: "average",
    input: [
      [2, 3],
      [2, 3],
    ],
  },
  {
    label: "multiply",
    factory: "multiply",
    input: [
      [2, 3],
      [2, 3],
    ],
  },
  {
    label: "maximum",
    factory: "maximum",
    input: [
      [2, 3],
      [2, 3],
    ],
  },
  {
    label: "minimum",
    factory: "minimum",
    input: [
      [2, 3],
      [2, 3],
    ],
  },
  {
    label: "concatenate last axis",
    factory: "concatenate",
    input: [
      [2, 3],
      [2, 4],
    ],
  },
  {
    label: "concatenate axis 1",
    factory: "concatenate",
    args: floats({ axis: 1 }),
    input: [
      [2, 3, 2],
      [2, 1, 2],
    ],
  },
  {
    label: "dot axes -1",
    factory: "dot",
    args: floats({ axes: -1 }),
    input: [
      [2, 4],
      [2, 4],
    ],
  },
  {
    label: "dot axes [1, 2]",
    factory: "dot",
    args: floats({ axes: [1, 2] }),
    input: [
      [2, 3, 4],
      [2, 5, 3],
    ],
  },
  {
    label: "dot normalized",
    factory: "dot",
    args: floats({ axes: 2, normalize: true }),
    input: [
      [2, 3, 4],
      [2, 5, 4],
    ],
  },
  // activations
  { label: "reLU maxValue", factory: "reLU", args: floats({ maxValue: 0.5 }), input: [2, 5] },
  { label: "leakyReLU", factory: "leakyReLU", args: floats({ alpha: 0.1 }), input: [2, 5] },
  { label: "prelu", factory: "prelu", input: [2, 3, 4], training: true },
  { label: "prelu sharedAxes", factory: "prelu", args: floats({ sharedAxes: [1] }), input: [2, 3, 4] },
  { label: "elu", factory: "elu", input: [2, 5] },
  { label: "thresholdedReLU", factory: "thresholdedReLU", args: floats({ theta: 0.2 }), input: [2, 5] },
  { label: "softmax (TF.js default axis 1)", factory: "softmax", input: [2, 5] },
  { label: "softmax axis -1", factory: "softmax", args: floats({ axis: -1 }), input: [2, 3, 4] },
  // convolution
  {
    label: "conv1d same",
    factory: "conv1d",
    args: floats({ filters: 2, kernelSize: 2, padding: "same", activation: "relu" }),
    input: [2, 5, 3],
    training: true,
  },
  {
    label: "conv1d dilated",
    factory: "conv1d",
    args: floats({ filters: 2, kernelSize: 2, dilationRate: 2 }),
    input: [2, 6, 3],
    noTfjsGrad: "TF.js has no gradient for dilated convolutions",
  },
  {
    label: "conv2d stride 2 same",
    factory: "conv2d",
    args: floats({ filters: 3, kernelSize: 3, strides: 2, padding: "same" }),
    input: [2, 5, 5, 2],
    training: true,
  },
  {
    label: "conv2d dilated",
    factory: "conv2d",
    args: floats({ filters: 2, kernelSize: 2, dilationRate: 2 }),
    input: [1, 5, 6, 2],
    noTfjsGrad: "TF.js has no gradient for dilated convolutions",
  },
  {
    label: "conv2d channelsFirst",
    factory: "conv2d",
    args: floats({ filters: 2, kernelSize: [2, 3], dataFormat: "channelsFirst" }),
    input: [2, 3, 5, 6],
  },
  {
    label: "conv3d",
    factory: "conv3d",
    args: floats({ filters: 2, kernelSize: 2 }),
    input: [2, 3, 4, 4, 2],
    training: true,
  },
  {
    label: "conv3d stride 2 same",
    factory: "conv3d",
    args: floats({ filters: 2, kernelSize: [3, 2, 2], strides: 2, padding: "same" }),
    input: [1, 5, 5, 4, 1],
  },
  {
    label: "conv2dTranspose stride 2 same",
    factory: "conv2dTranspose",
    args: floats({ filters: 3, kernelSize: 3, strides: 2, padding: "same" }),
    input: [2, 3, 4, 2],
    training: true,
  },
  {
    label: "conv2dTranspose valid",
    factory: "conv2dTranspose",
    args: floats({ filters: 2, kernelSize: [2, 3], strides: [2, 1] }),
    input: [1, 3, 3, 2],
  },
  {
    label: "conv3dTranspose stride 2",
    factory: "conv3dTranspose",
    args: floats({ filters: 2, kernelSize: 2, strides: 2 }),
    input: [1, 2, 3, 2, 2],
    noTfjsGrad: "TF.js has no gradient for Conv3DBackpropInputV2",
  },
  {
    label: "conv3dTranspose same, kernel 3",
    factory: "conv3dTranspose",
    args: floats({ filters: 1, kernelSize: 3, strides: 2, padding: "same" }),
    input: [1, 3, 2, 3, 2],
    noTfjsGrad: "TF.js has no gradient for Conv3DBackpropInputV2",
  },
  {
    label: "depthwiseConv2d",
    factory: "depthwiseConv2d",
    args: floats({ kernelSize: 3, depthMultiplier: 2, padding: "same" }),
    input: [2, 5, 5, 3],
    training: true,
  },
  {
    label: "separableConv2d depthMultiplier 2",
    factory: "separableConv2d",
    args: floats({ filters: 4, kernelSize: 3, depthMultiplier: 2 }),
    input: [2, 5, 5, 3],
    training: true,
    noTfjsSave: "TF.js 4.22 does not save depthMultiplier (its own such models do not reload either)",
  },
  {
    label: "separableConv2d same",
    factory: "separableConv2d",
    args: floats({ filters: 2, kernelSize: 2, padding: "same", activation: "relu" }),
    input: [2, 4, 4, 3],
  },
  {
    label: "cropping2D",
    factory: "cropping2D",
    args: floats({
      cropping: [
        [1, 0],
        [0, 2],
      ],
    }),
    input: [2, 5, 5, 2],
  },
  {
    label: "zeroPadding2d",
    factory: "zeroPadding2d",
    args: floats({
      padding: [
        [1, 2],
        [0, 1],
      ],
    }),
    input: [2, 3, 3, 2],
  },
  { label: "upSampling2d nearest", factory: "upSampling2d", args: floats({ size: [2, 3] }), input: [2, 3, 2, 2] },
  {
    label: "upSampling2d bilinear",
    factory: "upSampling2d",
    args: floats({ size: [2, 2], interpolation: "bilinear" }),
    input: [1, 3, 3, 2],
  },
  // pooling
  {
    label: "maxPooling1d same",
    factory: "maxPooling1d",
    args: floats({ poolSize: 2, padding: "same" }),
    input: [2, 5, 3],
  },
  { label: "maxPool1d", factory: "maxPool1d", args: floats({ poolSize: 3, strides: 1 }), input: [2, 5, 3] },
  { label: "averagePooling1d", factory: "averagePooling1d", args: floats({ poolSize: 2 }), input: [2, 5, 3] },
  { label: "avgPool1d", factory: "avgPool1d", args: floats({ poolSize: 2, padding: "same" }), input: [2, 5, 3] },
  { label: "avgPooling1d", factory: "avgPooling1d", args: floats({ poolSize: 3, strides: 2 }), input: [2, 7, 2] },
  {
    label: "maxPooling2d",
    factory: "maxPooling2d",
    args: floats({ poolSize: [2, 3], strides: [1, 2] }),
    input: [2, 5, 6, 2],
  },
  { label: "maxPool2d", factory: "maxPool2d", args: floats({ poolSize: 2, padding: "same" }), input: [2, 5, 5, 2] },
  {
    label: "averagePooling2d same",
    factory: "averagePooling2d",
    args: floats({ poolSize: 2, padding: "same" }),
    input: [2, 5, 5, 2],
  },
  { label: "avgPool2d", factory: "avgPool2d", args: floats({ poolSize: 2 }), input: [2, 4, 4, 2] },
  { label: "avgPooling2d", factory: "avgPooling2d", args: floats({ poolSize: 3, strides: 1 }), input: [2, 4, 4, 1] },
  { label: "maxPooling3d", factory: "maxPooling3d", args: floats({ poolSize: 2 }), input: [2, 4, 4, 4, 2] },
  {
    label: "averagePooling3d same stride 1",
    factory: "averagePooling3d",
    args: floats({ poolSize: 2, strides: 1, padding: "same" }),
    input: [2, 3, 4, 3, 2],
  },
  { label: "avgPool3d", factory: "avgPool3d", args: floats({ poolSize: [2, 1, 2] }), input: [1, 4, 3, 4, 2] },
  {
    label: "avgPooling3d",
    factory: "avgPooling3d",
    args: floats({ poolSize: 2, padding: "same" }),
    input: [1, 3, 3, 3, 1],
  },
  { label: "globalAveragePooling1d", factory: "globalAveragePooling1d", input: [2, 5, 3] },
  { label: "globalAveragePooling2d", factory: "globalAveragePooling2d", input: [2, 4, 5, 3] },
  { label: "globalMaxPooling1d", factory: "globalMaxPooling1d", input: [2, 5, 3] },
  { label: "globalMaxPooling2d", factory: "globalMaxPooling2d", input: [2, 4, 5, 3] },
  { label: "globalMaxPool1d", factory: "globalMaxPool1d", input: [2, 4, 2] },
  { label: "globalMaxPool2d", factory: "globalMaxPool2d", input: [2, 3, 3, 2] },
  // normalization and noise
  { label: "batchNormalization", factory: "batchNormalization", input: [4, 3], training: true },
  { label: "layerNormalization", factory: "layerNormalization", input: [2, 3, 4], training: true },
  {
    label: "layerNormalization axes [1, 2]",
    factory: "layerNormalization",
    args: floats({ axis: [1, 2] }),
    input: [2, 3, 4],
  },
  { label: "gaussianNoise (inference)", factory: "gaussianNoise", args: floats({ stddev: 0.2 }), input: [2, 4] },
  { label: "gaussianDropout (inference)", factory: "gaussianDropout", args: floats({ rate: 0.3 }), input: [2, 4] },
  { label: "alphaDropout (inference)", factory: "alphaDropout", args: floats({ rate: 0.2 }), input: [2, 4] },
  // recurrent
  {
    label: "simpleRNN sequences",
    factory: "simpleRNN",
    args: floats({ units: 3, returnSequences: true }),
    input: [2, 4, 3],
    training: true,
  },
  {
    label: "lstm returnState",
    factory: "lstm",
    args: floats({ units: 3, returnState: true }),
    input: [2, 4, 3],
    training: true,
  },
  {
    label: "gru backwards, sequences",
    factory: "gru",
    args: floats({ units: 3, goBackwards: true, returnSequences: true }),
    input: [2, 4, 3],
    training: true,
  },
  {
    label: "rnn(lstmCell)",
    factory: "rnn",
    args: (L) => ({ cell: L.lstmCell({ units: 2 }) }),
    input: [2, 3, 3],
    training: true,
  },
  {
    label: "rnn([simpleRNNCell, gruCell]) returnState",
    factory: "rnn",
    args: (L) => ({ cell: [L.simpleRNNCell({ units: 2 }), L.gruCell({ units: 3 })], returnState: true }),
    input: [2, 3, 3],
    training: true,
  },
  {
    label: "rnn(stackedRNNCells) sequences",
    factory: "rnn",
    args: (L) => ({
      cell: L.stackedRNNCells({ cells: [L.lstmCell({ units: 2 }), L.simpleRNNCell({ units: 2 })] }),
      returnSequences: true,
    }),
    input: [2, 3, 2],
  },
  {
    label: "convLstm2d sequences",
    factory: "convLstm2d",
    args: floats({ filters: 2, kernelSize: 2, returnSequences: true }),
    input: [2, 3, 4, 4, 2],
    training: true,
    tol: 1e-4,
  },
  {
    label: "convLstm2d same, last step",
    factory: "convLstm2d",
    args: floats({ filters: 1, kernelSize: 3, padding: "same" }),
    input: [1, 2, 3, 3, 1],
  },
  // wrappers
  {
    label: "timeDistributed(dense)",
    factory: "timeDistributed",
    args: (L) => ({ layer: L.dense({ units: 2 }) }),
    input: [2, 3, 4],
    training: true,
  },
  {
    label: "timeDistributed(conv2d)",
    factory: "timeDistributed",
    args: (L) => ({ layer: L.conv2d({ filters: 2, kernelSize: 2 }) }),
    input: [2, 3, 4, 4, 1],
  },
  {
    label: "bidirectional(lstm) concat",
    factory: "bidirectional",
    args: (L) => ({ layer: L.lstm({ units: 2, returnSequences: true }) }),
    input: [2, 4, 3],
    training: true,
  },
  {
    label: "bidirectional(gru) sum",
    factory: "bidirectional",
    args: (L) => ({ layer: L.gru({ units: 2 }), mergeMode: "sum" }),
    input: [2, 4, 3],
  },
  {
    label: "bidirectional(simpleRNN) ave",
    factory: "bidirectional",
    args: (L) => ({ layer: L.simpleRNN({ units: 2, returnSequences: true }), mergeMode: "ave" }),
    input: [2, 4, 3],
  },
  {
    label: "bidirectional(lstm) mul",
    factory: "bidirectional",
    args: (L) => ({ layer: L.lstm({ units: 2 }), mergeMode: "mul" }),
    input: [2, 4, 3],
  },
  {
    label: "bidirectional(lstm) returnState",
    factory: "bidirectional",
    args: (L) => ({ layer: L.lstm({ units: 2, returnState: true }) }),
    input: [2, 4, 3],
  },
  // preprocessing
  { label: "rescaling", factory: "rescaling", args: floats({ scale: 0.5, offset: 1 }), input: [2, 3, 3, 1] },
  {
    label: "centerCrop",
    factory: "centerCrop",
    args: floats({ height: 2, width: 4 }),
    input: [2, 6, 6, 1],
    noTfjsSave: "TF.js's CenterCrop overwrites its input's symbolic shape, so its models reject their inputs",
  },
  {
    label: "resizing bilinear",
    factory: "resizing",
    args: floats({ height: 3, width: 5 }),
    input: [2, 4, 4, 2],
    symbolicDiffers: "TF.js's Resizing computes [height, width, inputShape[2]] (no batch axis)",
    noTfjsSave: "TF.js's Resizing has a wrong symbolic output shape, so its models fail",
  },
  {
    label: "resizing nearest",
    factory: "resizing",
    args: floats({ height: 5, width: 2, interpolation: "nearest" }),
    input: [1, 3, 4, 1],
    symbolicDiffers: "TF.js's Resizing computes [height, width, inputShape[2]] (no batch axis)",
    noTfjsSave: "TF.js's Resizing has a wrong symbolic output shape, so its models fail",
  },
  {
    label: "categoryEncoding multiHot",
    factory: "categoryEncoding",
    args: floats({ numTokens: 5 }),
    input: [2, 3],
    ints: 5,
    noTfjsSave: "TF.js's CategoryEncoding cannot be applied to a symbolic input (it reads the values)",
  },
  {
    label: "categoryEncoding count",
    factory: "categoryEncoding",
    args: floats({ numTokens: 4, outputMode: "count" }),
    input: [2, 5],
    ints: 4,
    noTfjsSave: "TF.js's CategoryEncoding cannot be applied to a symbolic input (it reads the values)",
  },
  {
    label: "categoryEncoding oneHot",
    factory: "categoryEncoding",
    args: floats({ numTokens: 4, outputMode: "oneHot" }),
    input: [5],
    ints: 4,
    noTfjsSave: "TF.js's CategoryEncoding cannot be applied to a symbolic input (it reads the values)",
  },
  {
    label: "randomWidth (inference)",
    factory: "randomWidth",
    args: floats({ factor: 0.2 }),
    input: [1, 3, 4, 1],
    outputsDiffer: "TF.js's RandomWidth stretches in inference too; deepts, like Keras, only in training",
    noTfjsSave: "TF.js's RandomWidth has no output shape for symbolic inputs ([h, -1, c])",
  },
];

/** The factories the catalog covers (to check it is complete). */
export const CATALOG_FACTORIES = new Set(CASES.map((c) => c.factory));

/** Factories that make no layer from a concrete input here, tested separately. */
export const SEPARATELY_TESTED = new Set([
  "input",
  "inputLayer",
  "simpleRNNCell",
  "lstmCell",
  "gruCell",
  "stackedRNNCells",
  "convLstm2dCell",
  "Layer",
  "RNN",
  "RNNCell",
]);

/** A seeded input for a case (one tensor per input shape). */
export function caseInputs(c: Case, seed: number): tf.Tensor[] {
  const shapes = (Array.isArray(c.input[0]) ? c.input : [c.input]) as number[][];
  return shapes.map((shape, i) => {
    if (c.ints) {
      const t = randomTensor(shape, seed + i, 0, c.ints);
      const ids = tf.floor(t);
      t.dispose();
      return ids;
    }
    const t = randomTensor(shape, seed + i, -1, 1);
    if (!c.zeroSteps) return t;
    // Zero the last step of the first example and the first step of the second.
    const data = Float32Array.from(t.dataSync());
    const [, steps, features] = shape;
    for (let f = 0; f < features; f++) {
      data[(steps - 1) * features + f] = 0;
      data[steps * features + f] = 0;
    }
    t.dispose();
    return tf.tensor(data, shape, "float32");
  });
}

/** Random weights (variances positive) so that the comparison does not rest on initial values. */
export function randomizeWeights(layer: Layer, seed: number): void {
  const ws = layer.weights.map((w, i) => {
    const positive = /variance/.test(w.originalName);
    return randomTensor(w.shape, seed + i, positive ? 0.5 : -0.8, positive ? 1.5 : 0.8);
  });
  layer.setWeights(ws);
  tf.dispose(ws);
}
