/** Models move between deepts and TF.js in the TF.js file format, both ways, with identical predictions. */
import { describe, expect, test, beforeAll } from "vitest";
import { mkdtempSync, readFileSync, existsSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tf from "../../src/runtime/index.js";
import {
  layers,
  sequential,
  model,
  input,
  loadLayersModel,
  io,
  type LayersModel,
  type SymbolicTensor,
  type ModelArtifacts,
} from "../../src/models/index.js";
import { tfc, tfl, oracleReady } from "./tfjs-oracle.js";
import { values, expectClose, randomTensor } from "./helpers.js";

beforeAll(oracleReady);

const tmp = () => mkdtempSync(join(tmpdir(), "deepts-model-"));

/** TF.js reads the files deepts wrote (its file:// loader needs tfjs-node, so read them here and use fromMemory). */
async function loadInTfjs(dir: string) {
  const json = JSON.parse(readFileSync(join(dir, "model.json"), "utf8"));
  const bin = readFileSync(join(dir, json.weightsManifest[0].paths[0]));
  const data = bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength);
  return tfl.loadLayersModel(tfc.io.fromMemory(json.modelTopology, json.weightsManifest[0].weights, data));
}

/** TF.js saves through a handler that writes the same two files deepts reads. */
async function saveFromTfjs(m: { save: (h: unknown) => Promise<unknown> }, dir: string) {
  await m.save(
    tfc.io.withSaveHandler(async (a: ModelArtifacts) => {
      const json = {
        modelTopology: a.modelTopology,
        format: a.format,
        generatedBy: a.generatedBy,
        weightsManifest: [{ paths: ["weights.bin"], weights: a.weightSpecs }],
      };
      writeFileSync(join(dir, "model.json"), JSON.stringify(json));
      writeFileSync(join(dir, "weights.bin"), new Uint8Array(a.weightData as ArrayBuffer));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" } };
    }),
  );
}

function expectSamePredictions(
  ours: LayersModel,
  theirs: { predict: (x: unknown) => { dataSync(): Float32Array } },
  x: tf.Tensor,
) {
  const a = values(ours.predict(x) as tf.Tensor);
  const b = Array.from(theirs.predict(tfc.tensor(values(x), x.shape)).dataSync());
  expectClose(a, b, 1e-5);
}

function convNet(): LayersModel {
  tf.setSeed(21);
  const m = sequential();
  m.add(
    layers.conv2d({ inputShape: [8, 8, 1], filters: 3, kernelSize: 3, activation: "relu", kernelRegularizer: "l2" }),
  );
  m.add(layers.maxPooling2d({ poolSize: 2 }));
  m.add(layers.batchNormalization());
  m.add(layers.flatten());
  m.add(layers.dropout({ rate: 0.25 }));
  m.add(layers.dense({ units: 4, activation: "softmax", kernelInitializer: "heNormal" }));
  return m;
}

function rnnNet(): LayersModel {
  tf.setSeed(22);
  const m = sequential();
  m.add(layers.embedding({ inputDim: 10, outputDim: 4, inputLength: 5 }));
  m.add(layers.simpleRNN({ units: 3, returnSequences: true }));
  m.add(layers.lstm({ units: 3, returnSequences: true }));
  m.add(layers.gru({ units: 3 }));
  m.add(layers.dense({ units: 2 }));
  return m;
}

function branchyNet(): LayersModel {
  tf.setSeed(23);
  const inp = input({ shape: [6] });
  const a = layers.dense({ units: 4, activation: "tanh" }).apply(inp) as SymbolicTensor;
  const b = layers.dense({ units: 3, activation: "relu" }).apply(inp) as SymbolicTensor;
  const c = layers.concatenate().apply([a, b]) as SymbolicTensor;
  const d = layers
    .add()
    .apply([
      layers.dense({ units: 2 }).apply(c) as SymbolicTensor,
      layers.dense({ units: 2 }).apply(a) as SymbolicTensor,
    ]) as SymbolicTensor;
  return model({ inputs: inp, outputs: d });
}

const ids = () =>
  tf.tensor(
    [
      [1, 2, 3, 4, 5],
      [9, 0, 0, 7, 1],
    ],
    [2, 5],
    "float32",
  );

