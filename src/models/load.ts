/**
 * Rebuilding models from the layers-model format: `tf.loadLayersModel`, and the builders that turn
 * a saved `Sequential` or functional (`Model` / `Functional`) configuration back into a model —
 * at the top level or nested inside another model as one of its layers.
 */
import * as tf from "./core.js";
import { LayersModel } from "./model.js";
import { Sequential } from "./sequential.js";
import type { Layer, SymbolicTensor } from "./topology.js";
import { type ClassConfig, type ConfigDict, deserialize, registerBuilder } from "./registry.js";
import { configFromJson } from "./naming.js";
import { assignNamedWeights } from "./io.js";
import {
  decodeTensors,
  getModelArtifactsForJSON,
  type IOHandler,
  type ModelArtifacts,
  type ModelJSON,
} from "./artifacts.js";
import { handlerFor, readManifestWeights } from "./file-handler.js";

type TensorRef = [string, number, number, Record<string, unknown>?];
type LayerSpec = ClassConfig & { name?: string; inboundNodes?: TensorRef[][] };

function sequentialFromConfig(config: Record<string, unknown> | LayerSpec[]): Sequential {
  const specs = Array.isArray(config) ? config : ((config.layers as LayerSpec[] | undefined) ?? []);
  const model = new Sequential({ name: Array.isArray(config) ? undefined : (config.name as string | undefined) });
  for (const spec of specs) model.add(deserialize<Layer>(spec));
  return model;
}

/** Whether a layer counts its calls from 1 in saved files (TF.js models keep call 0 for their own graph). */
function isGraphModel(layer: Layer | undefined): boolean {
  return layer instanceof LayersModel && layer.isGraph;
}

function functionalFromConfig(config: Record<string, unknown>): LayersModel {
  const layerSpecs = config.layers as LayerSpec[] | undefined;
  if (!Array.isArray(layerSpecs)) throw new Error("loadLayersModel: a functional model config needs a `layers` list");
  const layers = new Map<string, Layer>();
  const outputs = new Map<string, SymbolicTensor[][]>(); // layer name → per call → outputs
  const pending = layerSpecs.map((spec) => {
    const name = spec.name ?? (spec.config?.name as string | undefined) ?? null;
    const layer = deserialize<Layer>({ className: spec.className, config: { ...spec.config, name } });
    layers.set(layer.name, layer);
    if (spec.className === "InputLayer") outputs.set(layer.name, [[layer.output as SymbolicTensor]]);
    return { layer, calls: spec.className === "InputLayer" ? [] : (spec.inboundNodes ?? []), done: 0 };
  });
  const lookup = ([name, callIndex, tensorIndex]: TensorRef): SymbolicTensor | undefined => {
    const call = isGraphModel(layers.get(name)) ? callIndex - 1 : callIndex;
    return outputs.get(name)?.[call]?.[tensorIndex];
  };
  for (let progress = true; progress; ) {
    progress = false;
    for (const p of pending) {
      while (p.done < p.calls.length) {
        const refs = p.calls[p.done];
        const ins = refs.map(lookup);
        if (ins.some((t) => t === undefined)) break;
        const kwargs = { ...(refs[0]?.[3] ?? {}) };
        const out = p.layer.apply(ins.length === 1 ? ins[0]! : (ins as SymbolicTensor[]), kwargs) as
          | SymbolicTensor
          | SymbolicTensor[];
        const list = outputs.get(p.layer.name) ?? [];
        list.push(Array.isArray(out) ? out : [out]);
        outputs.set(p.layer.name, list);
        p.done++;
        progress = true;
      }
    }
  }
  const unresolved = pending.filter((p) => p.done < p.calls.length).map((p) => p.layer.name);
  if (unresolved.length > 0) throw new Error(`loadLayersModel: cannot connect layers ${unresolved.join(", ")}`);
  const pick = (ref: TensorRef) => {
    const t = lookup(ref);
    if (!t) throw new Error(`loadLayersModel: model refers to unknown tensor ${ref[0]}[${ref[1]}][${ref[2]}]`);
    return t;
  };
  return new LayersModel({
    name: config.name as string | undefined,
    inputs: (config.inputLayers as TensorRef[]).map(pick),
    outputs: (config.outputLayers as TensorRef[]).map(pick),
  });
}

