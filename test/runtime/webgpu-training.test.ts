/**
 * A small conv net trained on webgpu follows the cpu backend's loss curve, with every kernel on the
 * device and nothing read back but the per-batch losses `fit` reports.
 */
import { afterAll, describe, expect, it } from "vitest";
import * as tf from "../../src/runtime/index.js";
import { layers, sequential } from "../../src/models/index.js";
import { webgpuUnavailable } from "./backends.js";

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
  const before = tf.memory().numTensors;
  await m.fit(x, labels, { epochs: 1, batchSize: 8, shuffle: false, verbose: 0 });
  const leaked = tf.memory().numTensors - before;
  tf.dispose([x, labels]);
  return { losses: history.history.loss as number[], leaked };
}

describe.skipIf(webgpuUnavailable !== undefined)(`training on webgpu${webgpuUnavailable ? ` (skipped: ${webgpuUnavailable})` : ""}`, () => {
  const previous = tf.getBackend();
  afterAll(async () => {
    await tf.setBackend(previous);
  });

  it("follows the cpu backend's loss curve with every kernel on the device", async () => {
    const cpu = await train("cpu");
    const fallbacks = tf.engine().fallbacks;
    const webgpu = await train("webgpu");
    expect(tf.engine().fallbacks).toBe(fallbacks);
    expect(webgpu.losses.length).toBe(4);
    expect(webgpu.losses[3]!).toBeLessThan(webgpu.losses[0]!);
    for (let k = 0; k < 4; k++) expect(webgpu.losses[k]!).toBeCloseTo(cpu.losses[k]!, 3);
    expect(webgpu.leaked).toBe(0);
  });
});
