/**
 * Saving and loading models in the TF.js "layers-model" format: `model.json` holds `modelTopology`
 * (the Keras config, snake_case) and a `weightsManifest`; the weights are little-endian binary in
 * `group1-shard1of1.bin`. Files written here load in TF.js (`tf.loadLayersModel`) and back.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import * as tf from "./core.js";
import type { LayersModel } from "./model.js";
import type { Layer, SymbolicTensor } from "./topology.js";
import { layerFactory } from "./registry.js";
import { convertKeys, toCamel, toSnake } from "./naming.js";

export interface WeightSpec {
  name: string;
  shape: number[];
  dtype: "float32" | "int32" | "bool";
}

/** What a save handler receives and a load handler returns (TF.js's `ModelArtifacts`). */
export interface ModelArtifacts {
  modelTopology: Record<string, unknown>;
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  weightSpecs?: WeightSpec[];
  weightData?: ArrayBuffer;
}

export interface SaveResult {
  modelArtifactsInfo: {
    dateSaved: Date;
    modelTopologyType: "JSON";
    modelTopologyBytes: number;
    weightDataBytes: number;
  };
}

export interface IOHandler {
  save?(artifacts: ModelArtifacts): Promise<SaveResult>;
  load?(): Promise<ModelArtifacts>;
}

export type SaveTarget = string | IOHandler;

const WEIGHTS_FILE = "group1-shard1of1.bin";

/** The model's Keras topology JSON (snake_case keys, as in model.json). */
export function modelTopology(model: LayersModel): Record<string, unknown> {
  return {
    class_name: model.getClassName(),
    config: convertKeys(model.getConfig(), toSnake),
    keras_version: "tfjs-layers 4.22.0",
    backend: "tensor_flow.js",
  };
}

/** Weight specs and one buffer with all weight values, in `model.weights` order. */
export function encodeWeights(model: LayersModel): { specs: WeightSpec[]; data: ArrayBuffer } {
  const specs: WeightSpec[] = [];
  const chunks: Uint8Array[] = [];
  for (const w of model.weights) {
    const values = w.read().dataSync();
    specs.push({ name: w.originalName, shape: w.shape.slice(), dtype: w.dtype });
    const bytes =
      w.dtype === "bool"
        ? Uint8Array.from(values)
        : new Uint8Array(values.buffer, values.byteOffset, values.byteLength).slice();
    chunks.push(bytes);
  }
  const total = chunks.reduce((n, c) => n + c.length, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.length;
  }
  return { specs, data: out.buffer };
}

function modelArtifacts(model: LayersModel): ModelArtifacts {
  const { specs, data } = encodeWeights(model);
  return {
    modelTopology: modelTopology(model),
    format: "layers-model",
    generatedBy: "deepts 0.1.0",
    convertedBy: null,
    weightSpecs: specs,
    weightData: data,
  };
}

function filePath(url: string): string {
  return resolve(url.startsWith("file://") ? url.slice("file://".length) : url);
}

/** Writes model.json + weights to `file://dir`, or hands the artifacts to an IOHandler. */
export async function saveModel(model: LayersModel, target: SaveTarget): Promise<SaveResult> {
  const artifacts = modelArtifacts(model);
  if (typeof target !== "string") {
    if (!target?.save) throw new Error("model.save needs a 'file://…' path or an IOHandler with a save() method");
    return target.save(artifacts);
  }
  if (!target.startsWith("file://")) throw new Error(`model.save: only 'file://' URLs are supported, got '${target}'`);
  const dir = filePath(target);
  mkdirSync(dir, { recursive: true });
  const json = {
    modelTopology: artifacts.modelTopology,
    format: artifacts.format,
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy,
    weightsManifest: [{ paths: [WEIGHTS_FILE], weights: artifacts.weightSpecs }],
  };
  const text = JSON.stringify(json);
  writeFileSync(join(dir, "model.json"), text);
  writeFileSync(join(dir, WEIGHTS_FILE), new Uint8Array(artifacts.weightData!));
  return {
    modelArtifactsInfo: {
      dateSaved: new Date(),
      modelTopologyType: "JSON",
      modelTopologyBytes: text.length,
      weightDataBytes: artifacts.weightData!.byteLength,
    },
  };
}

