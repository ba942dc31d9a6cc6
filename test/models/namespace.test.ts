import { expect, test } from "vitest";
import * as tf from "../../src/tf.js";

test("the tf namespace carries the models API next to the runtime", async () => {
  for (const name of [
    "sequential",
    "model",
    "input",
    "loadLayersModel",
    "registerDefaultFitCallback",
    "setSeed",
    "tidy",
    "variableGrads",
  ]) {
    expect(typeof (tf as Record<string, unknown>)[name], name).toBe("function");
  }
  for (const name of [
    "layers",
    "train",
    "losses",
    "metrics",
    "initializers",
    "regularizers",
    "callbacks",
    "datasets",
    "io",
  ]) {
    expect(typeof (tf as Record<string, unknown>)[name], name).toBe("object");
  }
  const m = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1], kernelInitializer: "ones" })] });
  m.compile({ optimizer: tf.train.sgd(0.1), loss: "meanSquaredError" });
  const { xs, ys } = tf.datasets.linear({ n: 32, slope: 2, intercept: 0, noise: 0, seed: 1 });
  const h = await m.fit(xs, ys, { epochs: 30, verbose: 0 });
  expect(h.history.loss[29]).toBeLessThan(h.history.loss[0] / 10);
});
