/**
 * TF.js's saved-model data: `ModelArtifacts` (topology + weight specs + one weight buffer), the
 * `model.json` layout (`ModelJSON` with its `weightsManifest`), and weight encoding: little-endian
 * float32/int32, bool as bytes, concatenated in spec order.
 */
import * as tf from "./core.js";

export type WeightDType = "float32" | "int32" | "bool";

/** One weight in a buffer: its saved name, shape and dtype. */
export interface WeightSpec {
  name: string;
  shape: number[];
  dtype: WeightDType;
  /** 'optimizer' for optimizer state that TF.js saves with `includeOptimizer` (not layer weights). */
  group?: string;
}

/** A group of weight files in model.json (`paths` relative to model.json). */
export interface WeightsManifestEntry {
  paths: string[];
  weights: WeightSpec[];
}

/** The training options saved with a compiled model (TF.js's `TrainingConfig`). */
export interface TrainingConfig {
  // biome-ignore lint/suspicious/noExplicitAny: a Keras JSON config
  [key: string]: any;
}

/** What a save handler receives and a load handler returns (TF.js's `ModelArtifacts`). */
export interface ModelArtifacts {
  modelTopology: Record<string, unknown>;
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  weightSpecs?: WeightSpec[];
  weightData?: ArrayBuffer;
  trainingConfig?: TrainingConfig;
  userDefinedMetadata?: Record<string, unknown>;
}

/** The contents of model.json. */
export interface ModelJSON {
  modelTopology: Record<string, unknown>;
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  weightsManifest: WeightsManifestEntry[];
  trainingConfig?: TrainingConfig;
  userDefinedMetadata?: Record<string, unknown>;
}

/** Sizes of what was saved (TF.js's `ModelArtifactsInfo`). */
export interface ModelArtifactsInfo {
  dateSaved: Date;
  modelTopologyType: "JSON";
  modelTopologyBytes?: number;
  weightSpecsBytes?: number;
  weightDataBytes?: number;
}

export interface SaveResult {
  modelArtifactsInfo: ModelArtifactsInfo;
}

/** Where a model is saved to or loaded from (`tf.io.withSaveHandler`, `tf.io.fromMemory`, `file://…`). */
export interface IOHandler {
  save?(artifacts: ModelArtifacts): Promise<SaveResult>;
  load?(): Promise<ModelArtifacts>;
}

/** The synchronous form (`tf.io.fromMemorySync`, `tf.io.withSaveHandlerSync`). */
export interface IOHandlerSync {
  save?(artifacts: ModelArtifacts): SaveResult;
  load?(): ModelArtifacts;
}

const BYTES: Record<WeightDType, number> = { float32: 4, int32: 4, bool: 1 };

/** One buffer with the bytes of all `buffers`, in order. */
export function concatenateArrayBuffers(buffers: ArrayBuffer | ArrayBuffer[]): ArrayBuffer {
  const list = Array.isArray(buffers) ? buffers : [buffers];
  const out = new Uint8Array(list.reduce((n, b) => n + b.byteLength, 0));
  let offset = 0;
  for (const b of list) {
    out.set(new Uint8Array(b), offset);
    offset += b.byteLength;
  }
  return out.buffer;
}

/** Specs and one buffer for named tensors, in order. */
export function encodeTensors(tensors: { name: string; tensor: tf.Tensor }[]): {
  specs: WeightSpec[];
  data: ArrayBuffer;
} {
  const specs: WeightSpec[] = [];
  const chunks: ArrayBuffer[] = [];
  for (const { name, tensor } of tensors) {
    const dtype = tensor.dtype as WeightDType;
    if (!(dtype in BYTES)) throw new Error(`cannot save weight ${name} of dtype ${tensor.dtype}`);
    const values = tensor.dataSync();
    specs.push({ name, shape: tensor.shape.slice(), dtype });
    const bytes =
      dtype === "bool"
        ? Uint8Array.from(values as ArrayLike<number>)
        : new Uint8Array(values.buffer, values.byteOffset, values.byteLength).slice();
    chunks.push(bytes.buffer);
  }
  return { specs, data: concatenateArrayBuffers(chunks) };
}

