/**
 * The TF.js "layers-model" format: `model.json` holds `modelTopology` (the Keras config, snake_case)
 * and a `weightsManifest`; the weights are little-endian binary in `group1-shard1of1.bin`. Files
 * written here load in TF.js (`tf.loadLayersModel`) and back. Saving takes the model by the
 * `SavableModel` interface; rebuilding a model from these artifacts is `load.ts`.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import * as tf from "./core.js";
import type { SavableModel, SavableWeight } from "./model-types.js";
import { configToJson } from "./naming.js";

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
export function modelTopology(model: SavableModel): Record<string, unknown> {
  return {
    class_name: model.getClassName(),
    config: configToJson(model.getConfig()),
    keras_version: "tfjs-layers 4.22.0",
    backend: "tensor_flow.js",
  };
}

/** Weight specs and one buffer with all weight values, in the given order. */
export function encodeWeights(weights: SavableWeight[]): { specs: WeightSpec[]; data: ArrayBuffer } {
  const specs: WeightSpec[] = [];
  const chunks: Uint8Array[] = [];
  for (const w of weights) {
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

function modelArtifacts(model: SavableModel): ModelArtifacts {
  const { specs, data } = encodeWeights(model.weights);
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
export async function saveModel(model: SavableModel, target: SaveTarget): Promise<SaveResult> {
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
