/**
 * Models on disk and the URL routers of `tf.io`: `file://dir` (save: model.json + one weights
 * file) and `file://…/model.json` (load, with every weights file of its manifest). Routers map a
 * URL to an IOHandler; `registerSaveRouter` / `registerLoadRouter` add schemes.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import {
  concatenateArrayBuffers,
  getModelArtifactsForJSON,
  getModelArtifactsInfoForJSON,
  getWeightSpecs,
  modelJSONFor,
  type IOHandler,
  type ModelArtifacts,
  type ModelJSON,
  type WeightSpec,
  type WeightsManifestEntry,
} from "./artifacts.js";

const WEIGHTS_FILE = "group1-shard1of1.bin";

function localPath(url: string): string {
  return resolve(url.startsWith("file://") ? url.slice("file://".length) : url);
}

/** Saves to directory `url` (model.json + group1-shard1of1.bin) or loads `url`'s model.json. */
export function fileHandler(url: string): IOHandler {
  return {
    async save(artifacts: ModelArtifacts) {
      const dir = localPath(url);
      mkdirSync(dir, { recursive: true });
      const text = JSON.stringify(modelJSONFor(artifacts, [WEIGHTS_FILE]));
      writeFileSync(join(dir, "model.json"), text);
      writeFileSync(join(dir, WEIGHTS_FILE), new Uint8Array(artifacts.weightData ?? new ArrayBuffer(0)));
      return { modelArtifactsInfo: { ...getModelArtifactsInfoForJSON(artifacts), modelTopologyBytes: text.length } };
    },
    async load() {
      const file = localPath(url);
      let json: ModelJSON;
      try {
        json = JSON.parse(readFileSync(file, "utf8"));
      } catch (e) {
        throw new Error(`loadLayersModel: cannot read ${file}: ${(e as Error).message}`);
      }
      if (!json.modelTopology) throw new Error(`loadLayersModel: ${file} has no modelTopology`);
      return getModelArtifactsForJSON(json, async (manifest) => readManifestWeights(dirname(file), manifest));
    },
  };
}

/** The specs and the bytes of a manifest's weight files, read from `dir`. */
export function readManifestWeights(dir: string, manifest: WeightsManifestEntry[]): [WeightSpec[], ArrayBuffer] {
  const buffers = manifest.flatMap((group) =>
    group.paths.map((p) => {
      const bytes = readFileSync(join(localPath(dir), p));
      return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    }),
  );
  return [getWeightSpecs(manifest), concatenateArrayBuffers(buffers)];
}

/** Makes an IOHandler for a URL it understands, or returns null. */
export type IORouter = (url: string | string[], options?: unknown) => IOHandler | null;

const fileRouter: IORouter = (url) => (typeof url === "string" && url.startsWith("file://") ? fileHandler(url) : null);
// Loading also takes a plain path to model.json.
const pathRouter: IORouter = (url) => (typeof url === "string" && !url.includes("://") ? fileHandler(url) : null);
const saveRouters: IORouter[] = [fileRouter];
const loadRouters: IORouter[] = [fileRouter, pathRouter];

/** Adds a router that `model.save(url)` consults. */
export function registerSaveRouter(router: IORouter): void {
  saveRouters.unshift(router);
}
/** Adds a router that `tf.loadLayersModel(url)` consults. */
export function registerLoadRouter(router: IORouter): void {
  loadRouters.unshift(router);
}

/** The handlers for saving to `url` (the first one is used). */
export function getSaveHandlers(url: string | string[]): IOHandler[] {
  return saveRouters.map((r) => r(url)).filter((h): h is IOHandler => h !== null);
}
/** The handlers for loading from `url` (the first one is used). */
export function getLoadHandlers(url: string | string[], options?: unknown): IOHandler[] {
  return loadRouters.map((r) => r(url, options)).filter((h): h is IOHandler => h !== null);
}

/** Whether `url` is http(s) (those need a network, which deepts does not use). */
export function isHTTPScheme(url: string): boolean {
  return /^https?:\/\//.test(url);
}

/** The handler for `url`, with a clear message when no router takes it. */
export function handlerFor(url: string, mode: "save" | "load"): IOHandler {
  const handlers = mode === "save" ? getSaveHandlers(url) : getLoadHandlers(url);
  if (handlers.length > 0) return handlers[0];
  const http = isHTTPScheme(url)
    ? " (http(s) URLs are not supported: deepts works offline; download the files first)"
    : "";
  throw new Error(
    mode === "save"
      ? `model.save takes 'file://dir', 'indexeddb://name', 'localstorage://name', 'downloads://name' or an IOHandler, got '${url}'${http}`
      : `loadLayersModel takes a 'file://…/model.json' path, 'indexeddb://name', 'localstorage://name' or an IOHandler, got '${url}'${http}`,
  );
}