/** Splits a weight buffer into named tensors (`name:0` suffixes of Keras names dropped). */
export function decodeTensors(specs: WeightSpec[], data: ArrayBuffer | ArrayBuffer[]): Map<string, tf.Tensor> {
  const buffer = Array.isArray(data) ? concatenateArrayBuffers(data) : data;
  const out = new Map<string, tf.Tensor>();
  let offset = 0;
  for (const spec of specs) {
    const dtype = spec.dtype ?? "float32";
    if (!(dtype in BYTES))
      throw new Error(`weight ${spec.name} has dtype ${dtype}, which cannot be read (float32, int32, bool)`);
    const n = spec.shape.reduce((a, b) => a * b, 1);
    const size = n * BYTES[dtype];
    if (offset + size > buffer.byteLength)
      throw new Error(
        `the weight data is too short for ${spec.name} (needs ${offset + size} bytes, has ${buffer.byteLength})`,
      );
    const bytes = buffer.slice(offset, offset + size);
    const values =
      dtype === "float32" ? new Float32Array(bytes) : dtype === "int32" ? new Int32Array(bytes) : new Uint8Array(bytes);
    out.set(spec.name.replace(/:\d+$/, ""), tf.tensor(values, spec.shape, dtype));
    offset += size;
  }
  return out;
}

/** The weight specs of a manifest, all groups in order. */
export function getWeightSpecs(manifest: WeightsManifestEntry[]): WeightSpec[] {
  return manifest.flatMap((group) => group.weights);
}

/** Sizes of the artifacts, as `model.save` reports them. */
export function getModelArtifactsInfoForJSON(artifacts: ModelArtifacts): ModelArtifactsInfo {
  return {
    dateSaved: new Date(),
    modelTopologyType: "JSON",
    modelTopologyBytes: JSON.stringify(artifacts.modelTopology).length,
    weightSpecsBytes: artifacts.weightSpecs ? JSON.stringify(artifacts.weightSpecs).length : 0,
    weightDataBytes: artifacts.weightData?.byteLength ?? 0,
  };
}

/** model.json for artifacts whose weights are stored at `paths`. */
export function modelJSONFor(artifacts: ModelArtifacts, paths: string[]): ModelJSON {
  const json: ModelJSON = {
    modelTopology: artifacts.modelTopology,
    format: artifacts.format,
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy,
    weightsManifest: [{ paths, weights: artifacts.weightSpecs ?? [] }],
  };
  if (artifacts.trainingConfig) json.trainingConfig = artifacts.trainingConfig;
  if (artifacts.userDefinedMetadata) json.userDefinedMetadata = artifacts.userDefinedMetadata;
  return json;
}

/** model.json's topology, provenance, training config and metadata as artifacts, without weights yet. */
export function artifactsOfJSON(json: ModelJSON): ModelArtifacts {
  const artifacts: ModelArtifacts = {
    modelTopology: json.modelTopology,
    format: json.format,
    generatedBy: json.generatedBy,
    convertedBy: json.convertedBy,
  };
  if (json.trainingConfig) artifacts.trainingConfig = json.trainingConfig;
  if (json.userDefinedMetadata) artifacts.userDefinedMetadata = json.userDefinedMetadata;
  return artifacts;
}

/** Artifacts from model.json, with the weights that `loadWeights` reads for its manifest. */
export async function getModelArtifactsForJSON(
  json: ModelJSON,
  loadWeights: (manifest: WeightsManifestEntry[]) => Promise<[WeightSpec[], ArrayBuffer]>,
): Promise<ModelArtifacts> {
  const artifacts = artifactsOfJSON(json);
  if (json.weightsManifest) {
    const [specs, data] = await loadWeights(json.weightsManifest);
    artifacts.weightSpecs = specs;
    artifacts.weightData = data;
  }
  return artifacts;
}
