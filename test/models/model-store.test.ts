/**
 * The browser's model URLs in a kernel: indexeddb:// and localstorage:// save to a store on disk and
 * load back, tf.io.listModels / copyModel / moveModel / removeModel manage it as in TF.js, and
 * downloads:// writes name.json + name.weights.bin to the working directory.
 */
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import * as tf from "../../src/tf.js";
import { expectClose, randomTensor, values } from "./helpers.js";

const store = mkdtempSync(join(tmpdir(), "deepts-model-store-"));
const work = mkdtempSync(join(tmpdir(), "deepts-downloads-"));
const cwd = process.cwd();
beforeAll(() => {
  process.env.DEEPTS_MODEL_STORE = store;
  process.chdir(work);
});
afterAll(() => {
  delete process.env.DEEPTS_MODEL_STORE;
  process.chdir(cwd);
});

function smallModel(): tf.LayersModel {
  const model = tf.sequential({
    layers: [tf.layers.dense({ units: 3, inputShape: [4], activation: "relu" }), tf.layers.dense({ units: 2 })],
  });
  model.setWeights(model.getWeights().map((w, i) => randomTensor(w.shape, 70 + i)));
  return model;
}

const x = randomTensor([5, 4], 80);
const predictions = (m: tf.LayersModel) => values(m.predict(x) as tf.Tensor);

describe("indexeddb:// and localstorage:// in a kernel", () => {
  test("save, list, load: the loaded model predicts the same", async () => {
    const model = smallModel();
    const saved = await model.save("indexeddb://tfjs-iris-demo-model/v1");
    expect(saved.modelArtifactsInfo.modelTopologyType).toBe("JSON");
    expect(saved.modelArtifactsInfo.weightDataBytes).toBe((4 * 3 + 3 + 3 * 2 + 2) * 4);

    const list = await tf.io.listModels();
    expect(Object.keys(list)).toEqual(["indexeddb://tfjs-iris-demo-model/v1"]);
    expect(list["indexeddb://tfjs-iris-demo-model/v1"].dateSaved).toBeInstanceOf(Date);

    const loaded = await tf.loadLayersModel("indexeddb://tfjs-iris-demo-model/v1");
    expectClose(predictions(loaded), predictions(model), 1e-6);
  });

  test("copy, move and remove, as the examples' model managers use them", async () => {
    const model = smallModel();
    await model.save("localstorage://cart-pole-v1");
    await tf.io.copyModel("localstorage://cart-pole-v1", "indexeddb://cart-pole-copy");
    await tf.io.moveModel("localstorage://cart-pole-v1", "localstorage://cart-pole-v2");
    expect(Object.keys(await tf.io.listModels())).toEqual([
      "indexeddb://cart-pole-copy",
      "indexeddb://tfjs-iris-demo-model/v1",
      "localstorage://cart-pole-v2",
    ]);
    const moved = await tf.loadLayersModel("localstorage://cart-pole-v2");
    expectClose(predictions(moved), predictions(model), 1e-6);

    const removed = await tf.io.removeModel("indexeddb://cart-pole-copy");
    expect(removed.modelTopologyType).toBe("JSON");
    expect(Object.keys(await tf.io.listModels())).not.toContain("indexeddb://cart-pole-copy");
  });

  test("a missing model, an empty name or another scheme is a clear error", async () => {
    await expect(tf.io.removeModel("indexeddb://no-such-model")).rejects.toThrow(
      /cannot find a model saved at 'indexeddb:\/\/no-such-model'/,
    );
    await expect(tf.loadLayersModel("indexeddb://no-such-model")).rejects.toThrow(
      /no model is saved at 'indexeddb:\/\/no-such-model' \(saved models: .*localstorage:\/\/cart-pole-v2/,
    );
    await expect(smallModel().save("indexeddb://")).rejects.toThrow(/names no model/);
    await expect(tf.io.copyModel("file:///tmp/x", "indexeddb://y")).rejects.toThrow(/not a stored model's URL/);
  });

  test("downloads:// writes name.json and name.weights.bin where the notebook runs", async () => {
    const model = smallModel();
    await model.save("downloads://my-model");
    expect(existsSync(join(work, "my-model.weights.bin"))).toBe(true);
    const json = JSON.parse(readFileSync(join(work, "my-model.json"), "utf8"));
    expect(json.weightsManifest[0].paths).toEqual(["./my-model.weights.bin"]);
    const loaded = await tf.loadLayersModel("my-model.json");
    expectClose(predictions(loaded), predictions(model), 1e-6);
  });
});
