/**
 * `tf.node`: what `@tensorflow/tfjs-node` adds to TF.js — the runtime's image codecs, and the
 * TensorBoard writers, which need the models' callbacks.
 */
export * from "../../runtime/node/index.js";
export { SummaryFileWriter, summaryFileWriter } from "./summary-writer.js";
export { TensorBoardCallback, type TensorBoardCallbackArgs, tensorBoard } from "./tensorboard-callback.js";
export { getMetaGraphsFromSavedModel, getNumOfSavedModels, loadSavedModel } from "./saved-model.js";
