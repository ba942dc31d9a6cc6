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
  artifactsOfJSON,
  decodeTensors,
  encodeTensors,
  type IOHandler,
  type IOHandlerSync,
  type ModelArtifacts,
  type ModelJSON,
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
export { copyModel, listModels, moveModel, removeModel } from "./model-store.js";
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

/**
 * The artifacts of a parsed model.json whose weights are at hand (TF.js's synchronous form of
 * `getModelArtifactsForJSON`). Example: `tf.io.getModelArtifactsForJSONSync(json, specs, data)`.
 */
export function getModelArtifactsForJSONSync(
  json: ModelJSON,
  weightSpecs?: WeightSpec[],
  weightData?: ArrayBuffer | ArrayBuffer[],
): ModelArtifacts {
  const artifacts = artifactsOfJSON(json);
  if (weightSpecs) artifacts.weightSpecs = weightSpecs;
  if (weightData) artifacts.weightData = CompositeArrayBuffer.join(weightData);
  return artifacts;
}

/**
 * Several ArrayBuffers read as one (TF.js splits weights above 2 GB this way): `byteLength`,
 * `slice(start, end)` across the pieces, and `CompositeArrayBuffer.join(buffers)`.
 * Example: `new tf.io.CompositeArrayBuffer([a, b]).slice(4, 12)`.
 */
export class CompositeArrayBuffer {
  private readonly pieces: Uint8Array[];
  readonly byteLength: number;

  constructor(buffers?: ArrayBuffer | ArrayBufferView | (ArrayBuffer | ArrayBufferView)[]) {
    const list = buffers === undefined ? [] : Array.isArray(buffers) ? buffers : [buffers];
    this.pieces = list.map((b) =>
      ArrayBuffer.isView(b) ? new Uint8Array(b.buffer, b.byteOffset, b.byteLength) : new Uint8Array(b),
    );
    this.byteLength = this.pieces.reduce((n, p) => n + p.byteLength, 0);
  }

  /** A copy of bytes `[start, end)` (negative positions count from the end, like `ArrayBuffer.slice`). */
  slice(start = 0, end = this.byteLength): ArrayBuffer {
    const clamp = (v: number) => Math.min(Math.max(v < 0 ? v + this.byteLength : v, 0), this.byteLength);
    const from = clamp(start);
    const to = Math.max(from, clamp(end));
    const out = new Uint8Array(to - from);
    let offset = 0;
    for (const p of this.pieces) {
      const lo = Math.max(from - offset, 0);
      const hi = Math.min(to - offset, p.byteLength);
      if (lo < hi) out.set(p.subarray(lo, hi), offset + lo - from);
      offset += p.byteLength;
    }
    return out.buffer;
  }

  /** The buffers' bytes in one ArrayBuffer (one buffer is returned as is). */
  static join(buffers?: ArrayBuffer | ArrayBuffer[]): ArrayBuffer {
    if (buffers instanceof ArrayBuffer) return buffers;
    if (buffers && buffers.length === 1) return buffers[0];
    return new CompositeArrayBuffer(buffers).slice();
  }
}

/**
 * Reads a stream of weight bytes to its end and decodes it with `specs` (TF.js's streaming form of
 * `decodeWeights`). Example: `await tf.io.decodeWeightsStream(fs.createReadStream(...)…, specs)`.
 */
export async function decodeWeightsStream(
  weightStream: ReadableStream<ArrayBuffer | Uint8Array> | AsyncIterable<ArrayBuffer | Uint8Array>,
  specs: WeightSpec[],
): Promise<Record<string, tf.Tensor>> {
  const chunks: (ArrayBuffer | Uint8Array)[] = [];
  if (Symbol.asyncIterator in weightStream) {
    for await (const chunk of weightStream as AsyncIterable<ArrayBuffer | Uint8Array>) chunks.push(chunk);
  } else {
    const reader = (weightStream as ReadableStream<ArrayBuffer | Uint8Array>).getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
    }
  }
  return decodeWeights(new CompositeArrayBuffer(chunks).slice(), specs);
}
