/**
 * The browser's model URLs in a kernel. `indexeddb://name` and `localstorage://name` save to and
 * load from a store on disk, so a notebook's saved models outlive a kernel restart as a page's
 * outlive a reload; `tf.io.listModels`, `removeModel`, `copyModel` and `moveModel` manage it.
 * `downloads://name` writes name.json and name.weights.bin to the working directory (next to the
 * notebook), where a browser would have downloaded them; `tf.loadLayersModel('name.json')` reads
 * them back.
 *
 * The store is $DEEPTS_MODEL_STORE, else $XDG_DATA_HOME/deepts/models, else
 * ~/.local/share/deepts/models: one folder per model, under its scheme.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import {
  getModelArtifactsInfoForJSON,
  modelJSONFor,
  type IOHandler,
  type ModelArtifacts,
  type ModelArtifactsInfo,
} from "./artifacts.js";
import {
  fileHandler,
  getLoadHandlers,
  getSaveHandlers,
  registerLoadRouter,
  registerSaveRouter,
} from "./file-handler.js";

const SCHEMES = ["indexeddb", "localstorage"] as const;
type Scheme = (typeof SCHEMES)[number];
const WEIGHTS_FILE = "weights.bin";

/** The folder that holds the stored models. */
export function modelStoreRoot(): string {
  if (process.env.DEEPTS_MODEL_STORE) return resolve(process.env.DEEPTS_MODEL_STORE);
  const data = process.env.XDG_DATA_HOME || join(homedir(), ".local", "share");
  return join(data, "deepts", "models");
}

function parseStoreUrl(url: string): { scheme: Scheme; name: string } | null {
  const match = /^([a-z]+):\/\/(.*)$/.exec(url);
  if (!match || !(SCHEMES as readonly string[]).includes(match[1])) return null;
  if (match[2] === "") throw new Error(`'${url}' names no model: give it a name, e.g. '${match[1]}://my-model'`);
  return { scheme: match[1] as Scheme, name: match[2] };
}

const folderOf = (scheme: Scheme, name: string) => join(modelStoreRoot(), scheme, encodeURIComponent(name));
const infoFile = (folder: string) => join(folder, "info.json");

function readInfo(folder: string): ModelArtifactsInfo | undefined {
  try {
    const info = JSON.parse(readFileSync(infoFile(folder), "utf8"));
    return { ...info, dateSaved: new Date(info.dateSaved) };
  } catch {
    return undefined;
  }
}

/** Saves to and loads from the store's folder for `url`. */
function storeHandler(url: string, scheme: Scheme, name: string): IOHandler {
  const folder = folderOf(scheme, name);
  return {
    async save(artifacts: ModelArtifacts) {
      mkdirSync(folder, { recursive: true });
      const text = JSON.stringify(modelJSONFor(artifacts, [WEIGHTS_FILE]));
      writeFileSync(join(folder, WEIGHTS_FILE), new Uint8Array(artifacts.weightData ?? new ArrayBuffer(0)));
      writeFileSync(join(folder, "model.json"), text);
      const info = getModelArtifactsInfoForJSON(artifacts);
      writeFileSync(infoFile(folder), JSON.stringify(info));
      return { modelArtifactsInfo: info };
    },
    async load() {
      if (!existsSync(join(folder, "model.json")))
        throw new Error(
          `no model is saved at '${url}' (saved models: ${Object.keys(await listModels()).join(", ") || "none"})`,
        );
      const handler = fileHandler(join(folder, "model.json"));
      return (handler.load as () => Promise<ModelArtifacts>)();
    },
  };
}

/** Writes `<name>.json` and `<name>.weights.bin` to the working directory. */
function downloadsHandler(name: string): IOHandler {
  return {
    async save(artifacts: ModelArtifacts) {
      const weights = `${name}.weights.bin`;
      const text = JSON.stringify(modelJSONFor(artifacts, [`./${weights}`]));
      writeFileSync(resolve(`${name}.json`), text);
      writeFileSync(resolve(weights), new Uint8Array(artifacts.weightData ?? new ArrayBuffer(0)));
      return { modelArtifactsInfo: getModelArtifactsInfoForJSON(artifacts) };
    },
  };
}

/**
 * Every model in the store, by URL. Example:
 * ```ts
 * await model.save('indexeddb://my-model');
 * Object.keys(await tf.io.listModels()); // ["indexeddb://my-model"]
 * ```
 */
export async function listModels(): Promise<Record<string, ModelArtifactsInfo>> {
  const out: Record<string, ModelArtifactsInfo> = {};
  for (const scheme of SCHEMES) {
    const dir = join(modelStoreRoot(), scheme);
    if (!existsSync(dir)) continue;
    for (const entry of readdirSync(dir).sort()) {
      const info = readInfo(join(dir, entry));
      if (info) out[`${scheme}://${decodeURIComponent(entry)}`] = info;
    }
  }
  return out;
}

function storedModel(url: string, what: string): { folder: string; info: ModelArtifactsInfo } {
  const parsed = parseStoreUrl(url);
  if (!parsed) throw new Error(`${what}: '${url}' is not a stored model's URL (indexeddb://… or localstorage://…)`);
  const folder = folderOf(parsed.scheme, parsed.name);
  const info = readInfo(folder);
  if (!info) throw new Error(`${what}: cannot find a model saved at '${url}'`);
  return { folder, info };
}

/** Deletes a stored model and returns what it was. Example: `await tf.io.removeModel('indexeddb://my-model')`. */
export async function removeModel(url: string): Promise<ModelArtifactsInfo> {
  const { folder, info } = storedModel(url, "removeModel");
  rmSync(folder, { recursive: true, force: true });
  return info;
}

/** Copies a stored model to another URL (a stored one or `file://…`). Example: `await tf.io.copyModel('localstorage://a', 'indexeddb://b')`. */
export async function copyModel(sourceUrl: string, destUrl: string): Promise<ModelArtifactsInfo> {
  storedModel(sourceUrl, "copyModel");
  const [source] = getLoadHandlers(sourceUrl);
  const [dest] = getSaveHandlers(destUrl);
  if (!dest?.save) throw new Error(`copyModel: cannot save to '${destUrl}'`);
  const artifacts = await (source.load as () => Promise<ModelArtifacts>)();
  return (await dest.save(artifacts)).modelArtifactsInfo;
}

/** Moves a stored model to another URL. Example: `await tf.io.moveModel('localstorage://a', 'indexeddb://a')`. */
export async function moveModel(sourceUrl: string, destUrl: string): Promise<ModelArtifactsInfo> {
  const info = await copyModel(sourceUrl, destUrl);
  if (sourceUrl !== destUrl) await removeModel(sourceUrl);
  return info;
}

const storeRouter = (url: string | string[]) => {
  if (typeof url !== "string") return null;
  const parsed = parseStoreUrl(url);
  return parsed ? storeHandler(url, parsed.scheme, parsed.name) : null;
};
const downloadsRouter = (url: string | string[]) =>
  typeof url === "string" && url.startsWith("downloads://")
    ? downloadsHandler(url.slice("downloads://".length) || "model")
    : null;

registerSaveRouter(storeRouter);
registerLoadRouter(storeRouter);
registerSaveRouter(downloadsRouter);
