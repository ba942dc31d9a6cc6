/**
 * Models and training on top of the runtime: layers, Sequential / functional / subclassed models,
 * losses, metrics, optimizers, initializers, regularizers, callbacks, saving/loading, data sets.
 * `src/tf.ts` re-exports all of it, so these appear as `tf.sequential`, `tf.layers.dense`,
 * `tf.train.adam`, `tf.datasets.mnist.load()` …
 */

import * as datasetFunctions from "./datasets/index.js";

export { Layer, LayerVariable, SymbolicTensor, Node, InputLayer, InputSpec, input } from "./topology.js";
export type { LayerArgs, CallArgs, Shape, InputLayerArgs, CallHook } from "./topology.js";
import { layers as layersNamespace } from "./layers/index.js";
/**
 * `tf.layers`: the layer factories (`dense`, `conv2d`, `lstm`, …) with TF.js's names and options,
 * and `tf.layers.Layer` to extend for custom layers. Example: `tf.layers.dense({ units: 10, activation: "softmax" })`.
 */
export import layers = layersNamespace;
export { LayersModel, Model, model } from "./model.js";
export type {
  CompileArgs,
  FitArgs,
  ModelArgs,
  NamedTensors,
  CompileArgs as ModelCompileArgs,
  FitArgs as ModelFitArgs,
} from "./model.js";
export { Sequential, sequential } from "./sequential.js";
export { losses } from "./losses.js";
export { Reduction } from "./weighted-losses.js";
export type { LossFn } from "./losses.js";
export { metrics } from "./metrics.js";
export type { MetricFn } from "./metrics.js";
export {
  train,
  OptimizerConstructors,
  Optimizer,
  SGDOptimizer,
  MomentumOptimizer,
  AdagradOptimizer,
  AdadeltaOptimizer,
  RMSPropOptimizer,
  AdamOptimizer,
  AdamaxOptimizer,
} from "./optimizers.js";
export type { LearningRateSchedule, NamedGradients } from "./optimizers.js";
export { initializers, Initializer } from "./initializers.js";
export { regularizers, Regularizer } from "./regularizers.js";
export { constraints, Constraint } from "./constraints.js";
export {
  callbacks,
  Callback,
  CustomCallback,
  History,
  EarlyStopping,
  registerCallbackConstructor,
  registerDefaultFitCallback,
} from "./callbacks.js";
export type {
  CallbackLike,
  CustomCallbackArgs,
  EarlyStoppingCallbackArgs,
  FitParams,
  Logs,
  DefaultCallbackFactory,
} from "./callbacks.js";
export { CallbackList } from "./callback-list.js";
export { setSummaryDisplay } from "./summary.js";
export type { SummaryDisplay } from "./summary.js";
export type { YieldEveryOptions } from "./callback-list.js";
export type { ModelFitDatasetArgs, ModelEvaluateDatasetArgs } from "./fit-dataset.js";
import * as ioNamespace from "./io-api.js";
/**
 * `tf.io`: saving and loading models — `file://` paths, `fromMemory`, `withSaveHandler`, custom
 * handlers. Example: `const loaded = await tf.loadLayersModel(tf.io.fromMemory(artifacts));`.
 */
export import io = ioNamespace;
export type {
  ModelArtifacts,
  ModelArtifactsInfo,
  ModelJSON,
  WeightSpec,
  WeightsManifestEntry,
  IOHandler,
  IOHandlerSync,
  IORouter,
  SaveResult,
  TrainingConfig,
} from "./io-api.js";
export { loadLayersModel, models } from "./load.js";
export { RNN, RNNCell } from "./layers/index.js";
import * as serializationNamespace from "./serialization.js";
/**
 * `tf.serialization`: registering custom classes so that saved models containing them load again.
 * Example: `tf.serialization.registerClass(MyLayer)` (the class has a `static className`).
 */
export import serialization = serializationNamespace;

/** The TensorFlow.js Layers version whose API deepts follows. */
export const version_layers = "4.22.0";

/**
 * `tf.datasets`: data to learn from without downloads: `mnist.load()`, and small synthetic sets
 * (`linear`, `twoMoons`, `spirals`, `blobs`, `sequences`) plus `batches` for custom loops.
 * Example: `const { xs, ys } = tf.datasets.twoMoons({ n: 200, seed: 1 });`
 */
export const datasets = datasetFunctions;