/** Reads model.json and its weight shards from disk. */
export function readModelFiles(path: string): ModelArtifacts {
  const file = filePath(path);
  let json: {
    modelTopology?: Record<string, unknown>;
    weightsManifest?: { paths: string[]; weights: WeightSpec[] }[];
    format?: string;
    generatedBy?: string;
    convertedBy?: string | null;
  };
  try {
    json = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new Error(`loadLayersModel: cannot read ${file}: ${(e as Error).message}`);
  }
  if (!json.modelTopology) throw new Error(`loadLayersModel: ${file} has no modelTopology`);
  const specs: WeightSpec[] = [];
  const buffers: Uint8Array[] = [];
  for (const group of json.weightsManifest ?? []) {
    specs.push(...group.weights);
    for (const p of group.paths) buffers.push(readFileSync(join(dirname(file), p)));
  }
  const total = buffers.reduce((n, b) => n + b.length, 0);
  const data = new Uint8Array(total);
  let offset = 0;
  for (const b of buffers) {
    data.set(b, offset);
    offset += b.length;
  }
  return {
    modelTopology: json.modelTopology,
    format: json.format,
    generatedBy: json.generatedBy,
    convertedBy: json.convertedBy,
    weightSpecs: specs,
    weightData: data.buffer,
  };
}

/** Splits a weight buffer into named tensors. */
export function decodeWeights(specs: WeightSpec[], data: ArrayBuffer): Map<string, tf.Tensor> {
  const out = new Map<string, tf.Tensor>();
  let offset = 0;
  for (const spec of specs) {
    const n = spec.shape.reduce((a, b) => a * b, 1);
    const dtype = spec.dtype ?? "float32";
    const bytesPer = dtype === "bool" ? 1 : 4;
    const bytes = data.slice(offset, offset + n * bytesPer);
    if (bytes.byteLength !== n * bytesPer) throw new Error(`weights file too short for ${spec.name}`);
    const values =
      dtype === "float32" ? new Float32Array(bytes) : dtype === "int32" ? new Int32Array(bytes) : new Uint8Array(bytes);
    out.set(spec.name.replace(/:\d+$/, ""), tf.tensor(values, spec.shape, dtype));
    offset += n * bytesPer;
  }
  return out;
}

type LayerConfig = { className: string; config: Record<string, unknown>; name?: string; inboundNodes?: unknown[] };

function makeLayer(spec: LayerConfig): Layer {
  return layerFactory(spec.className)(spec.config ?? {});
}

