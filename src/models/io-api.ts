/**
 * `tf.io`: handlers for in-memory models, weight encoding and URL routers, with TF.js's names
 * (and its types: `tf.io.ModelArtifacts`, `tf.io.IOHandler` …).
 *
 * ```ts
 * let saved: tf.io.ModelArtifacts | undefined;
 * await model.save(tf.io.withSaveHandler(async (a) => {
 *   saved = a;
 *   return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(a) };
 * }));
 * const copy = await tf.loadLayersModel(tf.io.fromMemory(saved!));
 * ```
 */
import type * as tf from "./core.js";
import {
  decodeTensors,
  encodeTensors,
  type IOHandler,
  type IOHandlerSync,
  type ModelArtifacts,
  type SaveResult,
  type WeightSpec,
} from "./artifacts.js";

export {
  concatenateArrayBuffers,
  getModelArtifactsForJSON,
  getModelArtifactsInfoForJSON,
  getWeightSpecs,
} from "./artifacts.js";
export type {
  IOHandler,
  IOHandlerSync,
  ModelArtifacts,
  ModelArtifactsInfo,
  ModelJSON,
  SaveResult,
  TrainingConfig,
  WeightSpec,
  WeightsManifestEntry,
} from "./artifacts.js";
export {
  getLoadHandlers,
  getSaveHandlers,
  isHTTPScheme,
  registerLoadRouter,
  registerSaveRouter,
} from "./file-handler.js";
export type { IORouter } from "./file-handler.js";
export type { SaveConfig } from "./io.js";

type NamedTensors = Record<string, tf.Tensor> | { name: string; tensor: tf.Tensor }[];

function asArtifacts(
  modelArtifacts: Record<string, unknown> | ModelArtifacts,
  weightSpecs?: WeightSpec[],
  weightData?: ArrayBuffer,
): ModelArtifacts {
  return "modelTopology" in modelArtifacts
    ? (modelArtifacts as ModelArtifacts)
    : { modelTopology: modelArtifacts as Record<string, unknown>, weightSpecs, weightData };
}

/** A handler whose `load()` returns these artifacts (or this topology, specs and weight data). */
export function fromMemory(
  modelArtifacts: Record<string, unknown> | ModelArtifacts,
  weightSpecs?: WeightSpec[],
  weightData?: ArrayBuffer,
): IOHandler {
  const artifacts = asArtifacts(modelArtifacts, weightSpecs, weightData);
  return { load: async () => artifacts };
}

/** The synchronous form of `fromMemory`. */
export function fromMemorySync(
  modelArtifacts: Record<string, unknown> | ModelArtifacts,
  weightSpecs?: WeightSpec[],
  weightData?: ArrayBuffer,
): IOHandlerSync {
  const artifacts = asArtifacts(modelArtifacts, weightSpecs, weightData);
  return { load: () => artifacts };
}

/** A handler that passes the artifacts to `save`. */
export function withSaveHandler(save: (artifacts: ModelArtifacts) => Promise<SaveResult>): IOHandler {
  return { save };
}

/** The synchronous form of `withSaveHandler`. */
export function withSaveHandlerSync(save: (artifacts: ModelArtifacts) => SaveResult): IOHandlerSync {
  return { save };
}

/** Named tensors → one buffer and the specs to read it back. Example: `await tf.io.encodeWeights({ w: t })`. */
export async function encodeWeights(tensors: NamedTensors): Promise<{ data: ArrayBuffer; specs: WeightSpec[] }> {
  const list = Array.isArray(tensors) ? tensors : Object.entries(tensors).map(([name, tensor]) => ({ name, tensor }));
  return encodeTensors(list);
}

/** A weight buffer and its specs → tensors by name. */
export function decodeWeights(data: ArrayBuffer | ArrayBuffer[], specs: WeightSpec[]): Record<string, tf.Tensor> {
  return Object.fromEntries(decodeTensors(specs, data));
}
