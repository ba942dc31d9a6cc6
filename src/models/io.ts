/**
 * Saving models: the model's topology JSON (TF.js's `layers-model` format: files that load in
 * TF.js and back) and weights by saved name. Saving takes the model by the `SavableModel`
 * interface; rebuilding a model from artifacts is `load.ts`, the public `tf.io` is `io-api.ts`.
 */
import type * as tf from "./core.js";
import type { SavableModel } from "./model-types.js";
import type { LayerVariable } from "./variables.js";
import { configToJson } from "./naming.js";
import { encodeTensors, type IOHandler, type ModelArtifacts, type SaveResult } from "./artifacts.js";
import { handlerFor } from "./file-handler.js";

export type SaveTarget = string | IOHandler;

/** The model's Keras topology JSON (snake_case keys, as in model.json). */
export function modelTopology(model: SavableModel): Record<string, unknown> {
  return {
    class_name: model.getClassName(),
    config: configToJson(model.getConfig()),
    keras_version: "tfjs-layers 4.22.0",
    backend: "tensor_flow.js",
  };
}

/** Options of `model.save`. */
export interface SaveConfig {
  /** Also save the compile options (loss, metrics, optimizer and its settings), so a loaded model is compiled. */
  includeOptimizer?: boolean;
}

/** Everything `model.save` hands to a save handler. */
export function modelArtifacts(model: SavableModel, config: SaveConfig = {}): ModelArtifacts {
  const { specs, data } = encodeTensors(model.weights.map((w) => ({ name: w.originalName, tensor: w.read() })));
  const artifacts: ModelArtifacts = {
    modelTopology: modelTopology(model),
    format: "layers-model",
    generatedBy: "deepts 0.1.0",
    convertedBy: null,
    weightSpecs: specs,
    weightData: data,
  };
  const metadata = model.getUserDefinedMetadata?.();
  if (metadata) artifacts.userDefinedMetadata = metadata;
  if (config.includeOptimizer && model.getTrainingConfig) artifacts.trainingConfig = model.getTrainingConfig();
  return artifacts;
}

/** Writes model.json + weights to `file://dir`, or hands the artifacts to an IOHandler. */
export async function saveModel(model: SavableModel, target: SaveTarget, config: SaveConfig = {}): Promise<SaveResult> {
  const handler = typeof target === "string" ? handlerFor(target, "save") : target;
  if (!handler?.save) throw new Error("model.save needs a 'file://…' path or an IOHandler with a save() method");
  return handler.save(modelArtifacts(model, config));
}

/** Sets weights from named tensors (saved `layer/weight` names); strict: the names must match exactly. */
export function assignNamedWeights(weights: LayerVariable[], named: Map<string, tf.Tensor>, strict = true): void {
  for (const w of weights) {
    const t = named.get(w.originalName);
    if (!t) {
      if (strict)
        throw new Error(
          `loadLayersModel: the weights file has no '${w.originalName}' (has: ${[...named.keys()].join(", ")})`,
        );
      continue;
    }
    if (t.shape.length !== w.shape.length || t.shape.some((d, i) => d !== w.shape[i])) {
      throw new Error(
        `loadLayersModel: weight '${w.originalName}' has shape [${t.shape}] in the file, the model expects [${w.shape}]`,
      );
    }
    w.write(t);
  }
  if (strict) {
    const expected = new Set(weights.map((w) => w.originalName));
    const extra = [...named.keys()].filter((k) => !expected.has(k));
    if (extra.length > 0)
      throw new Error(
        `loadLayersModel: the weights file has weights the model does not: ${extra.join(", ")} (the model has: ${[...expected].join(", ")})`,
      );
  }
}
