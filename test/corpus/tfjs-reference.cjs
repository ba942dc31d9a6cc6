/**
 * The reference `tf` of the corpus: what the packaged `@tensorflow/tfjs` gives in Node, put together
 * from the TF.js 4.22 packages deepts tests against: tfjs-core with its chained ops, the cpu
 * backend, tfjs-layers, tfjs-data (when installed), and `file://` model saving as tfjs-node has it.
 */
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const core = require("@tensorflow/tfjs-core");
require("@tensorflow/tfjs-backend-cpu");
const layers = require("@tensorflow/tfjs-layers");
let data;
try {
  data = require("@tensorflow/tfjs-data");
} catch {
  data = undefined;
}

// The CommonJS build of tfjs-core does not register the chained ops (x.add(y), x.toInt()); the
// packaged @tensorflow/tfjs does. Run tfjs-core's own registration files against the CommonJS ops.
const chainedDir = path.join(path.dirname(require.resolve("@tensorflow/tfjs-core")), "public", "chained_ops");
for (const file of fs.readdirSync(chainedDir)) {
  if (!file.endsWith(".js") || file.startsWith("register_all")) continue;
  const bindings = [];
  const body = fs
    .readFileSync(path.join(chainedDir, file), "utf8")
    .replace(/^import\s*\{([^}]*)\}\s*from\s*'[^']*';\s*$/gm, (_m, list) => {
      for (const spec of list
        .split(",")
        .map((x) => x.trim())
        .filter(Boolean)) {
        const [name, alias] = spec.split(/\s+as\s+/);
        const value =
          name === "getGlobalTensorClass" ? () => core.Tensor : (core[name] ?? core.util[name] ?? core.image[name]);
        bindings.push([alias || name, value]);
      }
      return "";
    })
    .replace(/^.*sourceMappingURL.*$/m, "");
  if (bindings.some(([, value]) => value === undefined)) continue;
  new Function(...bindings.map(([n]) => n), body)(...bindings.map(([, v]) => v));
}

/** `file://` saving and loading (model.json + weights.bin), as tfjs-node gives. */
function fileHandler(url) {
  const target = url.slice("file://".length);
  return {
    async save(artifacts) {
      fs.mkdirSync(target, { recursive: true });
      const weightsManifest = [{ paths: ["weights.bin"], weights: artifacts.weightSpecs }];
      const modelJson = {
        modelTopology: artifacts.modelTopology,
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy,
        weightsManifest,
      };
      fs.writeFileSync(path.join(target, "model.json"), JSON.stringify(modelJson));
      fs.writeFileSync(path.join(target, "weights.bin"), Buffer.from(artifacts.weightData));
      return { modelArtifactsInfo: core.io.getModelArtifactsInfoForJSON(artifacts) };
    },
    async load() {
      const modelJson = JSON.parse(fs.readFileSync(target, "utf8"));
      const dir = path.dirname(target);
      const all = Buffer.concat(
        modelJson.weightsManifest.flatMap((g) => g.paths.map((p) => fs.readFileSync(path.join(dir, p)))),
      );
      return {
        modelTopology: modelJson.modelTopology,
        weightSpecs: modelJson.weightsManifest.flatMap((g) => g.weights),
        weightData: all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength),
        format: modelJson.format,
      };
    },
  };
}
const isFileUrl = (url) => typeof url === "string" && url.startsWith("file://");
core.io.registerSaveRouter((url) => (isFileUrl(url) ? fileHandler(url) : null));
core.io.registerLoadRouter((url) => (isFileUrl(url) ? fileHandler(url) : null));

module.exports = { ...core, ...layers, data };
