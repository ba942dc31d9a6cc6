/**
 * Training parity for the device backends: one small conv net trained on fixed random data, and the
 * checks that a backend's run follows the cpu backend's.
 */
import { expect } from "vitest";
import * as tf from "../../src/runtime/index.js";
import { layers, sequential } from "../../src/models/index.js";

export interface TrainingRun {
  /** Loss per epoch of the first `fit` (4 epochs). */
  losses: number[];
  /** Tensors a further epoch left behind. */
  leaked: number;
  /** Kernels that fell back to the cpu backend, from switching to `backend` to the end. */
  fallbacks: number;
}

/** Trains a small conv net (conv, max pool, conv, average pool, dense) on `backend` from seed 7. */
export async function trainSmallConvNet(backend: string): Promise<TrainingRun> {
  const fallbacks = tf.engine().fallbacks;
  expect(await tf.setBackend(backend)).toBe(true);
  tf.setSeed(7);
  const x = tf.randomNormal([24, 8, 8, 2]);
  const labels = tf.oneHot(
    tf.tensor1d(
      Array.from({ length: 24 }, (_, k) => k % 3),
      "int32",
    ),
    3,
  );
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
  return { losses: history.history.loss as number[], leaked, fallbacks: tf.engine().fallbacks - fallbacks };
}

/**
 * Checks that `run` learned (its last loss below its first), matches `cpu`'s losses to 3 decimals
 * and leaked no tensors.
 */
export function expectCpuLossCurve(run: TrainingRun, cpu: TrainingRun): void {
  expect(run.losses.length).toBe(4);
  expect(run.losses[3]!).toBeLessThan(run.losses[0]!);
  for (let k = 0; k < 4; k++) expect(run.losses[k]!).toBeCloseTo(cpu.losses[k]!, 3);
  expect(run.leaked).toBe(0);
}
