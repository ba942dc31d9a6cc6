/**
 * `tf.io` and the model's persistence members against TF.js: weight encoding byte for byte,
 * in-memory and synchronous handlers, routers, `toJSON`, user metadata, `loadWeights`,
 * `tf.models.modelFromJSON`, and a model's input/output layers.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import * as tf from "../../src/tf.js";
import { tfc, tfl, oracleReady } from "./tfjs-oracle.js";
import { values, expectClose, randomTensor, savedArtifacts } from "./helpers.js";

beforeAll(oracleReady);

type Any = ReturnType<typeof JSON.parse>;
const toTheirs = (t: tf.Tensor) => tfc.tensor(Array.from(t.dataSync() as ArrayLike<number>), t.shape, t.dtype);

function twoLayer(impl: Any) {
  const x = impl.input({ shape: [3], name: "features" });
  const y = impl.layers.dense({ units: 2, name: "scores" }).apply(x);
  return impl.model({ inputs: x, outputs: y });
}

describe("tf.io", () => {
  test("encodeWeights / decodeWeights write and read the bytes TF.js does", async () => {
    const tensors = {
      a: randomTensor([2, 3], 1),
      b: tf.tensor([1, 2, 3], [3], "int32"),
      c: tf.tensor([1, 0], [2], "bool"),
    };
    const ours = await tf.io.encodeWeights(tensors);
    const theirs = await tfc.io.encodeWeights({
      a: toTheirs(tensors.a),
      b: toTheirs(tensors.b),
      c: toTheirs(tensors.c),
    });
    expect(ours.specs).toEqual(theirs.specs);
    expect(new Uint8Array(ours.data)).toEqual(new Uint8Array(theirs.data));
    const decoded = tf.io.decodeWeights(theirs.data, theirs.specs);
    expect(Object.keys(decoded)).toEqual(["a", "b", "c"]);
    expectClose(values(decoded.a), values(tensors.a), 0);
    expect(Array.from(decoded.b.dataSync())).toEqual([1, 2, 3]);
    expect(decoded.c.dtype).toBe("bool");
    const halves = [ours.data.slice(0, 10), ours.data.slice(10)];
    expect(new Uint8Array(tf.io.concatenateArrayBuffers(halves))).toEqual(new Uint8Array(ours.data));
    expect(tf.io.isHTTPScheme("https://x/model.json")).toBe(true);
    expect(tf.io.isHTTPScheme("file://x")).toBe(false);
  });

  test("synchronous handlers, routers and artifact info", async () => {
    const m = twoLayer(tf);
    let saved: tf.io.ModelArtifacts | undefined;
    const result = await m.save(
      tf.io.withSaveHandlerSync((a) => {
        saved = a;
        return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(a) };
      }),
    );
    expect(result.modelArtifactsInfo.weightDataBytes).toBe((3 * 2 + 2) * 4);
    const again = await tf.loadLayersModel(tf.io.fromMemorySync(saved!) as tf.io.IOHandler);
    const x = randomTensor([2, 3], 2);
    expectClose(values(again.predict(x) as tf.Tensor), values(m.predict(x) as tf.Tensor), 0);

    const store = new Map<string, tf.io.ModelArtifacts>();
    const memory: tf.io.IORouter = (url) =>
      typeof url === "string" && url.startsWith("memory://")
        ? {
            save: async (a) => {
              store.set(url, a);
              return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(a) };
            },
            load: async () => store.get(url)!,
          }
        : null;
    tf.io.registerSaveRouter(memory);
    tf.io.registerLoadRouter(memory);
    await m.save("memory://two");
    expect(tf.io.getSaveHandlers("memory://two").length).toBe(1);
    expect(tf.io.getLoadHandlers("file:///a/model.json").length).toBe(1);
    const fromRouter = await tf.loadLayersModel("memory://two");
    expectClose(values(fromRouter.predict(x) as tf.Tensor), values(m.predict(x) as tf.Tensor), 0);
    await expect(m.save("https://example.com/m")).rejects.toThrow(/offline/);
  });
});

describe("model persistence members", () => {
  test("toJSON is TF.js's topology; user metadata is saved and read by TF.js and back", async () => {
    const ours = twoLayer(tf);
    const theirs = twoLayer({ input: tfl.input, layers: tfl.layers, model: tfl.model });
    const json = ours.toJSON(null, false) as Any;
    const theirJson = theirs.toJSON(null, false);
    expect(Object.keys(json).sort()).toEqual(Object.keys(theirJson).sort());
    expect(JSON.parse(ours.toJSON() as string)).toEqual(json);
    expect(json.config.layers.map((l: Any) => l.class_name)).toEqual(
      theirJson.config.layers.map((l: Any) => l.class_name),
    );

    ours.setUserDefinedMetadata({ vocabulary: ["a", "b"], version: 3 });
    const dir = mkdtempSync(join(tmpdir(), "deepts-meta-"));
    await ours.save(`file://${dir}`);
    const file = JSON.parse(readFileSync(join(dir, "model.json"), "utf8"));
    expect(file.userDefinedMetadata).toEqual({ vocabulary: ["a", "b"], version: 3 });
    const again = await tf.loadLayersModel(`file://${dir}/model.json`);
    expect(again.getUserDefinedMetadata()).toEqual({ vocabulary: ["a", "b"], version: 3 });
    const bin = readFileSync(join(dir, "group1-shard1of1.bin"));
    const inTfjs = await tfl.loadLayersModel(
      tfc.io.fromMemory({
        modelTopology: file.modelTopology,
        weightSpecs: file.weightsManifest[0].weights,
        weightData: bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength),
        userDefinedMetadata: file.userDefinedMetadata,
      }),
    );
    expect(inTfjs.getUserDefinedMetadata()).toEqual({ vocabulary: ["a", "b"], version: 3 });
    expect(() => ours.setUserDefinedMetadata(null as never)).toThrow(/plain object/);
  });

  test("loadWeights by saved name; inputLayers, outputLayers, inputNames, findLayer as TF.js's", () => {
    const ours = twoLayer(tf);
    const theirs = twoLayer({ input: tfl.input, layers: tfl.layers, model: tfl.model });
    const kernel = randomTensor([3, 2], 3);
    const bias = randomTensor([2], 4);
    ours.loadWeights({ "scores/kernel": kernel, "scores/bias": bias });
    expectClose(values(ours.getWeights()[0]), values(kernel), 0);
    expect(() => ours.loadWeights({ "scores/kernel": kernel })).toThrow(/has no 'scores\/bias'/);
    ours.loadWeights({ "scores/kernel": tf.zeros([3, 2]) }, false);
    expect(values(ours.getWeights()[1])).toEqual(values(bias));
    expect(ours.inputNames).toEqual(theirs.inputNames);
    expect(ours.inputLayers.map((l) => l.name)).toEqual(theirs.inputLayers.map((l: Any) => l.name));
    expect(ours.outputLayers.map((l) => l.name)).toEqual(theirs.outputLayers.map((l: Any) => l.name));
    expect(ours.findLayer(1).name).toBe("scores");
  });

  test("includeOptimizer: TF.js's saved optimizer state is skipped and its training config compiles the model; ours saves one TF.js reads", async () => {
    const theirs = twoLayer({ input: tfl.input, layers: tfl.layers, model: tfl.model });
    theirs.compile({ optimizer: tfc.train.adam(0.02), loss: "meanSquaredError", metrics: ["mae"] });
    const x = randomTensor([8, 3], 8);
    const y = randomTensor([8, 2], 9);
    await theirs.fit(tfc.tensor(values(x), [8, 3]), tfc.tensor(values(y), [8, 2]), { epochs: 1, verbose: 0 });
    let saved: Any;
    await theirs.save(
      tfc.io.withSaveHandler(async (a: Any) => {
        saved = a;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" } };
      }),
      { includeOptimizer: true },
    );
    expect(saved.weightSpecs.some((s: Any) => s.group === "optimizer")).toBe(true);
    const ours = await tf.loadLayersModel(tf.io.fromMemory(saved));
    expectClose(
      values(ours.predict(x) as tf.Tensor),
      Array.from(theirs.predict(tfc.tensor(values(x), [8, 3])).dataSync()),
      1e-6,
    );
    expect(ours.optimizer?.getClassName()).toBe("Adam");
    expect(ours.optimizer?.getConfig().learningRate).toBeCloseTo(0.02);
    const h = await ours.fit(x, y, { epochs: 2, verbose: 0 });
    expect(Object.keys(h.history).sort()).toEqual(["loss", "mae"]);

    const mine = twoLayer(tf);
    mine.compile({ optimizer: tf.train.rmsprop(0.01), loss: "meanAbsoluteError", metrics: ["mse"] });
    const artifacts = await savedArtifacts<tf.io.ModelArtifacts>(
      { save: (h: unknown) => mine.save(h as tf.io.IOHandler, { includeOptimizer: true }) },
      tf.io,
    );
    expect(artifacts.trainingConfig?.optimizer_config.class_name).toBe("RMSProp");
    const back = await tf.loadLayersModel(tf.io.fromMemory(artifacts));
    expect(back.optimizer?.getClassName()).toBe("RMSProp");
    const inTfjs = await tfl.loadLayersModel(tfc.io.fromMemory(artifacts));
    expect(inTfjs.optimizer.getClassName()).toBe("RMSProp");
    await inTfjs.fit(tfc.tensor(values(x), [8, 3]), tfc.tensor(values(y), [8, 2]), { epochs: 1, verbose: 0 });
  });

  test("tf.models.modelFromJSON builds from model.json contents, with weights from pathPrefix", async () => {
    const m = twoLayer(tf);
    m.setWeights([randomTensor([3, 2], 5), randomTensor([2], 6)]);
    const dir = mkdtempSync(join(tmpdir(), "deepts-fromjson-"));
    await m.save(`file://${dir}`);
    const json = JSON.parse(readFileSync(join(dir, "model.json"), "utf8"));
    const withWeights = await tf.models.modelFromJSON({ ...json, pathPrefix: dir });
    const x = randomTensor([2, 3], 7);
    expectClose(values(withWeights.predict(x) as tf.Tensor), values(m.predict(x) as tf.Tensor), 0);
    const topologyOnly = await tf.models.modelFromJSON(json.modelTopology);
    expect(topologyOnly.layers.map((l) => l.name)).toEqual(m.layers.map((l) => l.name));
  });
});