/** Rebuilds a model (Sequential or functional) from its Keras topology JSON, with fresh weights. */
export async function modelFromTopology(topology: Record<string, unknown>): Promise<LayersModel> {
  const camel = convertKeys(topology, toCamel) as { className: string; config: unknown; modelConfig?: unknown };
  const root = (camel.modelConfig ?? camel) as { className: string; config: unknown };
  const { Sequential } = await import("./sequential.js");
  const { LayersModel } = await import("./model.js");
  if (root.className === "Sequential") {
    const config = root.config as { name?: string; layers?: LayerConfig[] } | LayerConfig[];
    const layerSpecs = Array.isArray(config) ? config : (config.layers ?? []);
    const model = new Sequential({ name: Array.isArray(config) ? undefined : config.name });
    for (const spec of layerSpecs) model.add(makeLayer(spec));
    return model;
  }
  if (root.className !== "Model" && root.className !== "Functional") {
    throw new Error(`loadLayersModel: unsupported model class '${root.className}'`);
  }
  const config = root.config as {
    name?: string;
    layers: LayerConfig[];
    inputLayers: [string, number, number][];
    outputLayers: [string, number, number][];
  };
  const layers = new Map<string, Layer>();
  const outputs = new Map<string, SymbolicTensor[][]>(); // layer name → per node → outputs
  const pending = config.layers.map((spec) => {
    const layer = makeLayer({ ...spec, config: { ...spec.config, name: spec.name ?? spec.config.name } });
    layers.set(layer.name, layer);
    if (spec.className === "InputLayer") outputs.set(layer.name, [[layer.output as SymbolicTensor]]);
    return {
      layer,
      nodes: (spec.className === "InputLayer" ? [] : (spec.inboundNodes ?? [])) as [
        string,
        number,
        number,
        unknown,
      ][][],
      done: 0,
    };
  });
  for (let progress = true; progress; ) {
    progress = false;
    for (const p of pending) {
      while (p.done < p.nodes.length) {
        const node = p.nodes[p.done];
        const ins = node.map(([name, nodeIndex, tensorIndex]) => outputs.get(name)?.[nodeIndex]?.[tensorIndex]);
        if (ins.some((t) => t === undefined)) break;
        const kwargs = (node[0]?.[3] ?? {}) as Record<string, unknown>;
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
  const unresolved = pending.filter((p) => p.done < p.nodes.length).map((p) => p.layer.name);
  if (unresolved.length > 0) throw new Error(`loadLayersModel: cannot connect layers ${unresolved.join(", ")}`);
  const pick = ([name, nodeIndex, tensorIndex]: [string, number, number]) => {
    const t = outputs.get(name)?.[nodeIndex]?.[tensorIndex];
    if (!t) throw new Error(`loadLayersModel: model refers to unknown tensor ${name}[${nodeIndex}][${tensorIndex}]`);
    return t;
  };
  return new LayersModel({
    name: config.name,
    inputs: config.inputLayers.map(pick),
    outputs: config.outputLayers.map(pick),
  });
}

/** Sets the model's weights from named tensors (`layer/weight` names). */
export function setNamedWeights(model: LayersModel, named: Map<string, tf.Tensor>, strict = true): void {
  for (const w of model.weights) {
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
}

/**
 * Loads a model saved by `model.save` here or by TF.js: a `file://…/model.json` path, or an
 * IOHandler whose `load()` returns the artifacts (`tf.io.fromMemory`).
 *
 * ```ts
 * const m = await tf.loadLayersModel("file://./my-model/model.json");
 * ```
 */
export async function loadLayersModel(
  source: string | IOHandler,
  options: { strict?: boolean } = {},
): Promise<LayersModel> {
  let artifacts: ModelArtifacts;
  if (typeof source === "string") artifacts = readModelFiles(source);
  else if (source?.load) artifacts = await source.load();
  else throw new Error("loadLayersModel needs a 'file://…/model.json' path or an IOHandler with a load() method");
  const model = await modelFromTopology(artifacts.modelTopology);
  if (artifacts.weightSpecs && artifacts.weightData) {
    const named = decodeWeights(artifacts.weightSpecs, artifacts.weightData);
    try {
      setNamedWeights(model, named, options.strict ?? true);
    } finally {
      tf.dispose([...named.values()]);
    }
  }
  return model;
}

/** `tf.io` helpers for in-memory models. */
export const io = {
  /** A handler whose `load()` returns these artifacts. */
  fromMemory(
    modelTopology: Record<string, unknown> | ModelArtifacts,
    weightSpecs?: WeightSpec[],
    weightData?: ArrayBuffer,
  ): IOHandler {
    const artifacts: ModelArtifacts =
      "modelTopology" in modelTopology
        ? (modelTopology as ModelArtifacts)
        : { modelTopology: modelTopology as Record<string, unknown>, weightSpecs, weightData };
    return { load: async () => artifacts };
  },
  /** A handler that passes the artifacts to `save`. */
  withSaveHandler(save: (artifacts: ModelArtifacts) => Promise<SaveResult>): IOHandler {
    return { save };
  },
};