registerBuilder("Sequential", (config) => sequentialFromConfig(config));
registerBuilder("Model", functionalFromConfig);
registerBuilder("Functional", functionalFromConfig);

/** Rebuilds a model (Sequential or functional) from its Keras topology JSON (snake_case), with fresh weights. */
export function modelFromTopology(topology: Record<string, unknown>): LayersModel {
  const spec = configFromJson(topology) as { className?: string; config?: unknown; modelConfig?: unknown };
  const root = (spec.modelConfig ?? spec) as { className?: string; config?: unknown };
  if (root.className !== "Sequential" && root.className !== "Model" && root.className !== "Functional") {
    throw new Error(`loadLayersModel: unsupported model class '${root.className}'`);
  }
  // A Keras 1 Sequential config is the bare list of layers.
  const config = Array.isArray(root.config) ? { layers: root.config } : (root.config as ConfigDict);
  return deserialize<LayersModel>({ className: root.className, config }, "model");
}

/**
 * Loads a model saved by `model.save` here or by TF.js: a `file://…/model.json` path, or an
 * IOHandler whose `load()` returns the artifacts (`tf.io.fromMemory`). Models with custom layers
 * load once their classes are registered (`tf.serialization.registerClass`).
 *
 * ```ts
 * const m = await tf.loadLayersModel("file://./my-model/model.json");
 * ```
 */
export async function loadLayersModel(
  source: string | IOHandler,
  options: { strict?: boolean } = {},
): Promise<LayersModel> {
  const handler = typeof source === "string" ? handlerFor(source, "load") : source;
  if (!handler?.load)
    throw new Error("loadLayersModel needs a 'file://…/model.json' path or an IOHandler with a load() method");
  return modelFromArtifacts(await handler.load(), options.strict ?? true);
}

/** A model from saved artifacts: the topology rebuilt, weights set by name, metadata restored. */
function modelFromArtifacts(artifacts: ModelArtifacts, strict: boolean): LayersModel {
  const model = modelFromTopology(artifacts.modelTopology);
  if (artifacts.weightSpecs && artifacts.weightData) {
    const named = decodeTensors(artifacts.weightSpecs, artifacts.weightData);
    // Optimizer state (TF.js's `includeOptimizer`) is not a layer weight; the optimizer starts afresh.
    const layerWeights = new Map(
      artifacts.weightSpecs
        .filter((s) => s.group !== "optimizer")
        .map((s) => [s.name.replace(/:\d+$/, ""), named.get(s.name.replace(/:\d+$/, ""))!]),
    );
    try {
      assignNamedWeights(model.weights, layerWeights, strict);
    } finally {
      tf.dispose([...named.values()]);
    }
  }
  if (artifacts.userDefinedMetadata) model.setUserDefinedMetadata(artifacts.userDefinedMetadata);
  if (artifacts.trainingConfig) model.loadTrainingConfig(artifacts.trainingConfig);
  return model;
}

/**
 * A model from its model.json contents (or just its topology); with a `pathPrefix`, the weights
 * files of its manifest are read from that folder.
 *
 * ```ts
 * const m = await tf.models.modelFromJSON(JSON.parse(text));
 * ```
 */
export async function modelFromJSON(
  json: (Partial<ModelJSON> & { pathPrefix?: string }) | Record<string, unknown>,
): Promise<LayersModel> {
  if (!("modelTopology" in json)) return modelFromTopology(json as Record<string, unknown>);
  const spec = json as Partial<ModelJSON> & { pathPrefix?: string };
  const withWeights = spec.weightsManifest && spec.pathPrefix !== undefined;
  const artifacts = await getModelArtifactsForJSON(
    { ...spec, weightsManifest: withWeights ? spec.weightsManifest : undefined } as ModelJSON,
    async (manifest) => readManifestWeights(spec.pathPrefix!, manifest),
  );
  return modelFromArtifacts(artifacts, true);
}

/** `tf.models`: `modelFromJSON`. */
export const models = { modelFromJSON };
