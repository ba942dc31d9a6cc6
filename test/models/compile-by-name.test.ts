/**
 * compile({ loss: { outputName: … }, metrics: { outputName: … } }): a multi-output model's losses and
 * metrics keyed by output layer name, trained next to real tfjs-layers with the same weights.
 */
import { beforeAll, describe, expect, test } from "vitest";
import * as tf from "../../src/tf.js";
import { tfc, tfl, oracleReady } from "./tfjs-oracle.js";
import { expectClose, randomTensor, values } from "./helpers.js";

beforeAll(oracleReady);

type Any = ReturnType<typeof JSON.parse>;

/** Two inputs, a shared hidden layer, a softmax head "cls" and a regression head "reg". */
function twoHeads(impl: Any) {
  const a = impl.input({ shape: [4], name: "a" });
  const b = impl.input({ shape: [3], name: "b" });
  const hidden = impl.layers.dense({ units: 5, activation: "relu", name: "hidden" }).apply(a);
  const joined = impl.layers.concatenate().apply([hidden, b]);
  const cls = impl.layers.dense({ units: 2, activation: "softmax", name: "cls" }).apply(joined);
  const reg = impl.layers.dense({ units: 1, name: "reg" }).apply(joined);
  return impl.model({ inputs: [a, b], outputs: [cls, reg] });
}

const toTheirs = (t: tf.Tensor) => tfc.tensor(values(t), t.shape);

describe("losses and metrics keyed by output name", () => {
  test("fit logs the same losses and metrics as TF.js, per output", async () => {
    const ours = twoHeads(tf) as tf.LayersModel;
    const theirs = twoHeads({ input: tfl.input, layers: tfl.layers, model: tfl.model });
    ours.setWeights(ours.getWeights().map((w, i) => randomTensor(w.shape, 40 + i, -0.5, 0.5)));
    theirs.setWeights(ours.getWeights().map(toTheirs));
    const compileArgs = {
      loss: { reg: "meanSquaredError", cls: "categoricalCrossentropy" },
      metrics: { cls: "accuracy", reg: ["mae"] },
    };
    ours.compile({ optimizer: tf.train.sgd(0.1), ...compileArgs });
    theirs.compile({ optimizer: tfc.train.sgd(0.1), ...compileArgs });

    const xs = [randomTensor([8, 4], 50), randomTensor([8, 3], 51)];
    const labels = tf.oneHot(tf.tensor1d([0, 1, 1, 0, 1, 0, 0, 1], "int32"), 2);
    const ys = [labels, randomTensor([8, 1], 52)];
    const fitArgs = { epochs: 2, batchSize: 4, shuffle: false, verbose: 0 };
    const mine = await ours.fit(xs, ys, fitArgs);
    const reference = await theirs.fit(xs.map(toTheirs), ys.map(toTheirs), fitArgs);

    const keys = Object.keys(reference.history).sort();
    expect(keys).toEqual(["cls_acc", "cls_loss", "loss", "reg_loss", "reg_mae"]);
    expect(Object.keys(mine.history).sort()).toEqual(keys);
    for (const k of keys) expectClose(mine.history[k] as number[], reference.history[k], 1e-4);
  });

  test("the saved training config keeps the objects and compiles the loaded model", async () => {
    const model = twoHeads(tf) as tf.LayersModel;
    model.compile({
      optimizer: "adam",
      loss: { cls: "categoricalCrossentropy", reg: "meanSquaredError" },
      metrics: { cls: ["accuracy"] },
    });
    let artifacts: Any;
    await model.save(
      tf.io.withSaveHandler(async (a) => {
        artifacts = a;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" } };
      }),
      { includeOptimizer: true },
    );
    expect(artifacts.trainingConfig.metrics).toEqual({ cls: ["accuracy"], reg: [] });
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(artifacts));
    const h = await loaded.fit(
      [tf.ones([2, 4]), tf.ones([2, 3])],
      [
        tf.tensor2d([
          [1, 0],
          [0, 1],
        ]),
        tf.ones([2, 1]),
      ],
      { epochs: 1, verbose: 0 },
    );
    expect(Object.keys(h.history).sort()).toEqual(["cls_acc", "cls_loss", "loss", "reg_loss"]);
  });

  test("a name that is no output, or an output without a loss, is a clear error", () => {
    const model = twoHeads(tf) as tf.LayersModel;
    expect(() => model.compile({ optimizer: "sgd", loss: { cls: "mse", regression: "mse" } })).toThrow(
      /unknown output "regression" in the loss object; the outputs are "cls", "reg"/,
    );
    expect(() => model.compile({ optimizer: "sgd", loss: { cls: "mse" } })).toThrow(
      /no entry for output "reg"; give every output a loss/,
    );
    expect(() => model.compile({ optimizer: "sgd", loss: "mse", metrics: { clss: "mae" } })).toThrow(
      /unknown output "clss" in the metrics object/,
    );
  });
});