describe("deepts → TF.js", () => {
  const cases: [string, () => LayersModel, () => tf.Tensor][] = [
    ["conv net with batch norm, dropout, regularizer", convNet, () => randomTensor([3, 8, 8, 1], 31)],
    ["embedding + SimpleRNN + LSTM + GRU", rnnNet, ids],
    ["functional model with concatenate and add", branchyNet, () => randomTensor([3, 6], 32)],
  ];
  for (const [name, make, x] of cases) {
    test(name, async () => {
      const m = make();
      const dir = tmp();
      const result = await m.save(`file://${dir}`);
      expect(existsSync(join(dir, "model.json"))).toBe(true);
      expect(existsSync(join(dir, "group1-shard1of1.bin"))).toBe(true);
      expect(result.modelArtifactsInfo.weightDataBytes).toBe(m.countParams() * 4);
      const json = JSON.parse(readFileSync(join(dir, "model.json"), "utf8"));
      expect(json.format).toBe("layers-model");
      expect(json.modelTopology.class_name).toBe(m.getClassName());
      const theirs = await loadInTfjs(dir);
      expect(theirs.layers.map((l: { name: string }) => l.name)).toEqual(m.layers.map((l) => l.name));
      expectSamePredictions(m, theirs, x());
      // and back into deepts from the same files
      const again = await loadLayersModel(`file://${join(dir, "model.json")}`);
      expectClose(values(again.predict(x()) as tf.Tensor), values(m.predict(x()) as tf.Tensor), 1e-6);
    });
  }
});

describe("TF.js → deepts", () => {
  test("sequential conv net and recurrent net saved by TF.js load with identical predictions", async () => {
    const conv = tfl.sequential();
    conv.add(
      tfl.layers.conv2d({ inputShape: [8, 8, 1], filters: 2, kernelSize: 3, padding: "same", activation: "relu" }),
    );
    conv.add(tfl.layers.averagePooling2d({ poolSize: 2 }));
    conv.add(tfl.layers.batchNormalization());
    conv.add(tfl.layers.globalAveragePooling2d({}));
    conv.add(tfl.layers.dense({ units: 3, activation: "softmax" }));
    const rnn = tfl.sequential();
    rnn.add(tfl.layers.lstm({ inputShape: [4, 2], units: 3, returnSequences: true }));
    rnn.add(tfl.layers.gru({ units: 2, returnSequences: true }));
    rnn.add(tfl.layers.simpleRNN({ units: 2 }));
    rnn.add(tfl.layers.dense({ units: 1, activation: "sigmoid" }));
    for (const [theirs, x] of [
      [conv, randomTensor([2, 8, 8, 1], 41)],
      [rnn, randomTensor([3, 4, 2], 42)],
    ] as const) {
      const dir = tmp();
      await saveFromTfjs(theirs, dir);
      const ours = await loadLayersModel(`file://${join(dir, "model.json")}`);
      expect(ours.layers.map((l) => l.getClassName())).toEqual(
        theirs.layers.map((l: { getClassName(): string }) => l.getClassName()),
      );
      expectSamePredictions(ours, theirs, x);
    }
  });

  test("functional TF.js model loads through io.fromMemory", async () => {
    const inp = tfl.input({ shape: [5] });
    const h1 = tfl.layers.dense({ units: 4, activation: "relu" }).apply(inp);
    const h2 = tfl.layers.dense({ units: 4, activation: "elu" }).apply(inp);
    const out = tfl.layers.dense({ units: 2, activation: "softmax" }).apply(tfl.layers.concatenate().apply([h1, h2]));
    const theirs = tfl.model({ inputs: inp, outputs: out });
    let artifacts: ModelArtifacts | undefined;
    await theirs.save(
      tfc.io.withSaveHandler(async (a: ModelArtifacts) => {
        artifacts = a;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" } };
      }),
    );
    const ours = await loadLayersModel(
      io.fromMemory(artifacts!.modelTopology, artifacts!.weightSpecs, artifacts!.weightData),
    );
    expectSamePredictions(ours, theirs, randomTensor([4, 5], 43));
  });
});

describe("errors", () => {
  test("missing files, missing weights and subclassed models explain themselves", async () => {
    await expect(loadLayersModel("file:///nonexistent/model.json")).rejects.toThrow(/cannot read/);
    const m = convNet();
    const dir = tmp();
    await m.save(`file://${dir}`);
    const json = JSON.parse(readFileSync(join(dir, "model.json"), "utf8"));
    json.weightsManifest[0].weights[0].name = "renamed/kernel";
    writeFileSync(join(dir, "model.json"), JSON.stringify(json));
    await expect(loadLayersModel(`file://${join(dir, "model.json")}`)).rejects.toThrow(/has no '.*\/kernel'/);
    await expect(m.save("http://example.com/x")).rejects.toThrow(
      /model.save takes 'file:\/\/dir'.*http\(s\) URLs are not supported/,
    );
  });
});
