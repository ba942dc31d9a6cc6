import { afterAll, describe, expect, it } from "vitest";
import * as tf from "../../src/runtime/index.js";
import { layers, sequential } from "../../src/models/index.js";

/** A small conv net trained for a few epochs on fixed random data; returns the loss per epoch. */
async function train(backend: string): Promise<{ losses: number[]; leaked: number }> {
  expect(await tf.setBackend(backend)).toBe(true);
  tf.setSeed(7);
  const x = tf.randomNormal([24, 8, 8, 2]);
  const labels = tf.oneHot(tf.tensor1d(Array.from({ length: 24 }, (_, k) => k % 3), "int32"), 3);
  const m = sequential();
  m.add(layers.conv2d({ inputShape: [8, 8, 2], filters: 4, kernelSize: 3, padding: "same", activation: "relu" }));
  m.add(layers.maxPooling2d({ poolSize: 2 }));
  m.add(layers.conv2d({ filters: 5, kernelSize: 2, activation: "tanh" }));
  m.add(layers.averagePooling2d({ poolSize: 2, strides: 1 }));
  m.add(layers.flatten());
  m.add(layers.dense({ units: 3, activation: "softmax" }));
  m.compile({ optimizer: "adam", loss: "categoricalCrossentropy" });
  const history = await m.fit(x, labels, { epochs: 4, batchSize: 8, shuffle: false, verbose: 0 });
  // a further epoch must not leave tensors behind
  const before = tf.memory().numTensors;
  await m.fit(x, labels, { epochs: 1, batchSize: 8, shuffle: false, verbose: 0 });
  const leaked = tf.memory().numTensors - before;
  return { losses: history.history.loss as number[], leaked };
}

describe("training on the gpujs webasm backend", () => {
  const previous = tf.getBackend();
  afterAll(async () => {
    await tf.setBackend(previous);
  });

  it("follows the cpu backend's loss curve with every kernel on webasm", async () => {
    const cpu = await train("cpu");
    const webasm = await train("webasm");
    expect(webasm.losses.length).toBe(4);
    expect(webasm.losses[3]!).toBeLessThan(webasm.losses[0]!);
    for (let k = 0; k < 4; k++) expect(webasm.losses[k]!).toBeCloseTo(cpu.losses[k]!, 3);
    expect(webasm.leaked).toBe(0);
    const support = (await tf.backendSupport()).find((b) => b.backend === "webasm");
    expect(support?.fallback).toEqual([]);
  });
});
